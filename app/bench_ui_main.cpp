// reglab-bench-ui: how responsive the dashboard stays while it trains. A 5 ms timer records the longest gap
// between its ticks (an event-loop stall); the run uses the window's own Start action.
#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "model/blaskernels.h"

#include "ui/charts/losschart.h"
#include "ui/controls/controlpanel.h"
#include "ui/controls/logslider.h"
#include "ui/live/liveview.h"
#include "ui/runs/runlist.h"
#include "ui/runs/runmodel.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QMouseEvent>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

// With --explain: how long each event's handling took (by nesting depth, receiver class and event type), so a
// stall can be traced to what ran during it. Only the handlers' wall time: on a busy machine it includes the
// time the UI thread waited for a core.
class TimingApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool explain = false;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!explain)
            return QApplication::notify(receiver, event);
        QElapsedTimer timer;
        timer.start();
        ++m_depth;
        const int type = int(event->type()); // the event may be gone once handled
        const std::string cls =
            std::string(receiver->metaObject()->className()) +
            (receiver->objectName().isEmpty() ? "" : " '" + receiver->objectName().toStdString() + "'");
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        if (m_depth < 4) {
            const std::string key = std::to_string(m_depth) + " " + cls + " event " + std::to_string(type);
            Stat &s = m_stats[key];
            const qint64 ns = timer.nsecsElapsed();
            if (ns > 10'000'000 && m_long.size() < 200)
                m_long.push_back({key, ns, QDateTime::currentMSecsSinceEpoch()});
            s.max = std::max(s.max, ns);
            s.total += ns;
            ++s.count;
        }
        return result;
    }

    void report() const
    {
        std::printf("handlers over 10 ms, in order (ms since the first):\n");
        for (const auto &l : m_long)
            std::printf("  +%6lld  %-58s %6.1f ms\n", static_cast<long long>(l.at - m_long.front().at), l.key.c_str(),
                        l.ns / 1e6);
        std::vector<std::pair<std::string, Stat>> rows(m_stats.begin(), m_stats.end());
        std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.second.max > b.second.max; });
        std::printf("longest event handlers (depth, receiver class, QEvent type): max, mean, count\n");
        for (std::size_t i = 0; i < std::min<std::size_t>(rows.size(), 25); ++i)
            std::printf("  %-60s %7.1f ms %7.2f ms %7ld\n", rows[i].first.c_str(), rows[i].second.max / 1e6,
                        rows[i].second.total / 1e6 / double(rows[i].second.count), rows[i].second.count);
    }

private:
    struct Stat {
        qint64 max = 0, total = 0;
        long count = 0;
    };
    struct Long {
        std::string key;
        qint64 ns, at; // at: when it ended, ms
    };
    int m_depth = 0;
    std::map<std::string, Stat> m_stats;
    std::vector<Long> m_long;
};

// The process's resident set size now (VmRSS) and at its peak (VmHWM), in MiB; -1 where /proc has none.
struct Memory {
    double rssMiB = -1, peakMiB = -1;
};

Memory readMemory()
{
    Memory m;
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return m;
    for (const QByteArray &line : status.readAll().split('\n')) {
        const auto kib = [&line] { return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0; };
        if (line.startsWith("VmRSS:"))
            m.rssMiB = kib();
        else if (line.startsWith("VmHWM:"))
            m.peakMiB = kib();
    }
    return m;
}

void printMemory(const char *when, double seconds, long steps, long epochs)
{
    const Memory m = readMemory();
    std::printf("memory %-8s t=%6.1f s  steps %7ld  epochs %5ld  RSS %8.1f MiB  peak %8.1f MiB\n", when, seconds, steps,
                epochs, m.rssMiB, m.peakMiB);
    std::fflush(stdout);
}

