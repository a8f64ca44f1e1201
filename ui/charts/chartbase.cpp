#include "ui/charts/chartbase.h"

#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"

#include <QAccessible>
#include <QChart>
#include <QFontMetricsF>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

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

namespace {

double g_presentationScale = 1.0; // fonts
double g_lineScale = 1.0;

// The smallest 1, 2 or 5 x 10^k at least `step` (whole numbers only when `integer`).
double niceStep(double step, bool integer)
{
    if (!(step > 0) || !std::isfinite(step))
        return 1;
    const double decade = std::pow(10.0, std::floor(std::log10(step)));
    double nice = 10 * decade;
    for (double m : {1.0, 2.0, 5.0})
        if (m * decade >= step * (1 - 1e-9)) {
            nice = m * decade;
            break;
        }
    return integer ? std::max(1.0, std::round(nice)) : nice;
}

// What QValueAxis draws for `value` with its printf-style format.
QString axisLabel(const QValueAxis *axis, double value)
{
    const QByteArray format = axis->labelFormat().toLatin1();
    if (format.isEmpty())
        return QString::number(value);
    if (format.contains('d') || format.contains('i') || format.contains('c'))
        return QString::asprintf(format.constData(), qint64(value));
    return QString::asprintf(format.constData(), value);
}

// The labels a log axis draws: each power of its base within its range, in its printf-style format.
QStringList logAxisLabels(const QLogValueAxis *axis)
{
    QStringList labels;
    const double base = axis->base();
    if (!(axis->min() > 0) || !(axis->max() > axis->min()) || !(base > 1))
        return labels;
    const QByteArray format = axis->labelFormat().toLatin1();
    const double first = std::ceil(std::log(axis->min()) / std::log(base) - 1e-9);
    const double last = std::floor(std::log(axis->max()) / std::log(base) + 1e-9);
    for (double n = first; n <= last && labels.size() < 64; ++n) {
        const double v = std::pow(base, n);
        labels << (format.isEmpty() ? QString::number(v) : QString::asprintf(format.constData(), v));
    }
    return labels;
}

} // namespace

double ChartBase::verticalAxesWidth() const
{
    // Qt's own measure (Qt Charts' vertical axes): the widest label, a label padding of 4 and 2 px to spare, and a
    // title's height with 2 px of padding each side; a few pixels more for the ticks.
    double total = 0;
    for (QAbstractAxis *axis : chart()->axes(Qt::Vertical)) {
        if (!axis->isVisible())
            continue;
        const QFontMetricsF metrics(axis->labelsFont());
        double widest = 0;
        if (const auto *value = qobject_cast<QValueAxis *>(axis)) {
            const double span = value->max() - value->min();
            for (double v : {value->min(), value->max(), value->min() + span / 3, value->max() - span / 7})
                widest = std::max(widest, metrics.horizontalAdvance(axisLabel(value, v)));
        } else if (const auto *log = qobject_cast<QLogValueAxis *>(axis)) {
            for (const QString &label : logAxisLabels(log))
                widest = std::max(widest, metrics.horizontalAdvance(label));
        }
        const bool titled = axis->isTitleVisible() && !axis->titleText().isEmpty();
        total += widest + 4 + 2 + 4 + (titled ? QFontMetricsF(axis->titleFont()).height() + 4 : 0);
    }
    return total;
}

ChartBase::ChartBase(const QString &title, QWidget *parent) : QChartView(parent)
{
    installAccessibility();
    setChart(newChart(title));
    m_title = title;
    setRenderHint(QPainter::Antialiasing);
    // The view takes the focus, for the keys of kChartKeys (chartnavigation.cpp): in the tab order, and a click on
    // the plot gives it to the view, so a screen reader finds one focusable chart, not a nameless viewport inside
    // it. (The viewport passes its policy on to the view, its focus proxy: the view's is set after.)
    viewport()->setFocusPolicy(Qt::NoFocus);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(240, 150);
    setMouseTracking(true); // hover values without a button held
    // Fitting changes the plot area, which asks for a fit again: a budget per resize or update keeps a title or a
    // tick count that sits on a threshold from flipping back and forth for ever.
    connect(chart(), &QChart::plotAreaChanged, this, [this] {
        if (m_fitBudget > 0) {
            --m_fitBudget;
            fitNow();
        }
    });
    restyle();
}

