// F6, Shift+F6, Ctrl+Tab and Tab between the window's regions in the layout's order (regionfocus.h).
#include "ui/window/regionfocus.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QScrollArea>
#include <QTabBar>
#include <QTabWidget>

#include <algorithm>
#include <tuple>

namespace reglab::ui {
namespace {

// Whether the person has the panel open: a panel behind another's tab is open too (only the View menu or its
// close button closes one).
bool isOpen(const QDockWidget *dock)
{
    return dock->toggleViewAction()->isChecked();
}

// Where a dock area comes in the window, left to right: the centre (run bar, charts) between left and right.
int areaRank(Qt::DockWidgetArea area)
{
    switch (area) {
    case Qt::LeftDockWidgetArea:
        return 0;
    case Qt::TopDockWidgetArea:
        return 1;
    case Qt::BottomDockWidgetArea:
        return 3;
    case Qt::RightDockWidgetArea:
        return 4;
    default:
        return 5;
    }
}
constexpr int kCentreRank = 2;

} // namespace

RegionFocus::RegionFocus(QMainWindow *window, QWidget *runBar, QWidget *central, QWidget *charts,
                         const QList<QDockWidget *> &docks)
    : QObject(window), m_window(window), m_runBar(runBar), m_central(central), m_charts(charts), m_docks(docks)
{
    const auto make = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *action = new QAction(text, m_window);
        action->setShortcut(key);
        connect(action, &QAction::triggered, this, slot);
        m_window->addAction(action); // wherever the focus is in the window
        return action;
    };
    m_next = make(tr("Focus the next region (panels, run buttons, charts)"), QKeySequence(Qt::Key_F6),
                  [this] { moveRegion(1); });
    m_previous =
        make(tr("Focus the previous region"), QKeySequence(Qt::SHIFT | Qt::Key_F6), [this] { moveRegion(-1); });
    m_nextTab = make(tr("Next tab: of the panels tabbed together, or of the network views"),
                     QKeySequence(Qt::CTRL | Qt::Key_Tab), [this] { switchTab(1); });
    m_previousTab =
        make(tr("Previous tab"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab), [this] { switchTab(-1); });
    // The panel the focus was in last: Ctrl+Tab from the charts switches that panel's tabs.
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) {
        if (QDockWidget *dock = dockOf(now))
            m_lastDock = dock;
    });
}

QDockWidget *RegionFocus::dockOf(const QWidget *widget) const
{
    for (QDockWidget *dock : m_docks)
        if (widget && (dock == widget || dock->isAncestorOf(widget)))
            return dock;
    return nullptr;
}

QTabBar *RegionFocus::tabBarOf(const QDockWidget *dock) const
{
    // The main window's tab bars name each tab's panel in the tab's data.
    for (QTabBar *bar : m_window->findChildren<QTabBar *>(QString(), Qt::FindDirectChildrenOnly))
        for (int i = 0; i < bar->count(); ++i)
            if (bar->isVisible() && bar->tabData(i).value<quintptr>() == reinterpret_cast<quintptr>(dock))
                return bar;
    return nullptr;
}

QList<QDockWidget *> RegionFocus::tabGroup(QDockWidget *dock) const
{
    const QTabBar *bar = tabBarOf(dock);
    if (!bar)
        return {dock};
    QList<QDockWidget *> group; // in the tabs' order on screen
    for (int i = 0; i < bar->count(); ++i)
        for (QDockWidget *d : m_docks)
            if (bar->tabData(i).value<quintptr>() == reinterpret_cast<quintptr>(d))
                group << d;
    return group;
}

QDockWidget *RegionFocus::frontTab(QDockWidget *dock) const
{
    // Every panel of a tab group counts as visible: the one in front is the tab bar's current tab.
    const QTabBar *bar = tabBarOf(dock);
    if (!bar)
        return dock;
    for (QDockWidget *d : m_docks)
        if (bar->tabData(bar->currentIndex()).value<quintptr>() == reinterpret_cast<quintptr>(d))
            return d;
    return dock;
}

