#include "ui/losschart.h"
#include "ui/palette.h"

#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>

#include <cmath>

namespace reglab::ui {

LossChart::LossChart(QWidget *parent) : LiveChart(tr("Training loss and its parts"), parent)
{
    auto *x = new QValueAxis(this);
    x->setLabelFormat(QStringLiteral("%d"));
    x->setRange(0, 100);
    styleAxis(x, tr("Optimizer step (batches)"));
    setXAxis(x);
    auto *y = new QValueAxis(this);
    styleAxis(y, tr("Loss (nats)"));
    y->setRange(0, 3);
    setYAxis(y);

    addTrack(tr("Data loss (cross-entropy)"), colors::dataLoss);
    addTrack(tr("L1 term  \u03bb\u2081\u00b7\u03a3|p|"), colors::l1Term);
    addTrack(tr("L2 term  \u03bb\u2082/2\u00b7\u03a3p\u00b2"), colors::l2Term);
    addTrack(tr("Total"), colors::totalLoss, 1.5, Qt::DashLine);
}

void LossChart::setTotalSteps(std::int64_t steps)
{
    m_totalSteps = steps;
    if (auto *x = qobject_cast<QValueAxis *>(xAxis()))
        x->setRange(0, double(std::max<std::int64_t>(steps, 1)));
    updateMarkers();
}

void LossChart::addStep(const reglab::StepRecord &r)
{
    // The first points of a run, and the first after each change of lambda or learning rate, set the scale the
    // linear axis may grow to (see updateRanges).
    if (r.l1 != m_lastL1 || r.l2 != m_lastL2 || r.learningRate != m_lastLr) {
        m_lastL1 = r.l1;
        m_lastL2 = r.l2;
        m_lastLr = r.learningRate;
        m_earlyLeft = kEarlyPoints;
    }
    if (m_earlyLeft > 0) {
        --m_earlyLeft;
        for (double v : {r.dataLoss, r.l1Term, r.l2Term, r.loss})
            if (std::isfinite(v))
                m_reference = std::max(m_reference, v);
    }
    const double x = double(r.step);
    append(Data, {x, r.dataLoss});
    append(L1, {x, r.l1Term});
    append(L2, {x, r.l2Term});
    append(Total, {x, r.loss});
    for (double v : {r.dataLoss, r.l1Term, r.l2Term, r.loss}) {
        if (!std::isfinite(v))
            continue;
        m_maxY = std::max(m_maxY, v);
        if (v > 0 && (m_minPositive == 0 || v < m_minPositive))
            m_minPositive = v;
    }
}

double LossChart::floorValue() const
{
    // One decade under the smallest positive value, so a zero term (L1 off) lies visibly at the bottom.
    const double smallest = m_minPositive > 0 ? m_minPositive : 1e-3;
    return std::pow(10.0, std::floor(std::log10(smallest)) - 1);
}

QPointF LossChart::shown(const QPointF &p) const
{
    if (!m_log)
        return p;
    const double y = std::isfinite(p.y()) ? std::max(p.y(), floorValue()) : floorValue();
    return {p.x(), y};
}

void LossChart::setLogScale(bool on)
{
    if (on == m_log)
        return;
    m_log = on;
    if (on) {
        auto *y = new QLogValueAxis(this);
        y->setBase(10);
        y->setLabelFormat(QStringLiteral("%g"));
        y->setMinorTickCount(-1);
        styleAxis(y, tr("Loss (nats, log)"));
        swapYAxis(y);
    } else {
        auto *y = new QValueAxis(this);
        y->setLabelFormat(QStringLiteral("%g"));
        styleAxis(y, tr("Loss (nats)"));
        swapYAxis(y);
    }
}

void LossChart::updateRanges()
{
    const double top = m_maxY > 0 ? m_maxY : 3.0;
    if (auto *y = qobject_cast<QValueAxis *>(yAxis())) {
        // A diverging run logs losses up to ~1e20 before they turn non-finite; followed, they would flatten
        // every curve so far. The linear axis stops at kCapFactor times the early scale (the log axis shows all).
        const double capped = m_reference > 0 ? std::min(top, kCapFactor * m_reference) : top;
        y->setRange(0, capped * 1.05);
        y->applyNiceNumbers();
    } else if (auto *l = qobject_cast<QLogValueAxis *>(yAxis())) {
        const double lo = floorValue();
        if (lo != m_shownFloor) { // zeros shown at the old floor must move down with it
            m_shownFloor = lo;
            rebuildSeries();
        }
        const double hi = std::pow(10.0, std::ceil(std::log10(top * 1.01)));
        l->setRange(lo, std::max(hi, lo * 10));
    }
    if (m_totalSteps == 0) { // no RunInfo yet (a loaded record): follow the data
        double maxX = 100;
        if (!track(Data).all.isEmpty())
            maxX = track(Data).all.last().x();
        if (auto *x = qobject_cast<QValueAxis *>(xAxis()))
            x->setRange(0, maxX);
    }
}

double LossChart::xAxisMax() const
{
    auto *x = qobject_cast<QValueAxis *>(xAxis());
    return x ? x->max() : 0.0;
}

void LossChart::clear()
{
    m_totalSteps = 0; // the x axis follows the data until the next run's RunInfo
    m_reference = 0;
    m_earlyLeft = 0;
    m_lastL1 = m_lastL2 = m_lastLr = -1;
    m_maxY = 0;
    m_minPositive = 0;
    m_shownFloor = 0;
    LiveChart::clear();
}

} // namespace reglab::ui
