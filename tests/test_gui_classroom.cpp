// What a teacher does in front of a class: Space over a number box, a slow pace to talk over, the collapse
// explained and a fresh start offered, Reset to clean charts, the shortcuts at hand, a dark room, two runs'
// weights side by side on one scale, a tile enlarged, and no run ever lost.
#include "guitest.h"

#include "model/runfiles.h"
#include "ui/charts/accuracychart.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/losschart.h"
#include "ui/charts/palette.h"
#include "ui/controls/logslider.h"
#include "ui/live/banner.h"
#include "ui/network/networkpanel.h"
#include "ui/network/tilezoom.h"
#include "ui/network/weightsview.h"
#include "ui/network/weighttiles.h"
#include "ui/window/helpmenu.h"
#include "ui/window/statusline.h"
#include "ui/window/viewmenu.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <vector>

using guitest::Dashboard;
using guitest::Spy;

class TestClassroom : public QObject {
    Q_OBJECT
    guitest::TestFolder m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.enter(true)); // runs kept by windows that persist go to this test's folder
    }

    // Space pauses and resumes with the learning-rate box focused, and the box keeps its value.
    void spacePausesOverANumberBox()
    {
        Dashboard d;
        Spy<reglab::StepRecord> steps(d.controller.get());
        d.controls()->widget<QSpinBox>("epochs")->setValue(1000);
        d.controls()->startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 60000);
        QDoubleSpinBox *lr = d.controls()->widget<QDoubleSpinBox>("learning_rate");
        d.window->activateWindow();
        lr->setFocus();
        QTRY_VERIFY(lr->hasFocus());
        const QString before = lr->text();
        QTest::keyClick(lr, Qt::Key_Space);
        QTRY_VERIFY(d.controller->isPaused());
        QCOMPARE(lr->text(), before);
        QCOMPARE(d.controls()->runState(), reglab::ui::ControlPanel::RunState::Paused);
        // The same in the L1 box (it shows "off": a space must not wipe it).
        d.controls()->widget<reglab::ui::LogSlider>("l1")->spinBox()->setFocus();
        QTest::keyClick(d.controls()->widget<reglab::ui::LogSlider>("l1")->spinBox(), Qt::Key_Space);
        QTRY_VERIFY(!d.controller->isPaused());
        QCOMPARE(d.controls()->widget<reglab::ui::LogSlider>("l1")->spinBox()->text(), QStringLiteral("off"));
        QCOMPARE(d.controls()->widget<reglab::ui::LogSlider>("l1")->value(), 0.0);
        d.controller->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
        // After Stop: no time left to wait for.
        QVERIFY(d.window->statusLine()->etaLabel()->text().isEmpty());
    }

    // A pace of 20 steps a second holds a run to it, and lifting it lets the run go at full speed.
    void paceHoldsTheRun()
    {
        Dashboard d;
        Spy<reglab::StepRecord> steps(d.controller.get());
        d.controls()->paceBox()->setValue(20);
        d.controls()->widget<QSpinBox>("epochs")->setValue(1000);
        d.controls()->startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(steps.count() >= 8, 60000); // a record every 10 steps: 4 s
        // The trainer's own clock: each step record's samples a second since the last one (batch 50), so a window
        // that was busy and got the records late does not change the figure.
        std::vector<double> rates;
        for (int i = 2; i < steps.count(); ++i)
            rates.push_back(steps.at(i).samplesPerSecond / 50.0);
        std::sort(rates.begin(), rates.end());
        const double rate = rates[rates.size() / 2];
        QVERIFY2(rate <= 21 && rate >= 10, qPrintable(QString::number(rate)));
        d.controls()->paceBox()->setValue(0); // full speed, mid-run
        const std::int64_t at = steps.last().step;
        QTRY_VERIFY_WITH_TIMEOUT(steps.last().step > at + 200, 60000);
        d.controller->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
    }

    // L1 0.01 collapses the network; the window says so, says again that a smaller L1 will not bring it back,
    // and its link starts afresh with the slider's new value, which learns.
    void collapseIsExplainedAndAFreshStartOffered()
    {
        Dashboard d;
        Spy<reglab::RunRecord> finished(d.controller.get());
        Spy<reglab::RunInfo> started(d.controller.get());
        d.controls()->widget<reglab::ui::LogSlider>("l1")->setValue(0.01);
        d.controls()->widget<QSpinBox>("epochs")->setValue(8);
        d.controls()->startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(d.window->liveView()->collapsed(), 60000);
        reglab::ui::Banner *banner = d.window->liveView()->banner();
        QVERIFY2(banner->text().contains(QStringLiteral("collapsed")), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(QStringLiteral("Lowering L1 cannot bring it back")));
        d.controls()->widget<reglab::ui::LogSlider>("l1")->spinBox()->setValue(0.001); // what a teacher tries next
        QTRY_VERIFY_WITH_TIMEOUT(
            banner->text().contains(QStringLiteral("L1 is now 0.001")) || !d.controller->isRunning(), 10000);
        Q_EMIT banner->linkActivated(QStringLiteral("restart"));
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 2, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        const reglab::RunRecord fresh = finished.last();
        QCOMPARE(fresh.config.l1, 0.001);
        QVERIFY(fresh.epochs.back().testAccuracy > 0.5);
        QVERIFY(!d.window->liveView()->collapsed());
    }

    // Reset gives clean charts: the compared runs are unticked (still listed) and the header starts over.
    void resetClearsOverlaysAndHeader()
    {
        Dashboard d;
        Spy<reglab::RunRecord> finished(d.controller.get());
        d.controls()->widget<QSpinBox>("epochs")->setValue(1);
        d.window->runList()->keepShownBox()->setChecked(true); // the second run compared with the first
        for (int i = 0; i < 2; ++i) {
            d.controls()->startAction()->trigger();
            QVERIFY(finished.wait(30000));
            QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
        }
        QCOMPARE(d.window->liveView()->accuracyChart()->overlayCount(), 1);
        d.controls()->resetAction()->trigger();
        QCOMPARE(d.window->liveView()->accuracyChart()->overlayCount(), 0);
        QCOMPARE(d.window->liveView()->accuracyChart()->pointCount(reglab::ui::AccuracyChart::Test), 0);
        QCOMPARE(d.window->runs()->count(), 2);
        QVERIFY(d.window->runs()->shownIds().isEmpty());
        QVERIFY(d.window->liveView()->headline().startsWith(QStringLiteral("Press Start")));
        QVERIFY(d.controls()->resetAction()->toolTip().contains(QStringLiteral("compared runs")));
    }

    // The divergence banner gives its advice once.
    void divergenceAdvisesOnce()
    {
        Dashboard d;
        Spy<reglab::RunRecord> finished(d.controller.get());
        d.controls()->widget<QDoubleSpinBox>("learning_rate")->setValue(1e5);
        d.controls()->startAction()->trigger();
        QVERIFY(finished.wait(30000));
        const QString text = d.window->liveView()->banner()->text();
        QCOMPARE(text.count(QStringLiteral("ower the learning rate")), 1);
    }

    void helpListsTheShortcuts()
    {
        Dashboard d;
        const QStringList lines = d.window->helpMenu()->shortcutLines();
        const QString all = lines.join(QLatin1Char('\n'));
        for (const char *key : {"Ctrl+Return", "Space", "Esc", "Ctrl+R", "Ctrl+S", "Ctrl+O", "F11", "F9", "F1", "Ctrl+L",
                                "Ctrl+B", "Ctrl+0"})
            QVERIFY2(all.contains(QLatin1String(key)), key);
        QVERIFY(all.contains(QStringLiteral("Presentation mode")));
        // Each key once: Space (pause) is not listed twice (the runs list's Space, which ticks, is another line).
        int space = 0;
        for (const QString &line : lines)
            if (line.contains(QStringLiteral("Pause")))
                space +=
                    line.section(QLatin1Char('\t'), 0, 0).split(QStringLiteral(", ")).count(QStringLiteral("Space"));
        QCOMPARE(space, 1);
        // The lessons: each preset with what it shows.
        const QStringList lessons = d.window->helpMenu()->lessonLines();
        QCOMPARE(lessons.size(), d.window->presetMenu()->files().size());
        QVERIFY(lessons.join(QLatin1Char('\n')).contains(QStringLiteral("forum")));
        for (const QString &line : lessons)
            QVERIFY2(!line.section(QLatin1Char('\t'), 1).trimmed().isEmpty(), qPrintable(line));
    }

    // A dark room: the charts turn dark with light text; the light theme brings them back.
    void darkTheme()
    {
        Dashboard d;
        d.window->viewMenu()->setTheme(reglab::ui::Theme::Dark);
        QVERIFY(reglab::ui::darkThemeActive());
        QChart *chart = d.window->liveView()->lossChart()->chart();
        QVERIFY(chart->backgroundBrush().color().lightness() < 60);
        QVERIFY(chart->titleBrush().color().lightness() > 180);
        QLineSeries *total = nullptr; // by name: the unsmoothed curves come first in the drawing order
        for (QAbstractSeries *s : chart->series())
            if (s->property("reglabLongName").toString() == QStringLiteral("Total"))
                total = qobject_cast<QLineSeries *>(s);
        QVERIFY(total);
        QVERIFY(total->pen().color().lightness() > 180); // the near-black total line turns light
        QVERIFY2(QApplication::palette().color(QPalette::Window).lightness() < 80,
                 qPrintable(QApplication::palette().color(QPalette::Window).name()));
        QTRY_VERIFY(d.window->palette().color(QPalette::Window).lightness() < 80);
        d.window->viewMenu()->setTheme(reglab::ui::Theme::Light);
        QVERIFY(!reglab::ui::darkThemeActive());
        QVERIFY(chart->backgroundBrush().color().lightness() > 240);
    }

    // Two runs' first-layer weights side by side on one fixed scale: the collapsed L1 network's tiles are
    // white (dead), the L2 network's are not; a tile clicked opens enlarged, with that unit's weights.
    void weightsSideBySide()
    {
        Dashboard d;
        Spy<reglab::RunRecord> finished(d.controller.get());
        d.controls()->widget<QSpinBox>("epochs")->setValue(4);
        d.controls()->widget<reglab::ui::LogSlider>("l1")->setValue(0.01);
        d.controls()->startAction()->trigger();
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
        const int l1Run = d.window->runs()->liveId();
        d.controls()->widget<reglab::ui::LogSlider>("l1")->setValue(0);
        d.controls()->widget<reglab::ui::LogSlider>("l2")->setValue(0.01);
        d.controls()->startAction()->trigger();
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);

        d.window->networkDock()->show();
        d.window->networkDock()->raise();
        d.window->networkPanel()->setCurrentIndex(reglab::ui::NetworkPanel::Tiles);
        reglab::ui::WeightsView *view = d.window->networkPanel()->weights();
        QVERIFY(view->compareBox()->findData(l1Run) >= 0);
        view->showRuns(reglab::ui::WeightsView::kLiveRun, l1Run);
        QTest::qWait(50);
        QVERIFY(view->secondTiles()->isVisible());
        QCOMPARE(view->tiles()->scale(), 0.1); // fixed by default
        auto whiteShare = [](const QImage &image) {
            int white = 0, total = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    if (c == reglab::ui::WeightTiles::gapColor())
                        continue;
                    ++total;
                    white += c.lightness() > 235 ? 1 : 0;
                }
            return total ? double(white) / total : 0.0;
        };
        const double dead = whiteShare(view->secondTiles()->image()), alive = whiteShare(view->tiles()->image());
        QVERIFY2(dead > 0.9 && alive < 0.6, qPrintable(QStringLiteral("%1 %2").arg(dead).arg(alive)));
        // Each picture on its own scale stretches the dead network's ~1e-4 weights to full colour.
        view->scaleBox()->setCurrentIndex(view->scaleBox()->findData(0.0));
        QVERIFY(whiteShare(view->secondTiles()->image()) < 0.6);

        // Unit 3's tile clicked: enlarged, its own 784 weights.
        reglab::ui::WeightTiles *tiles = view->tiles();
        QPoint at;
        for (int y = 0; y < tiles->height() && at.isNull(); y += 2)
            for (int x = 0; x < tiles->width() && at.isNull(); x += 2)
                if (tiles->unitAt(QPoint(x, y)) == 3)
                    at = QPoint(x, y);
        QVERIFY(!at.isNull());
        QTest::mouseClick(tiles, Qt::LeftButton, {}, at);
        QTRY_VERIFY(view->zoom()->isVisible());
        QCOMPARE(view->zoom()->weights(), tiles->unitWeights(3));
        QVERIFY(view->zoom()->title().contains(QStringLiteral("unit 3")));
        // Another of the network's views chosen: the enlarged tile goes too, rather than stay over the charts.
        d.window->networkPanel()->setCurrentIndex(reglab::ui::NetworkPanel::Histograms);
        QTRY_VERIFY(!view->zoom()->isVisible());
    }

    // Every run that ends is kept; the next start lists it again (not shown); a rename is saved; Remove
    // deletes it. The user removes runs, never loses them.
    void runsAreKept()
    {
        const QString library = QString::fromStdString(reglab::runLibraryDir());
        QVERIFY(library.startsWith(m_dir.path()));
        QDir(library).removeRecursively();
        {
            Dashboard d(true);
            Spy<reglab::RunRecord> finished(d.controller.get());
            d.controls()->widget<QSpinBox>("epochs")->setValue(1);
            d.controls()->startAction()->trigger();
            QVERIFY(finished.wait(30000));
            QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
            QCOMPARE(QDir(library).entryList({QStringLiteral("*.json")}).size(), 1);
            d.window->runs()->setName(d.window->runs()->ids().first(), QStringLiteral("my first run"));
        }
        Dashboard again(true);
        reglab::ui::RunModel *runs = again.window->runs();
        QCOMPARE(runs->count(), 1);
        const int id = runs->ids().first();
        QCOMPARE(runs->name(id), QStringLiteral("my first run"));
        QVERIFY(!runs->isShown(id));
        QCOMPARE(int(runs->record(id)->epochs.size()), 1);
        const QColor colour = runs->color(id);
        again.window->runList()->remove(id);
        QCOMPARE(runs->count(), 0);
        QVERIFY(QDir(library).entryList({QStringLiteral("*.json")}).isEmpty());
        // Not lost: Undo brings it back, its file, name and colour too.
        QVERIFY(again.window->runList()->canUndoRemove());
        again.window->runList()->undoRemove();
        QCOMPARE(runs->count(), 1);
        QCOMPARE(runs->name(runs->ids().first()), QStringLiteral("my first run"));
        QCOMPARE(runs->color(runs->ids().first()), colour);
        QCOMPARE(QDir(library).entryList({QStringLiteral("*.json")}).size(), 1);
        again.window->runList()->remove(runs->ids().first());
        QVERIFY(QDir(library).entryList({QStringLiteral("*.json")}).isEmpty());
        QCOMPARE(reglab::ui::RunList::suggestedFileName(QStringLiteral("L1 0.01 (all)")),
                 QStringLiteral("L1_0.01__all_.json"));
    }

    // A file nested 100,000 levels deep in the runs library or the user's presets folder once crashed every start
    // (a stack overflow): now the window starts, lists the rest and names both files in one banner.
    void deepFilesAtStartAreSkippedAndNamed()
    {
        const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
        const QString library = QString::fromStdString(reglab::runLibraryDir());
        const QString presets =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/presets");
        QVERIFY(QDir().mkpath(library) && QDir().mkpath(presets));
        for (const QString &path : {library + QStringLiteral("/deep-run.json"), presets + QStringLiteral("/deep.json")}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"x\": " + deep + ", \"format\": \"reglab-preset\", \"name\": \"x\"}");
        }
        {
            Dashboard d(true);
            QVERIFY(d.window->liveView()->banner()->isShown());
            const QString text = d.window->liveView()->banner()->text();
            QVERIFY2(text.contains(QStringLiteral("deep-run.json")) && text.contains(QStringLiteral("deep.json")) &&
                         text.count(QStringLiteral("nests deeper than 256 levels")) == 2,
                     qPrintable(text));
            QVERIFY(!d.window->presetMenu()->files().isEmpty()); // the bundled presets are there
            // --preset takes the name the menu shows, in any case, as well as the file's name.
            const QString forum = d.window->presetMenu()->fileFor(QStringLiteral("The forum thread"));
            QVERIFY2(forum.endsWith(QStringLiteral("forum-thread.json")), qPrintable(forum));
            QCOMPARE(d.window->presetMenu()->fileFor(QStringLiteral("the FORUM thread")), forum);
            QCOMPARE(d.window->presetMenu()->fileFor(QStringLiteral("forum-thread")), forum);
            QVERIFY(d.window->presetMenu()->fileFor(QStringLiteral("deep")).isEmpty()); // left out
        }
        QFile::remove(library + QStringLiteral("/deep-run.json"));
        QFile::remove(presets + QStringLiteral("/deep.json"));
    }
};

QTEST_MAIN(TestClassroom)
#include "test_gui_classroom.moc"