// A finished run as the window would hold it: 20 epochs of the sample logged every 10 steps.
reglab::RunRecord syntheticRun(int index)
{
    reglab::RunRecord r;
    r.status = reglab::RunStatus::Finished;
    r.config.epochs = 20;
    r.config.l1 = 1e-4 * (index + 1);
    for (int step = 1; step <= 3200 * 10; step += 10) {
        reglab::StepRecord s;
        s.step = step;
        s.epoch = 1 + step / 1600;
        s.dataLoss = 2.3 * std::exp(-step / 4000.0) + 0.1 + 0.05 * std::sin(step * 0.37 + index);
        s.l1Term = r.config.l1 * 900;
        s.loss = s.dataLoss + s.l1Term;
        r.steps.push_back(s);
    }
    for (int e = 1; e <= 20; ++e) {
        reglab::EpochRecord rec;
        rec.epoch = e;
        rec.step = e * 1600;
        rec.valAccuracy = rec.testAccuracy = 0.9 - 0.5 * std::exp(-e / 3.0) - 0.01 * index;
        r.epochs.push_back(rec);
    }
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    reglab::chooseBlasKernels(argc, argv); // first of all: may run the program again with faster matrix kernels
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimingApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures the longest UI event-loop stall during training."));
    parser.addHelpOption();
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("How long to train (default 10)."),
                                     QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption data(QStringLiteral("data"), QStringLiteral("sample (default), fashion or a folder."),
                                  QStringLiteral("spec"), QStringLiteral("sample"));
    const QCommandLineOption l1(QStringLiteral("l1"), QStringLiteral("L1 strength (default 0.001)."),
                                QStringLiteral("value"), QStringLiteral("0.001"));
    const QCommandLineOption reportMemory(
        QStringLiteral("report-memory"),
        QStringLiteral("Print the resident set size (VmRSS, peak VmHWM) when training starts, every "
                       "--memory-every seconds and at the end: it should stay flat once the charts are full."));
    const QCommandLineOption memoryEvery(QStringLiteral("memory-every"),
                                         QStringLiteral("Seconds between memory reports (default 10)."),
                                         QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption overlays(
        QStringLiteral("overlays"),
        QStringLiteral("Compared runs shown under the live one (default 4): each a 20-epoch run of 3,200 loss points."),
        QStringLiteral("n"), QStringLiteral("4"));
    const QCommandLineOption smoothing(QStringLiteral("smoothing"),
                                       QStringLiteral("The loss's smoothing, 0 to 99 hundredths (default 60)."),
                                       QStringLiteral("n"), QStringLiteral("60"));
    const QCommandLineOption noHover(QStringLiteral("no-hover"),
                                     QStringLiteral("Do not move a pointer over the loss chart (by default it "
                                                    "sweeps across it every 40 ms, asking for the hover text)."));
    const QCommandLineOption explain(QStringLiteral("explain"),
                                     QStringLiteral("Time every event's handling and print the longest ones (what "
                                                    "the stalls were spent on)."));
    parser.addOptions({seconds, data, l1, reportMemory, memoryEvery, overlays, smoothing, noHover, explain});
    parser.process(app);
    const bool explainStalls = parser.isSet(explain);
    const double runSeconds = std::max(1.0, parser.value(seconds).toDouble());

    reglab::ui::MainWindow window(false); // never touches the user's settings
    reglab::app::TrainingController controller;
    reglab::app::connectWindow(window, controller);
    window.controls()->setConfig(reglab::ui::ControlPanel::defaultConfig());
    window.controls()->setDataSource(parser.value(data));
    window.controls()->widget<QSpinBox>("epochs")->setValue(100000); // longer than the measurement
    window.controls()->widget<reglab::ui::LogSlider>("l1")->setValue(parser.value(l1).toDouble());
    // Runs compared under the live one: the redraw must cost the same whatever their number and length.
    for (int r = 0; r < std::clamp(parser.value(overlays).toInt(), 0, 64); ++r)
        window.runs()->addRun(syntheticRun(r), QStringLiteral("compared %1").arg(r + 1), true);
    window.runList()->keepShownBox()->setChecked(true); // Start keeps them shown
    window.liveView()->smoothingSlider()->setValue(std::clamp(parser.value(smoothing).toInt(), 0, 99));
    for (QTimer *timer : window.findChildren<QTimer *>(Qt::FindDirectChildrenOnly))
        if (timer->interval() == reglab::ui::MainWindow::kRedrawIntervalMs)
            timer->setObjectName(QStringLiteral("redrawTick")); // named in --explain's table
    window.resize(1600, 900);
    window.show();
    // A person reading values off the loss chart while it trains: the pointer moves across it.
    QTimer hover;
    hover.setObjectName(QStringLiteral("hover"));
    hover.setInterval(40);
    int hoverStep = 0;
    QObject::connect(&hover, &QTimer::timeout, [&] {
        QWidget *target = window.liveView()->lossChart()->viewport();
        const QPointF at(target->width() * (0.1 + 0.8 * ((hoverStep++ % 100) / 100.0)), target->height() * 0.5);
        QMouseEvent move(QEvent::MouseMove, at, target->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(target, &move);
    });
    if (!parser.isSet(noHover))
        hover.start();

    QElapsedTimer clock;
    qint64 last = -1, maxGap = 0, ticks = 0;
    std::vector<qint64> gaps;
    struct Stall {
        qint64 gap, at, sinceEpoch; // ns
    };
    std::vector<Stall> stalls; // with --explain: the longest gaps, and how long after an epoch's end they came
    qint64 lastEpochAt = -1;
    bool measuring = false;
    QTimer tick;
    tick.setObjectName(QStringLiteral("tick"));
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (measuring && last >= 0) {
            const qint64 gap = now - last;
            gaps.push_back(gap);
            if (app.explain && gap > 30'000'000)
                stalls.push_back({gap, now, lastEpochAt < 0 ? -1 : last - lastEpochAt});
            maxGap = std::max(maxGap, gap);
            ++ticks;
        }
        last = now;
    });
    long steps = 0, epochs = 0;
    const bool memory = parser.isSet(reportMemory);
    QElapsedTimer trainClock; // from the first event of the run
    QTimer memoryTimer;
    memoryTimer.setInterval(std::max(100, int(parser.value(memoryEvery).toDouble() * 1000)));
    QObject::connect(&memoryTimer, &QTimer::timeout,
                     [&] { printMemory("running", trainClock.nsecsElapsed() / 1e9, steps, epochs); });
    // Measure from the run's start, so loading the data set is not counted as a stall of training.
    auto started = [&] {
        measuring = true;
        app.explain = explainStalls;
        last = clock.nsecsElapsed();
        if (memory) {
            trainClock.start();
            printMemory("start", 0, steps, epochs);
            memoryTimer.start();
        }
        QTimer::singleShot(int(runSeconds * 1000), [&] {
            measuring = false;
            app.explain = false;
            if (memory) {
                memoryTimer.stop();
                printMemory("end", trainClock.nsecsElapsed() / 1e9, steps, epochs);
            }
            controller.shutdown(2000);
            std::sort(gaps.begin(), gaps.end());
            const double p99 = gaps.empty() ? 0 : gaps[gaps.size() * 99 / 100] / 1e6;
            std::printf("reglab-bench-ui: %.1f s of training on '%s': %ld epochs, %ld step records; BLAS %s\n",
                        runSeconds, qPrintable(parser.value(data)), epochs, steps,
                        reglab::describeBlasKernels(reglab::blasKernels()).c_str());
            const bool ok = maxGap < 40'000'000 && p99 < 25;
            std::printf("UI timer (5 ms): %lld ticks, p99 gap %.1f ms, max gap %.1f ms (target: p99 < 25 ms, max < "
                        "40 ms) %s\n",
                        static_cast<long long>(ticks), p99, maxGap / 1e6, ok ? "OK" : "SLOW");
            if (explainStalls) {
                app.report();
                std::sort(stalls.begin(), stalls.end(), [](const Stall &a, const Stall &b) { return a.gap > b.gap; });
                std::printf("gaps over 30 ms: %zu; the longest, and when they began after an epoch's end:\n",
                            stalls.size());
                for (std::size_t i = 0; i < std::min<std::size_t>(stalls.size(), 10); ++i)
                    std::printf("  %6.1f ms at t=%.2f s, %.1f ms after an epoch ended\n", stalls[i].gap / 1e6,
                                stalls[i].at / 1e9, stalls[i].sinceEpoch / 1e6);
            }
            QApplication::exit(ok ? 0 : 1);
        });
    };
    QObject::connect(&controller, &reglab::app::TrainingController::event, [&](const reglab::TrainEvent &event) {
        std::visit(reglab::Overloaded{[&](const reglab::StepRecord &) { ++steps; },
                                      [&](const reglab::EpochRecord &) {
                                          ++epochs;
                                          lastEpochAt = clock.nsecsElapsed();
                                      },
                                      [&](const reglab::RunInfo &) { started(); },
                                      [&](const reglab::RunRecord &r) {
                                          if (r.status == reglab::RunStatus::Failed) {
                                              std::fprintf(stderr, "reglab-bench-ui: %s\n", r.message.c_str());
                                              QApplication::exit(2);
                                          }
                                      },
                                      [](const auto &) {}},
                   event);
    });
    clock.start();
    tick.start();
    window.controls()->startAction()->trigger();
    return app.exec();
}
