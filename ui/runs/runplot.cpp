#include "ui/runs/runplot.h"
#include "model/metrics.h"

#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"

#include <QChart>
#include <QFontMetricsF>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace reglab::ui {
namespace {

const reglab::Metric &info(const Metric &metric)
{
    const reglab::Metric *m = reglab::findMetric(metric);
    return m ? *m : *reglab::findMetric("test_accuracy");
}

// A value as the chart draws it: fractions in percent; NaN where it was not measured (not drawn).
double epochValue(const EpochRecord &e, const reglab::Metric &m)
{
    if (!m.read)
        return std::nan("");
    return (m.fraction() ? 100 : 1) * m.read(e);
}

// 1, 2 or 5 times a power of ten, at least `raw` (a tick step of round numbers).
double niceTickStep(double raw)
{
    if (!(raw > 0))
        return 1;
    const double decade = std::pow(10, std::floor(std::log10(raw)));
    for (double k : {1.0, 2.0, 5.0})
        if (k * decade >= raw)
            return k * decade;
    return 10 * decade;
}

} // namespace

QStringList metricNames()
{
    return QString::fromStdString(reglab::metricKeys(",")).split(QLatin1Char(','));
}

bool parseMetric(const QString &name, Metric &out)
{
    const reglab::Metric *m = reglab::findMetric(name.toStdString());
    if (!m || !m->plotted)
        return false;
    out = m->key;
    return true;
}

QString metricTitle(const Metric &metric)
{
    return QString::fromStdString(info(metric).label);
}

int legendCapacity(int height, qreal legendPixels)
{
    QFont font = chartFont(kLabelPointSize);
    if (legendPixels > 0) // a figure's legend type (figureuse.h)
        font.setPixelSize(int(legendPixels));
    const QFontMetricsF metrics(font);
    const double line = metrics.lineSpacing() + 6; // a marker's row, with Qt's spacing
    const int lines = int((height - 120) / line);  // less the title, the margins and the legend's own
    return std::clamp(lines - 2, 1, kMaxLegendRuns);
}

QColor runColor(int index)
{
    const QList<QColor> palette = runPalette();
    const int count = int(palette.size());
    return palette[((index % count) + count) % count];
}

void colourRuns(QList<PlotRun> &runs)
{
    QList<QColor> taken;
    for (PlotRun &run : runs)
        if (isRunColor(run.record.color)) {
            run.color = QColor(QString::fromStdString(run.record.color));
            taken << run.color;
        }
    const QList<QColor> palette = runPalette();
    int next = 0;
    for (PlotRun &run : runs) {
        if (isRunColor(run.record.color))
            continue;
        // The next colour no run has; when all are taken, the palette again from where it was.
        int tries = 0;
        while (taken.contains(palette[next % palette.size()]) && tries++ < palette.size())
            ++next;
        run.color = palette[next++ % palette.size()];
        taken << run.color;
    }
}

