// ChartBase's interrogation: hover values, wheel zoom, drag pan, double-click reset and the right-click menu, and
// the same by keyboard on a chart with the focus (drawn with a frame). Every chart derives from ChartBase, so every
// chart can be questioned the same way.
#include "ui/charts/chartbase.h"

#include "ui/charts/figureexport.h"

#include <QAction>
#include <QChart>
#include <QContextMenuEvent>
#include <QCoreApplication>
#include <QKeyEvent>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QMetaMethod>
#include <QMouseEvent>
#include <QPainter>
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

// The keys of a chart with the focus, as keyPressEvent answers them: Help > Keyboard shortcuts reads this table,
// so what it says is what the keys do.
struct ChartKey {
    const char *keys, *text;
};
constexpr ChartKey kChartKeys[] = {
    {QT_TRANSLATE_NOOP("ChartBase", "+, - (or Ctrl++, Ctrl+-)"),
     QT_TRANSLATE_NOOP("ChartBase", "On a chart with the focus: zoom in, zoom out about its centre")},
    {QT_TRANSLATE_NOOP("ChartBase", "Arrows, Shift+arrows"),
     QT_TRANSLATE_NOOP("ChartBase", "On a chart with the focus: pan (a tenth of the plot; with Shift, a fiftieth)")},
    {QT_TRANSLATE_NOOP("ChartBase", "0, Home"),
     QT_TRANSLATE_NOOP("ChartBase", "On a chart with the focus: back to the whole range (as a double-click)")},
    {QT_TRANSLATE_NOOP("ChartBase", "Ctrl+Right, Ctrl+Left"),
     QT_TRANSLATE_NOOP("ChartBase", "On a chart with the focus: the values at the next, previous point (as hover)")},
    {QT_TRANSLATE_NOOP("ChartBase", "Menu, Shift+F10"),
     QT_TRANSLATE_NOOP("ChartBase", "On a chart with the focus: its menu (export, copy, log scale, reset)")},
};
constexpr double kKeyZoom = 0.8;     // one wheel step
constexpr double kKeyPan = 0.1;      // of the plot's width or height
constexpr double kKeyPanFine = 0.02; // with Shift
// Zoom stops at a millionth of the whole range and at a hundred times it: past those the axes' numbers collapse
// into one another (200 presses of + left a range of width 0), or a log axis spans hundreds of decades, whose
// ticks Qt Charts takes minutes to lay out.
constexpr double kZoomInLimit = 1e-6, kZoomOutLimit = 100;
int g_noFocusFrame = 0;              // NoFocusFrame guards alive

} // namespace

QStringList ChartBase::keyHelp()
{
    QStringList lines;
    for (const ChartKey &k : kChartKeys)
        lines << QCoreApplication::translate("ChartBase", k.keys) + QLatin1Char('\t') +
                     QCoreApplication::translate("ChartBase", k.text);
    return lines;
}

ChartBase::NoFocusFrame::NoFocusFrame()
{
    ++g_noFocusFrame;
}

ChartBase::NoFocusFrame::~NoFocusFrame()
{
    --g_noFocusFrame;
}

std::pair<double, double> ChartBase::xRange() const
{
    return rangeOf(m_xAxis);
}

