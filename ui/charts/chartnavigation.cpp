// ChartBase's interrogation: hover values, wheel zoom, drag pan, double-click reset and the right-click menu. Every
// chart derives from ChartBase, so every chart can be questioned the same way.
#include "ui/charts/chartbase.h"

#include "ui/charts/figureexport.h"

#include <QAction>
#include <QChart>
#include <QContextMenuEvent>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QMetaMethod>
#include <QMouseEvent>
#include <QToolTip>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace reglab::ui {
namespace {

// Zoom and pan work in the axis' own space: log10 of the value on a log axis, so the view scales evenly.
bool isLog(const QAbstractAxis *axis)
{
    return qobject_cast<const QLogValueAxis *>(axis) != nullptr;
}

double toSpace(const QAbstractAxis *axis, double v)
{
    return isLog(axis) ? std::log10(v) : v;
}

double fromSpace(const QAbstractAxis *axis, double v)
{
    return isLog(axis) ? std::pow(10.0, v) : v;
}

std::pair<double, double> rangeOf(const QAbstractAxis *axis)
{
    if (auto *v = qobject_cast<const QValueAxis *>(axis))
        return {v->min(), v->max()};
    if (auto *l = qobject_cast<const QLogValueAxis *>(axis))
        return {l->min(), l->max()};
    return {0, 1};
}

void setRangeOf(QAbstractAxis *axis, double lo, double hi)
{
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return;
    if (auto *v = qobject_cast<QValueAxis *>(axis))
        ChartBase::setAxisRange(v, lo, hi);
    else if (auto *l = qobject_cast<QLogValueAxis *>(axis); l && lo > 0)
        l->setRange(lo, hi);
}

QString number(double v)
{
    return QString::number(v, 'g', std::abs(v) >= 1000 ? 7 : 4);
}

} // namespace

std::pair<double, double> ChartBase::xRange() const
{
    return rangeOf(m_xAxis);
}

void ChartBase::setView(double x0, double x1, double y0, double y1)
{
    m_userView = true;
    m_viewX0 = x0;
    m_viewX1 = x1;
    m_viewY0 = y0;
    m_viewY1 = y1;
    applyUserView();
    fitAxes();
    viewChanged();
}

void ChartBase::applyUserView()
{
    if (!m_userView || !m_xAxis || !m_yAxis)
        return;
    setRangeOf(m_xAxis, m_viewX0, m_viewX1);
    setRangeOf(m_yAxis, m_viewY0, m_viewY1);
}

void ChartBase::zoomAt(const QPointF &pos, double factor)
{
    const QRectF plot = chart()->plotArea();
    if (!m_xAxis || !m_yAxis || plot.width() < 1 || plot.height() < 1 || !(factor > 0))
        return;
    const QPointF at = chart()->mapFromScene(mapToScene(pos.toPoint()));
    const double fx = std::clamp((at.x() - plot.left()) / plot.width(), 0.0, 1.0);
    const double fy = std::clamp((plot.bottom() - at.y()) / plot.height(), 0.0, 1.0);
    auto zoomed = [factor](const QAbstractAxis *axis, double f) {
        const auto [lo, hi] = rangeOf(axis);
        const double a = toSpace(axis, lo), b = toSpace(axis, hi);
        const double c = a + f * (b - a); // the value under the cursor stays under it
        return std::pair{fromSpace(axis, c - (c - a) * factor), fromSpace(axis, c + (b - c) * factor)};
    };
    const auto [x0, x1] = zoomed(m_xAxis, fx);
    const auto [y0, y1] = zoomed(m_yAxis, fy);
    setView(x0, x1, y0, y1);
}

void ChartBase::panBy(const QPointF &pixels)
{
    const QRectF plot = chart()->plotArea();
    if (!m_xAxis || !m_yAxis || plot.width() < 1 || plot.height() < 1)
        return;
    auto moved = [](const QAbstractAxis *axis, double share) {
        const auto [lo, hi] = rangeOf(axis);
        const double a = toSpace(axis, lo), b = toSpace(axis, hi);
        const double d = share * (b - a);
        return std::pair{fromSpace(axis, a + d), fromSpace(axis, b + d)};
    };
    const auto [x0, x1] = moved(m_xAxis, -pixels.x() / plot.width());
    const auto [y0, y1] = moved(m_yAxis, pixels.y() / plot.height());
    setView(x0, x1, y0, y1);
}

void ChartBase::resetView()
{
    m_userView = false;
    autoRange();
    fitAxes();
    viewChanged();
}

void ChartBase::autoRange()
{
    m_dirty = true;
    redrawNow();
}

QString ChartBase::hoverTextAt(const QPointF &pos) const
{
    const QPointF at = chart()->mapFromScene(mapToScene(pos.toPoint()));
    if (!chart()->plotArea().contains(at)) // on a shortened legend entry: its whole name
        return legendTextAt(mapToScene(pos.toPoint()));
    constexpr double kNear = 16; // pixels
    double best = kNear * kNear;
    QString text;
    for (QAbstractSeries *abstract : chart()->series()) {
        auto *series = qobject_cast<QLineSeries *>(abstract);
        if (!series || !series->isVisible() || series->property("reglabNoHover").toBool() || series->count() == 0)
            continue;
        const QVariant longName = series->property("reglabLongName");
        const QString name = longName.isValid() ? longName.toString() : series->name();
        for (const QPointF &p : series->points()) {
            const QPointF d = chart()->mapToPosition(p, series) - at;
            const double dist = d.x() * d.x() + d.y() * d.y();
            if (dist < best) {
                best = dist;
                text = tr("%1: %2 at %3").arg(name, number(p.y()), number(p.x()));
            }
        }
    }
    return text;
}

QMenu *ChartBase::contextMenu()
{
    auto *menu = new QMenu(this);
    menu->addAction(tr("Export figure\u2026"), this, [this] {
        if (isSignalConnected(QMetaMethod::fromSignal(&ChartBase::exportRequested))) {
            Q_EMIT exportRequested();
            return;
        }
        QString error;
        exportWithDialog(this, this, m_title.isEmpty() ? tr("chart") : m_title, 2, error);
    });
    menu->addAction(tr("Copy image"), this, [this] { copyWidget(this); });
    if (logScaleAvailable()) {
        QAction *log = menu->addAction(tr("Log scale"));
        log->setCheckable(true);
        log->setChecked(logScaleActive());
        connect(log, &QAction::toggled, this, &ChartBase::logScaleRequested);
    }
    QAction *reset = menu->addAction(tr("Reset view"), this, &ChartBase::resetView);
    reset->setEnabled(m_userView);
    return menu;
}

void ChartBase::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        QChartView::wheelEvent(event);
        return;
    }
    zoomAt(event->position(), std::pow(0.8, steps));
    event->accept();
}

void ChartBase::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton &&
        chart()->plotArea().contains(chart()->mapFromScene(mapToScene(event->position().toPoint())))) {
        m_dragging = true;
        m_dragFrom = event->position();
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void ChartBase::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging && (event->buttons() & Qt::LeftButton)) {
        panBy(event->position() - m_dragFrom);
        m_dragFrom = event->position();
        event->accept();
        return;
    }
    m_hoverText = hoverTextAt(event->position());
    if (m_hoverText.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), m_hoverText, this);
    QChartView::mouseMoveEvent(event);
}

void ChartBase::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void ChartBase::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        resetView();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void ChartBase::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu *menu = contextMenu();
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
    event->accept();
}

} // namespace reglab::ui
