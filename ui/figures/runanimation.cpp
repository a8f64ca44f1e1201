// The runs' animation: one chart of the whole runs, its lines cut back to the epochs each frame shows, rendered as
// a PNG of it is and handed to the VideoEncoder; a frame that shows what the last one did is a repeat (no render).
#include "ui/figures/runanimation.h"

#include "model/metrics.h"
#include "ui/charts/figureexport.h"
#include "ui/charts/runstyle.h"
#include "ui/figures/videoencoder.h"

#include <QChart>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSettings>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace reglab::ui {

namespace {

// A series that grows: a run's line (solid, or in a compared run's dashes) or its dots or markers (not a dashed
// reference line such as chance), and all its points.
struct Growing {
    QXYSeries *series;
    QList<QPointF> points;
};

std::vector<Growing> growingSeries(QChart *chart, double &maxX)
{
    std::vector<Growing> out;
    maxX = 0;
    for (QAbstractSeries *abstract : chart->series()) {
        auto *xy = qobject_cast<QXYSeries *>(abstract);
        // (a run's marks follow its line as it is cut, then are cut themselves: they come after it in the chart)
        if (!xy ||
            (!qobject_cast<QScatterSeries *>(xy) && xy->pen().style() != Qt::SolidLine && seriesRunStyle(xy) < 0))
            continue;
        out.push_back({xy, xy->points()});
        for (const QPointF &p : out.back().points)
            maxX = std::max(maxX, p.x());
    }
    return out;
}

} // namespace

void AnimationSettings::load(const QSettings &settings)
{
    const AnimationSettings defaults;
    Metric known;
    const QString saved = settings.value(QStringLiteral("export/animationMetric")).toString();
    metric = saved == QLatin1String(kWeightsContent) ? kWeightsContent
             : parseMetric(saved, known)            ? known
                                                    : defaults.metric;
    use = settings.value(QStringLiteral("export/animationUse"), defaults.use).toString();
    size = settings.value(QStringLiteral("export/animationSize"), defaults.size).toString();
    fps = std::clamp(settings.value(QStringLiteral("export/animationFps"), defaults.fps).toInt(), 1, kMaxFps);
    seconds = settings.value(QStringLiteral("export/animationSeconds"), defaults.seconds).toDouble();
    if (!std::isfinite(seconds) || seconds * fps < 1 || seconds > kMaxSeconds)
        seconds = defaults.seconds;
    FigureUse checked;
    if (!figureUse(checked).isEmpty()) { // a size saved by hand that is not one: the defaults
        use = defaults.use;
        size = defaults.size;
    }
}

void AnimationSettings::save(QSettings &settings) const
{
    settings.setValue(QStringLiteral("export/animationMetric"), QString::fromStdString(metric));
    settings.setValue(QStringLiteral("export/animationUse"), use);
    settings.setValue(QStringLiteral("export/animationSize"), size);
    settings.setValue(QStringLiteral("export/animationFps"), fps);
    settings.setValue(QStringLiteral("export/animationSeconds"), seconds);
}

QString AnimationSettings::figureUse(FigureUse &out) const
{
    if (use == QLatin1String("custom")) {
        if (QString e = parseFigureSize(size, out); !e.isEmpty())
            return e.replace(QLatin1String("--size: "), QLatin1String("the size: "));
    } else if (!figureUseNamed(use, out)) {
        return QStringLiteral("'%1' is not a figure's use; choose slide, page, column or custom").arg(use);
    }
    if (fps < 1 || fps > kMaxFps)
        return QStringLiteral("%1 frames a second is not allowed; give 1 to %2").arg(fps).arg(kMaxFps);
    if (!std::isfinite(seconds) || seconds * fps < 1 || seconds > kMaxSeconds)
        return QStringLiteral("%1 seconds is not allowed; give the animation's length from %2 to %3 seconds")
            .arg(seconds)
            .arg(1.0 / fps)
            .arg(kMaxSeconds);
    return {};
}