QList<QWidget *> RegionFocus::regions() const
{
    // Each region with its place: (area, top, tab, order made); the centre's run bar comes before its charts.
    using Place = std::tuple<int, int, int, int>;
    QList<std::pair<Place, QWidget *>> placed;
    int made = 0;
    for (QDockWidget *dock : m_docks) {
        if (!isOpen(dock))
            continue;
        const QList<QDockWidget *> group = tabGroup(dock);
        // A tab group's place is that of the panel in front (the others may keep an old geometry).
        const QWidget *where = frontTab(dock);
        const int rank = dock->isFloating() ? 6 : areaRank(m_window->dockWidgetArea(dock));
        placed.append({{rank, where->mapTo(m_window, QPoint()).y(), int(group.indexOf(dock)), made++}, dock});
    }
    if (m_runBar->isVisible())
        placed.append({{kCentreRank, 0, 0, made++}, m_runBar});
    placed.append({{kCentreRank, 1, 0, made++}, m_central});
    std::sort(placed.begin(), placed.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<QWidget *> out;
    for (const auto &p : placed)
        out << p.second;
    return out;
}

QWidget *RegionFocus::currentRegion() const
{
    return regionOf(QApplication::focusWidget());
}

QWidget *RegionFocus::regionOf(const QWidget *widget) const
{
    if (!widget)
        return nullptr;
    if (QDockWidget *dock = dockOf(widget))
        return dock;
    if (m_runBar->isAncestorOf(widget)) // inside the centre, so asked first
        return m_runBar;
    if (widget == m_central || m_central->isAncestorOf(widget))
        return m_central;
    return nullptr;
}

namespace {

// What Tab stops at: shown, enabled, taking the focus by Tab, and not handing it to another widget.
bool tabStop(const QWidget *w)
{
    return w->isVisible() && w->isEnabled() && (w->focusPolicy() & Qt::TabFocus) && !w->focusProxy();
}

} // namespace

QWidget *RegionFocus::lastOf(QWidget *region) const
{
    QWidget *last = nullptr;
    QWidget *w = m_window;
    do {
        w = w->nextInFocusChain();
        if (tabStop(w) && regionOf(w) == region && !qobject_cast<QScrollArea *>(w))
            last = w;
    } while (w != m_window);
    return last;
}

bool RegionFocus::tabAcross(bool forward)
{
    QWidget *focus = QApplication::focusWidget();
    QWidget *region = regionOf(focus);
    if (!region || focus->window() != m_window) // a floating panel keeps Qt's own order within it
        return false;
    const QList<QWidget *> all = regions();
    const qsizetype at = all.indexOf(region);
    if (at < 0 || all.size() < 2)
        return false;
    // Where Qt's chain goes.
    QWidget *next = focus;
    do
        next = forward ? next->nextInFocusChain() : next->previousInFocusChain();
    while (next != focus && !tabStop(next));
    QWidget *to = regionOf(next);
    if (to == region)
        return false; // within the region: Qt's order, which the region's own layout sets
    const qsizetype n = all.size();
    QWidget *target = all[((at + (forward ? 1 : -1)) % n + n) % n];
    if (to == target)
        return false;
    if (auto *dock = qobject_cast<QDockWidget *>(target))
        dock->raise(); // a tab comes to the front
    QWidget *land = forward ? landing(target) : lastOf(target);
    if (!land)
        return false;
    land->setFocus(forward ? Qt::TabFocusReason : Qt::BacktabFocusReason);
    return true;
}

QWidget *RegionFocus::landing(QWidget *region) const
{
    if (region == m_central && m_charts->isVisible()) {
        for (QWidget *w = m_charts; w; w = w->nextInFocusChain()) {
            if ((w == m_charts || m_charts->isAncestorOf(w)) && w->isVisible() && w->isEnabled() &&
                (w->focusPolicy() & Qt::TabFocus))
                return w;
            if (w->nextInFocusChain() == m_charts)
                break;
        }
    }
    QWidget *area = region;
    if (auto *dock = qobject_cast<QDockWidget *>(region); dock && dock->widget())
        area = dock->widget();
    if (auto *scroll = qobject_cast<QScrollArea *>(area); scroll && scroll->widget())
        area = scroll->widget();
    // The focus chain is a ring over the whole window: the first of the region's widgets after the window.
    QWidget *w = m_window;
    do {
        w = w->nextInFocusChain();
        // Not a scroll area holding the panel (the controls, the digits): the panel's first widget.
        if (area->isAncestorOf(w) && w->isVisible() && w->isEnabled() && (w->focusPolicy() & Qt::TabFocus) &&
            !w->focusProxy() && !(w != area && qobject_cast<QScrollArea *>(w)))
            return w;
    } while (w != m_window);
    return area;
}

void RegionFocus::focusRegion(QWidget *region)
{
    if (auto *dock = qobject_cast<QDockWidget *>(region)) {
        dock->raise(); // a tab comes to the front
        if (dock->isFloating())
            dock->activateWindow();
    }
    // As Tab does: the style draws the focus (Qt::ShortcutFocusReason marks a keyboard move).
    landing(region)->setFocus(Qt::ShortcutFocusReason);
}

void RegionFocus::moveRegion(int step)
{
    const QList<QWidget *> all = regions();
    if (all.isEmpty())
        return;
    const qsizetype at = all.indexOf(currentRegion());
    const qsizetype n = all.size();
    const qsizetype next = at < 0 ? (step > 0 ? 0 : n - 1) : ((at + step) % n + n) % n;
    focusRegion(all[next]);
}

void RegionFocus::switchTab(int step)
{
    QWidget *focus = QApplication::focusWidget();
    // A tab widget with the focus switches its own tabs (what Qt does with Ctrl+Tab), skipping disabled ones.
    for (QWidget *w = focus; w && w != m_window; w = w->parentWidget())
        if (auto *tabs = qobject_cast<QTabWidget *>(w); tabs && tabs->count() > 1) {
            for (int i = 1, n = tabs->count(); i < n; ++i) {
                const int index = ((tabs->currentIndex() + step * i) % n + n) % n;
                if (tabs->isTabEnabled(index) && tabs->isTabVisible(index)) {
                    tabs->setCurrentIndex(index);
                    return;
                }
            }
            return;
        }
    QDockWidget *dock = dockOf(focus);
    if (!dock && m_lastDock && isOpen(m_lastDock))
        dock = m_lastDock;
    if (!dock) // the first open panel that has tabs
        for (QDockWidget *d : m_docks)
            if (isOpen(d) && tabGroup(d).size() > 1) {
                dock = d;
                break;
            }
    if (!dock)
        return;
    // From the panel in front, whichever has the focus.
    QList<QDockWidget *> group = tabGroup(dock);
    group.removeIf([](QDockWidget *d) { return !isOpen(d); });
    if (group.size() < 2)
        return;
    const qsizetype n = group.size();
    const qsizetype at = std::max<qsizetype>(0, group.indexOf(frontTab(dock)));
    focusRegion(group[((at + step) % n + n) % n]);
}

} // namespace reglab::ui
