// The weights' animation: the network view's own WeightTiles, one per run, laid out on a page of the figure's size
// and rendered for each epoch; an epoch that shows what the last frame did is a repeat (no render).
#include "ui/figures/weightsanimation.h"

#include "ui/charts/palette.h"
#include "ui/network/weighttiles.h"
#include "ui/runs/runmodel.h"
#include "ui/runs/runlegend.h"

#include <QPainter>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace reglab::ui {

namespace {

// The snapshot a run shows after `epoch`: its latest up to then, or its first.
const reglab::WeightSnapshot &snapshotAt(const WeightsRun &run, int epoch)
{
    const reglab::WeightSnapshot *at = run.epochs.front().get();
    for (const auto &s : run.epochs)
        if (s->epoch <= epoch)
            at = s.get();
    return *at;
}

// The panels' grid for `n` runs on a `page`: the columns that make the tiles largest.
int panelColumns(int n, const QSizeF &page, int units)
{
    int best = 1;
    double bestSide = 0;
    for (int c = 1; c <= n; ++c) {
        const int rows = (n + c - 1) / c;
        // A panel keeps about four text lines (name, title, colour bar and its scale) around its tiles.
        const QSize area(int(page.width() / c) - 8, int(page.height() / rows) - 4 * 17 - 16);
        if (area.width() <= 0 || area.height() <= 0)
            continue;
        const int columns = WeightTiles::bestColumns(units, area);
        const double side =
            std::min(double(area.width()) / columns, double(area.height()) / ((units + columns - 1) / columns));
        if (side > bestSide) {
            bestSide = side;
            best = c;
        }
    }
    return best;
}

} // namespace

QList<WeightsRun> shownWeightsRuns(const RunModel &runs)
{
    const QList<int> ids = runs.shownIds();
    const QHash<int, LegendName> names = legendNames(runs, ids); // as the charts' legends name them
    QList<WeightsRun> out;
    for (int id : ids)
        if (const auto &history = runs.weightHistory(id); !history.empty())
            out.append({names.value(id).full, runs.color(id), history});
    return out;
}

QString weightsAnimationProblem(const QList<WeightsRun> &runs)
{
    if (runs.isEmpty())
        return QStringLiteral("no shown run was trained since RegLab started: the weight images of each epoch are kept "
                              "only for this session's runs (a run's file keeps its last). Train a run, tick it in "
                              "Runs, and export again; or choose a chart to replay");
    return {};
}

double weightsAnimationScale(const QList<WeightsRun> &runs)
{
    double scale = 0;
    for (const WeightsRun &run : runs)
        for (const auto &layer : run.epochs.front()->layers)
            scale = std::max(scale, WeightTiles::robustMax(layer.weights));
    return scale > 0 ? scale : 1e-3;
}

int weightsAnimationEpochs(const QList<WeightsRun> &runs)
{
    int epochs = 0;
    for (const WeightsRun &run : runs)
        epochs = std::max(epochs, run.epochs.back()->epoch);
    return epochs;
}

QImage renderWeightsFrame(const QList<WeightsRun> &runs, int epoch, double scale, const FigureUse &use)
{
    const QSize pixels(int(std::lround(use.size.width() * use.pngScale)),
                       int(std::lround(use.size.height() * use.pngScale)));
    QImage image(pixels, QImage::Format_RGB32);
    if (image.isNull() || runs.isEmpty())
        return {};
    // Laid out where the view's labels (kLabelPointSize on the screen) come out at the figure's tick size, then
    // drawn at the figure's pixels; a size in pixels keeps the screen's type.
    const qreal labelPixels = kLabelPointSize * 96.0 / 72.0;
    const qreal points = use.tickPt > 0 ? labelPixels / use.tickPt : 1.0;
    const QSizeF page = QSizeF(use.size) * points;
    const qreal ratio = pixels.width() / page.width();
    image.setDevicePixelRatio(ratio);
    image.fill(chartColors().panel);

    int units = 0;
    for (const WeightsRun &run : runs)
        for (const auto &layer : run.epochs.front()->layers)
            units = std::max(units, layer.rows);
    const int n = int(runs.size());
    const int columns = panelColumns(n, page, std::max(1, units));
    const int rows = (n + columns - 1) / columns;
    QWidget stage;
    stage.resize(page.toSize());
    QPainter painter(&image);
    for (int i = 0; i < n; ++i) {
        WeightTiles tiles(&stage);
        tiles.setFixedScale(scale);
        tiles.setCaption(runs[i].name, runs[i].color);
        tiles.setSnapshot(snapshotAt(runs[i], epoch));
        const QRectF cell(page.width() * (i % columns) / columns, page.height() * (i / columns) / rows,
                          page.width() / columns, page.height() / rows);
        tiles.setGeometry(cell.toRect());
        static_cast<QWidget &>(tiles).render(&painter, cell.topLeft().toPoint(), QRegion(), QWidget::DrawChildren);
    }
    return image;
}

QString writeWeightsAnimation(const QList<WeightsRun> &runs, const AnimationSettings &settings, const QString &path,
                              const AnimationProgress &progress, bool *cancelled)
{
    if (cancelled)
        *cancelled = false;
    if (const QString e = weightsAnimationProblem(runs); !e.isEmpty())
        return e;
    FigureUse use;
    if (const QString e = checkAnimation(settings, path, use); !e.isEmpty())
        return e;
    const double scale = weightsAnimationScale(runs);
    const int epochs = weightsAnimationEpochs(runs);
    int first = epochs;
    for (const WeightsRun &run : runs)
        first = std::min(first, run.epochs.front()->epoch);
    QImage frame = renderWeightsFrame(runs, epochs, scale, use);
    if (frame.isNull())
        return QStringLiteral("not enough memory for frames of %1x%2 pixels; choose a smaller size")
            .arg(use.size.width() * use.pngScale)
            .arg(use.size.height() * use.pngScale);
    int shown = -1; // the epoch the last frame showed
    return writeFrames(
        path, settings, std::move(frame),
        [&](int i, int total, QImage &image) {
            // The epochs from the first snapshot's to the last, each an equal share of the frames.
            const double fraction = double(i + 1) / total;
            const int epoch =
                i + 1 == total ? epochs : first + int(std::ceil(fraction * (epochs - first + 1) - 1e-9)) - 1;
            if (epoch == shown)
                return true;
            image = renderWeightsFrame(runs, epoch, scale, use);
            shown = epoch;
            return !image.isNull();
        },
        progress, cancelled);
}

} // namespace reglab::ui
