// View: the docks, the side panels shown or collapsed (Ctrl+B), the presentation mode (F11), the controls on
// their own (F9) and the theme.
#pragma once

#include "ui/charts/palette.h"

#include <QList>
#include <QMenu>

class QActionGroup;
class QDockWidget;
class QSettings;

namespace reglab::ui {

class PresentationMode;

class ViewMenu : public QMenu {
    Q_OBJECT
public:
    ViewMenu(const QList<QDockWidget *> &docks, QDockWidget *controls, PresentationMode *presentation,
             QWidget *parent = nullptr);
    QAction *presentationAction() const { return m_presentation; }
    QAction *controlsAction() const { return m_controls; }
    // Checked while the docked panels show; unchecking collapses them all, so the charts fill the window, and
    // checking brings back those that were there.
    QAction *panelsAction() const { return m_panels; }
    // Checks the theme's entry (and applies it).
    void setTheme(Theme theme);
    // The theme, remembered under view/theme.
    void loadSettings(const QSettings &settings);
    void saveSettings(QSettings &settings) const;

Q_SIGNALS:
    void themeChanged(Theme theme);

private:
    void setPanelsShown(bool shown);

    QList<QDockWidget *> m_docks;
    QList<QDockWidget *> m_collapsed; // what the panels' collapse hid
    QAction *m_presentation, *m_controls, *m_panels;
    QActionGroup *m_themes;
};

} // namespace reglab::ui