void ChartBase::setPresentationScale(double fontScale, double lineScale)
{
    g_presentationScale = std::clamp(fontScale, 0.5, 3.0);
    g_lineScale = std::clamp(lineScale, 0.5, 3.0);
}

double ChartBase::presentationScale()
{
    return g_presentationScale;
}

void ChartBase::setLegendNames(QAbstractSeries *series, const QString &name, const QString &shortName)
{
    series->setProperty("reglabLongName", name);
    series->setProperty("reglabShortName", shortName);
    series->setName(name);
}

void ChartBase::restyle()
{
    const ChartColors c = chartColors();
    const double k = g_presentationScale;
    const double lines = g_lineScale * themeLineScale();
    setBackgroundBrush(c.background);
    chart()->setBackgroundBrush(c.background);
    chart()->setTitleBrush(c.text);
    chart()->setTitleFont(chartFont(int(std::lround(kTitlePointSize * k)), true));
    chart()->legend()->setFont(chartFont(int(std::lround(kLabelPointSize * k))));
    chart()->legend()->setLabelColor(c.text);
    for (QAbstractAxis *axis : chart()->axes()) {
        axis->setTitleFont(chartFont(int(std::lround(kAxisTitlePointSize * k))));
        axis->setLabelsFont(chartFont(int(std::lround(kLabelPointSize * k))));
        axis->setTitleBrush(c.text);
        axis->setLabelsColor(c.text);
        axis->setLinePenColor(c.grid.darker(150));
        axis->setGridLineColor(c.grid);
        axis->setMinorGridLineColor(c.minorGrid);
    }
    // Lines keep their width relative to the style they were made with (the base width is kept on the series).
    for (QAbstractSeries *abstract : chart()->series())
        if (auto *marks = qobject_cast<QScatterSeries *>(abstract); marks && seriesIsRunMarks(marks))
            marks->setBorderColor(c.background); // a run's markers stay apart from one another on this background
        else if (auto *line = qobject_cast<QLineSeries *>(abstract)) {
            QPen pen = line->pen();
            const QVariant base = line->property("reglabBaseWidth");
            const double width = base.isValid() ? base.toDouble() : pen.widthF();
            line->setProperty("reglabBaseWidth", width);
            pen.setWidthF(width * lines);
            if (line->property("reglabTextColored").toBool()) // near black on white, near white on black
                pen.setColor(c.text);
            line->setPen(pen);
        }
    fitAxes();
}

void ChartBase::resizeEvent(QResizeEvent *event)
{
    m_fitBudget = kFitBudget;
    m_legendStage = 0;
    QChartView::resizeEvent(event);
    // Once the chart has its new size laid out: a fit with all of it known.
    QTimer::singleShot(0, this, [this] { fitAxes(); });
}

void ChartBase::fitAxes()
{
    m_fitBudget = kFitBudget; // an update or a resize: the fits that follow from it may run again
    fitNow();
}