QChart *makeRunChart(const QList<PlotRun> &runs, const Metric &metric, const QString &title, int maxNamed)
{
    const reglab::Metric &m = info(metric);
    const bool perEpoch = m.per == reglab::Metric::Per::Epoch, percent = m.fraction();
    QChart *chart = newChart(title.isEmpty() ? QString::fromStdString(m.label) : title);

    double maxX = 1, minY = INFINITY, maxY = -INFINITY;
    int named = 0;
    // Runs compared tell themselves apart by dashes and markers too (a greyscale print); one run alone is drawn
    // as the dashboard draws it.
    const bool styled = runs.size() >= 2;
    for (const PlotRun &run : runs) {
        const RunStyle style = styled ? runStyleOf(run.color) : RunStyle{};
        auto *series = new QLineSeries;
        series->setName(run.label);
        QPen pen(run.color, 2.5);
        applyRunDashes(pen, style);
        series->setPen(pen);
        if (styled)
            setSeriesRunStyle(series, style);
        QList<QPointF> points;
        if (perEpoch) {
            for (const auto &e : run.record.epochs)
                points.append(QPointF(e.epoch, epochValue(e, m)));
        } else {
            for (const auto &s : run.record.steps)
                points.append(QPointF(double(s.step), m.readStep(s)));
        }
        QList<QPointF> finite;
        for (const QPointF &p : points) {
            if (!std::isfinite(p.y()))
                continue;
            finite.append(p);
            maxX = std::max(maxX, p.x());
            minY = std::min(minY, p.y());
            maxY = std::max(maxY, p.y());
        }
        series->replace(finite);
        chart->addSeries(series);
        if (styled) {
            // The run's markers along its line (each epoch, or a dozen along a curve of steps), and its legend
            // entry on an empty line of its own that shows the stroke with the marker.
            chart->legend()->markers(series).first()->setVisible(false);
            series->setProperty("reglabNoLegend", true);
            QScatterSeries *marks = newRunMarks(series, style, kRunMarkSize, perEpoch ? 60 : 12);
            chart->addSeries(marks);
            chart->legend()->markers(marks).first()->setVisible(false);
            QLineSeries *sample = newRunSample(run.label, run.color, 2.5, style);
            chart->addSeries(sample);
            showRunSample(chart, sample);
            if (++named > maxNamed)
                chart->legend()->markers(sample).first()->setVisible(false);
            continue;
        }
        if (++named > maxNamed)
            chart->legend()->markers(series).first()->setVisible(false);
        // Dots on the epochs, as on the dashboard; and a lone point (a run of one logged loss), which a line
        // does not draw, yet sets the axis.
        if ((perEpoch && finite.size() <= 60) || finite.size() == 1) {
            auto *dots = new QScatterSeries;
            dots->setColor(run.color);
            dots->setBorderColor(run.color);
            dots->setMarkerSize(7);
            dots->replace(finite);
            chart->addSeries(dots);
            chart->legend()->markers(dots).first()->setVisible(false);
        }
    }

    if (runs.size() > maxNamed) { // an entry without a swatch that says what the legend leaves out
        auto *note = new QLineSeries;
        note->setName(QStringLiteral("\u2026 and %1 more (the summary table lists all)")
                          .arg(runs.size() - maxNamed));
        note->setPen(QPen(Qt::transparent));
        chart->addSeries(note);
        if (QLegendMarker *marker = chart->legend()->markers(note).value(0)) {
            marker->setBrush(Qt::transparent);
            marker->setPen(Qt::NoPen);
        }
    }
    // Qt lays a bottom legend out in one row, cutting every name once they do not fit: more than a few runs are
    // listed down the right side, one a line.
    if (runs.size() > kMaxBottomLegendRuns)
        chart->legend()->setAlignment(Qt::AlignRight);

    auto *xAxis = new QValueAxis;
    xAxis->setTitleText(perEpoch ? QStringLiteral("Epoch") : QStringLiteral("Optimizer step (batches)"));
    // Qt clips the series to the plot: the range reaches a little past the last point, so that its dot is whole
    // (a column's end dots were cut in half); the ticks stay on whole epochs or round steps.
    const double step = perEpoch && maxX <= 20 ? 1.0 : niceTickStep(maxX / 5);
    xAxis->setTickType(QValueAxis::TicksDynamic);
    xAxis->setTickAnchor(0);
    xAxis->setTickInterval(step);
    xAxis->setRange(0, maxX * 1.025);
    xAxis->setLabelFormat(perEpoch && maxX <= 20 ? QStringLiteral("%d") : QStringLiteral("%.0f"));
    auto *yAxis = new QValueAxis;
    // The sparsity's title is too long for an axis (a small multiple's): the axis says what is counted.
    yAxis->setTitleText(metric == "small_fraction"  ? QStringLiteral("Weights below threshold (%)")
                        : metric == "zero_fraction" ? QStringLiteral("Weights exactly zero (%)")
                        : metric == "gap"           ? QStringLiteral("Gap (points)") // the title says of what
                        : percent                   ? QStringLiteral("%1 (%)").arg(QString::fromStdString(m.label))
                                                    : QStringLiteral("Loss (nats)"));
    if (metric == "gap" && std::isfinite(minY)) {
        // A difference of accuracies (the gap, a few points, perhaps below 0): around its values and 0, with a
        // margin, not 0-100 where it would be a flat line.
        const double lo = std::min(0.0, minY), hi = std::max(0.0, maxY);
        const double margin = std::max(1.0, 0.1 * (hi - lo));
        yAxis->setRange(minY < 0 ? lo - margin : 0, hi + margin);
        yAxis->applyNiceNumbers();
        yAxis->setLabelFormat(hi - lo + 2 * margin < 5 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    } else if (percent) {
        yAxis->setRange(0, 100);
        yAxis->setLabelFormat(QStringLiteral("%.0f"));
    } else {
        if (!std::isfinite(minY)) {
            minY = 0;
            maxY = 1;
        }
        yAxis->setRange(std::min(0.0, minY), maxY <= 0 ? 1.0 : maxY * 1.05);
        yAxis->applyNiceNumbers();
    }
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(xAxis), static_cast<QAbstractAxis *>(yAxis)}) {
        axis->setTitleFont(chartFont(kAxisTitlePointSize));
        axis->setLabelsFont(chartFont(kLabelPointSize));
    }
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAbstractSeries *series : chart->series()) {
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    if (percent && m.higherIsBetter) { // an accuracy: ten classes guessed at random
        auto *chance = new QLineSeries; // ten classes
        chance->setName(QStringLiteral("Chance (10 %)"));
        chance->setPen(QPen(colors::chance, 1.5, Qt::DashLine));
        chance->replace({QPointF(0, 10), QPointF(xAxis->max(), 10)});
        chart->addSeries(chance);
        chance->attachAxis(xAxis);
        chance->attachAxis(yAxis);
    }
    return chart;
}

} // namespace reglab::ui
