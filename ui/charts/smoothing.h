// Exponential moving average of a noisy curve, as TensorBoard's smoothing slider computes it: debiased, so the
// first points are not pulled towards zero. Non-finite values pass through and do not enter the average.
#pragma once

#include <QList>
#include <QPointF>

namespace reglab::ui {

class Ema {
public:
    Ema() = default;
    explicit Ema(double weight) : m_weight(weight) {}
    // The smoothed value after `value`: last = w * last + (1 - w) * value, divided by 1 - w^n (n finite values).
    double add(double value);
    double weight() const { return m_weight; }

private:
    double m_weight = 0;
    double m_last = 0;
    double m_weightPower = 1; // w^n
};

// Every point's y smoothed with `weight` (0: the points themselves; TensorBoard's slider goes to 0.99).
QList<QPointF> smoothed(const QList<QPointF> &points, double weight);

} // namespace reglab::ui
