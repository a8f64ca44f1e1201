// The figure of runs shared by `reglab plot` and the window's export (runfigure.h).
#include "ui/figures/runfigure.h"

#include "ui/charts/figureexport.h"
#include "ui/charts/pgfplotsexport.h"

#include <QChart>
#include <QFileInfo>

namespace reglab::ui {

int runFigureLegendCapacity(const FigureUse &use)
{
    return legendCapacity(use.layoutSize().height(), legendPixels(use));
}

QChart *makeRunFigure(const QList<PlotRun> &runs, const Metric &metric, const FigureUse &use, const QString &title)
{
    QChart *chart = makeRunChart(runs, metric, title, runFigureLegendCapacity(use));
    styleForUse(chart, use);
    return chart;
}

QString saveFigure(QChart *chart, const FigureUse &use, const QString &path, qreal scale)
{
    if (QFileInfo(path).suffix().toLower() == QLatin1String("tex"))
        return saveText(path, chartToPgfplots(chart));
    return saveChart(chart, use.layoutSize(), path, scale, use.size);
}

} // namespace reglab::ui
