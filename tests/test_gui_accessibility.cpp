// What a screen reader reads: the window's QAccessible tree, walked through every dock, tab and dialog, has a
// name for every widget the Tab key can reach; settings say what they set and allow; the charts describe their
// data and follow it; the runs list and the digits read as words; banners and status messages are announced.
#include "guitest.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/losschart.h"
#include "ui/controls/downloaddialog.h"
#include "ui/controls/logslider.h"
#include "ui/figures/exportmenu.h"
#include "ui/live/digitpanel.h"
#include "ui/network/gradientchart.h"
#include "ui/network/networkpanel.h"
#include "ui/network/tilezoom.h"
#include "ui/window/helpmenu.h"
#include "ui/window/statusline.h"

#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDockWidget>
#include <QLabel>
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

    // Reached by the Tab key, on screen and enabled. A widget with a focus proxy hands the focus on (a spin
    // box's line edit to the box): the proxy is read. A tab bar reads as its current tab; the main window keeps an
    // empty one of no tabs when docks move. (tests/atspi_check.py checks AT-SPI's wider "focusable" too.)
    static bool focusable(const QWidget *w)
    {
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

QString nameOf(QObject *object)
{
    return QAccessible::queryAccessibleInterface(object)->text(QAccessible::Name);
}

QString descriptionOf(QObject *object)
{
    return QAccessible::queryAccessibleInterface(object)->text(QAccessible::Description);
}

// The live run's start and its first epoch, as the trainer sends them (validation 91.2 %, test 90.8 %).
void feedOneEpoch(reglab::ui::MainWindow &window)
{
    reglab::RunInfo info;
    info.device = "cpu";
    info.dataName = "synthetic";
    info.stepsPerEpoch = 10;
    info.totalSteps = 10;
    window.onEvent(info);
    reglab::StepRecord step;
    step.step = 10;
    step.epoch = 1;
    step.dataLoss = step.loss = 0.412;
    window.onEvent(step);
    reglab::EpochRecord epoch;
    epoch.epoch = 1;
    epoch.step = 10;
    epoch.valAccuracy = 0.912;
    epoch.testAccuracy = 0.908;
    window.onEvent(epoch);
    window.flushCharts();
    window.flushCharts();
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

        // The dialogs: the sweep (not modal), a weight tile's zoom, the download, the lessons, the shortcuts, the
        // animation export, a figure export and About.
        QAction *sweep = actionNamed(window, QStringLiteral("New sweep"));
        QVERIFY(sweep);
        sweep->trigger();
        QTest::qWait(50);
        for (QDialog *dialog : window->findChildren<QDialog *>())
            if (dialog->isVisible()) {
                walk.visit(dialog);
                dialog->close();
            }
        {
            reglab::ui::TileZoom zoom(window); // a weight tile enlarged
            zoom.show(QStringLiteral("fc1 unit 3"), std::vector<float>(784, 0.01f), 0.1);
            QTest::qWait(20);
            walk.seen.clear();
            walk.visit(&zoom);
            reglab::ui::DownloadDialog download(m_dir.path(), {}, {}, window); // shown, not started
            download.show();
            QTest::qWait(20);
            walk.visit(&download);
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

    // A chart reads as a chart named by its title, described by what it plots and each shown series' newest value,
    // live and in a comparison.
    void chartsDescribeTheirData()
    {
        guitest::Dashboard d;
        reglab::ui::AccuracyChart *accuracy = d.window->liveView()->accuracyChart();
        reglab::ui::LossChart *loss = d.window->liveView()->lossChart();
        QCOMPARE(QAccessible::queryAccessibleInterface(accuracy)->role(), QAccessible::Chart);
        QCOMPARE(nameOf(accuracy), QStringLiteral("Accuracy after each epoch"));
        QCOMPARE(descriptionOf(accuracy), QStringLiteral("Accuracy (%) by epoch: no data yet."));
        feedOneEpoch(*d.window);
        QCOMPARE(descriptionOf(accuracy),
                 QStringLiteral("Accuracy (%) by epoch: Validation 91.2 % at epoch 1; Test 90.8 % at epoch 1."));
        QVERIFY2(descriptionOf(loss).contains(QStringLiteral("Data loss (cross-entropy) 0.412 nats at step 10")),
                 qPrintable(descriptionOf(loss)));
        QVERIFY2(!descriptionOf(loss).contains(QStringLiteral("\u03bb")),
                 qPrintable(descriptionOf(loss))); // no formula

        // Two finished runs compared: each by its name, in the metric the comparison plots.
        d.window->runs()->setLive(-1);
        d.window->runs()->addRun(guitest::finishedRun(0), QStringLiteral("No regularization"), true);
        d.window->runs()->addRun(guitest::finishedRun(0.01), QStringLiteral("L1 0.01"), true);
        d.window->flushCharts();
        const QString compared = descriptionOf(accuracy);
        QVERIFY2(compared.contains(QStringLiteral("No regularization 75 % at epoch 3")) &&
                     compared.contains(QStringLiteral("L1 0.01 75 % at epoch 3")),
                 qPrintable(compared));
        // A network chart too (no title drawn: named by what it shows).
        auto *gradients = d.window->networkPanel()->gradients()->chartView();
        QCOMPARE(nameOf(gradients), QStringLiteral("Gradient sizes"));
    }

    // A diverged run's loss (1e30, then infinity) reads as a number: past a whole number's reach it was read as
    // "-9223372036854775808".
    void aDivergedRunReadsAsItsSize()
    {
        guitest::Dashboard d;
        reglab::RunRecord run = guitest::finishedRun(0.001, 3, 5);
        for (reglab::StepRecord &step : run.steps)
            step.loss = step.dataLoss = 1e30;
        d.window->runs()->addRun(run, QStringLiteral("diverged"), true);
        d.window->flushCharts();
        const QString text = descriptionOf(d.window->liveView()->lossChart());
        QVERIFY2(text.contains(QStringLiteral("diverged 1e+30")) && !text.contains(QStringLiteral("-9223")),
                 qPrintable(text));
    }

    // A banner is an alert named by its message (a reader announces an alert as it shows: tests/atspi_check.py
    // hears it over AT-SPI); the status bar's name is its message.
    void bannersAndMessagesReadAsTheirText()
    {
        guitest::Dashboard d;
        d.window->showBanner(QStringLiteral("Training <b>diverged</b> at step 12"));
        reglab::ui::Banner *banner = d.window->liveView()->banner();
        QCOMPARE(QAccessible::queryAccessibleInterface(banner)->role(), QAccessible::AlertMessage);
        QCOMPARE(nameOf(banner), QStringLiteral("Training diverged at step 12"));
        d.window->showStatus(QStringLiteral("Saved runs.json"));
        QCOMPARE(nameOf(d.window->statusLine()), QStringLiteral("Saved runs.json"));
        d.window->statusLine()->clearMessage();
        QCOMPARE(nameOf(d.window->statusLine()), QStringLiteral("Status"));
    }

    // The runs list reads each run's name, status and accuracies; each digit its true and predicted class.
    void runsAndDigitsReadAsWords()
    {
        reglab::ui::RunModel runs;
        const int id = runs.addRun(guitest::finishedRun(0.01), QStringLiteral("L1 0.01"), true);
        const int row = runs.rowOf(id);
        QCOMPARE(runs.index(row, reglab::ui::RunModel::TestColumn).data(Qt::AccessibleTextRole).toString(),
                 QStringLiteral("test 75.00 %"));
        QCOMPARE(runs.index(row, reglab::ui::RunModel::NameColumn).data(Qt::AccessibleDescriptionRole).toString(),
                 QStringLiteral("L1 0.01: finished after 3 epochs, validation accuracy 80.00 %, test accuracy 75.00 %, "
                                "shown on the charts"));
        QCOMPARE(runs.headerData(reglab::ui::RunModel::ValColumn, Qt::Horizontal, Qt::AccessibleTextRole).toString(),
                 QStringLiteral("Validation accuracy"));

        reglab::ui::DigitPanel panel;
        std::vector<std::array<std::uint8_t, 784>> pixels(2);
        panel.setDigits(pixels, {7, 4}, {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
        const QList<reglab::ui::DigitTile *> tiles = panel.findChildren<reglab::ui::DigitTile *>();
        QCOMPARE(tiles.size(), 2);
        QCOMPARE(nameOf(tiles[0]), QStringLiteral("True 7, no prediction yet"));
        reglab::Predictions p;
        p.epoch = 1;
        p.digits.resize(2);
        p.digits[0].label = 7;
        p.digits[0].predicted = 7;
        p.digits[0].probabilities[7] = 0.982f;
        p.digits[1].label = 4;
        p.digits[1].predicted = 9;
        p.digits[1].probabilities[9] = 0.61f;
        panel.setPredictions(p);
        QCOMPARE(nameOf(tiles[0]), QStringLiteral("True 7, predicted 7 with 98.2 %, right"));
        QCOMPARE(nameOf(tiles[1]), QStringLiteral("True 4, predicted 9 with 61.0 %, wrong"));
    }

    // The strength slider and its box read as one setting, with its range, and the slider says the strength.
    void aStrengthReadsAsOneSetting()
    {
        guitest::Dashboard d;
        auto *l1 = qobject_cast<reglab::ui::LogSlider *>(d.controls()->control("l1")->widget());
        QVERIFY(l1);
        l1->setValue(0.01);
        for (QWidget *part : {static_cast<QWidget *>(l1->slider()), static_cast<QWidget *>(l1->spinBox())}) {
            QCOMPARE(nameOf(part), QStringLiteral("L1 strength"));
            QVERIFY2(descriptionOf(part).contains(QStringLiteral("from 1e-05 to 1, or off")),
                     qPrintable(descriptionOf(part)));
        }
        QAccessibleInterface *slider = QAccessible::queryAccessibleInterface(l1->slider());
        QCOMPARE(slider->valueInterface()->currentValue().toDouble(), 0.01);
        QCOMPARE(slider->text(QAccessible::Value), QStringLiteral("0.01"));
        // The label beside it is its buddy.
        bool buddied = false;
        for (QLabel *label : d.window->findChildren<QLabel *>())
            buddied = buddied || label->buddy() == l1;
        QVERIFY(buddied);
        // A choice reads its words, not its keys, and is labelled by its label (on Linux a combo's name is its value:
        // the label comes as a relation, which Qt finds among the control's siblings only).
        QWidget *methodBox = d.controls()->control("l1_method")->widget();
        const QString method = descriptionOf(methodBox);
        QVERIFY2(method.contains(QStringLiteral("Subgradient (in the loss)")), qPrintable(method));
        const auto labels = QAccessible::queryAccessibleInterface(methodBox)->relations(QAccessible::Label);
        QVERIFY(!labels.isEmpty());
        QCOMPARE(labels.first().first->text(QAccessible::Name), QStringLiteral("L1 acts as"));
    }

private:
    guitest::TestFolder m_dir;
};

QTEST_MAIN(AccessibilityTest)
#include "test_gui_accessibility.moc"
