// Everything by keyboard: F6 and Shift+F6 between the window's regions, Ctrl+Tab between tabbed panels and the
// network views' tabs, a chart with the focus zooms, pans, resets and opens its menu by keys and shows a frame,
// the runs list ticks, renames, removes and undoes by keys, the control panel's tab order follows its layout,
// Help's shortcut list names every action's key and the keys of charts and the runs list, and no two actions
// share a key (Qt would silently run neither).
#include "app/sweeprunner.h"
#include "guitest.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/losschart.h"
#include "ui/charts/palette.h"
#include "ui/controls/logslider.h"
#include "ui/network/networkpanel.h"
#include "ui/sweeps/sweepdialog.h"
#include "ui/window/helpmenu.h"
#include "ui/window/regionfocus.h"
#include "ui/window/viewmenu.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QLineEdit>
#include <QMenu>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTabBar>
#include <QToolTip>
#include <QTreeView>

using guitest::Dashboard;
using reglab::ui::ChartBase;
using reglab::ui::RegionFocus;
using reglab::ui::RunList;

namespace {

// Waits until the window is active, so that focus and shortcuts behave as they do for a person.
bool activate(QWidget *window)
{
    window->activateWindow();
    return QTest::qWaitForWindowActive(window);
}

// A chart with a run's curves on it.
ChartBase *chartWithData(Dashboard &d)
{
    d.window->runs()->addRun(guitest::finishedRun(0.001, 3, 40), QStringLiteral("a"), true);
    ChartBase *chart = d.window->liveView()->lossChart();
    chart->redrawNow();
    chart->resetView();
    return chart;
}

// Presses F6 until the focus is in `region`; false when it never gets there.
bool f6To(Dashboard &d, QWidget *region)
{
    for (int i = 0; i < 12 && d.window->regionFocus()->currentRegion() != region; ++i)
        QTest::keyClick(d.window.get(), Qt::Key_F6);
    return d.window->regionFocus()->currentRegion() == region;
}

bool near(double a, double b, double span)
{
    return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(span));
}

// How many pixels differ between two grabs of the same size.
int differingPixels(const QImage &a, const QImage &b)
{
    int count = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            count += a.pixel(x, y) != b.pixel(x, y);
    return count;
}

// The letters of `texts`' mnemonics ("&File": F) that more than one of them claims.
QStringList clashes(const QStringList &texts)
{
    QHash<QString, QStringList> byLetter;
    for (const QString &text : texts)
        if (const QKeySequence m = QKeySequence::mnemonic(text); !m.isEmpty())
            byLetter[m.toString()] << text;
    QStringList out;
    for (auto it = byLetter.cbegin(); it != byLetter.cend(); ++it)
        if (it.value().size() > 1)
            out << it.key() + QStringLiteral(": ") + it.value().join(QStringLiteral(", "));
    return out;
}

// Every menu under `menu` (itself too), depth first.
void collectMenus(QMenu *menu, QList<QMenu *> &out)
{
    out << menu;
    for (QAction *a : menu->actions())
        if (a->menu())
            collectMenus(a->menu(), out);
}

} // namespace

