// The unattended modes: checks the targets before training, lays the window (or the view) out at the size asked,
// starts the run or the preset, takes a video's frames as the run passes their steps, and saves at the end.
#include "app/unattended.h"

#include "app/frameclock.h"
#include "app/trainingcontroller.h"
#include "model/preset.h"
#include "model/runfiles.h"
#include "model/safefile.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/figureexport.h"
#include "ui/charts/losschart.h"
#include "ui/controls/controlpanel.h"
#include "ui/controls/logslider.h"
#include "ui/figures/videoencoder.h"
#include "ui/live/liveview.h"
#include "ui/network/networkpanel.h"
#include "ui/network/weightsview.h"
#include "ui/runs/runlist.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presentation.h"
#include "ui/window/presetmenu.h"
#include "ui/window/screenfit.h"

#include <QAction>
#include <QApplication>
#include <QBackingStore>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>
#include <csignal>
#include <cstdio>

namespace reglab::app {

namespace {

using reglab::ui::MainWindow;
using reglab::ui::VideoEncoder;

constexpr int kMaxFps = 60;
constexpr double kMaxSeconds = 600;

int fail(const QString &message)
{
    std::fprintf(stderr, "reglab: %s\n", qPrintable(message));
    return 2;
}

bool parseSize(const QString &text, QSize &out)
{
    const QStringList parts = text.toLower().split(QLatin1Char('x'));
    if (parts.size() != 2)
        return false;
    bool okW = false, okH = false;
    const int w = parts[0].toInt(&okW), h = parts[1].toInt(&okH);
    if (!okW || !okH || w < 640 || h < 400 || w > 7680 || h > 4320)
        return false;
    out = QSize(w, h);
    return true;
}

// A stop signal during a recording: the video is finished with what it has (polled from the event loop).
volatile std::sig_atomic_t g_stopSignal = 0;

void onStopSignal(int signal)
{
    g_stopSignal = signal;
}

const char *signalName(int signal)
{
    return signal == SIGINT ? "Ctrl-C (SIGINT)" : signal == SIGHUP ? "SIGHUP" : "SIGTERM";
}

// The widget a --view draws, taken out of the window into a window of its own at the size asked, so it is laid
// out there as a figure is (its legend and fonts for that size), not shrunk from the dashboard.
QWidget *viewWidget(MainWindow &window, const QString &view)
{
    reglab::ui::LiveView *live = window.liveView();
    if (view == QLatin1String("loss"))
        return live->lossChart();
    if (view == QLatin1String("accuracy") || view == QLatin1String("gap")) {
        // One run: training, validation and test accuracy with the gap shaded; runs compared: each run's test
        // accuracy, or its generalization gap.
        QComboBox *metric = live->accuracyMetricBox();
        metric->setCurrentIndex(
            metric->findData(view == QLatin1String("gap") ? QStringLiteral("gap") : QStringLiteral("test_accuracy")));
        return live->accuracyChart();
    }
    if (view == QLatin1String("weights")) {
        window.networkPanel()->setCurrentIndex(reglab::ui::NetworkPanel::Tiles);
        return window.networkPanel()->weights()->figure();
    }
    return nullptr;
}

// Sets a flag when the window it watches paints (the repaint manager's request): its pixels changed.
class PaintWatch : public QObject {
public:
    explicit PaintWatch(bool *painted) : m_painted(painted) {}
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::UpdateRequest)
            *m_painted = true;
        return false;
    }

private:
    bool *m_painted;
};

class Unattended {
public:
    Unattended(MainWindow &window, TrainingController &controller, const UnattendedJob &job)
        : m_window(window), m_controller(controller), m_job(job), m_clock(1)
    {
    }

    int run();

private:
    QString check();
    void prepare();
    // The target drawn whole, as a still is: the first and last frames.
    QImage grab();
    // The target's pixels as its own paint left them: the frames in between.
    QImage painted();
    // Records the frames due by the run's progress (the picture taken once however many are due).
    void pump();
    void onEvent(const reglab::TrainEvent &event);
    // The end: the still, or the video's last frame and the file. `delayMs` lets the last events settle.
    void finish(int exitCode, int delayMs = 150);
    void save(int exitCode);

