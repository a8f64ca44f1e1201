// What a screen reader reads: the window's QAccessible tree, walked through every dock, tab and dialog, has a
// name for every widget the Tab key can reach; settings say what they set and allow; the charts describe their
// data and follow it; the runs list and the digits read as words; banners and status messages are announced.
#include "guitest.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/losschart.h"
#include "ui/controls/logslider.h"
#include "ui/figures/exportmenu.h"
#include "ui/live/digitpanel.h"
#include "ui/network/networkpanel.h"
#include "ui/network/tilezoom.h"
#include "ui/window/helpmenu.h"
#include "ui/window/statusline.h"

#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QSet>
#include <QSlider>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTimer>

#include <functional>

using reglab::ui::ChartBase;

namespace {

// Where a widget sits: its class and object name, and its named ancestors' ("QToolButton 'dismiss' in banner <
// LiveView").
QString describeWidget(const QWidget *w)
{
    QString text = QString::fromLatin1(w->metaObject()->className());
    if (!w->objectName().isEmpty())
        text += QStringLiteral(" '%1'").arg(w->objectName());
    if (!w->toolTip().isEmpty())
        text += QStringLiteral(" (tip: %1)").arg(w->toolTip().left(40));
    QStringList path;
    for (const QWidget *p = w->parentWidget(); p && path.size() < 4; p = p->parentWidget())
        path << (p->objectName().isEmpty() ? QString::fromLatin1(p->metaObject()->className()) : p->objectName());
    return text + QStringLiteral(" in ") + path.join(QStringLiteral(" < "));
}

// A walk of accessible trees: every widget the Tab key reaches (visible, enabled, taking focus by Tab) is
// counted, and each without a name noted.
struct Walk {
    int checked = 0;
    QStringList unnamed;
    QSet<const QWidget *> seen;

    static bool focusable(const QWidget *w)
    {
        // A widget with a focus proxy hands the focus on (a spin box's line edit to the box): the proxy is read.
        // A tab bar reads as its current tab; the main window keeps an empty one of no tabs when docks move.
        if (auto *bar = qobject_cast<const QTabBar *>(w); bar && bar->count() == 0)
            return false;
        return (w->focusPolicy() & Qt::TabFocus) && w->isVisible() && w->isEnabled() && !w->focusProxy();
    }
    void visit(QAccessibleInterface *a, int depth = 0)
    {
        if (!a || !a->isValid() || depth > 64)
            return;
        if (auto *w = qobject_cast<QWidget *>(a->object())) {
            // Counted once, when it shows (a hidden tab's widgets are counted on that tab).
            if (focusable(w) && !seen.contains(w)) {
                seen.insert(w);
                ++checked;
                if (a->text(QAccessible::Name).trimmed().isEmpty())
                    unnamed << describeWidget(w);
            }
        } else if (a->role() == QAccessible::Cell || a->role() == QAccessible::ListItem ||
                   a->role() == QAccessible::TreeItem || a->role() == QAccessible::Row) {
            return; // an item view's items are read by their model's roles (checked on their own)
        }
        for (int i = 0; i < a->childCount(); ++i)
            visit(a->child(i), depth + 1);
    }
    // Walks `root`'s tree; a focusable widget in it that the tree does not reach is noted too (a reader never
    // finds it).
    void visit(QWidget *root)
    {
        visit(QAccessible::queryAccessibleInterface(root));
        for (QWidget *w : root->findChildren<QWidget *>())
            if (focusable(w) && !seen.contains(w) && w->window() == root->window())
                unreached.insert(describeWidget(w));
    }
    QSet<QString> unreached;
};

// Opens a modal dialog with `open` and walks it once it shows, then closes it; false when none showed.
bool walkModal(Walk &walk, const std::function<void()> &open)
{
    bool shown = false;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal || !modal->isVisible())
            return;
        poll.stop();
        shown = true;
        QTest::qWait(20);
        walk.seen.clear(); // a dialog on the stack may reuse a gone one's addresses
        walk.visit(modal);
        if (auto *dialog = qobject_cast<QDialog *>(modal))
            dialog->reject();
        else
            modal->close();
    });
    poll.start();
    QTimer::singleShot(5000, &poll, [&poll] { poll.stop(); }); // never waits for ever on a dialog that did not open
    open();
    return shown;
}

QAction *actionNamed(QWidget *window, const QString &text)
{
    for (QAction *a : window->findChildren<QAction *>())
        if (a->text().remove(QLatin1Char('&')).startsWith(text))
            return a;
    return nullptr;
}

} // namespace

class AccessibilityTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.enter(true)); }

    void everyFocusableWidgetHasAName()
    {
        guitest::Dashboard d;
        QMainWindow *window = d.window.get();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        d.window->runs()->addRun(guitest::finishedRun(0.01), {}, true);
        Walk walk;
        // Every dock raised in turn (the runs and the network share a column as tabs), every page of its tab
        // widgets, in three columns and in the compact layout's single one.
        for (bool compact : {false, true}) {
            d.window->setCompactLayout(compact);
            for (QDockWidget *dock : window->findChildren<QDockWidget *>()) {
                dock->show();
                dock->raise();
                QTest::qWait(10);
                walk.visit(window);
                for (QTabWidget *tabs : dock->findChildren<QTabWidget *>())
                    for (int i = 0; i < tabs->count(); ++i) {
                        tabs->setCurrentIndex(i);
                        QTest::qWait(10);
                        walk.visit(window);
                    }
            }
        }
        d.window->setCompactLayout(false);
        const int inWindow = walk.checked;

        // The dialogs: the sweep (not modal), the lessons, the shortcuts, the animation export, a figure export,
        // a weight tile's zoom and About.
        QAction *sweep = actionNamed(window, QStringLiteral("New sweep"));
        QVERIFY(sweep);
        sweep->trigger();
        QTest::qWait(50);
        for (QDialog *dialog : window->findChildren<QDialog *>())
            if (dialog->isVisible()) {
                walk.visit(dialog);
                dialog->close();
            }
        QVERIFY(walkModal(walk, [&] { d.window->helpMenu()->showLessons(); }));
        QVERIFY(walkModal(walk, [&] { d.window->helpMenu()->showShortcuts(); }));
        QVERIFY(walkModal(walk, [&] { actionNamed(d.window->exports(), QStringLiteral("Animation"))->trigger(); }));
        QVERIFY(walkModal(walk, [&] { actionNamed(window, QStringLiteral("About"))->trigger(); }));
        QVERIFY(walkModal(walk, [&] { actionNamed(d.window->exports(), QStringLiteral("Loss chart"))->trigger(); }));
        qInfo("%d focusable widgets in the window, %d in all with the dialogs", inWindow, walk.checked);
        for (const QString &offender : walk.unnamed)
            qWarning("without a name: %s", qPrintable(offender));
        QVERIFY2(walk.unreached.isEmpty(), qPrintable(QStringList(walk.unreached.values()).join(QStringLiteral("; "))));
        QVERIFY2(walk.unnamed.isEmpty(), qPrintable(QStringLiteral("%1 without a name").arg(walk.unnamed.size())));
    }

private:
    guitest::TestFolder m_dir;
};

QTEST_MAIN(AccessibilityTest)
#include "test_gui_accessibility.moc"
