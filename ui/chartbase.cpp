#include "ui/chartbase.h"

#include "ui/palette.h"

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>

namespace reglab::ui {

void halveHistory(QList<QPointF> &points)
{
    QList<QPointF> half;
    half.reserve(points.size() / 2 + 1);
    for (qsizetype i = 0; i < points.size(); i += 2)
        half.append(points[i]);
    if ((points.size() - 1) % 2 != 0)
        half.append(points.last()); // the newest point stays
    points = std::move(half);
}

ChartBase::ChartBase(const QString &title, QWidget *parent) : QChartView(parent)
{
    setChart(newChart(title));
    setRenderHint(QPainter::Antialiasing);
    setBackgroundBrush(Qt::white);
    setMinimumSize(320, 200);
}

void ChartBase::scheduleRedraw()
{
    m_dirty = true;
}

void ChartBase::flush()
{
    if (m_dirty && isVisible())
        redrawNow();
}

void ChartBase::redrawNow()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    Q_EMIT redrawDue();
}

void ChartBase::showEvent(QShowEvent *event)
{
    QChartView::showEvent(event);
    redrawNow();
}

QList<QPointF> ChartBase::thinned(const QList<QPointF> &all, int maxPoints)
{
    if (all.size() <= maxPoints)
        return all;
    const qsizetype stride = (all.size() + maxPoints - 1) / maxPoints;
    QList<QPointF> shown;
    shown.reserve(all.size() / stride + 2);
    for (qsizetype i = 0; i < all.size(); i += stride)
        shown.append(all[i]);
    if ((all.size() - 1) % stride != 0)
        shown.append(all.last());
    return shown;
}

QLineSeries *ChartBase::makeLine(const QString &name, const QColor &color, qreal width, Qt::PenStyle style)
{
    auto *series = new QLineSeries(this);
    series->setName(name);
    QPen pen(color, width, style);
    pen.setCapStyle(Qt::RoundCap);
    series->setPen(pen);
    // OpenGL would be faster but breaks grabbing and the offscreen platform; thinned series draw fast enough.
    series->setUseOpenGL(false);
    return series;
}

void ChartBase::addSeries(QAbstractSeries *series)
{
    chart()->addSeries(series);
    if (m_xAxis)
        series->attachAxis(m_xAxis);
    if (m_yAxis)
        series->attachAxis(m_yAxis);
}

void ChartBase::removeAllSeries()
{
    chart()->removeAllSeries();
}

void ChartBase::styleAxis(QAbstractAxis *axis, const QString &title)
{
    axis->setTitleText(title);
    axis->setTitleFont(chartFont(kAxisTitlePointSize));
    axis->setLabelsFont(chartFont(kLabelPointSize));
    axis->setGridLineColor(QColor(0xE0, 0xE0, 0xE0));
    axis->setMinorGridLineColor(QColor(0xF0, 0xF0, 0xF0));
}

void ChartBase::setAxes(QAbstractAxis *x, QAbstractAxis *y)
{
    const auto swap = [this](QAbstractAxis *&slot, QAbstractAxis *axis, Qt::Alignment side) {
        if (!axis || axis == slot)
            return;
        QAbstractAxis *old = slot;
        slot = axis;
        chart()->addAxis(axis, side);
        for (QAbstractSeries *s : chart()->series()) {
            if (old)
                s->detachAxis(old);
            s->attachAxis(axis);
        }
        if (old) {
            chart()->removeAxis(old);
            old->deleteLater();
        }
    };
    swap(m_xAxis, x, Qt::AlignBottom);
    swap(m_yAxis, y, Qt::AlignLeft);
}

std::pair<double, double> ChartBase::yRange() const
{
    if (auto *v = qobject_cast<QValueAxis *>(m_yAxis))
        return {v->min(), v->max()};
    if (auto *l = qobject_cast<QLogValueAxis *>(m_yAxis))
        return {l->min(), l->max()};
    return {0, 1};
}

} // namespace reglab::ui