    MainWindow &m_window;
    TrainingController &m_controller;
    const UnattendedJob &m_job;
    QSize m_size;
    QSize m_frameSize; // the target's size in pixels
    QString m_view;           // "" for the whole window
    QWidget *m_target = nullptr; // what is drawn: the window or the view's own window
    bool m_recording = false;
    VideoEncoder::Format m_format = VideoEncoder::Format::Mp4;
    int m_fps = 25;
    double m_seconds = 10;
    VideoEncoder m_encoder;
    FrameClock m_clock;
    std::int64_t m_step = 0;      // the current run's steps done, as its events said
    std::int64_t m_stepsPerEpoch = 0;
    bool m_dirty = true;          // the target painted since the last picture
    PaintWatch m_paints{&m_dirty};
    QImage m_last;
    int m_epochsSeen = 0;
    QElapsedTimer m_clockSinceStart; // the run's time, and the file's (scripts/bench-record)
    bool m_finishing = false;
    int m_status = 0;
    QString m_presetFile; // "" for one run
    int m_presetRuns = 0;
};

QString Unattended::check()
{
    const bool shooting = !m_job.shot.isEmpty();
    m_recording = !m_job.record.isEmpty();
    if (shooting && m_recording)
        return QStringLiteral("give --screenshot or --record, not both (a video's last frame is the still)");
    const QString flag = shooting ? QStringLiteral("--screenshot") : QStringLiteral("--record");
    const QString file = shooting ? m_job.shot : m_job.record;
    // Without --size the picture is what a first start shows on this screen; with it, what a screen that size shows.
    m_size = m_window.size();
    if (!m_job.size.isEmpty() && !parseSize(m_job.size, m_size))
        return QStringLiteral("--size: '%1' is not allowed; give WxH from 640x400 to 7680x4320").arg(m_job.size);
    if (!m_job.view.isEmpty()) {
        if (!viewNames().contains(m_job.view))
            return QStringLiteral("--view: '%1' is not allowed; use %2")
                .arg(m_job.view, viewNames().join(QStringLiteral(", ")));
        if (m_job.view != viewNames().constFirst())
            m_view = m_job.view;
    }
    if (shooting) {
        if (!m_job.fps.isEmpty() || !m_job.seconds.isEmpty())
            return QStringLiteral("--fps and --seconds are for --record (a video); --screenshot saves a still");
        const QString suffix = QFileInfo(file).suffix().toLower();
        if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf") && suffix != QLatin1String("svg"))
            return QStringLiteral("--screenshot: %1: use a .png, .pdf or .svg file name").arg(file);
    } else {
        if (const QString e = VideoEncoder::formatFor(file, m_format); !e.isEmpty())
            return QStringLiteral("--record: %1").arg(e);
        // GIF's delays are in hundredths of a second, and ten frames a second keeps a GIF small.
        m_fps = m_format == VideoEncoder::Format::Gif ? 10 : 25;
        if (!m_job.fps.isEmpty()) {
            bool ok = false;
            m_fps = m_job.fps.toInt(&ok);
            if (!ok || m_fps < 1 || m_fps > kMaxFps)
                return QStringLiteral("--fps: '%1' is not allowed; give a whole number of frames a second from 1 to %2")
                    .arg(m_job.fps)
                    .arg(kMaxFps);
        }
        if (!m_job.seconds.isEmpty()) {
            bool ok = false;
            m_seconds = m_job.seconds.toDouble(&ok);
            if (!ok || !std::isfinite(m_seconds) || m_seconds * m_fps < 1 || m_seconds > kMaxSeconds)
                return QStringLiteral("--seconds: '%1' is not allowed; give the video's length from %2 to %3 seconds")
                    .arg(m_job.seconds)
                    .arg(1.0 / m_fps)
                    .arg(kMaxSeconds);
        }
    }
    if (!m_job.preset.isEmpty()) {
        QStringList known;
        m_presetFile = m_window.presetMenu()->fileFor(m_job.preset, &known);
        if (m_presetFile.isEmpty())
            return QStringLiteral("--preset: no preset '%1'; the presets in %2 are %3")
                .arg(m_job.preset, reglab::ui::PresetMenu::presetDirs().join(QStringLiteral(" and ")),
                     known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", ")));
        try { // the runs it queues share the video's frames
            for (const reglab::PresetRun &run : reglab::loadPreset(QFile::encodeName(m_presetFile).toStdString()).runs)
                m_presetRuns += run.optional ? 0 : 1;
        } catch (const std::exception &e) {
            return QStringLiteral("--preset: %1").arg(QString::fromUtf8(e.what()));
        }
    }
    // Checked before training: a folder or an unwritable place fails now, not minutes later.
    if (const std::string e = reglab::checkWritableTarget(QFile::encodeName(file).toStdString()); !e.empty())
        return QStringLiteral("%1: %2").arg(flag, QString::fromStdString(e));
    std::vector<reglab::NamedFile> inputs; // the runs it opens: a file named like one would replace it
    for (const QString &run : m_job.runs)
        inputs.push_back({"the run record", QFile::encodeName(run).toStdString()});
    if (!m_presetFile.isEmpty())
        inputs.push_back({"the preset", QFile::encodeName(m_presetFile).toStdString()});
    if (const std::string e =
            reglab::outputOverInput({{flag.toStdString(), QFile::encodeName(file).toStdString()}}, inputs);
        !e.empty())
        return QString::fromStdString(e);
    return {};
}

