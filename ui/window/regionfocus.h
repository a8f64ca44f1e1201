// Keyboard moves between the window's regions, as Qt's own applications do: F6 and Shift+F6 go from one region to
// the next (the side panels, the run's buttons, the charts), landing on the region's first widget and raising a
// panel that is a tab; Ctrl+Tab and Ctrl+Shift+Tab switch between panels tabbed together, or between the tabs of a
// tab widget with the focus (the network views), as Qt does. Actions of the window, so Help lists them.
#pragma once

#include <QList>
#include <QObject>

class QAction;
class QDockWidget;
class QMainWindow;
class QTabBar;
class QWidget;

namespace reglab::ui {

class RegionFocus : public QObject {
    Q_OBJECT
public:
    // `runBar` and `central` (the charts' part of the window, which holds the run bar too) are visited in the
    // window's centre; `charts`: where the focus lands in the centre.
    RegionFocus(QMainWindow *window, QWidget *runBar, QWidget *central, QWidget *charts,
                const QList<QDockWidget *> &docks);

    // The regions in the order F6 visits them: by where they are in the window (left to right, then top to
    // bottom; floating panels last), tabbed panels in their tabs' order, closed panels left out.
    QList<QWidget *> regions() const;
    // The region the focus is in; null when it is in none.
    QWidget *currentRegion() const;
    // F6 (`step` 1), Shift+F6 (-1): the focus to the next region's first widget, round the end.
    void moveRegion(int step);
    // Tab (`forward`) or Shift+Tab from the focus widget: where Qt's focus chain (the order widgets were made in)
    // would leave the region for one that is not the next in the layout, the focus goes to the next region's first
    // widget (Shift+Tab: the previous region's last) instead, so Tab follows the layout. False: Qt's own move is
    // the layout's (the main window calls this from focusNextPrevChild).
    bool tabAcross(bool forward);
    // Ctrl+Tab (1), Ctrl+Shift+Tab (-1): the next tab of the tab widget with the focus, or else the next panel
    // tabbed with the one the focus is in (or was in last).
    void switchTab(int step);
    // The panels tabbed with `dock` (itself among them), in their tabs' order; `dock` alone when not tabbed.
    QList<QDockWidget *> tabGroup(QDockWidget *dock) const;
    // The panel of `dock`'s tab group that is in front (`dock` when not tabbed).
    QDockWidget *frontTab(QDockWidget *dock) const;

    QAction *nextRegionAction() const { return m_next; }
    QAction *previousRegionAction() const { return m_previous; }
    QAction *nextTabAction() const { return m_nextTab; }
    QAction *previousTabAction() const { return m_previousTab; }

private:
    // The first widget of `region` that takes the focus by Tab, in the focus chain's order.
    QWidget *landing(QWidget *region) const;
    // The last widget of `region` that takes the focus by Tab, in the focus chain's order; null for none.
    QWidget *lastOf(QWidget *region) const;
    // The region `widget` is in (as currentRegion() for the focus); null for none.
    QWidget *regionOf(const QWidget *widget) const;
    void focusRegion(QWidget *region);
    QDockWidget *dockOf(const QWidget *widget) const;
    QTabBar *tabBarOf(const QDockWidget *dock) const;

    QMainWindow *m_window;
    QWidget *m_runBar, *m_central, *m_charts;
    QList<QDockWidget *> m_docks;
    QDockWidget *m_lastDock = nullptr; // the panel the focus was in last: Ctrl+Tab from the charts switches its tabs
    QAction *m_next, *m_previous, *m_nextTab, *m_previousTab;
};

} // namespace reglab::ui
