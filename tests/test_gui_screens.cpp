// The dashboard on the screens a classroom has: a 1024x768 projector, a 1366x768 laptop, a 1080p screen at
// 150 % and 200 %, a 4K screen at 200 %, and 144 DPI. Each runs in a process of its own under Qt's offscreen
// platform configured as that screen: the window opens inside the free area, the charts cover at least half of
// it (at a first start and with five runs compared) with Start, Pause and Stop in view, no axis label, title,
// legend entry, button or box is cut short (before, during and after a run, and for runs of 1 to 1,000
// epochs), two runs compared inside the network show with no text past a chart's edge, and screenshots are saved
// for a person to look at (build/tests/screens/).
#include "guitest.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/losschart.h"
#include "ui/controls/controlpanel.h"
#include "ui/network/histogramview.h"
#include "ui/network/networkpanel.h"
#include "ui/network/sparsitychart.h"
#include "ui/network/weightsview.h"
#include "ui/runs/runmodel.h"
#include "ui/window/screenfit.h"
#include "ui/window/statusline.h"
#include "ui/window/viewmenu.h"

#include "model/runrecord.h"
#include "model/safefile.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QToolButton>
#include <QChart>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QMenuBar>
#include <QProcess>
#include <QScreen>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace {

struct Screen {
    const char *name;
    int width, height, dpi;
    const char *scale; // QT_SCALE_FACTOR
    // The least share of the window the charts cover: half on the screens a class uses; less on the two whose
    // room (948x502 and 841x495 points) is below the smallest projector's.
    double chartShare;
};

const Screen kScreens[] = {
    {"1024x768", 1024, 768, 96, "1", 0.5},        {"1366x768", 1366, 768, 96, "1", 0.5},
    {"1080p-at-150", 1920, 1080, 96, "1.5", 0.5}, {"1080p-at-200", 1920, 1080, 96, "2", 0.4},
    {"4K-at-200", 3840, 2160, 96, "2", 0.5},      {"1280x800-144dpi", 1280, 800, 144, "1", 0.4},
};

QString screenName;
double minimumChartShare = 0.5;

// Every piece of chart text that Qt had to cut short ("…" or "...") in the charts on screen. A legend entry the
// chart shortened itself in the middle, with the whole name on hover, is not cut: it is how a tiny chart keeps its
// legend (tests/test_gui_legends.cpp checks that it fits its room).
QStringList cutTexts(QWidget *window)
{
    QStringList cut;
    guitest::forEachChartText(window, [&](reglab::ui::ChartBase *chart, QGraphicsItem *, const QString &text) {
        const bool shortened = chart->legendFullName(text) != text;
        if (!shortened && (text.contains(QChar(0x2026)) || text.contains(QStringLiteral("..."))))
            cut << QStringLiteral("%1: '%2'").arg(chart->chart()->title(), text);
    });
    return cut;
}

// The part of `w` its parents leave in view, in the window's coordinates (a scroll area's viewport clips what
// is scrolled out of it).
QRect seenRect(const QWidget *w)
{
    const QWidget *window = w->window();
    QRect seen(w->mapTo(window, QPoint(0, 0)), w->size());
    for (const QWidget *p = w->parentWidget(); p && p != window; p = p->parentWidget())
        seen &= QRect(p->mapTo(window, QPoint(0, 0)), p->size());
    return seen & window->rect();
}