void Unattended::prepare()
{
    if (!m_job.size.isEmpty())
        m_window.setCompactLayout(reglab::ui::screenfit::isSmall(QRect(QPoint(0, 0), m_size)));
    if (m_job.showNetwork) { // a small screen's docks share one column: the network's tab in front
        m_window.networkDock()->show();
        m_window.networkDock()->raise();
    }
    m_window.setFixedSize(m_size); // the same layout on every machine
    m_window.show();
    if (m_job.present)
        m_window.presentation()->setActive(true);
    m_target = &m_window;
    if (QWidget *widget = m_view.isEmpty() ? nullptr : viewWidget(m_window, m_view)) {
        // A window of its own, owned by the main window (so the view is deleted once, with the rest).
        auto *stage = new QWidget(&m_window, Qt::Window);
        auto *layout = new QVBoxLayout(stage);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(widget);
        stage->setFixedSize(m_size);
        stage->show();
        widget->show();
        m_target = stage;
    }
}

QImage Unattended::grab()
{
    m_window.flushCharts();
    // The charts' layouts (axes that grew) without handing out the run's next events.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    m_dirty = false;
    return m_target->grab().toImage();
}

QImage Unattended::painted()
{
    m_dirty = false;
    // The pixels the window's own paint left (it paints what changed, when it changed), copied: nothing is drawn
    // for the video. They may be an event behind; the last frame, drawn whole, is exact.
    if (QBackingStore *store = m_target->backingStore())
        if (QPaintDevice *device = store->paintDevice(); device && device->devType() == QInternal::Image) {
            const QImage &image = *static_cast<QImage *>(device);
            if (image.size() == m_frameSize)
                return image.copy();
        }
    return grab(); // a backing store that is not an image (OpenGL)
}

void Unattended::pump()
{
    const int due = m_clock.dueAt(m_step);
    if (!m_recording || m_finishing || m_encoder.frameCount() >= due)
        return;
    if (m_last.isNull())
        m_last = grab();
    else if (m_dirty)
        m_last = painted();
    while (m_encoder.frameCount() < due) // steps the run passed quicker than the frames: the picture repeats
        m_encoder.addFrame(m_last, false); // a backlog of 512 MiB repeats its last picture rather than wait
}