int AnimationSettings::frames() const
{
    return std::max(1, int(std::lround(fps * seconds)));
}

QChart *makeAnimationChart(const QList<PlotRun> &runs, const Metric &metric, const FigureUse &use)
{
    QChart *chart = makeRunChart(runs, metric, {}, legendCapacity(use.layoutSize().height(), legendPixels(use)));
    styleForUse(chart, use);
    return chart;
}

QImage renderForUse(QChart *chart, const FigureUse &use)
{
    // As saveChart's PNG: laid out at the layout's size, use.pngScale pixels to each of the page's points.
    const QSize layout = use.layoutSize();
    return renderChart(chart, layout, use.pngScale * use.size.width() / layout.width());
}

QString writeRunAnimation(const QList<PlotRun> &runs, const AnimationSettings &settings, const QString &path,
                          const AnimationProgress &progress, bool *cancelled)
{
    if (cancelled)
        *cancelled = false;
    if (runs.isEmpty())
        return QStringLiteral("no run is shown: tick the runs to replay in Runs, then export again");
    FigureUse use;
    if (const QString e = checkAnimation(settings, path, use); !e.isEmpty())
        return e;
    const std::unique_ptr<QChart> chart(makeAnimationChart(runs, settings.metric, use));
    double maxX = 0;
    const std::vector<Growing> growing = growingSeries(chart.get(), maxX);
    const reglab::Metric *metric = reglab::findMetric(settings.metric);
    const bool perEpoch = !metric || metric->per == reglab::Metric::Per::Epoch;

    // The first frame is drawn before the encoder opens: a figure too large for the memory fails in words.
    QImage first = renderForUse(chart.get(), use);
    if (first.isNull())
        return QStringLiteral("not enough memory for frames of %1x%2 pixels; choose a smaller size")
            .arg(use.size.width() * use.pngScale)
            .arg(use.size.height() * use.pngScale);
    double shown = -1; // the x up to which the last frame drew the lines
    return writeFrames(
        path, settings, std::move(first),
        [&](int i, int total, QImage &frame) {
            // Frame i shows (i+1)/total of the runs: whole epochs (each an equal share of the frames), or steps.
            const double fraction = double(i + 1) / total;
            const double upTo = i + 1 == total ? maxX : perEpoch ? std::ceil(fraction * maxX - 1e-9) : fraction * maxX;
            if (upTo == shown)
                return true;
            for (const Growing &g : growing) {
                QList<QPointF> part;
                for (const QPointF &p : g.points)
                    if (p.x() <= upTo)
                        part.append(p);
                g.series->replace(part);
            }
            frame = renderForUse(chart.get(), use);
            shown = upTo;
            return !frame.isNull();
        },
        progress, cancelled);
}

QString checkAnimation(const AnimationSettings &settings, const QString &path, FigureUse &use)
{
    if (const QString e = settings.figureUse(use); !e.isEmpty())
        return e;
    VideoEncoder::Format format;
    return VideoEncoder::formatFor(path, format);
}

QString writeFrames(const QString &path, const AnimationSettings &settings, QImage frame, const FrameDrawer &draw,
                    const AnimationProgress &progress, bool *cancelled)
{
    if (cancelled)
        *cancelled = false;
    VideoEncoder encoder;
    if (const QString e = encoder.open(path, frame.size(), settings.fps); !e.isEmpty())
        return e;
    const int total = settings.frames();
    for (int i = 0; i < total; ++i) {
        if (!draw(i, total, frame)) {
            encoder.abandon();
            return QStringLiteral("not enough memory for the animation's frames; choose a smaller size");
        }
        encoder.addFrame(frame); // the same image again: a repeat, not encoded anew
        if (progress && !progress(i + 1, total)) {
            encoder.abandon();
            if (cancelled)
                *cancelled = true;
            return QStringLiteral("cancelled");
        }
    }
    return encoder.finish();
}

} // namespace reglab::ui
