// The shown runs replayed from their records as a video: the figure of one metric (as `reglab plot` and the
// Export menu draw it, laid out for a slide, a page, a column or a custom size) growing epoch by epoch over the
// seconds asked, ending on the still figure of the whole runs. Axes and legend are the whole runs' from the first
// frame, so nothing jumps while the lines grow.
#pragma once

#include "ui/charts/figureuse.h"
#include "ui/runs/runplot.h"

#include <QImage>
#include <QList>
#include <QString>

#include <functional>

class QChart;
class QSettings;

namespace reglab::ui {

// AnimationSettings::metric of the first layer's weight images per epoch (weightsanimation.h), not a metric.
inline const char *const kWeightsContent = "weights";

struct AnimationSettings {
    Metric metric = "test_accuracy"; // or kWeightsContent
    QString use = QStringLiteral("slide"); // "slide", "page", "column" or "custom" (then `size`)
    QString size = QStringLiteral("1280x720"); // a custom size: WxH in px, in or pt (figureuse.h)
    int fps = 10;
    double seconds = 10;

    static constexpr int kMaxFps = 60;
    static constexpr double kMaxSeconds = 600;

    // Remembered under export/animation*, as the other export settings.
    void load(const QSettings &settings);
    void save(QSettings &settings) const;
    // The figure's use; "" or what is wrong with the settings, in words.
    QString figureUse(FigureUse &out) const;
    int frames() const;
};

// The chart of the whole runs laid out for `use` (the animation's last frame; its still). The caller owns it.
QChart *makeAnimationChart(const QList<PlotRun> &runs, const Metric &metric, const FigureUse &use);
// The chart's pixels as a PNG of it at `use` has them.
QImage renderForUse(QChart *chart, const FigureUse &use);

// Called after each frame with the frames done and in all; false cancels.
using AnimationProgress = std::function<bool(int done, int total)>;
// Writes the animation to `path` (.mp4, .webm or .gif); "" or what went wrong, in words. Cancelled, it says so in
// `cancelled` and leaves no file (nor the old one touched).
QString writeRunAnimation(const QList<PlotRun> &runs, const AnimationSettings &settings, const QString &path,
                          const AnimationProgress &progress = {}, bool *cancelled = nullptr);

// Before anything is drawn: the settings' figure use (in `use`), and a target of a known type; "" or what is wrong.
QString checkAnimation(const AnimationSettings &settings, const QString &path, FigureUse &use);

// Draws frame `i` of `total` into `frame` where it differs from the last one (left as it is: a repeat, not
// encoded anew); false when it could not (no memory for it).
using FrameDrawer = std::function<bool(int i, int total, QImage &frame)>;
// The encoding loop of every animation: opens `path` for frames of `first`'s size at the settings' rate, asks
// `draw` for each of settings.frames() frames, reports progress; a cancel or a failure leaves no file.
QString writeFrames(const QString &path, const AnimationSettings &settings, QImage first, const FrameDrawer &draw,
                    const AnimationProgress &progress = {}, bool *cancelled = nullptr);

} // namespace reglab::ui