void Unattended::onEvent(const reglab::TrainEvent &event)
{
    if (const auto *info = std::get_if<reglab::RunInfo>(&event)) {
        m_stepsPerEpoch = info->stepsPerEpoch;
        std::int64_t steps = info->totalSteps;
        if (m_presetFile.isEmpty() && m_job.waitEpochs > 0) // the video ends where the still is taken
            steps = std::min(steps, info->stepsPerEpoch * m_job.waitEpochs);
        m_clock.beginSegment(steps);
        m_step = 0;
    } else if (const auto *step = std::get_if<reglab::StepRecord>(&event)) {
        m_step = std::max(m_step, step->step);
    } else if (const auto *progress = std::get_if<reglab::Progress>(&event)) {
        m_step = std::max(m_step, progress->step);
    } else if (const auto *epoch = std::get_if<reglab::EpochRecord>(&event)) {
        m_step = std::max(m_step, epoch->step);
        m_epochsSeen = epoch->epoch;
        if (m_presetFile.isEmpty()) {
            if (m_job.changeEpoch > 0 && epoch->epoch == m_job.changeEpoch) // the way a typed value goes
                m_window.controls()->widget<reglab::ui::LogSlider>("l1")->spinBox()->setValue(m_job.changeValue);
            if (m_epochsSeen >= m_job.waitEpochs)
                finish(0);
        }
    } else if (const auto *record = std::get_if<reglab::RunRecord>(&event)) {
        const bool ok = record->status == reglab::RunStatus::Finished || record->status == reglab::RunStatus::Stopped;
        if (!m_presetFile.isEmpty()) {
            // The preset's runs land in the runs list one by one; the end waits for the queue.
            if (record->status == reglab::RunStatus::Failed) {
                std::fprintf(stderr, "reglab: a preset run failed: %s\n", record->message.c_str());
                finish(3);
            }
            QTimer::singleShot(200, &m_window, [this] {
                if (!m_controller.isRunning())
                    finish(0);
            });
        } else {
            if (!ok)
                std::fprintf(stderr, "reglab: the run ended: %s\n", record->message.c_str());
            finish(ok ? 0 : 3);
        }
    }
    pump();
}

void Unattended::finish(int exitCode, int delayMs)
{
    if (m_finishing)
        return;
    m_finishing = true;
    // Let the last queued events and the charts settle before the last picture.
    QTimer::singleShot(delayMs, &m_window, [this, exitCode] { save(exitCode); });
}

void Unattended::save(int exitCode)
{
    if (m_job.showNetwork) // a preset's end brings the runs list to the front: the view asked for
        m_window.networkDock()->raise();
    m_window.flushCharts();
    QApplication::processEvents();
    QString error;
    QString saved;
    // The run's time: what recording may cost it (the encoder catches up after, on its own time).
    const double runSeconds = double(m_clockSinceStart.elapsed()) / 1000;
    if (m_recording) {
        // The frames the run passed, then the last one: the state a --screenshot of it saves.
        const int due = m_clock.dueAt(m_step);
        if (m_encoder.frameCount() < due && !m_last.isNull())
            while (m_encoder.frameCount() < due)
                m_encoder.addFrame(m_last);
        m_last = grab();
        m_encoder.addFrame(m_last);
        const int frames = m_encoder.frameCount();
        const QSize size = VideoEncoder::videoSize(m_format, m_last.size());
        error = m_encoder.finish();
        saved = QStringLiteral("%1 (%2x%3, %4 frames at %5 fps, %6 s)")
                    .arg(m_job.record)
                    .arg(size.width())
                    .arg(size.height())
                    .arg(frames)
                    .arg(m_fps)
                    .arg(double(frames) / m_fps, 0, 'g', 4);
    } else if (QFileInfo(m_job.shot).suffix().toLower() == QLatin1String("png")) {
        const QImage image = grab();
        error = image.save(m_job.shot, "PNG") ? QString() : QStringLiteral("cannot write %1").arg(m_job.shot);
        saved = QStringLiteral("%1 (%2x%3)").arg(m_job.shot).arg(image.width()).arg(image.height());
    } else {
        error = reglab::ui::saveWidget(m_target, m_job.shot); // vectors: legends, swatches, text as text
        saved = QStringLiteral("%1 (%2x%3)").arg(m_job.shot).arg(m_target->width()).arg(m_target->height());
    }
    m_status = error.isEmpty() ? exitCode : 1;
    if (!error.isEmpty())
        std::fprintf(stderr, "reglab: %s\n", qPrintable(error));
    else if (g_stopSignal)
        std::fprintf(stdout, "reglab: stopped by %s after %d epoch(s); saved what was recorded: %s\n",
                     signalName(g_stopSignal), m_epochsSeen, qPrintable(saved));
    else
        std::fprintf(stdout, "reglab: saved %s after %d epoch(s) in %.2f s (the file ready after %.2f s)\n",
                     qPrintable(saved), m_epochsSeen, runSeconds, double(m_clockSinceStart.elapsed()) / 1000);
    std::fflush(stdout);
    m_controller.shutdown(2000);
    QApplication::exit(m_status);
}