void ChartBase::fitNow()
{
    if (m_fitting)
        return;
    m_fitting = true;
    // A low chart gives its room to the plot: first the chart's title goes (the window says what it shows),
    // then the axes' titles, then the legend. Each comes back when there is room again.
    const double height = chart()->size().height();
    const double line = QFontMetricsF(chartFont(int(std::lround(kLabelPointSize * g_presentationScale)))).height();
    const int level = height < line * 9 ? 3 : height < line * 11 ? 2 : height < line * 13 ? 1 : 0;
    // A title wider than a narrow chart (in the sidebar) goes too, rather than be cut short.
    const bool titleFits =
        QFontMetricsF(chart()->titleFont()).horizontalAdvance(m_title) <= chart()->size().width() - 24;
    const bool titled = level == 0 && titleFits;
    if (chart()->title() != (titled ? m_title : QString()))
        chart()->setTitle(titled ? m_title : QString());
    fitLegend();
    const bool legendShown = level < 3 && m_legendShown && m_legendFits; // hidden rather than cut
    if (chart()->legend()->isVisible() != legendShown)
        chart()->legend()->setVisible(legendShown);
    const QRectF plot = chart()->plotArea();
    if (plot.width() < 20 || plot.height() < 20) {
        m_fitting = false;
        return;
    }
    for (QAbstractAxis *axis : chart()->axes()) {
        const bool horizontal = axis->orientation() == Qt::Horizontal;
        const double length = horizontal ? plot.width() : plot.height();
        const auto titles = m_titles.constFind(axis);
        if (titles != m_titles.constEnd()) {
            const QFontMetricsF metrics(axis->titleFont());
            QString axisTitle = titles->title;
            // Qt keeps a margin at both ends of an axis: a title needs a little more than its own width, and more
            // still to come back once it went (so it does not come and go as the plot shifts a few pixels).
            const double slack = axis->titleText() == titles->title ? 20 : 40;
            auto fits = [&](const QString &t) { return metrics.horizontalAdvance(t) * 1.15 + slack <= length; };
            if (!fits(axisTitle))
                axisTitle = titles->shortTitle;
            if (!fits(axisTitle) || level >= 2)
                axisTitle.clear(); // no title rather than a cut one
            if (axis->titleText() != axisTitle)
                axis->setTitleText(axisTitle);
        }
        if (auto *log = qobject_cast<QLogValueAxis *>(axis); log && !horizontal) {
            // Qt gives each label of a vertical axis an equal share of the axis' height and cuts one taller than
            // its share to "...": a label every 10^k decades, k as small as lets each label have its line.
            const double labelLine = QFontMetricsF(log->labelsFont()).height() + 8 + 2;
            const double decades = std::log10(log->max() / log->min());
            int step = 1;
            if (log->min() > 0 && std::isfinite(decades))
                while (step < 8 && (std::floor(decades / step + 1e-9) + 1) * labelLine > length)
                    ++step;
            if (log->base() != std::pow(10.0, step))
                log->setBase(std::pow(10.0, step));
            // Qt's automatic minor ticks (-1) are base - 2 between labels: at a label every 8 decades, 10^8 of them
            // (laid out for minutes). None then; back when a label marks each decade again.
            if (step > 1 && log->minorTickCount() < 0) {
                log->setProperty("reglabAutoMinorTicks", true);
                log->setMinorTickCount(0);
            } else if (step == 1 && log->property("reglabAutoMinorTicks").toBool()) {
                log->setProperty("reglabAutoMinorTicks", false);
                log->setMinorTickCount(-1);
            }
            continue;
        }
        auto *value = qobject_cast<QValueAxis *>(axis);
        if (!value)
            continue;
        const double span = value->max() - value->min();
        if (!(span > 0) || !std::isfinite(span))
            continue;
        const QFontMetricsF metrics(value->labelsFont());
        const bool integer = titles != m_titles.constEnd() && titles->integerTicks;
        double interval;
        if (horizontal) {
            // The most ticks whose own labels fit side by side. (A guess from other values, such as a third of the
            // span, took "-0.0833" for a label of a -0.25..0.25 axis and left it the single tick "0".)
            int ticks = 11;
            for (; ticks > 2; --ticks) {
                const double step = niceStep(span / (ticks - 1), integer);
                double widest = 0;
                int count = 0;
                bool clean = true; // Qt adds the interval up from the first tick: 0 may come out as -1.39e-17
                for (double v = std::ceil(value->min() / step - 1e-9) * step; v <= value->max() + step * 1e-9 && count < 64;
                     v += step, ++count) {
                    const QString label = axisLabel(value, v);
                    clean = clean && !label.contains(QLatin1Char('e'));
                    widest = std::max(widest, metrics.horizontalAdvance(label));
                }
                if (clean && length * step / span >= widest * 1.15 + 10) // neighbours' labels apart
                    break;
            }
            interval = niceStep(span / (ticks - 1), integer);
        } else {
            const int ticks = std::clamp(int(length / (metrics.height() * 1.8)) + 1, 2, 11);
            interval = niceStep(span / (ticks - 1), integer);
        }
        const double anchor = std::ceil(value->min() / interval - 1e-9) * interval;
        if (value->tickType() != QValueAxis::TicksDynamic)
            value->setTickType(QValueAxis::TicksDynamic);
        if (value->tickAnchor() != anchor)
            value->setTickAnchor(anchor);
        if (value->tickInterval() != interval)
            value->setTickInterval(interval);
    }
    m_fitting = false;
}