void ChartBase::setView(double x0, double x1, double y0, double y1)
{
    if (!m_userView && m_xAxis && m_yAxis) { // the whole range, as zoom's limits measure it
        const auto spanOf = [](const QAbstractAxis *axis) {
            const auto [lo, hi] = rangeOf(axis);
            return toSpace(axis, hi) - toSpace(axis, lo);
        };
        m_homeSpanX = spanOf(m_xAxis);
        m_homeSpanY = spanOf(m_yAxis);
    }
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
    auto zoomed = [factor](const QAbstractAxis *axis, double f, double home) {
        const auto [lo, hi] = rangeOf(axis);
        const double a = toSpace(axis, lo), b = toSpace(axis, hi);
        const double c = a + f * (b - a); // the value under the cursor stays under it
        double k = factor;
        if (home > 0 && std::isfinite(home) && b > a) {
            // Within the limits, and never finer than the numbers can tell apart about c.
            const double finest = std::max(home * kZoomInLimit, std::abs(c) * 1e-12);
            k = std::clamp((b - a) * factor, std::min(finest, b - a), std::max(home * kZoomOutLimit, b - a)) / (b - a);
        }
        return std::pair{fromSpace(axis, c - (c - a) * k), fromSpace(axis, c + (b - c) * k)};
    };
    const double homeX = m_userView ? m_homeSpanX : toSpace(m_xAxis, rangeOf(m_xAxis).second) -
                                                       toSpace(m_xAxis, rangeOf(m_xAxis).first);
    const double homeY = m_userView ? m_homeSpanY : toSpace(m_yAxis, rangeOf(m_yAxis).second) -
                                                       toSpace(m_yAxis, rangeOf(m_yAxis).first);
    const auto [x0, x1] = zoomed(m_xAxis, fx, homeX);
    const auto [y0, y1] = zoomed(m_yAxis, fy, homeY);
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
    // From the keyboard: at the chart's centre, not wherever the mouse happens to be.
    menu->popup(event->reason() == QContextMenuEvent::Mouse ? event->globalPos() : mapToGlobal(rect().center()));
    event->accept();
}