int Unattended::run()
{
    if (const QString e = check(); !e.isEmpty())
        return fail(e);
    if (!m_job.runs.isEmpty()) {
        // An unattended run must not quietly leave out a run it was asked to draw (a truncated record, a FIFO):
        // the window would show a banner no one sees and exit 0.
        std::vector<std::string> paths;
        for (const QString &run : m_job.runs)
            paths.push_back(QFile::encodeName(run).toStdString());
        const reglab::LoadedRuns loaded = reglab::openRunFiles(paths);
        for (const std::string &newer : loaded.notUnderstood) // drawn, but said: no one sees the banner
            std::fprintf(stderr, "reglab: %s\n", newer.c_str());
        if (!loaded.problems.empty()) {
            for (const std::string &problem : loaded.problems)
                std::fprintf(stderr, "reglab: %s\n", problem.c_str());
            std::fprintf(stderr, "reglab: %s: %zu of the run files cannot be read; nothing was saved\n",
                         m_recording ? "--record" : "--screenshot", loaded.problems.size());
            return 3;
        }
        m_window.runList()->openFiles(m_job.runs);
        m_window.runList()->keepShownBox()->setChecked(true); // compared with the runs named
    }
    prepare();
    if (m_recording) {
        m_clock = FrameClock(std::max(1, int(std::lround(m_fps * m_seconds))),
                             m_presetFile.isEmpty() ? 1 : std::max(1, m_presetRuns));
        // The frames are the target's pixels (a window's device pixel ratio of 1 offscreen).
        m_frameSize = m_target->grab().size();
        m_target->installEventFilter(&m_paints);
        if (const QString e = m_encoder.open(m_job.record, m_frameSize, m_fps); !e.isEmpty())
            return fail(QStringLiteral("--record: %1").arg(e));
        // Ctrl-C, SIGTERM or SIGHUP (a timeout, a closed terminal): the video ends with what it has.
        struct sigaction action {};
        action.sa_handler = onStopSignal;
        sigemptyset(&action.sa_mask);
        for (int signal : {SIGINT, SIGTERM, SIGHUP})
            ::sigaction(signal, &action, nullptr);
        auto *poll = new QTimer(&m_window);
        QObject::connect(poll, &QTimer::timeout, &m_window, [this] {
            if (g_stopSignal && !m_finishing) {
                m_controller.stop();
                finish(128 + g_stopSignal, 0);
            }
        });
        poll->start(50);
    }
    // After the window's own connection: a frame taken for an event shows that event.
    QObject::connect(&m_controller, &TrainingController::event, &m_window,
                     [this](const reglab::TrainEvent &event) { onEvent(event); });
    QTimer::singleShot(0, &m_window, [this] {
        m_clockSinceStart.start();
        if (!m_presetFile.isEmpty())
            m_window.startPreset(m_presetFile, false);
        else
            m_window.controls()->startAction()->trigger();
    });
    QTimer::singleShot(600000, &m_window, [this] {
        std::fprintf(stderr, "reglab: nothing saved after 10 minutes; giving up\n");
        m_encoder.abandon();
        QApplication::exit(1);
    });
    const int status = QApplication::exec();
    m_encoder.abandon(); // nothing half-written stays (after a finish this does nothing)
    return status;
}

} // namespace

QStringList viewNames()
{
    return {QStringLiteral("dashboard"), QStringLiteral("loss"), QStringLiteral("accuracy"), QStringLiteral("weights"),
            QStringLiteral("gap")};
}

int runUnattended(MainWindow &window, TrainingController &controller, const UnattendedJob &job)
{
    Unattended unattended(window, controller, job);
    return unattended.run();
}

} // namespace reglab::app
