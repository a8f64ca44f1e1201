#include "ui/charts/smoothing.h"

#include <cmath>

namespace reglab::ui {

double Ema::add(double value)
{
    if (!std::isfinite(value))
        return value;
    m_last = m_weight * m_last + (1 - m_weight) * value;
    m_weightPower *= m_weight;
    const double debias = 1 - m_weightPower;
    return debias > 0 ? m_last / debias : value;
}

QList<QPointF> smoothed(const QList<QPointF> &points, double weight)
{
    Ema ema(weight);
    QList<QPointF> out;
    out.reserve(points.size());
    for (const QPointF &p : points)
        out.append(QPointF(p.x(), ema.add(p.y())));
    return out;
}

} // namespace reglab::ui
