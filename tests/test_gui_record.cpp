// reglab --record, read back with FFmpeg's own tools: each format (MP4, WebM, GIF) has the frame count, frame rate,
// duration and size asked for and ends on the still a --screenshot of the same run saves (PSNR of 30 dB or more);
// a view is laid out at the video's size; bad targets are refused in words before training and leave nothing; a
// recording stopped by SIGTERM leaves a playable file of what it got, and never half a file under the target's
// name. The frame clock spreads a run's steps (and a preset's runs) over the frames. File > Export figure >
// Animation replays two run records into a GIF and an MP4 with the frames and size asked, ending on the still
// figure; cancelled, it leaves no file. The weight images of this session's runs replay epoch by epoch.
#include "guitest.h"

#include "app/frameclock.h"
#include "ui/figures/exportmenu.h"
#include "ui/figures/weightsanimation.h"
#include "ui/runs/runmodel.h"
#include "ui/runs/runlist.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QApplication>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProgressDialog>
#include <QTimer>
#include <QSpinBox>
#include <QToolButton>
#include <QStandardPaths>
#include <QTest>

#include <cmath>
#include <csignal>
#include <cstring>

#include <unistd.h>

namespace {

struct Result {
    int exitCode = -1;
    QString output;
    qint64 ms = 0;
};

struct Probe {
    int width = 0, height = 0, frames = 0;
    QString rate;
    double duration = 0;
};

QString exe()
{
    return QStringLiteral(REGLAB_GUI_EXE);
}

bool haveFfmpeg()
{
    return !QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty() &&
           !QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty();
}

// PSNR of two images of one size over their RGB channels, in dB (1000 for identical images).
double psnr(const QImage &a, const QImage &b)
{
    const QImage x = a.convertToFormat(QImage::Format_RGB888), y = b.convertToFormat(QImage::Format_RGB888);
    if (x.size() != y.size())
        return 0;
    double sum = 0;
    for (int row = 0; row < x.height(); ++row) {
        const uchar *p = x.constScanLine(row), *q = y.constScanLine(row);
        for (int i = 0; i < x.width() * 3; ++i) {
            const double d = double(p[i]) - double(q[i]);
            sum += d * d;
        }
    }
    const double mse = sum / (double(x.width()) * x.height() * 3);
    return mse == 0 ? 1000 : 10 * std::log10(255.0 * 255.0 / mse);
}

} // namespace

