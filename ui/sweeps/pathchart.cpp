// The regularization path chart shared by the sweep view and `reglab plot --sweep`.
#include "ui/sweeps/pathchart.h"

#include "model/config.h"
#include "model/metrics.h"

#include "ui/charts/palette.h"
#include "ui/runs/runplot.h"

#include <QAreaSeries>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace reglab::ui {
namespace {

// A fraction shown in percent (the accuracies, the gap, the sparsity), as the metrics table says.
bool percent(const std::string &metric)
{
    const reglab::Metric *m = reglab::findMetric(metric);
    return m && m->fraction();
}

} // namespace

QString pathMetricName(const std::string &metric)
{
    const reglab::Metric *m = reglab::findMetric(metric);
    return m ? QString::fromStdString(m->brief()) : QString::fromStdString(metric);
}

namespace {

// A curve's legend name: "L1", "L2", a grouping setting's value, or (one curve, no groups) its metric's name.
QString groupName(const std::string &group, const std::string &metric)
{
    if (group == "l1")
        return QStringLiteral("L1");
    if (group == "l2")
        return QStringLiteral("L2");
    if (group == metric)
        return pathMetricName(metric);
    return QString::fromStdString(group);
}

} // namespace

QString pathMetricTitle(const std::string &metric)
{
    return percent(metric) ? pathMetricName(metric) + QStringLiteral(" (%)") : pathMetricName(metric);
}

QString pathXTitle(const std::string &xLabel)
{
    if (xLabel == "l1")
        return QStringLiteral("L1 strength λ₁");
    if (xLabel == "l2")
        return QStringLiteral("L2 strength λ₂");
    if (xLabel == "l1,l2" || xLabel == "l2,l1")
        return QStringLiteral("Strength λ (L1: λ₁, L2: λ₂)");
    // Another swept setting: its label in the window ("Learning rate"), not its key.
    if (const reglab::ConfigField *f = reglab::findField(xLabel); f && !f->label.empty())
        return QString::fromStdString(f->label);
    return QString::fromStdString(xLabel);
}

QChart *makePathChart(const SweepPath &path, const QString &title)
{
    QChart *chart = newChart(title.isEmpty() ? QStringLiteral("The regularization path") : title);
    const double scale = percent(path.metric) ? 100.0 : 1.0;
    double xLo = INFINITY, xHi = -INFINITY, yLo = INFINITY, yHi = -INFINITY;
    for (const PathCurve &curve : path.curves)
        for (const PathPoint &p : curve.points) {
            if (path.logX && !(p.x > 0))
                continue;
            xLo = std::min(xLo, p.x);
            xHi = std::max(xHi, p.x);
            yLo = std::min(yLo, p.min * scale);
            yHi = std::max(yHi, p.max * scale);
        }
    if (path.baseline.runs > 0) {
        yLo = std::min(yLo, path.baseline.mean * scale);
        yHi = std::max(yHi, path.baseline.mean * scale);
    }
    if (!std::isfinite(xLo)) { // nothing to draw yet: a sweep whose first run is still going
        xLo = path.logX ? 1e-5 : 0;
        xHi = path.logX ? 1e-1 : 1;
        yLo = 0;
        yHi = scale;
    }
    QAbstractAxis *xAxis;
    if (path.logX) {
        auto *log = new QLogValueAxis;
        log->setBase(10);
        log->setLabelFormat(QStringLiteral("%g"));
        // Qt's first tick is 10^ceil(log10(min)), and log10(1e-4) is a hair above -4: the range starts a hair
        // below each end's decade, so that the decade's tick is drawn (1e-4..1e-1 showed no 1e-4).
        log->setRange(std::pow(10, std::floor(std::log10(xLo) + 1e-9)) * (1 - 1e-9),
                      std::pow(10, std::ceil(std::log10(xHi) - 1e-9)) * (1 + 1e-9));
        log->setMinorTickCount(-1);
        xAxis = log;
    } else {
        auto *linear = new QValueAxis;
        linear->setRange(xLo, xHi > xLo ? xHi : xLo + 1);
        linear->applyNiceNumbers();
        xAxis = linear;
    }
    xAxis->setTitleText(pathXTitle(path.xLabel));
    auto *yAxis = new QValueAxis;
    yAxis->setTitleText(pathMetricTitle(path.metric));
    if (percent(path.metric) && yLo >= 0) {
        yAxis->setRange(0, 100);
    } else if (percent(path.metric)) { // a difference of accuracies (the gap): around its values
        yAxis->setRange(std::floor(yLo / 5) * 5, std::ceil(std::max(0.0, yHi) / 5) * 5);
        yAxis->applyNiceNumbers();
    } else {
        yAxis->setRange(std::min(0.0, yLo), yHi > 0 ? yHi * 1.05 : 1.0);
        yAxis->applyNiceNumbers();
    }
    yAxis->setLabelFormat(QStringLiteral("%g"));
    for (QAbstractAxis *axis : {xAxis, static_cast<QAbstractAxis *>(yAxis)}) {
        axis->setTitleFont(chartFont(kAxisTitlePointSize));
        axis->setLabelsFont(chartFont(kLabelPointSize));
    }
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    auto attach = [&](QAbstractSeries *series) {
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    };
    for (int i = 0; i < int(path.curves.size()); ++i) {
        const PathCurve &curve = path.curves[std::size_t(i)];
        const QColor color = runColor(i);
        auto *mean = new QLineSeries, *low = new QLineSeries, *high = new QLineSeries;
        auto *dots = new QScatterSeries;
        for (const PathPoint &p : curve.points) {
            if (path.logX && !(p.x > 0))
                continue;
            mean->append(p.x, p.mean * scale);
            low->append(p.x, p.min * scale);
            high->append(p.x, p.max * scale);
            dots->append(p.x, p.mean * scale);
        }
        // The band first, under its curve: the seeds' spread, in the curve's colour made faint.
        auto *band = new QAreaSeries(high, low);
        QColor fill = color;
        fill.setAlphaF(0.2);
        band->setBrush(fill);
        band->setPen(Qt::NoPen);
        band->setName(groupName(curve.group, path.metric) + QStringLiteral(" (min-max over seeds)"));
        attach(band);
        chart->legend()->markers(band).first()->setVisible(false);
        mean->setName(groupName(curve.group, path.metric));
        mean->setProperty("reglabCurve", i); // which curve a click on it means
        mean->setPen(QPen(color, 2.5));
        attach(mean);
        dots->setColor(color);
        dots->setBorderColor(color);
        dots->setMarkerSize(7);
        attach(dots);
        chart->legend()->markers(dots).first()->setVisible(false);
    }
    if (path.baseline.runs > 0) {
        auto *base = new QLineSeries;
        base->setName(QStringLiteral("No regularization"));
        base->setPen(QPen(colors::chance, 1.5, Qt::DashLine));
        const double lo = path.logX ? static_cast<QLogValueAxis *>(xAxis)->min() : static_cast<QValueAxis *>(xAxis)->min();
        const double hi = path.logX ? static_cast<QLogValueAxis *>(xAxis)->max() : static_cast<QValueAxis *>(xAxis)->max();
        base->append(lo, path.baseline.mean * scale);
        base->append(hi, path.baseline.mean * scale);
        attach(base);
    }
    return chart;
}

} // namespace reglab::ui