// Every button, box and label on screen whose text is wider than the room it has (a combo box's "Training
// los...", a label cut at a scroll area's edge). Only the width counts: a widget scrolled partly out of view
// is not cut short.
QStringList clippedWidgets(QWidget *window)
{
    QStringList clipped;
    for (QWidget *w : window->findChildren<QWidget *>()) {
        if (!w->isVisible() || w->window() != window)
            continue;
        const QRect seen = seenRect(w);
        if (seen.isEmpty())
            continue;
        QString text;
        int needed = 0;
        if (auto *combo = qobject_cast<QComboBox *>(w)) {
            if (combo->isEditable() || combo->currentText().isEmpty())
                continue;
            QComboBox probe; // the same box holding only the text it shows
            probe.setFont(combo->font());
            probe.addItem(combo->currentText());
            probe.setSizeAdjustPolicy(QComboBox::AdjustToContents);
            text = combo->currentText();
            needed = probe.sizeHint().width();
        } else if (auto *check = qobject_cast<QCheckBox *>(w)) {
            text = check->text();
            needed = check->sizeHint().width();
        } else if (auto *button = qobject_cast<QAbstractButton *>(w)) {
            text = button->text().remove(QLatin1Char('&'));
            needed = button->fontMetrics().horizontalAdvance(text) + 4;
        } else if (auto *label = qobject_cast<QLabel *>(w)) {
            if (label->wordWrap() || label->text().isEmpty() || !label->pixmap().isNull())
                continue;
            text = label->text();
            needed = label->minimumSizeHint().width();
        } else {
            continue;
        }
        if (!text.isEmpty() && seen.width() + 1 < needed)
            clipped << QStringLiteral("'%1' %2 of %3 px").arg(text).arg(seen.width()).arg(needed);
    }
    return clipped;
}

// The share of the window the two charts cover.
double chartShare(reglab::ui::MainWindow *window)
{
    double area = 0;
    for (QWidget *chart : {static_cast<QWidget *>(window->liveView()->lossChart()),
                           static_cast<QWidget *>(window->liveView()->accuracyChart())})
        if (chart->isVisible())
            area += double(seenRect(chart).width()) * seenRect(chart).height();
    return area / (double(window->width()) * window->height());
}

// Start, Pause and Stop wholly in view: in the window and not scrolled or covered by a dock.
QStringList hiddenRunButtons(reglab::ui::MainWindow *window)
{
    QStringList hidden;
    reglab::ui::ControlPanel *c = window->controls();
    for (QWidget *button : {static_cast<QWidget *>(c->startButton()), static_cast<QWidget *>(c->pauseButton()),
                            static_cast<QWidget *>(c->stopButton())}) {
        if (!button->isVisible() || seenRect(button) != QRect(button->mapTo(window, QPoint(0, 0)), button->size()))
            hidden << static_cast<QAbstractButton *>(button)->text();
    }
    return hidden;
}

void settle()
{
    for (int i = 0; i < 5; ++i) {
        QApplication::processEvents();
        QTest::qWait(20);
    }
}

} // namespace