QString ChartBase::stepValueCursor(int direction)
{
    // The series hover reads, and the x of every point of theirs in view.
    QList<QLineSeries *> shown;
    std::vector<double> xs;
    const auto [left, right] = rangeOf(m_xAxis);
    for (QAbstractSeries *abstract : chart()->series()) {
        auto *series = qobject_cast<QLineSeries *>(abstract);
        if (!series || !series->isVisible() || series->property("reglabNoHover").toBool() || series->count() == 0)
            continue;
        shown << series;
        for (const QPointF &p : series->points())
            if (p.x() >= left && p.x() <= right)
                xs.push_back(p.x());
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    if (xs.empty()) { // said, rather than a key that does nothing (an empty chart, one panned off its data)
        m_cursorSet = false;
        m_hoverText.clear();
        QToolTip::showText(mapToGlobal(rect().center()),
                           shown.isEmpty() ? tr("No values to read: the chart has no data yet")
                                           : tr("No values to read here: press 0 or Home to see the whole range"),
                           this);
        return {};
    }
    // The first press starts at the end it points away from; then a point at a time, stopping at either end.
    double x = direction > 0 ? xs.front() : xs.back();
    if (m_cursorSet) {
        const auto next = std::upper_bound(xs.begin(), xs.end(), m_cursorX);
        const auto atOrAfter = std::lower_bound(xs.begin(), xs.end(), m_cursorX);
        x = direction > 0 ? (next != xs.end() ? *next : xs.back())
                          : (atOrAfter != xs.begin() ? *std::prev(atOrAfter) : xs.front());
    }
    m_cursorSet = true;
    m_cursorX = x;
    // Each series' point nearest that x, as hover names it.
    QStringList lines;
    QPointF anchor;
    for (QLineSeries *series : shown) {
        const QList<QPointF> points = series->points();
        const auto nearest = std::min_element(points.begin(), points.end(), [x](const QPointF &a, const QPointF &b) {
            return std::abs(a.x() - x) < std::abs(b.x() - x);
        });
        const QVariant longName = series->property("reglabLongName");
        const QString name = longName.isValid() ? longName.toString() : series->name();
        lines << tr("%1: %2 at %3").arg(name, number(nearest->y()), number(nearest->x()));
        if (lines.size() == 1)
            anchor = chart()->mapToPosition(*nearest, series);
    }
    m_hoverText = lines.join(QLatin1Char('\n'));
    QToolTip::showText(mapToGlobal(mapFromScene(chart()->mapToScene(anchor))), m_hoverText, this);
    return m_hoverText;
}

void ChartBase::keyPressEvent(QKeyEvent *event)
{
    // Clicked, then used by keys: the focus frame shows from now on, as after Tab.
    if (!window()->testAttribute(Qt::WA_KeyboardFocusChange)) {
        window()->setAttribute(Qt::WA_KeyboardFocusChange);
        viewport()->update();
    }
    // The keys of kChartKeys, which Help > Keyboard shortcuts lists: change both together.
    const Qt::KeyboardModifiers mods = event->modifiers() & ~Qt::KeypadModifier;
    const QPointF centre = mapFromScene(chart()->mapToScene(chart()->plotArea().center()));
    const QRectF plot = chart()->plotArea();
    const double pan = (mods & Qt::ShiftModifier) ? kKeyPanFine : kKeyPan;
    const bool plain = (mods & ~Qt::ShiftModifier) == Qt::NoModifier; // Shift: "+" is Shift+= on many layouts
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Minus:
        if (plain || mods == Qt::ControlModifier || mods == (Qt::ControlModifier | Qt::ShiftModifier)) {
            zoomAt(centre, event->key() == Qt::Key_Minus ? 1 / kKeyZoom : kKeyZoom);
            event->accept();
            return;
        }
        break;
    case Qt::Key_Left:
    case Qt::Key_Right:
        if (mods == Qt::ControlModifier) {
            stepValueCursor(event->key() == Qt::Key_Right ? 1 : -1);
            event->accept();
            return;
        }
        [[fallthrough]];
    case Qt::Key_Up:
    case Qt::Key_Down:
        if (plain) {
            // The view moves the way the arrow points: what lies right of it comes into view.
            const double dx = event->key() == Qt::Key_Left ? 1 : event->key() == Qt::Key_Right ? -1 : 0;
            const double dy = event->key() == Qt::Key_Up ? 1 : event->key() == Qt::Key_Down ? -1 : 0;
            panBy(QPointF(dx * pan * plot.width(), dy * pan * plot.height()));
            event->accept();
            return;
        }
        break;
    case Qt::Key_0:
    case Qt::Key_Home:
        if (mods == Qt::NoModifier) {
            resetView();
            event->accept();
            return;
        }
        break;
    case Qt::Key_Menu:
    case Qt::Key_F10:
        if (event->key() == Qt::Key_Menu || mods == Qt::ShiftModifier) {
            QContextMenuEvent menu(QContextMenuEvent::Keyboard, rect().center(), mapToGlobal(rect().center()));
            contextMenuEvent(&menu);
            event->accept();
            return;
        }
        break;
    default:
        break;
    }
    QChartView::keyPressEvent(event);
}

void ChartBase::paintEvent(QPaintEvent *event)
{
    QChartView::paintEvent(event);
    // As the style draws a button's focus: once the keyboard moved it (Tab, F6), not after a click.
    if (!hasFocus() || !window()->testAttribute(Qt::WA_KeyboardFocusChange) || g_noFocusFrame > 0)
        return;
    // Where the keyboard is: a frame in the palette's highlight, which stands out on the chart's background in
    // either theme (Fusion's #308cc6 on white 3.7:1, the dark theme's #56b4e9 on #1c1d20 7.3:1; a test checks 3:1).
    QPainter painter(viewport());
    QPen pen(palette().color(QPalette::Highlight), 3);
    pen.setJoinStyle(Qt::MiterJoin);
    painter.setPen(pen);
    painter.drawRect(QRectF(viewport()->rect()).adjusted(1.5, 1.5, -1.5, -1.5));
}

void ChartBase::focusInEvent(QFocusEvent *event)
{
    QChartView::focusInEvent(event);
    viewport()->update();
}

void ChartBase::focusOutEvent(QFocusEvent *event)
{
    QChartView::focusOutEvent(event);
    m_cursorSet = false;
    viewport()->update();
}

} // namespace reglab::ui
