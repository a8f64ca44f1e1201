#include "ui/figures/smallmultiples.h"

#include "ui/charts/palette.h"
#include "ui/runs/runmodel.h"
#include "ui/runs/runnames.h"

#include <QChart>
#include <QGraphicsScene>
#include <QPainter>


namespace reglab::ui {

QList<PlotRun> shownPlotRuns(const RunModel &runs)
{
    // Named as the window's legends name them (runnames.h).
    const QList<int> ids = runs.shownIds();
    QList<RunNaming> naming;
    for (int id : ids)
        naming << RunNaming{runs.record(id), runs.givenName(id), runs.name(id)};
    const QList<RunNames> names = runNames(naming);
    QList<PlotRun> out;
    for (int i = 0; i < ids.size(); ++i)
        out.append({names[i].legend, runs.color(ids[i]), *runs.record(ids[i])});
    return out;
}

QList<Metric> smallMultipleMetrics(const Metric &loss)
{
    return {loss, "val_accuracy", "test_accuracy", "small_fraction"};
}

void paintSmallMultiples(QPainter &painter, const QRectF &target, const QList<PlotRun> &runs, const Metric &loss)
{
    const QList<Metric> metrics = smallMultipleMetrics(loss);
    const bool row = target.width() > 2 * target.height();
    const int columns = row ? int(metrics.size()) : 2, rows = row ? 1 : 2;
    const QSizeF cell(target.width() / columns, target.height() / rows);
    painter.fillRect(target, chartColors().background);
    for (int i = 0; i < metrics.size(); ++i) {
        // Each panel is laid out by a scene of its own at the cell's size, then painted into its cell.
        QGraphicsScene scene;
        QChart *chart = makeRunChart(runs, metrics[i], {}, legendCapacity(int(cell.height())));
        scene.addItem(chart); // the scene owns and deletes it
        chart->setGeometry(QRectF(QPointF(0, 0), cell));
        scene.setSceneRect(QRectF(QPointF(0, 0), cell));
        const QRectF place(target.left() + (i % columns) * cell.width(), target.top() + (i / columns) * cell.height(),
                           cell.width(), cell.height());
        scene.render(&painter, place, scene.sceneRect());
    }
}

QImage renderSmallMultiples(const QList<PlotRun> &runs, const QSize &size, qreal scale, const Metric &loss)
{
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(chartColors().background);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paintSmallMultiples(painter, QRectF(QPointF(0, 0), QSizeF(size)), runs, loss);
    return image;
}

} // namespace reglab::ui