class TestScreens : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.enter());
        QDir().mkpath(shots());
    }

    // A first start: the window fits the free area; on a small screen the docks share one column.
    void firstStartFitsTheScreen()
    {
        guitest::Dashboard d(false, false);
        d.window->show();
        settle();
        QVERIFY(d.window->grab().save(shots() + QStringLiteral("/%1-first-start.png").arg(screenName)));
        const QRect available = d.window->screen()->availableGeometry();
        const QRect frame = d.window->frameGeometry();
        if (!available.contains(frame)) { // say what holds the window up
            std::printf("window minimum %dx%d\n", d.window->minimumSizeHint().width(),
                        d.window->minimumSizeHint().height());
            for (QDockWidget *dock : d.window->findChildren<QDockWidget *>())
                std::printf("  %s minimum %dx%d\n", qPrintable(dock->windowTitle()), dock->minimumSizeHint().width(),
                            dock->minimumSizeHint().height());
            std::printf("  centre minimum %dx%d\n", d.window->centralWidget()->minimumSizeHint().width(),
                        d.window->centralWidget()->minimumSizeHint().height());
        }
        QVERIFY2(available.contains(frame), qPrintable(QStringLiteral("%1: frame %2,%3 %4x%5 outside %6x%7")
                                                           .arg(screenName)
                                                           .arg(frame.x())
                                                           .arg(frame.y())
                                                           .arg(frame.width())
                                                           .arg(frame.height())
                                                           .arg(available.width())
                                                           .arg(available.height())));
        QCOMPARE(d.window->compactLayout(),
                 reglab::ui::screenfit::isSmall(QRect(QPoint(0, 0), reglab::ui::screenfit::firstStartSize(available))));
        // The charts get the room: each at least 300 px wide and 150 px high, and wholly in the window.
        for (QWidget *chart : {static_cast<QWidget *>(d.window->liveView()->lossChart()),
                               static_cast<QWidget *>(d.window->liveView()->accuracyChart())}) {
            const QRect r(chart->mapTo(d.window.get(), QPoint(0, 0)), chart->size());
            QVERIFY2(d.window->rect().contains(r), qPrintable(screenName));
            QVERIFY2(
                chart->width() >= 300 && chart->height() >= 150,
                qPrintable(QStringLiteral("%1: chart %2x%3").arg(screenName).arg(chart->width()).arg(chart->height())));
        }
        QVERIFY(d.window->statusBar()->isVisible());
        QVERIFY(d.window->rect().contains(
            QRect(d.window->statusBar()->mapTo(d.window.get(), QPoint(0, 0)), d.window->statusBar()->size())));
        const QStringList cut = cutTexts(d.window.get());
        QVERIFY2(cut.isEmpty(), qPrintable(screenName + QStringLiteral(": ") + cut.join(QStringLiteral("; "))));
    }

    // The charts come first: at a first start and with five runs compared, they cover at least half of the
    // window, Start, Pause and Stop are in view, and no button, box or label is cut short.
    void chartsGetHalfTheWindow()
    {
        guitest::Dashboard d(false, false);
        d.window->show();
        settle();
        const auto check = [&](const QString &when) {
            const double share = chartShare(d.window.get());
            std::printf("%s, %s: the charts cover %.0f %% of the %dx%d window\n", qPrintable(screenName),
                        qPrintable(when), 100 * share, d.window->width(), d.window->height());
            QVERIFY(d.window->grab().save(shots() + QStringLiteral("/%1-charts-%2.png").arg(screenName, when)));
            QVERIFY2(share >= minimumChartShare, qPrintable(QStringLiteral("%1, %2: charts %3 %").arg(screenName, when).arg(100 * share)));
            const QStringList hidden = hiddenRunButtons(d.window.get());
            QVERIFY2(hidden.isEmpty(), qPrintable(screenName + QStringLiteral(", ") + when +
                                                  QStringLiteral(": not in view: ") + hidden.join(QStringLiteral(", "))));
            const QStringList clipped = clippedWidgets(d.window.get());
            QVERIFY2(clipped.isEmpty(), qPrintable(screenName + QStringLiteral(", ") + when +
                                                   QStringLiteral(": cut short: ") + clipped.join(QStringLiteral("; "))));
            const QStringList cut = cutTexts(d.window.get());
            QVERIFY2(cut.isEmpty(), qPrintable(screenName + QStringLiteral(", ") + when + QStringLiteral(": ") +
                                               cut.join(QStringLiteral("; "))));
        };
        check(QStringLiteral("first-start"));
        if (QTest::currentTestFailed())
            return;

        // Five runs opened from files, as a user compares them: the runs list comes to the front.
        QStringList files;
        const double strengths[] = {0, 0.0001, 0.001, 0.01, 0.1};
        for (int i = 0; i < 5; ++i) {
            reglab::RunRecord record = guitest::finishedRun(strengths[i], 4);
            record.config.l2 = i == 0 ? 0.01 : 0;
            files << m_dir.filePath(QStringLiteral("compared-%1.json").arg(i));
            QCOMPARE(reglab::writeFileAtomically(files.last().toStdString(), reglab::toJson(record)), std::string());
        }
        QVERIFY2(d.window->runList()->openFiles(files) == 5, qPrintable(d.window->liveView()->banner()->text()));
        settle();
        QCOMPARE(d.window->runs()->shownIds().size(), 5);
        check(QStringLiteral("five-runs"));
        // A banner floats over the charts: they keep their size.
        const QSize before = d.window->liveView()->lossChart()->size();
        d.window->showBanner(QStringLiteral("<b>The network has collapsed</b> (epoch 3): a long explanation that "
                                            "wraps over two or three lines on a small screen, as the real one does."));
        settle();
        QVERIFY(d.window->liveView()->banner()->isVisible());
        QCOMPARE(d.window->liveView()->lossChart()->size(), before);
        QVERIFY(d.window->grab().save(shots() + QStringLiteral("/%1-charts-banner.png").arg(screenName)));
        d.window->showBanner({});

        // Side panels collapsed (Ctrl+B): the charts fill the window, Start stays; back, the panels return.
        const double withPanels = chartShare(d.window.get());
        d.window->viewMenu()->panelsAction()->trigger();
        settle();
        QVERIFY(!d.window->runsDock()->isVisible());
        QVERIFY2(chartShare(d.window.get()) > withPanels + 0.1,
                 qPrintable(QStringLiteral("%1: %2 -> %3").arg(screenName).arg(withPanels).arg(chartShare(d.window.get()))));
        QVERIFY(hiddenRunButtons(d.window.get()).isEmpty());
        QVERIFY(d.window->grab().save(shots() + QStringLiteral("/%1-charts-collapsed.png").arg(screenName)));
        d.window->viewMenu()->panelsAction()->trigger();
        settle();
        QVERIFY(d.window->runsDock()->isVisible());
    }

    // A short run, then the axes of a long one: still nothing cut short; a screenshot for a person.
    void nothingIsCutShort()
    {
        guitest::Dashboard d(false, false);
        d.window->show();
        settle();
        guitest::Spy<reglab::RunRecord> finished(d.controller.get());
        d.controls()->widget<QSpinBox>("epochs")->setValue(2);
        d.controls()->startAction()->trigger();
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
        d.window->flushCharts();
        settle();
        QStringList cut = cutTexts(d.window.get());
        QVERIFY2(cut.isEmpty(), qPrintable(screenName + QStringLiteral(": ") + cut.join(QStringLiteral("; "))));
        QVERIFY(d.window->grab().save(shots() + QStringLiteral("/%1.png").arg(screenName)));
        // What a run shows (wrapped headline, predictions, network views) never pushes the window off screen.
        const QRect available = d.window->screen()->availableGeometry();
        if (!available.contains(d.window->frameGeometry()))
            for (QDockWidget *dock : d.window->findChildren<QDockWidget *>())
                std::printf("  %s minimum %dx%d\n", qPrintable(dock->windowTitle()), dock->minimumSizeHint().width(),
                            dock->minimumSizeHint().height());
        QVERIFY2(available.contains(d.window->frameGeometry()),
                 qPrintable(QStringLiteral("%1: %2x%3 after a run, minimum %4x%5")
                                .arg(screenName)
                                .arg(d.window->frameGeometry().width())
                                .arg(d.window->frameGeometry().height())
                                .arg(d.window->minimumSizeHint().width())
                                .arg(d.window->minimumSizeHint().height())));

        // Each network view, shown in turn.
        d.window->networkDock()->show();
        d.window->networkDock()->raise();
        for (int v = 0; v < reglab::ui::NetworkPanel::ViewCount; ++v) {
            d.window->networkPanel()->setCurrentIndex(v);
            settle();
            d.window->flushCharts();
            settle();
            cut = cutTexts(d.window.get());
            QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("%1, network view %2: ").arg(screenName).arg(v) +
                                               cut.join(QStringLiteral("; "))));
        }
        QVERIFY(d.window->grab().save(shots() + QStringLiteral("/%1-network.png").arg(screenName)));

        // A 1,000-epoch run's axes.
        for (int epochs : {1, 7, 100, 1000}) {
            d.window->liveView()->accuracyChart()->setEpochs(epochs);
            d.window->liveView()->lossChart()->setTotalSteps(160LL * epochs);
            settle();
            cut = cutTexts(d.window.get());
            QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("%1, %2 epochs: ").arg(screenName).arg(epochs) +
                                               cut.join(QStringLiteral("; "))));
        }
    }

    // A preset's end is said whole in the status bar beside the figures (at 1024x768 its advice was cut: "...
    // tick or untick them in Runs to comp"); the whole advice is the bar's tooltip.
    void aPresetsEndFitsTheStatusBar()
    {
        guitest::Dashboard d(false, false);
        d.window->show();
        settle();
        const QString preset = QStringLiteral("Adam: L2 penalty, weight decay and AdamW"); // the longest bundled
        d.window->onQueueEnded(preset, true, {});
        settle();
        QStatusBar *bar = d.window->statusBar();
        const QString message = bar->currentMessage();
        QVERIFY(message.startsWith(preset));
        QVERIFY2(bar->toolTip().contains(QStringLiteral("tick or untick them in Runs to compare")),
                 qPrintable(bar->toolTip()));
        int room = bar->width(); // the message is drawn left of the figures
        for (QWidget *w : bar->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly))
            if (w->isVisible() && w->x() > 0)
                room = std::min(room, w->x());
        const int needed = bar->fontMetrics().horizontalAdvance(message) + 8;
        QVERIFY2(needed <= room, qPrintable(QStringLiteral("%1: '%2' needs %3 px of %4")
                                                .arg(screenName, message)
                                                .arg(needed)
                                                .arg(room)));
        bar->showMessage(QStringLiteral("another"));
        QVERIFY(bar->toolTip().isEmpty()); // the tooltip goes with its message
    }

    // Presentation mode: full screen, the charts alone in large type, nothing cut short; F9 brings the controls.
    void presentationMode()
    {
        guitest::Dashboard d(false, false);
        d.window->show();
        settle();
        d.window->viewMenu()->presentationAction()->trigger();
        settle();
        QVERIFY(d.window->isFullScreen());
        QVERIFY(!d.window->menuBar()->isVisible());
        QVERIFY(!d.window->networkDock()->isVisible());
        QVERIFY(reglab::ui::ChartBase::presentationScale() >= 1.0); // larger where the screen has room
        const QStringList cut = cutTexts(d.window.get());
        QVERIFY2(cut.isEmpty(),
                 qPrintable(screenName + QStringLiteral(" presenting: ") + cut.join(QStringLiteral("; "))));
        QVERIFY(d.window->grab().save(shots() + QStringLiteral("/%1-presenting.png").arg(screenName)));
        d.window->viewMenu()->controlsAction()->trigger();
        settle();
        QVERIFY(d.controls()->isVisible());
        // Floating over the charts, and wholly on the screen (it came back at (-1009, -1158) on 1024x768).
        auto *controlsDock = d.window->findChild<QDockWidget *>(QStringLiteral("controlsDock"));
        QVERIFY(controlsDock->isFloating());
        const QRect screen = d.window->screen()->availableGeometry();
        QVERIFY2(screen.contains(controlsDock->frameGeometry()),
                 qPrintable(QStringLiteral("%1: controls at %2,%3 %4x%5")
                                .arg(screenName)
                                .arg(controlsDock->frameGeometry().x())
                                .arg(controlsDock->frameGeometry().y())
                                .arg(controlsDock->frameGeometry().width())
                                .arg(controlsDock->frameGeometry().height())));
        QVERIFY(d.window->grab().save(shots() + QStringLiteral("/%1-presenting-controls.png").arg(screenName)));
        // Left off the screen (where a saved layout or another screen put it), hidden, shown again: back on it.
        d.window->viewMenu()->controlsAction()->trigger();
        settle();
        QVERIFY(!controlsDock->isVisible());
        controlsDock->move(-1009, -1158);
        settle();
        d.window->viewMenu()->controlsAction()->trigger();
        settle();
        QVERIFY2(screen.contains(controlsDock->frameGeometry()),
                 qPrintable(QStringLiteral("%1: controls at %2,%3 %4x%5 after a move off the screen")
                                .arg(screenName)
                                .arg(controlsDock->frameGeometry().x())
                                .arg(controlsDock->frameGeometry().y())
                                .arg(controlsDock->frameGeometry().width())
                                .arg(controlsDock->frameGeometry().height())));
        d.window->viewMenu()->presentationAction()->trigger();
        settle();
        QVERIFY(!d.window->isFullScreen());
        QVERIFY(d.window->menuBar()->isVisible());
        QCOMPARE(reglab::ui::ChartBase::presentationScale(), 1.0);
    }

    // Two finished runs compared inside the network: the weight images, the histograms and the sparsity view draw
    // both, in their colours under their legend names, with no text past a chart's edge; a screenshot of each view
    // for a person (build/tests/screens/).
    void networkViewsCompareRuns()
    {
        guitest::Dashboard d(false, false);
        d.window->show();
        settle();
        reglab::ui::RunModel *runs = d.window->runs();
        QList<int> ids;
        for (bool sparse : {true, false}) {
            auto [record, snapshot] = guitest::networkRun(sparse, 10);
            const int id = runs->addRun(record, {}, true);
            runs->setSnapshot(id, snapshot);
            ids << id;
        }
        reglab::ui::NetworkPanel *panel = d.window->networkPanel();
        d.window->networkDock()->show();
        d.window->networkDock()->raise();
        panel->weights()->showRuns(ids[0], ids[1]);
        const char *names[] = {"weights", "histograms", "sparsity"};
        for (int v : {reglab::ui::NetworkPanel::Tiles, reglab::ui::NetworkPanel::Histograms,
                      reglab::ui::NetworkPanel::Sparsity}) {
            panel->setCurrentIndex(v);
            settle();
            d.window->flushCharts();
            settle();
            QVERIFY(d.window->grab().save(
                shots() + QStringLiteral("/%1-network-compared-%2.png").arg(screenName, QLatin1String(names[v]))));
            const QStringList past = guitest::textsPastTheEdge(d.window.get());
            QVERIFY2(past.isEmpty(), qPrintable(screenName + QStringLiteral(", ") + QLatin1String(names[v]) +
                                                QStringLiteral(": ") + past.join(QStringLiteral("; "))));
            const QStringList cut = cutTexts(d.window.get());
            QVERIFY2(cut.isEmpty(), qPrintable(screenName + QStringLiteral(", ") + QLatin1String(names[v]) +
                                               QStringLiteral(": ") + cut.join(QStringLiteral("; "))));
        }
    }

    // reglab --screenshot without --size pictures the window a first start gives on this screen.
    void screenshotTakesTheFirstStartSize()
    {
        const QString png = m_dir.filePath(QStringLiteral("shot.png"));
        QProcess shot;
        shot.setProcessChannelMode(QProcess::MergedChannels);
        shot.start(QStringLiteral(REGLAB_GUI_EXE), {QStringLiteral("--screenshot"), png, QStringLiteral("--epochs"),
                                                    QStringLiteral("1"), QStringLiteral("--reset-settings")});
        QVERIFY(shot.waitForFinished(120000));
        QVERIFY2(shot.exitCode() == 0, shot.readAll().constData());
        const QImage image(png);
        const qreal dpr = QGuiApplication::primaryScreen()->devicePixelRatio();
        const QSize expected =
            reglab::ui::screenfit::firstStartSize(QGuiApplication::primaryScreen()->availableGeometry());
        QCOMPARE(image.size(), expected * dpr);
    }