class TestKeyboard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.enter()); }

    // F6 visits every region once and wraps round; Shift+F6 goes back; a tabbed panel comes to the front.
    void f6CyclesTheRegions()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        RegionFocus *regions = d.window->regionFocus();
        const QList<QWidget *> all = regions->regions();
        QVERIFY2(all.size() >= 6, qPrintable(QString::number(all.size()))); // 4 panels, run bar, charts
        // From wherever the focus is at the start (none: the first region).
        const qsizetype start = all.indexOf(regions->currentRegion());
        QList<QWidget *> visited;
        for (int i = 0; i < all.size(); ++i) {
            QTest::keyClick(d.window.get(), Qt::Key_F6);
            QWidget *region = regions->currentRegion();
            QVERIFY2(region, qPrintable(QStringLiteral("press %1: focus in no region").arg(i + 1)));
            QVERIFY(!visited.contains(region));
            visited << region;
            QCOMPARE(region, all[(start + 1 + i) % all.size()]);
            QWidget *focus = QApplication::focusWidget();
            QVERIFY(focus && focus->isVisible());
            if (auto *dock = qobject_cast<QDockWidget *>(region)) {
                QVERIFY(dock->isAncestorOf(focus));
                QCOMPARE(regions->frontTab(dock), dock); // a tabbed panel came to the front
            }
        }
        QCOMPARE(regions->currentRegion(), all[(start + all.size()) % all.size()]); // round the end
        QTest::keyClick(d.window.get(), Qt::Key_F6);
        QCOMPARE(regions->currentRegion(), all[(start + 1) % all.size()]);
        QTest::keyClick(d.window.get(), Qt::Key_F6, Qt::ShiftModifier);
        QTest::keyClick(d.window.get(), Qt::Key_F6, Qt::ShiftModifier);
        QCOMPARE(regions->currentRegion(), all[(start - 1 + all.size()) % all.size()]);
        // The centre's focus lands on the loss chart, the runs panel's on its list.
        QVERIFY(f6To(d, d.window->liveView()));
        QCOMPARE(QApplication::focusWidget(), d.window->liveView()->lossChart());
        QVERIFY(f6To(d, d.window->runsDock()));
        QCOMPARE(QApplication::focusWidget(), d.window->runList()->view());
    }

    // Tab goes through the regions in the layout's order (F6's), not in the order the widgets were made: each
    // region's widgets, then the next region's; Shift+Tab the same backwards.
    void tabFollowsTheLayout()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        RegionFocus *regions = d.window->regionFocus();
        const QList<QWidget *> all = regions->regions();
        const qsizetype n = all.size();
        for (const bool forward : {true, false}) {
            QTest::keyClick(d.window.get(), Qt::Key_F6);
            QWidget *from = regions->currentRegion();
            QVERIFY(from);
            int moves = 0;
            for (int press = 0; press < 600 && moves < n; ++press) {
                QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab, forward ? Qt::NoModifier : Qt::ShiftModifier);
                QWidget *to = regions->currentRegion();
                QVERIFY2(to, qPrintable(QStringLiteral("Tab %1: the focus left every region (%2)")
                                            .arg(press + 1)
                                            .arg(QString::fromLatin1(QApplication::focusWidget()
                                                                         ? QApplication::focusWidget()->metaObject()->className()
                                                                         : "none"))));
                if (to == from)
                    continue;
                const qsizetype expected = ((all.indexOf(from) + (forward ? 1 : -1)) % n + n) % n;
                QVERIFY2(to == all[expected], qPrintable(QStringLiteral("%1 Tab from region %2 went to region %3, not %4")
                                                             .arg(forward ? QString() : QStringLiteral("Shift+"))
                                                             .arg(all.indexOf(from))
                                                             .arg(all.indexOf(to))
                                                             .arg(expected)));
                from = to;
                ++moves;
            }
            QCOMPARE(moves, int(n)); // round every region and back to the first
        }
    }

    // Ctrl+Tab and Ctrl+Shift+Tab switch between tabbed panels; in the network views they switch its tabs.
    void ctrlTabSwitchesTabs()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        RegionFocus *regions = d.window->regionFocus();
        QVERIFY(f6To(d, d.window->runsDock()));
        const QList<QDockWidget *> group = regions->tabGroup(d.window->runsDock());
        QVERIFY(group.size() >= 2);
        const qsizetype at = group.indexOf(d.window->runsDock());
        QTest::keyClick(d.window.get(), Qt::Key_Tab, Qt::ControlModifier | Qt::ShiftModifier);
        QDockWidget *previous = group[(at - 1 + group.size()) % group.size()];
        QCOMPARE(regions->currentRegion(), previous);
        QCOMPARE(regions->frontTab(previous), previous);
        QTest::keyClick(d.window.get(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(regions->currentRegion(), d.window->runsDock());
        QCOMPARE(regions->frontTab(previous), d.window->runsDock());
        // From the charts: the tabs of the panel the focus was in last.
        d.window->liveView()->lossChart()->setFocus(Qt::TabFocusReason);
        QTest::keyClick(d.window.get(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(regions->currentRegion(), group[(at + 1) % group.size()]);
        // In the network views: their own tabs, the focus stays there.
        QVERIFY(f6To(d, d.window->networkDock()));
        reglab::ui::NetworkPanel *network = d.window->networkPanel();
        const int tab = network->currentIndex();
        QTest::keyClick(d.window.get(), Qt::Key_Tab, Qt::ControlModifier);
        QVERIFY(network->currentIndex() != tab);
        QCOMPARE(regions->currentRegion(), d.window->networkDock());
        QTest::keyClick(d.window.get(), Qt::Key_Tab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(network->currentIndex(), tab);
    }

    // +, -, arrows and 0 on a chart with the focus: the axes zoom about the centre, pan and come back.
    void chartKeysZoomPanReset()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        ChartBase *chart = chartWithData(d);
        chart->setFocus(Qt::MouseFocusReason);
        QVERIFY(chart->hasFocus());
        const auto [x0, x1] = chart->xRange();
        const auto [y0, y1] = chart->yRange();
        QVERIFY(x1 > x0);
        QTest::keyClick(chart, Qt::Key_Plus);
        QVERIFY(chart->userView());
        QVERIFY(d.window->testAttribute(Qt::WA_KeyboardFocusChange)); // a key used on it: the frame shows
        const auto [zx0, zx1] = chart->xRange();
        QVERIFY2(near(zx1 - zx0, 0.8 * (x1 - x0), x1 - x0),
                 qPrintable(QStringLiteral("%1..%2 from %3..%4").arg(zx0).arg(zx1).arg(x0).arg(x1)));
        QVERIFY(zx0 > x0 && zx1 < x1); // about the centre: both ends move in
        QTest::keyClick(chart, Qt::Key_Minus);
        QVERIFY(near(chart->xRange().second - chart->xRange().first, x1 - x0, x1 - x0));
        // Right shows what lies right, by a tenth of the span; Shift by a fiftieth.
        const auto [px0, px1] = chart->xRange();
        QTest::keyClick(chart, Qt::Key_Right);
        QVERIFY(near(chart->xRange().first, px0 + 0.1 * (px1 - px0), px1 - px0));
        QTest::keyClick(chart, Qt::Key_Left, Qt::ShiftModifier);
        QVERIFY(near(chart->xRange().first, px0 + 0.08 * (px1 - px0), px1 - px0));
        const auto [uy0, uy1] = chart->yRange();
        QTest::keyClick(chart, Qt::Key_Up);
        QVERIFY(chart->yRange().second > uy1);
        QTest::keyClick(chart, Qt::Key_0);
        QVERIFY(!chart->userView());
        QCOMPARE(chart->xRange(), std::make_pair(x0, x1));
        QCOMPARE(chart->yRange(), std::make_pair(y0, y1));
        QTest::keyClick(chart, Qt::Key_Plus, Qt::ControlModifier);
        QVERIFY(chart->userView());
        QTest::keyClick(chart, Qt::Key_Home);
        QVERIFY(!chart->userView());
        // The value cursor reads what hover would, point by point.
        QTest::keyClick(chart, Qt::Key_Right, Qt::ControlModifier);
        const QString first = chart->hoverText();
        QVERIFY2(first.contains(QStringLiteral(" at ")), qPrintable(first));
        QTest::keyClick(chart, Qt::Key_Right, Qt::ControlModifier);
        QVERIFY(chart->hoverText() != first);
        QTest::keyClick(chart, Qt::Key_Left, Qt::ControlModifier);
        QCOMPARE(chart->hoverText(), first);
        // The Menu key opens the chart's menu (export, copy, log scale, reset), at the chart.
        QTest::keyClick(chart, Qt::Key_Menu);
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        QVERIFY(menu);
        QVERIFY(menu->actions().first()->text().startsWith(QStringLiteral("Export figure")));
        QVERIFY(chart->rect().contains(chart->mapFromGlobal(menu->pos())));
        menu->close();
        QTest::keyClick(chart, Qt::Key_F10, Qt::ShiftModifier);
        menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        QVERIFY(menu);
        menu->close();
    }

    // Zoom by keys stops at a millionth and at a hundred times the whole range: 200 presses of + once left a range of
    // width 0, and - on a log axis spanned hundreds of decades whose minor ticks took minutes to lay out.
    void chartZoomStaysBounded()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        ChartBase *chart = chartWithData(d);
        chart->setFocus(Qt::MouseFocusReason);
        const double span = chart->xRange().second - chart->xRange().first;
        for (int i = 0; i < 200; ++i)
            QTest::keyClick(chart, Qt::Key_Plus);
        const auto [ix0, ix1] = chart->xRange();
        const auto [iy0, iy1] = chart->yRange();
        QVERIFY2(ix1 - ix0 >= 0.9e-6 * span && iy1 > iy0, qPrintable(QStringLiteral("%1..%2").arg(ix0).arg(ix1)));
        for (int i = 0; i < 400; ++i)
            QTest::keyClick(chart, Qt::Key_Minus);
        const auto [ox0, ox1] = chart->xRange();
        QVERIFY2(std::isfinite(ox0) && std::isfinite(ox1) && ox1 - ox0 <= 100.1 * span,
                 qPrintable(QStringLiteral("%1..%2").arg(ox0).arg(ox1)));
        QTest::keyClick(chart, Qt::Key_Home);
        d.window->liveView()->logScaleBox()->setChecked(true);
        d.window->flushCharts();
        const auto [ly0, ly1] = chart->yRange();
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 200; ++i)
            QTest::keyClick(chart, Qt::Key_Minus);
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
        const auto [zy0, zy1] = chart->yRange();
        QVERIFY2(zy0 > 0 && std::isfinite(zy1) && std::log10(zy1 / zy0) <= 100.1 * std::log10(ly1 / ly0),
                 qPrintable(QStringLiteral("%1..%2").arg(zy0).arg(zy1)));
        for (int i = 0; i < 400; ++i)
            QTest::keyClick(chart, Qt::Key_Plus);
        QVERIFY(chart->yRange().second > chart->yRange().first);
    }

    // The runs list: Space ticks (also while a run goes, when Space is Pause elsewhere), F2 renames, Enter shows,
    // Delete removes and Ctrl+Z brings it back.
    void runsListKeys()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        reglab::ui::RunModel *runs = d.window->runs();
        RunList *list = d.window->runList();
        const int a = runs->addRun(guitest::finishedRun(0.001), QStringLiteral("a"), false);
        runs->addRun(guitest::finishedRun(0.01), QStringLiteral("b"), false);
        d.window->runsDock()->raise();
        list->setCurrentId(a);
        QTreeView *view = list->view();
        view->setFocus(Qt::TabFocusReason);
        QTest::keyClick(view, Qt::Key_Space);
        QVERIFY(runs->isShown(a));
        QTest::keyClick(view, Qt::Key_Space);
        QVERIFY(!runs->isShown(a));
        QTest::keyClick(view, Qt::Key_Return);
        QVERIFY(runs->isShown(a));
        // Space is Pause while a run goes, but not in the list.
        d.controls()->setRunState(reglab::ui::ControlPanel::RunState::Running);
        QVERIFY(d.controls()->pauseAction()->isEnabled());
        QSignalSpy paused(d.controls()->pauseAction(), &QAction::triggered);
        QTest::keyClick(view, Qt::Key_Space);
        QVERIFY(!runs->isShown(a));
        QCOMPARE(paused.count(), 0);
        d.controls()->setRunState(reglab::ui::ControlPanel::RunState::Idle);
        // F2: the name's editor; typed and confirmed, the run has its new name.
        QTest::keyClick(view, Qt::Key_F2);
        auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("renamed run"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(runs->name(a), QStringLiteral("renamed run")); // the view commits it queued
        QVERIFY(!runs->isShown(a)); // Return in the editor is the editor's
        // Delete removes it, Ctrl+Z brings it back (under its name, ticked as it was).
        const int before = runs->count();
        view->setFocus(Qt::TabFocusReason);
        list->setCurrentId(a);
        QTest::keyClick(view, Qt::Key_Delete);
        QCOMPARE(runs->count(), before - 1);
        QVERIFY(!runs->contains(a));
        QVERIFY(list->canUndoRemove());
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(runs->count(), before);
        QCOMPARE(runs->name(list->currentId()), QStringLiteral("renamed run"));
        // Its menu by keyboard (the Menu key, Shift+F10): the list's actions, as the right button shows them.
        QCOMPARE(view->contextMenuPolicy(), Qt::ActionsContextMenu);
        for (const auto &[key, mods] : {std::pair{Qt::Key_Menu, Qt::KeyboardModifiers()},
                                        std::pair{Qt::Key_F10, Qt::KeyboardModifiers(Qt::ShiftModifier)}}) {
            QTest::keyClick(view, key, mods);
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            QVERIFY(menu);
            QVERIFY(menu->actions().contains(list->renameAction()));
            QVERIFY(menu->actions().contains(list->removeAction()));
            menu->close();
        }
    }

    // The value cursor on a chart with nothing to read says so, rather than doing nothing.
    void valueCursorOnAnEmptyChartSaysSo()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        ChartBase *chart = d.window->liveView()->lossChart();
        chart->setFocus(Qt::MouseFocusReason);
        QTest::keyClick(chart, Qt::Key_Right, Qt::ControlModifier);
        QVERIFY(chart->hoverText().isEmpty());
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QStringLiteral("no data yet")), qPrintable(QToolTip::text()));
        QToolTip::hideText();
        // Panned away from its points: how to get back to them.
        chartWithData(d);
        for (int i = 0; i < 20; ++i)
            QTest::keyClick(chart, Qt::Key_Right);
        QTest::keyClick(chart, Qt::Key_Right, Qt::ControlModifier);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QStringLiteral("Home")), qPrintable(QToolTip::text()));
        QToolTip::hideText();
    }

    // Delete on the run that trains (which cannot be removed) says so, rather than nothing.
    void deleteOnTheTrainingRunSays()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        reglab::RunRecord record = guitest::finishedRun(0.001);
        record.status = reglab::RunStatus::Running;
        const int id = d.window->runs()->addRun(record, QStringLiteral("live"), true);
        d.window->runs()->setLive(id);
        RunList *list = d.window->runList();
        d.window->runsDock()->raise();
        list->setCurrentId(id);
        list->view()->setFocus(Qt::TabFocusReason);
        QSignalSpy message(list, &RunList::message);
        QTest::keyClick(list->view(), Qt::Key_Delete);
        QVERIFY(d.window->runs()->contains(id));
        QCOMPARE(message.count(), 1);
        QVERIFY2(message.first().first().toString().contains(QStringLiteral("stop it")),
                 qPrintable(message.first().first().toString()));
    }

    // Tab goes through the control panel as it is laid out: down the panel, left to right within a row.
    void controlPanelTabOrder()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        reglab::ui::ControlPanel *panel = d.controls();
        // Its first widget, by F6.
        for (int i = 0; i < 10 && !panel->isAncestorOf(QApplication::focusWidget()); ++i)
            QTest::keyClick(d.window.get(), Qt::Key_F6);
        QVERIFY(panel->isAncestorOf(QApplication::focusWidget()));
        QStringList path;
        QPoint previous(-1, -1);
        int steps = 0;
        for (QWidget *w = QApplication::focusWidget(); w && panel->isAncestorOf(w) && steps < 200; ++steps) {
            const QPoint at = w->mapTo(panel, QPoint(0, w->height() / 2));
            path << QStringLiteral("%1 %2,%3").arg(QString::fromLatin1(w->metaObject()->className())).arg(at.x()).arg(
                        at.y());
            // Below the one before, or in its row and to the right of it.
            const bool sameRow = std::abs(at.y() - previous.y()) <= w->height() / 2 + 2;
            QVERIFY2(at.y() > previous.y() || (sameRow && at.x() > previous.x()), qPrintable(path.join(u'\n')));
            previous = at;
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            w = QApplication::focusWidget();
        }
        QVERIFY2(steps >= 8, qPrintable(path.join(u'\n'))); // the panel's many controls, not one or two
    }

    // Help's list names the key of every action in the window and the keys of charts, the runs list, sliders.
    void helpListsEveryKey()
    {
        Dashboard d;
        const QString all = d.window->helpMenu()->shortcutLines().join(u'\n');
        for (const QAction *a : d.window->findChildren<QAction *>())
            for (const QKeySequence &k : a->shortcuts())
                if (!k.isEmpty() && !a->text().isEmpty())
                    QVERIFY2(all.contains(k.toString(QKeySequence::NativeText)),
                             qPrintable(a->text() + QStringLiteral(": ") + k.toString()));
        for (const QString &line : ChartBase::keyHelp() + RunList::keyHelp() + reglab::ui::LogSlider::keyHelp())
            QVERIFY2(all.contains(line), qPrintable(line));
        for (const char *key : {"F6", "Shift+F6", "Ctrl+Tab", "Ctrl+Shift+Tab", "F2", "Del", "Ctrl+Z"})
            QVERIFY2(all.contains(QLatin1String(key)), key);
    }

    // No two actions (or buttons) in the window share a key where both could fire: Qt would run neither.
    void noTwoActionsShareAKey()
    {
        Dashboard d;
        QHash<QString, QStringList> owners;
        const auto note = [&owners](const QKeySequence &k, const QString &who) {
            if (!k.isEmpty() && !owners[k.toString()].contains(who))
                owners[k.toString()] << who;
        };
        for (const QAction *a : d.window->findChildren<QAction *>())
            for (const QKeySequence &k : a->shortcuts())
                note(k, QStringLiteral("action %1 (%2)").arg(a->text()).arg(quintptr(a)));
        for (const QAbstractButton *b : d.window->findChildren<QAbstractButton *>())
            if (!b->shortcut().isEmpty() && !b->text().contains(u'&')) // a mnemonic is the button's own
                note(b->shortcut(), QStringLiteral("button %1").arg(b->text()));
        QStringList shared;
        for (auto it = owners.cbegin(); it != owners.cend(); ++it)
            if (it.value().size() > 1)
                shared << it.key() + QStringLiteral(": ") + it.value().join(QStringLiteral(", "));
        QVERIFY2(shared.isEmpty(), qPrintable(shared.join(u'\n')));
        QVERIFY(owners.size() >= 15); // the check saw the window's keys
    }

    // Alt+letter goes one way: in the menu bar, in each menu and in the sweep dialog no two mnemonics clash.
    void mnemonicsDoNotClash()
    {
        Dashboard d;
        QStringList titles, problems;
        QList<QMenu *> menus;
        for (QAction *a : d.window->menuBar()->actions()) {
            titles << a->text();
            if (a->menu())
                collectMenus(a->menu(), menus);
        }
        problems << clashes(titles);
        int withMnemonic = 0;
        for (QMenu *menu : menus) {
            QStringList texts;
            for (QAction *a : menu->actions())
                if (a->isVisible() && !a->isSeparator())
                    texts << a->text();
            withMnemonic += int(texts.size() - std::count_if(texts.begin(), texts.end(), [](const QString &t) {
                                    return QKeySequence::mnemonic(t).isEmpty();
                                }));
            for (const QString &clash : clashes(texts))
                problems << menu->title() + QStringLiteral(" > ") + clash;
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QVERIFY(withMnemonic >= 15); // File, View, Help have theirs

        // The sweep dialog: labels (each with a buddy to go to), buttons, group boxes and tabs.
        RunList list(d.window->runs());
        reglab::ui::SweepDialog dialog(new reglab::app::SweepRunner, &list);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QStringList texts;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            if (label->isVisible() && !QKeySequence::mnemonic(label->text()).isEmpty()) {
                texts << label->text();
                QVERIFY2(label->buddy(), qPrintable(label->text()));
            }
        for (const QAbstractButton *b : dialog.findChildren<QAbstractButton *>())
            if (b->isVisible())
                texts << b->text();
        for (const QGroupBox *g : dialog.findChildren<QGroupBox *>())
            if (g->isCheckable())
                texts << g->title();
        for (int i = 0; i < dialog.tabs()->count(); ++i)
            texts << dialog.tabs()->tabText(i);
        QVERIFY2(clashes(texts).isEmpty(), qPrintable(clashes(texts).join(u'\n')));
        // Enter runs the sweep (the default button), Escape closes the dialog.
        const QList<QPushButton *> defaults = [&] {
            QList<QPushButton *> out;
            for (QPushButton *b : dialog.findChildren<QPushButton *>())
                if (b->isDefault())
                    out << b;
            return out;
        }();
        QCOMPARE(defaults.size(), 1);
        QVERIFY(defaults.first()->text().contains(QStringLiteral("Run")));
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QVERIFY(!dialog.isVisible());
    }

    // A chart with the keyboard's focus shows a frame in the theme's highlight, in the light and the dark theme;
    // a figure of it does not.
    void focusFrameInBothThemes()
    {
        Dashboard d;
        QVERIFY(activate(d.window.get()));
        ChartBase *chart = chartWithData(d);
        for (reglab::ui::Theme theme : {reglab::ui::Theme::Light, reglab::ui::Theme::Dark}) {
            d.window->viewMenu()->setTheme(theme);
            d.window->liveView()->accuracyChart()->setFocus(Qt::MouseFocusReason);
            const QImage reference = chart->grab().toImage();
            // By keyboard (F6 gives the focus so): a click's focus shows no frame until the keyboard was used in the
            // window, as on a button.
            chart->setFocus(Qt::MouseFocusReason);
            if (!d.window->testAttribute(Qt::WA_KeyboardFocusChange))
                QCOMPARE(differingPixels(chart->grab().toImage(), reference), 0);
            d.window->liveView()->accuracyChart()->setFocus(Qt::MouseFocusReason);
            chart->setFocus(Qt::ShortcutFocusReason);
            QVERIFY(chart->hasFocus());
            const QImage focused = chart->grab().toImage();
            d.window->liveView()->accuracyChart()->setFocus(Qt::TabFocusReason);
            QVERIFY(!chart->hasFocus());
            const QImage unfocused = chart->grab().toImage();
            QCOMPARE(focused.size(), unfocused.size());
            QCOMPARE(differingPixels(reference, unfocused), 0);
            // The frame: about the chart's perimeter, 3 px wide, and nothing else.
            const int perimeter = 2 * (focused.width() + focused.height());
            const int differ = differingPixels(focused, unfocused);
            QVERIFY2(differ >= 2 * perimeter && differ <= 4 * perimeter,
                     qPrintable(QStringLiteral("%1 pixels differ, perimeter %2").arg(differ).arg(perimeter)));
            // In the highlight, which stands out on the chart's background (WCAG contrast at least 3:1).
            const QPoint edge = chart->viewport()->mapTo(chart, QPoint(1, chart->viewport()->height() / 2)) *
                                focused.devicePixelRatio();
            const QColor frame = focused.pixelColor(edge);
            QCOMPARE(frame, chart->palette().color(QPalette::Highlight));
            const auto luminance = [](const QColor &c) {
                const auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
            };
            const double a = luminance(frame), b = luminance(reglab::ui::chartColors().background);
            const double contrast = (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
            QVERIFY2(contrast >= 3, qPrintable(QStringLiteral("contrast %1").arg(contrast)));
            // A figure (copy, PNG) shows the chart alone.
            chart->setFocus(Qt::ShortcutFocusReason);
            QVERIFY(chart->hasFocus());
            QVERIFY(differingPixels(chart->grab().toImage(), unfocused) > 0);
            const ChartBase::NoFocusFrame noFrame;
            QCOMPARE(differingPixels(chart->grab().toImage(), unfocused), 0);
        }
        d.window->viewMenu()->setTheme(reglab::ui::Theme::System);
    }

private:
    guitest::TestFolder m_dir;
};

QTEST_MAIN(TestKeyboard)
#include "test_gui_keyboard.moc"
