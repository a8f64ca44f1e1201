#include "ui/runs/runplot.h"

#include "ui/charts/palette.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace reglab::ui {
namespace {

struct MetricInfo {
    Metric metric;
    const char *name;
    const char *title;
    bool perEpoch;
    bool percent;
};

const MetricInfo kMetrics[] = {
    {Metric::TestAccuracy, "test_accuracy", "Test accuracy", true, true},
    {Metric::ValAccuracy, "val_accuracy", "Validation accuracy", true, true},
    {Metric::TrainLoss, "train_loss", "Training loss (mean cross-entropy)", true, false},
    {Metric::ValLoss, "val_loss", "Validation loss", true, false},
    {Metric::TestLoss, "test_loss", "Test loss", true, false},
    {Metric::Loss, "loss", "Training loss (cross-entropy + L1 + L2)", false, false},
    {Metric::DataLoss, "data_loss", "Data loss (cross-entropy)", false, false},
    {Metric::L1Term, "l1_term", "L1 term", false, false},
    {Metric::L2Term, "l2_term", "L2 term", false, false},
    {Metric::Sparsity, "sparsity", "First-layer weights below the threshold", true, true},
};

const MetricInfo &info(Metric metric)
{
    for (const auto &m : kMetrics)
        if (m.metric == metric)
            return m;
    return kMetrics[0];
}

double epochValue(const EpochRecord &e, Metric metric)
{
    switch (metric) {
    case Metric::TestAccuracy:
        return 100 * e.testAccuracy;
    case Metric::ValAccuracy:
        return 100 * e.valAccuracy;
    case Metric::TrainLoss:
        return e.trainLoss;
    case Metric::ValLoss:
        return e.valLoss;
    case Metric::TestLoss:
        return e.testLoss;
    case Metric::Sparsity:
        return e.layers.empty() ? std::nan("") : 100 * e.layers.front().smallFraction;
    default:
        return std::nan("");
    }
}

double stepValue(const StepRecord &s, Metric metric)
{
    switch (metric) {
    case Metric::Loss:
        return s.loss;
    case Metric::DataLoss:
        return s.dataLoss;
    case Metric::L1Term:
        return s.l1Term;
    case Metric::L2Term:
        return s.l2Term;
    default:
        return std::nan("");
    }
}

} // namespace

QStringList metricNames()
{
    QStringList names;
    for (const auto &m : kMetrics)
        names << QString::fromLatin1(m.name);
    return names;
}

bool parseMetric(const QString &name, Metric &out)
{
    for (const auto &m : kMetrics)
        if (name == QLatin1String(m.name)) {
            out = m.metric;
            return true;
        }
    return false;
}

QString metricTitle(Metric metric)
{
    return QString::fromLatin1(info(metric).title);
}

QColor runColor(int index)
{
    const QList<QColor> palette = runPalette();
    const int count = int(palette.size());
    return palette[((index % count) + count) % count];
}

QChart *makeRunChart(const QList<PlotRun> &runs, Metric metric, const QString &title)
{
    const MetricInfo &m = info(metric);
    QChart *chart = newChart(title.isEmpty() ? QString::fromLatin1(m.title) : title);

    double maxX = 1, minY = INFINITY, maxY = -INFINITY;
    for (const PlotRun &run : runs) {
        auto *series = new QLineSeries;
        series->setName(run.label);
        QPen pen(run.color, 2.5);
        series->setPen(pen);
        QList<QPointF> points;
        if (m.perEpoch) {
            for (const auto &e : run.record.epochs)
                points.append(QPointF(e.epoch, epochValue(e, metric)));
        } else {
            for (const auto &s : run.record.steps)
                points.append(QPointF(double(s.step), stepValue(s, metric)));
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
        if (m.perEpoch && finite.size() <= 60) { // dots on the epochs, as on the dashboard
            auto *dots = new QScatterSeries;
            dots->setColor(run.color);
            dots->setBorderColor(run.color);
            dots->setMarkerSize(7);
            dots->replace(finite);
            chart->addSeries(dots);
            chart->legend()->markers(dots).first()->setVisible(false);
        }
    }

    auto *xAxis = new QValueAxis;
    xAxis->setTitleText(m.perEpoch ? QStringLiteral("Epoch") : QStringLiteral("Optimizer step (batches)"));
    xAxis->setRange(0, maxX);
    if (m.perEpoch && maxX <= 20) {
        xAxis->setTickCount(int(maxX) + 1);
        xAxis->setLabelFormat(QStringLiteral("%d"));
    } else {
        xAxis->setLabelFormat(QStringLiteral("%.0f"));
    }
    auto *yAxis = new QValueAxis;
    // The sparsity's title is too long for an axis (a small multiple's): the axis says what is counted.
    yAxis->setTitleText(metric == Metric::Sparsity ? QStringLiteral("Weights below threshold (%)")
                        : m.percent                ? QStringLiteral("%1 (%)").arg(QString::fromLatin1(m.title))
                                                   : QStringLiteral("Loss (nats)"));
    if (m.percent) {
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
    if (m.percent && (metric == Metric::TestAccuracy || metric == Metric::ValAccuracy)) {
        auto *chance = new QLineSeries; // ten classes
        chance->setName(QStringLiteral("Chance (10 %)"));
        chance->setPen(QPen(colors::chance, 1.5, Qt::DashLine));
        chance->replace({QPointF(0, 10), QPointF(maxX, 10)});
        chart->addSeries(chance);
        chance->attachAxis(xAxis);
        chance->attachAxis(yAxis);
    }
    return chart;
}

} // namespace reglab::ui
