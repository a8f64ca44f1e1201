// The dashboard on the screens a classroom has: a 1024x768 projector, a 1366x768 laptop, a 1080p screen at
// 150 % and 200 %, and 144 DPI. Each runs in a process of its own under Qt's offscreen platform configured as
// that screen: the window opens inside the free area, the docks give way to the charts, no axis label, title
// or legend entry is cut short (before, during and after a run, and for runs of 1 to 1,000 epochs), and a
// screenshot is saved for a person to look at (build/tests/screens/).
#include "guitest.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/losschart.h"
#include "ui/controls/controlpanel.h"
#include "ui/network/histogramview.h"
#include "ui/network/networkpanel.h"
#include "ui/network/sparsitychart.h"
#include "ui/window/screenfit.h"
#include "ui/window/statusline.h"
#include "ui/window/viewmenu.h"

#include <QAction>
#include <QApplication>
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

#include <cstdio>
#include <cstring>

namespace {

struct Screen {
    const char *name;
    int width, height, dpi;
    const char *scale; // QT_SCALE_FACTOR
};

const Screen kScreens[] = {
    {"1024x768", 1024, 768, 96, "1"},         {"1366x768", 1366, 768, 96, "1"},
    {"1080p-at-150", 1920, 1080, 96, "1.5"},  {"1080p-at-200", 1920, 1080, 96, "2"},
    {"1280x800-144dpi", 1280, 800, 144, "1"},
};

QString screenName;

// Every piece of chart text that Qt had to cut short ("…" or "...") in the charts on screen. A legend entry the
// chart shortened itself in the middle, with the whole name on hover, is not cut: it is how a tiny chart keeps its
// legend (tests/test_gui_legends.cpp checks that it fits its room).
QStringList cutTexts(QWidget *window)
{
    QStringList cut;
    for (reglab::ui::ChartBase *chart : window->findChildren<reglab::ui::ChartBase *>()) {
        if (!chart->isVisible() || !chart->scene())
            continue;
        for (QGraphicsItem *item : chart->scene()->items()) {
            if (!item->isVisible())
                continue;
            QString text;
            if (auto *t = dynamic_cast<QGraphicsTextItem *>(item))
                text = t->toPlainText();
            else if (auto *s = dynamic_cast<QGraphicsSimpleTextItem *>(item))
                text = s->text();
            const bool shortened = chart->legendFullName(text) != text;
            if (!shortened && (text.contains(QChar(0x2026)) || text.contains(QStringLiteral("..."))))
                cut << QStringLiteral("%1: '%2'").arg(chart->chart()->title(), text);
        }
    }
    return cut;
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
        QCOMPARE(d.window->compactLayout(), available.width() < 1280 || available.height() < 720);
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
        d.window->viewMenu()->presentationAction()->trigger();
        settle();
        QVERIFY(!d.window->isFullScreen());
        QVERIFY(d.window->menuBar()->isVisible());
        QCOMPARE(reglab::ui::ChartBase::presentationScale(), 1.0);
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