private:
    static QString shots() { return QStringLiteral(REGLAB_BINARY_DIR_FOR_TESTS "/tests/screens"); }
    guitest::TestFolder m_dir;
};

// One process per screen: the offscreen platform takes its screens from a file when it starts.
int main(int argc, char **argv)
{
    if (argc >= 3 && std::strcmp(argv[1], "--screen") == 0) {
        screenName = QString::fromLatin1(argv[2]);
        for (const Screen &s : kScreens)
            if (screenName == QLatin1String(s.name))
                minimumChartShare = s.chartShare;
        QApplication app(argc, argv);
        TestScreens test;
        QStringList args = QApplication::arguments();
        args.removeAt(1);
        args.removeAt(1);
        return QTest::qExec(&test, args);
    }
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    int passed = 0, failed = 0;
    for (const Screen &s : kScreens) {
        const QString config = dir.filePath(QStringLiteral("%1.json").arg(QLatin1String(s.name)));
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly))
            return 2;
        file.write(QStringLiteral("{\"synchronousWindowSystemEvents\": false, \"windowFrameMargins\": true, "
                                  "\"screens\": [{\"name\": \"%1\", \"x\": 0, \"y\": 0, \"width\": %2, \"height\": %3, "
                                  "\"logicalDpi\": %4, \"logicalBaseDpi\": 96, \"dpr\": 1}]}")
                       .arg(QLatin1String(s.name))
                       .arg(s.width)
                       .arg(s.height)
                       .arg(s.dpi)
                       .toUtf8());
        file.close();
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen:configfile=") + config);
        env.insert(QStringLiteral("QT_SCALE_FACTOR"), QLatin1String(s.scale));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        QStringList args{QStringLiteral("--screen"), QLatin1String(s.name)};
        args << QCoreApplication::arguments().mid(1);
        child.start(QCoreApplication::applicationFilePath(), args);
        const bool ok =
            child.waitForFinished(300000) && child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0;
        std::printf("screen %s: %s\n", s.name, ok ? "passed" : "FAILED");
        (ok ? passed : failed)++;
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

#include "test_gui_screens.moc"