void ChartBase::setAxisRange(QValueAxis *axis, double lo, double hi)
{
    const double span = hi - lo;
    if (axis->tickType() == QValueAxis::TicksDynamic && span > 0 && std::isfinite(span) &&
        !(span / axis->tickInterval() <= 50)) { // fitAxes refines it once the range is in
        axis->setTickInterval(niceStep(span / 10, false));
        axis->setTickAnchor(lo);
    }
    axis->setRange(lo, hi);
}

void ChartBase::setChartTitle(const QString &title)
{
    const bool renamed = title != m_title;
    m_title = title;
    chart()->setTitle(title);
    fitAxes();
    if (renamed) { // the name a reader reads is the title
        QAccessibleEvent event(this, QAccessible::NameChanged);
        QAccessible::updateAccessibility(&event);
    }
}

void ChartBase::setLegendShown(bool shown)
{
    m_legendShown = shown;
    chart()->legend()->setVisible(shown);
    fitAxes();
}

void ChartBase::setLegendPlace(Qt::Alignment place)
{
    m_legendPlace = place;
    m_legendStage = 0; // new entries or a new place: fitted afresh
    chart()->legend()->setAlignment(place);
    fitAxes();
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
    if (m_userView) { // the chart set its own ranges: the person's zoom stays
        applyUserView();
        fitAxes();
    }
    descriptionMayChange();
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
    series->setProperty("reglabBaseWidth", width);
    QPen pen(color, width * g_lineScale * themeLineScale(), style);
    pen.setCapStyle(m_lineCap);
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

void ChartBase::styleAxis(QAbstractAxis *axis, const QString &title, const QString &shortTitle, bool integerTicks)
{
    axis->setTitleText(title);
    axis->setProperty("reglabLongTitle", title); // exports (pgfplots) name the axis in full, whatever fits here
    const ChartColors c = chartColors();
    const double k = g_presentationScale;
    axis->setTitleFont(chartFont(int(std::lround(kAxisTitlePointSize * k))));
    axis->setLabelsFont(chartFont(int(std::lround(kLabelPointSize * k))));
    axis->setTitleBrush(c.text);
    axis->setLabelsColor(c.text);
    axis->setLinePenColor(c.grid.darker(150));
    axis->setGridLineColor(c.grid);
    axis->setMinorGridLineColor(c.minorGrid);
    const bool known = m_titles.contains(axis); // restyled (a new measure, a theme): connected already
    m_titles.insert(axis, {title, shortTitle.isEmpty() ? title : shortTitle, integerTicks});
    // An axis the chart replaced takes its entry with it. The guard, a member, goes before the chart's axes do
    // when this view is destroyed, so the entry is never removed from a map already gone.
    if (!known)
        connect(axis, &QObject::destroyed, &m_axisGuard, [this, axis] { m_titles.remove(axis); });
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
    if ((x && x != m_xAxis) || (y && y != m_yAxis))
        m_userView = false; // a zoom in one transform means nothing in another
    swap(m_xAxis, x, Qt::AlignBottom);
    swap(m_yAxis, y, Qt::AlignLeft);
    fitAxes();
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