class TestRecord : public QObject {
    Q_OBJECT
private:
    guitest::TestFolder m_dir;
    QImage m_still; // --screenshot of the run the videos record

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // Runs reglab with its settings in the test's folder, never the user's.
    Result reglab(const QStringList &args, int timeoutMs = 120000) const
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("config")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        QElapsedTimer clock;
        clock.start();
        p.start(exe(), args);
        Result r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
        }
        r.ms = clock.elapsed();
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.output = QString::fromUtf8(p.readAll());
        return r;
    }

    static QString tool(const QString &program, const QStringList &args, QByteArray *out = nullptr)
    {
        QProcess p;
        p.start(program, args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            return QString::fromUtf8(p.readAllStandardError());
        if (out)
            *out = p.readAllStandardOutput();
        return {};
    }

    // What ffprobe reads, the frames counted by decoding them.
    static Probe probe(const QString &file)
    {
        QByteArray json;
        Probe result;
        if (const QString e = tool(QStringLiteral("ffprobe"),
                                   {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
                                    QStringLiteral("-show_entries"),
                                    QStringLiteral("stream=width,height,nb_read_frames,r_frame_rate:format=duration"),
                                    QStringLiteral("-of"), QStringLiteral("json"), file},
                                   &json);
            !e.isEmpty()) {
            qWarning("ffprobe %s: %s", qPrintable(file), qPrintable(e));
            return result;
        }
        const QJsonObject root = QJsonDocument::fromJson(json).object();
        const QJsonObject stream = root[QStringLiteral("streams")].toArray().first().toObject();
        result.width = stream[QStringLiteral("width")].toInt();
        result.height = stream[QStringLiteral("height")].toInt();
        result.frames = stream[QStringLiteral("nb_read_frames")].toString().toInt();
        result.rate = stream[QStringLiteral("r_frame_rate")].toString();
        result.duration = root[QStringLiteral("format")].toObject()[QStringLiteral("duration")].toString().toDouble();
        return result;
    }

    // The video's last frame, decoded by ffmpeg (every frame as it is stored, none added or dropped).
    static QImage lastFrame(const QString &file, const QSize &size, int *frames = nullptr)
    {
        QByteArray raw;
        if (const QString e = tool(QStringLiteral("ffmpeg"),
                                   {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"), file,
                                    QStringLiteral("-fps_mode"), QStringLiteral("passthrough"), QStringLiteral("-f"),
                                    QStringLiteral("rawvideo"), QStringLiteral("-pix_fmt"), QStringLiteral("rgb24"),
                                    QStringLiteral("-")},
                                   &raw);
            !e.isEmpty()) {
            qWarning("ffmpeg %s: %s", qPrintable(file), qPrintable(e));
            return {};
        }
        const qsizetype frameBytes = qsizetype(size.width()) * size.height() * 3;
        if (frames)
            *frames = int(raw.size() / frameBytes);
        if (raw.size() < frameBytes || raw.size() % frameBytes != 0)
            return {};
        QImage image(size, QImage::Format_RGB888);
        const char *last = raw.constData() + raw.size() - frameBytes;
        for (int y = 0; y < size.height(); ++y)
            std::memcpy(image.scanLine(y), last + qsizetype(y) * size.width() * 3, std::size_t(size.width()) * 3);
        return image;
    }

    // The video's first frame, decoded by ffmpeg.
    static QImage firstFrame(const QString &file, const QSize &size)
    {
        QByteArray raw;
        if (const QString e = tool(QStringLiteral("ffmpeg"),
                                   {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"), file,
                                    QStringLiteral("-frames:v"), QStringLiteral("1"), QStringLiteral("-f"),
                                    QStringLiteral("rawvideo"), QStringLiteral("-pix_fmt"), QStringLiteral("rgb24"),
                                    QStringLiteral("-")},
                                   &raw);
            !e.isEmpty() || raw.size() != qsizetype(size.width()) * size.height() * 3)
            return {};
        return QImage(reinterpret_cast<const uchar *>(raw.constData()), size.width(), size.height(),
                      size.width() * 3, QImage::Format_RGB888)
            .copy();
    }

    // No file under `name` and no temporary file beside it.
    bool leftNothing(const QString &name) const
    {
        const QStringList hidden = QDir(m_dir.path())
                                       .entryList({QStringLiteral(".%1.*").arg(name)},
                                                  QDir::Files | QDir::Hidden | QDir::System);
        if (!hidden.isEmpty())
            qWarning("left behind: %s", qPrintable(hidden.join(QStringLiteral(", "))));
        return !QFile::exists(path(name)) && hidden.isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.enter());
        QVERIFY(QDir().mkpath(path(QStringLiteral("config"))));
    }

    void theClockSpreadsTheStepsOverTheFrames()
    {
        reglab::app::FrameClock clock(20);
        QCOMPARE(clock.dueAt(40), 0); // no run yet
        clock.beginSegment(40);
        QCOMPARE(clock.dueAt(0), 0);
        QCOMPARE(clock.dueAt(1), 0);
        QCOMPARE(clock.dueAt(2), 1);
        QCOMPARE(clock.dueAt(20), 10);
        QCOMPARE(clock.dueAt(40), 19); // the last frame is the end's
        QCOMPARE(clock.dueAt(400), 19);
        // A preset's three runs share the frames, each by its own steps.
        reglab::app::FrameClock preset(30, 3);
        preset.beginSegment(100);
        QCOMPARE(preset.dueAt(100), 10);
        preset.beginSegment(10);
        QCOMPARE(preset.dueAt(0), 10);
        QCOMPARE(preset.dueAt(5), 15);
        preset.beginSegment(1000);
        QCOMPARE(preset.dueAt(1000), 29);
    }

    void eachFormatHasTheFramesAskedAndEndsOnTheStill_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::newRow("mp4") << QStringLiteral("mp4");
        QTest::newRow("webm") << QStringLiteral("webm");
        QTest::newRow("gif") << QStringLiteral("gif");
    }

    void eachFormatHasTheFramesAskedAndEndsOnTheStill()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg and ffprobe are not installed (scripts/setup.sh installs them)");
        QFETCH(QString, suffix);
        const QStringList run{QStringLiteral("--size"), QStringLiteral("800x500"), QStringLiteral("--epochs"),
                              QStringLiteral("2")};
        if (m_still.isNull()) { // the same run's still, once for the three
            const Result shot = reglab(QStringList{QStringLiteral("--screenshot"), path(QStringLiteral("still.png"))} + run);
            QVERIFY2(shot.exitCode == 0, qPrintable(shot.output));
            m_still = QImage(path(QStringLiteral("still.png")));
            QCOMPARE(m_still.size(), QSize(800, 500));
        }
        const QString file = path(QStringLiteral("run.") + suffix);
        const Result r = reglab(QStringList{QStringLiteral("--record"), file, QStringLiteral("--fps"),
                                            QStringLiteral("10"), QStringLiteral("--seconds"), QStringLiteral("2")} +
                                run);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QVERIFY2(r.output.contains(QStringLiteral("20 frames at 10 fps")), qPrintable(r.output));
        const Probe p = probe(file);
        QCOMPARE(p.width, 800);
        QCOMPARE(p.height, 500);
        QCOMPARE(p.frames, 20);
        QCOMPARE(p.rate, QStringLiteral("10/1"));
        QVERIFY2(std::abs(p.duration - 2.0) < 0.051, qPrintable(QString::number(p.duration)));
        int decoded = 0;
        const QImage last = lastFrame(file, QSize(800, 500), &decoded);
        QCOMPARE(decoded, 20);
        QVERIFY(!last.isNull());
        const double db = psnr(last, m_still);
        qInfo("%s: %lld bytes, last frame against the still: %.1f dB", qPrintable(suffix),
              qlonglong(QFileInfo(file).size()), db);
        QVERIFY2(db >= 30, qPrintable(QString::number(db)));
        QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral(".run.*")}, QDir::Files | QDir::Hidden).isEmpty()); // no temporary file left
    }

    // --view loss at an odd size: the chart laid out at the size asked, the MP4 a pixel smaller (yuv420p's even
    // sides), its last frame the still's pixels.
    void aViewIsLaidOutAtTheVideosSize()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg and ffprobe are not installed (scripts/setup.sh installs them)");
        const QStringList run{QStringLiteral("--view"), QStringLiteral("loss"), QStringLiteral("--size"),
                              QStringLiteral("641x401"), QStringLiteral("--epochs"), QStringLiteral("1")};
        const Result shot = reglab(QStringList{QStringLiteral("--screenshot"), path(QStringLiteral("loss.png"))} + run);
        QVERIFY2(shot.exitCode == 0, qPrintable(shot.output));
        const QImage still(path(QStringLiteral("loss.png")));
        QCOMPARE(still.size(), QSize(641, 401));
        const QString file = path(QStringLiteral("loss.mp4"));
        const Result r = reglab(QStringList{QStringLiteral("--record"), file, QStringLiteral("--fps"),
                                            QStringLiteral("5"), QStringLiteral("--seconds"), QStringLiteral("1")} +
                                run);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const Probe p = probe(file);
        QCOMPARE(QSize(p.width, p.height), QSize(640, 400));
        QCOMPARE(p.frames, 5);
        const QImage last = lastFrame(file, QSize(640, 400));
        const double db = psnr(last, still.copy(0, 0, 640, 400));
        QVERIFY2(db >= 30, qPrintable(QString::number(db)));
    }

    void badTargetsAreRefusedBeforeTraining_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("name"); // what must not be there after
        QDir(m_dir.path()).mkpath(QStringLiteral("folder.mp4"));
        QTest::newRow("folder") << QStringList{QStringLiteral("--record"), path(QStringLiteral("folder.mp4"))}
                                << QStringLiteral("it is a folder") << QString();
        QTest::newRow("unknown type") << QStringList{QStringLiteral("--record"), path(QStringLiteral("run.avi"))}
                                      << QStringLiteral("unknown video type; use .mp4") << QStringLiteral("run.avi");
        QTest::newRow("read-only place") << QStringList{QStringLiteral("--record"), QStringLiteral("/proc/run.mp4")}
                                         << QStringLiteral("cannot create a file in /proc") << QString();
        QTest::newRow("no frames") << QStringList{QStringLiteral("--record"), path(QStringLiteral("a.gif")),
                                                  QStringLiteral("--fps"), QStringLiteral("0")}
                                   << QStringLiteral("--fps: '0' is not allowed") << QStringLiteral("a.gif");
        QTest::newRow("too short") << QStringList{QStringLiteral("--record"), path(QStringLiteral("b.mp4")),
                                                  QStringLiteral("--seconds"), QStringLiteral("0.01")}
                                   << QStringLiteral("--seconds: '0.01' is not allowed") << QStringLiteral("b.mp4");
        QTest::newRow("unknown view") << QStringList{QStringLiteral("--record"), path(QStringLiteral("c.mp4")),
                                                     QStringLiteral("--view"), QStringLiteral("histograms")}
                                      << QStringLiteral("use dashboard, loss, accuracy, weights, gap")
                                      << QStringLiteral("c.mp4");
        QTest::newRow("still and video") << QStringList{QStringLiteral("--record"), path(QStringLiteral("d.mp4")),
                                                        QStringLiteral("--screenshot"), path(QStringLiteral("d.png"))}
                                         << QStringLiteral("not both") << QStringLiteral("d.mp4");
    }

    void badTargetsAreRefusedBeforeTraining()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QFETCH(QString, name);
        const Result r = reglab(args << QStringLiteral("--epochs") << QStringLiteral("50"), 60000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains(message), qPrintable(r.output));
        QVERIFY2(!r.output.contains(QStringLiteral("saved")), qPrintable(r.output));
        QVERIFY2(r.ms < 30000, "refused only after training"); // 50 epochs would take minutes
        if (!name.isEmpty())
            QVERIFY(leftNothing(name));
    }

    void aReadOnlyFolderIsRefused()
    {
        if (::geteuid() == 0)
            QSKIP("root writes into a read-only folder");
        const QString dir = path(QStringLiteral("readonly"));
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
        const Result r = reglab({QStringLiteral("--record"), dir + QStringLiteral("/run.mp4")}, 60000);
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains(QStringLiteral("--record: ")), qPrintable(r.output));
        QVERIFY(QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }

    // SIGTERM mid-way: the run stops, the video keeps what was recorded and plays; until then the target's name
    // holds nothing.
    void aStoppedRecordingLeavesAPlayableFile()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg and ffprobe are not installed (scripts/setup.sh installs them)");
        const QString file = path(QStringLiteral("stopped.mp4"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("config")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(exe(), {QStringLiteral("--record"), file, QStringLiteral("--size"), QStringLiteral("640x400"),
                        QStringLiteral("--epochs"), QStringLiteral("40"), QStringLiteral("--seconds"),
                        QStringLiteral("20")});
        QVERIFY(p.waitForStarted());
        // Recording once the temporary file is there; then a few epochs.
        const QStringList pattern{QStringLiteral(".stopped.mp4.*")};
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(m_dir.path()).entryList(pattern, QDir::Files | QDir::Hidden).isEmpty(), 30000);
        QTest::qWait(3000);
        QVERIFY2(p.state() == QProcess::Running, p.readAll().constData());
        QVERIFY(!QFile::exists(file));
        p.terminate(); // SIGTERM
        QVERIFY(p.waitForFinished(30000));
        const QString output = QString::fromUtf8(p.readAll());
        QCOMPARE(p.exitCode(), 128 + SIGTERM);
        QVERIFY2(output.contains(QStringLiteral("stopped by SIGTERM")), qPrintable(output));
        const Probe probed = probe(file);
        QVERIFY2(probed.frames >= 1 && probed.frames < 500, qPrintable(output));
        QCOMPARE(QSize(probed.width, probed.height), QSize(640, 400));
        QVERIFY(QDir(m_dir.path()).entryList(pattern, QDir::Files | QDir::Hidden).isEmpty());
    }

    // Two short runs trained by reglab-train, opened in the window and shown (ticked).
    bool openTwoRuns(guitest::Dashboard &d)
    {
        QStringList files;
        for (const QString &l1 : {QStringLiteral("0"), QStringLiteral("0.001")}) {
            const QString file = path(QStringLiteral("run-l1-%1.json").arg(l1));
            if (!QFile::exists(file)) {
                QProcess p;
                p.setProcessChannelMode(QProcess::MergedChannels);
                p.start(QStringLiteral(REGLAB_TRAIN_EXE),
                        {QStringLiteral("--epochs"), QStringLiteral("3"), QStringLiteral("--train-size"),
                         QStringLiteral("500"), QStringLiteral("--l1"), l1, QStringLiteral("--out"), file});
                if (!p.waitForFinished(120000) || p.exitCode() != 0) {
                    qWarning("reglab-train: %s", p.readAll().constData());
                    return false;
                }
            }
            files << file;
        }
        d.window->runList()->openFiles(files);
        return d.window->runs()->shownIds().size() == 2;
    }

    void anAnimationReplaysTheShownRuns_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("gif") << QStringLiteral("runs.gif");
        QTest::newRow("mp4") << QStringLiteral("runs.mp4");
    }

    // 4 fps over 2.5 s: 10 frames of 320x200 (a custom size in pixels), of the validation accuracy growing epoch
    // by epoch; the last frame is the still figure of the same runs and settings.
    void anAnimationReplaysTheShownRuns()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg and ffprobe are not installed (scripts/setup.sh installs them)");
        QFETCH(QString, name);
        guitest::Dashboard d;
        QVERIFY(openTwoRuns(d));
        reglab::ui::AnimationSettings settings;
        settings.metric = "val_accuracy";
        settings.use = QStringLiteral("custom");
        settings.size = QStringLiteral("320x200");
        settings.fps = 4;
        settings.seconds = 2.5;
        reglab::ui::ExportMenu *menu = d.window->exports();
        const QString file = path(name), still = path(name + QStringLiteral(".png"));
        QCOMPARE(menu->exportAnimation(file, settings, false), QString());
        QCOMPARE(menu->exportAnimationStill(still, settings), QString());
        QCOMPARE(menu->animationSettings().fps, 4); // remembered for the dialog
        const Probe p = probe(file);
        QCOMPARE(QSize(p.width, p.height), QSize(320, 200));
        QCOMPARE(p.frames, 10);
        int decoded = 0;
        const QImage last = lastFrame(file, QSize(320, 200), &decoded);
        QCOMPARE(decoded, 10);
        const QImage expected(still);
        QCOMPARE(expected.size(), QSize(320, 200));
        const double db = psnr(last, expected);
        QVERIFY2(db >= 30, qPrintable(QStringLiteral("%1 dB").arg(db)));
        // The first frame shows the first epoch only: not the still.
        QVERIFY(psnr(firstFrame(file, QSize(320, 200)), expected) < db);
    }

    // The first layer of two runs of this session, epoch by epoch: L1's weights shrink to nothing over four
    // epochs while the other run's stay. 2 fps over 4 s: 8 frames of 480x300, two frames an epoch; the last frame
    // is the still (the last epoch), the first differs from it (the fading shows on the fixed scale).
    void weightImagesAnimateEpochByEpoch()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg and ffprobe are not installed (scripts/setup.sh installs them)");
        guitest::Dashboard d;
        reglab::ui::RunModel *runs = d.window->runs();
        const int faded = runs->addRun(guitest::finishedRun(0.01, 4), QStringLiteral("L1 0.01"));
        const int kept = runs->addRun(guitest::finishedRun(0, 4), QStringLiteral("no penalty"));
        for (int epoch = 1; epoch <= 4; ++epoch)
            for (int id : {faded, kept}) {
                auto s = std::make_shared<reglab::WeightSnapshot>();
                s->epoch = epoch;
                s->step = epoch * 20;
                reglab::WeightSnapshot::Layer fc1{"fc1", 50, 784, std::vector<float>(50 * 784)};
                // Strokes a few pixels wide, as learnt weights are.
                for (std::size_t i = 0; i < fc1.weights.size(); ++i) {
                    const double unit = double(i / 784), x = double(i % 28), y = double(i % 784 / 28);
                    fc1.weights[i] = float(0.2 * std::sin((x + unit) / 4) * std::cos(y / 5) *
                                           (id == faded ? 1.0 - epoch / 4.0 : 1.0));
                }
                s->layers.push_back(fc1);
                s->layers.push_back({"fc2", 10, 50, std::vector<float>(500, 0.1f)}); // not kept in the history
                runs->setSnapshot(id, s);
            }
        QCOMPARE(runs->weightHistory(faded).size(), std::size_t(4));
        QCOMPARE(runs->weightHistory(faded).back()->layers.size(), std::size_t(1));
        QCOMPARE(reglab::ui::shownWeightsRuns(*runs).size(), 2);

        reglab::ui::AnimationSettings settings;
        settings.metric = reglab::ui::kWeightsContent;
        settings.use = QStringLiteral("custom");
        settings.size = QStringLiteral("480x300");
        settings.fps = 2;
        settings.seconds = 4;
        reglab::ui::ExportMenu *menu = d.window->exports();
        const QString file = path(QStringLiteral("weights.mp4")), still = path(QStringLiteral("weights.png"));
        QCOMPARE(menu->exportAnimation(file, settings, false), QString());
        QCOMPARE(menu->exportAnimationStill(still, settings), QString());
        const Probe p = probe(file);
        QCOMPARE(QSize(p.width, p.height), QSize(480, 300));
        QCOMPARE(p.frames, 8);
        const QImage expected(still);
        QCOMPARE(expected.size(), QSize(480, 300));
        const double db = psnr(lastFrame(file, QSize(480, 300)), expected);
        QVERIFY2(db >= 30, qPrintable(QStringLiteral("%1 dB").arg(db)));
        QVERIFY(psnr(firstFrame(file, QSize(480, 300)), expected) < db - 3);

        // A run opened from a file has no weights per epoch: said in words, and nothing written.
        runs->setShown(faded, false);
        runs->setShown(kept, false);
        runs->addRun(guitest::finishedRun(0, 4), QStringLiteral("from a file"));
        const QString none = menu->exportAnimation(path(QStringLiteral("none.gif")), settings, false);
        QVERIFY2(none.contains(QStringLiteral("trained since RegLab started")), qPrintable(none));
        QVERIFY(leftNothing(QStringLiteral("none.gif")));
    }

    // A run trained in the window keeps its first layer per epoch: three epochs on the sample replay as three
    // pictures (a GIF), the last the run's end.
    void aLiveRunsWeightsReplay()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg and ffprobe are not installed (scripts/setup.sh installs them)");
        guitest::Dashboard d;
        guitest::Spy<reglab::RunRecord> finished(d.controller.get());
        d.controls()->widget<QSpinBox>("epochs")->setValue(3);
        d.controls()->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
        QTRY_VERIFY(!d.controller->isRunning());
        reglab::ui::RunModel *runs = d.window->runs();
        const QList<reglab::ui::WeightsRun> replayed = reglab::ui::shownWeightsRuns(*runs);
        QCOMPARE(replayed.size(), 1);
        QCOMPARE(int(replayed[0].epochs.size()), 3);
        QCOMPARE(replayed[0].epochs.back()->epoch, 3);
        reglab::ui::AnimationSettings settings;
        settings.metric = reglab::ui::kWeightsContent;
        settings.use = QStringLiteral("custom");
        settings.size = QStringLiteral("400x300");
        settings.fps = 3;
        settings.seconds = 2;
        const QString file = path(QStringLiteral("live.gif")), still = path(QStringLiteral("live.png"));
        QCOMPARE(d.window->exports()->exportAnimation(file, settings, false), QString());
        QCOMPARE(d.window->exports()->exportAnimationStill(still, settings), QString());
        QCOMPARE(probe(file).frames, 6);
        const QImage expected(still);
        QVERIFY(psnr(lastFrame(file, QSize(400, 300)), expected) >= 30);
        QVERIFY(psnr(firstFrame(file, QSize(400, 300)), expected) < 100); // epoch 1's picture is not epoch 3's
    }

    // Past its memory cap a long run keeps every other epoch, the first and the last always; a snapshot of an
    // epoch seen already (a refresh, the best epoch restored) replaces it.
    void aLongRunsWeightHistoryIsThinned()
    {
        reglab::ui::RunModel runs;
        const int id = runs.addRun(guitest::finishedRun(0, 1), QStringLiteral("long"));
        const std::size_t each = 200 * 784 * sizeof(float);
        const int epochs = int(reglab::ui::RunModel::kHistoryBytes / each) + 5;
        for (int epoch = 1; epoch <= epochs; ++epoch) {
            auto s = std::make_shared<reglab::WeightSnapshot>();
            s->epoch = epoch;
            s->layers.push_back({"fc1", 200, 784, std::vector<float>(200 * 784, float(epoch))});
            runs.setSnapshot(id, s);
        }
        const auto &history = runs.weightHistory(id);
        QVERIFY(history.size() * each <= reglab::ui::RunModel::kHistoryBytes);
        QVERIFY(history.size() > 2);
        QCOMPARE(history.front()->epoch, 1);
        QCOMPARE(history.back()->epoch, epochs);
        for (std::size_t i = 1; i < history.size(); ++i)
            QVERIFY(history[i]->epoch > history[i - 1]->epoch);
        auto again = std::make_shared<reglab::WeightSnapshot>();
        again->epoch = epochs;
        again->layers.push_back({"fc1", 200, 784, std::vector<float>(200 * 784, -1.0f)});
        const std::size_t before = history.size();
        runs.setSnapshot(id, again);
        QCOMPARE(runs.weightHistory(id).size(), before);
        QCOMPARE(runs.weightHistory(id).back()->layers[0].weights[0], -1.0f);
    }

    void aCancelledAnimationLeavesNoFile()
    {
        guitest::Dashboard d;
        QVERIFY(openTwoRuns(d));
        reglab::ui::AnimationSettings settings;
        settings.use = QStringLiteral("custom");
        settings.size = QStringLiteral("320x200");
        settings.fps = 10;
        // Long enough to outlast the progress dialog's 300 ms on any machine (50 frames of 320x200 could finish
        // first and leave nothing to cancel); it ends at the dialog's first showing.
        settings.seconds = 120;
        // Cancelled from the progress dialog (modal, and shown only for a long export: a timer presses its Cancel).
        QTimer cancel;
        QObject::connect(&cancel, &QTimer::timeout, [] {
            for (QWidget *w : QApplication::topLevelWidgets())
                if (auto *progress = qobject_cast<QProgressDialog *>(w))
                    progress->cancel();
        });
        cancel.start(20);
        QCOMPARE(d.window->exports()->exportAnimation(path(QStringLiteral("cancelled.mp4")), settings),
                 QStringLiteral("cancelled"));
        QVERIFY(leftNothing(QStringLiteral("cancelled.mp4")));
        // An old file under the name is left as it was.
        QFile old(path(QStringLiteral("kept.gif")));
        QVERIFY(old.open(QIODevice::WriteOnly) && old.write("old") == 3);
        old.close();
        QCOMPARE(d.window->exports()->exportAnimation(old.fileName(), settings), QStringLiteral("cancelled"));
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("old"));
        // Errors in words: no run shown, a size that is none.
        settings.size = QStringLiteral("10x10");
        QVERIFY(d.window->exports()->exportAnimation(path(QStringLiteral("bad.gif")), settings, false)
                    .contains(QStringLiteral("not allowed")));
        QVERIFY(leftNothing(QStringLiteral("bad.gif")));
    }
};

QTEST_MAIN(TestRecord)
#include "test_gui_record.moc"
