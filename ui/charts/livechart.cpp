#include "ui/charts/livechart.h"
#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"

#include <QChart>
#include <QGraphicsSimpleTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace reglab::ui {

LiveChart::LiveChart(const QString &title, QWidget *parent) : ChartBase(title, parent)
{
    chart()->setMargins(QMargins(6, 6, 12, 6));
    connect(chart(), &QChart::plotAreaChanged, this, [this] { updateMarkers(); });
}

QLineSeries *LiveChart::addTrack(const QString &name, const QColor &color, qreal width, Qt::PenStyle style,
                                 bool inLegend)
{
    QLineSeries *series = makeLine(name, color, width, style);
    addSeries(series);
    Track t;
    t.series = series;
    t.inLegend = inLegend;
    m_tracks.push_back(t);
    if (!inLegend)
        hideFromLegend(series);
    return series;
}

void LiveChart::setTrackShown(int track, bool shown)
{
    Track &t = m_tracks[std::size_t(track)];
    if (t.series->isVisible() == shown)
        return;
    t.series->setVisible(shown);
    sharePoints();
    rebuild(t);
    // Qt shows a series' legend entry again with the series: one kept out of the legend stays out.
    for (QLegendMarker *lm : chart()->legend()->markers(t.series))
        lm->setVisible(trackInLegend(t));
    if (t.runStyle >= 0)
        rebuildLegendEntries(); // its entry comes and goes with it
    fitAxes();
}

void LiveChart::setTrackInLegend(int track, bool inLegend)
{
    Track &t = m_tracks[std::size_t(track)];
    t.inLegend = inLegend;
    t.series->setProperty("reglabNoLegend", !inLegend || t.runStyle >= 0);
    for (QLegendMarker *lm : chart()->legend()->markers(t.series))
        lm->setVisible(trackInLegend(t));
    if (t.runStyle >= 0)
        rebuildLegendEntries();
    fitAxes();
}

bool LiveChart::trackShown(int track) const
{
    return m_tracks[std::size_t(track)].series->isVisible();
}

void LiveChart::setTrackLook(int track, const QString &name, const QString &shortName, const QColor &color, qreal width,
                             Qt::PenStyle style, bool textColored)
{
    QLineSeries *series = m_tracks[std::size_t(track)].series;
    setLegendNames(series, name, shortName);
    series->setProperty("reglabBaseWidth", width);
    series->setProperty("reglabTextColored", textColored);
    QPen pen = series->pen();
    pen.setColor(color);
    pen.setWidthF(width);
    pen.setStyle(style);
    series->setPen(pen);
    restyle(); // line width at the presentation scale, and the legend fitted to the new names
}

void LiveChart::setTrackRunStyle(int track, int styleIndex)
{
    Track &t = m_tracks[std::size_t(track)];
    if (t.runStyle < 0 && styleIndex < 0)
        return; // plain, and plain it stays
    const RunStyle style = runStyleAt(styleIndex);
    if (t.runStyle < 0 && styleIndex >= 0)
        t.dots = t.series->pointsVisible();
    removeMarks(t);
    t.runStyle = styleIndex;
    QPen pen = t.series->pen();
    if (styleIndex >= 0) {
        applyRunDashes(pen, style);
        t.series->setPen(pen);
        t.series->setPointsVisible(false); // the markers stand on the points instead
        t.marks = newRunMarks(t.series, style, kRunMarkSize, m_overlayPoints ? kMaxShownPoints : 12);
        t.marks->setParent(this);
        addMarks(t);
    } else {
        t.series->setPointsVisible(t.dots);
    }
    setSeriesRunStyle(t.series, style);
    t.series->setProperty("reglabNoLegend", !t.inLegend || t.runStyle >= 0);
    for (QLegendMarker *lm : chart()->legend()->markers(t.series))
        lm->setVisible(trackInLegend(t));
    rebuildLegendEntries();
    fitAxes();
}

bool LiveChart::trackInLegend(const Track &t) const
{
    return t.series->isVisible() && t.inLegend && t.runStyle < 0; // a styled track's entry is its twin's
}

void LiveChart::addMarks(const Track &t)
{
    if (!t.marks)
        return;
    addSeries(t.marks);
    hideFromLegend(t.marks);
}

void LiveChart::removeMarks(Track &t)
{
    if (!t.marks)
        return;
    chart()->removeSeries(t.marks);
    delete t.marks;
    t.marks = nullptr;
}

QString LiveChart::trackName(int track) const
{
    return trackNameOf(m_tracks[std::size_t(track)].series);
}

QString LiveChart::trackNameOf(const QLineSeries *series)
{
    const QVariant longName = series->property("reglabLongName");
    return longName.isValid() ? longName.toString() : series->name();
}

QColor LiveChart::trackColor(int track) const
{
    return m_tracks[std::size_t(track)].series->pen().color();
}

void LiveChart::hideFromLegend(QAbstractSeries *series)
{
    series->setProperty("reglabNoLegend", true);
    for (QLegendMarker *lm : chart()->legend()->markers(series))
        lm->setVisible(false);
}

bool LiveChart::hasPending() const
{
    return std::any_of(m_tracks.begin(), m_tracks.end(), [](const Track &t) { return !t.pending.isEmpty(); });
}

namespace {
// Points shown for a history of n points at `stride`: every stride-th one, plus the newest.
qsizetype shownFor(qsizetype n, int stride)
{
    return n == 0 ? 0 : (n + stride - 1) / stride + ((n - 1) % stride != 0 ? 1 : 0);
}

// The finest stride (a power of two) that shows at most maxShown of n points.
int strideFor(qsizetype n, int maxShown)
{
    int stride = 1;
    while (shownFor(n, stride) > maxShown)
        stride *= 2;
    return stride;
}
} // namespace

void LiveChart::setTrackFaint(int index)
{
    m_tracks[std::size_t(index)].faint = true;
    sharePoints();
}

int LiveChart::pointShare() const
{
    double weight = 0; // full series shown; a faint one counts a fifth
    for (const auto *list : {&m_overlayRaw, &m_overlays, &m_tracks})
        for (const Track &t : *list)
            if (t.series->isVisible())
                weight += t.faint ? 0.2 : 1.0;
    return int(std::clamp(kPointBudget / std::max(1.0, weight), double(kMinShownPoints), double(kMaxShownPoints)));
}

void LiveChart::sharePoints()
{
    const int share = pointShare();
    for (auto *list : {&m_overlayRaw, &m_overlays, &m_tracks})
        for (Track &t : *list) {
            t.maxShown = t.faint ? share / 5 : share;
            // Coarser when over its share; finer again (from the full history) when a share grew back.
            const int stride = strideFor(t.all.size(), t.maxShown);
            if (stride != t.stride && (stride > t.stride || shownFor(t.all.size(), t.stride) < t.maxShown / 2)) {
                t.stride = stride;
                if (t.series->chart()) // one not on the chart yet is built as it is added
                    rebuild(t);
            }
        }
}

void LiveChart::flush()
{
    if (!hasPending())
        return;
    for (auto &t : m_tracks) {
        if (t.pending.isEmpty())
            continue;
        const qsizetype first = t.all.size();
        t.all.append(t.pending);
        t.pending.clear();
        if (t.all.size() > kMaxHistory) {
            // A very long run: the history keeps every other point (the shown ones among them), so memory
            // stays flat however long it trains.
            halveHistory(t.all);
            t.stride = std::max(1, t.stride / 2);
            rebuild(t);
            continue;
        }
        if (shownFor(t.all.size(), t.stride) > t.maxShown) {
            while (shownFor(t.all.size(), t.stride) > t.maxShown / 2)
                t.stride *= 2;
            rebuild(t);
            continue;
        }
        if (!t.series->isVisible())
            continue; // a hidden series stays empty (exports and CSV take what is shown); filled when shown
        // QXYSeries::append(QList) appends point by point (a signal and a geometry update each); replace()
        // is one update. The newest point is always shown; the previous flush's newest, if off the stride, goes.
        QList<QPointF> points = t.series->points();
        if (t.extraLast && !points.isEmpty())
            points.removeLast();
        const qsizetype from = (first + t.stride - 1) / t.stride * t.stride;
        for (qsizetype i = from; i < t.all.size(); i += t.stride)
            points.append(shown(t.all[i]));
        t.extraLast = (t.all.size() - 1) % t.stride != 0;
        if (t.extraLast)
            points.append(shown(t.all.last()));
        t.series->replace(points);
    }
    refreshRanges();
    fitAxes();
    descriptionMayChange();
    updateMarkers();
}

void LiveChart::rebuild(Track &t)
{
    if (!t.series->isVisible()) {
        t.series->clear();
        t.extraLast = false;
        return;
    }
    QList<QPointF> points;
    points.reserve(shownFor(t.all.size(), t.stride));
    for (qsizetype i = 0; i < t.all.size(); i += t.stride)
        points.append(shown(t.all[i]));
    t.extraLast = !t.all.isEmpty() && (t.all.size() - 1) % t.stride != 0;
    if (t.extraLast)
        points.append(shown(t.all.last()));
    t.series->replace(points);
}

void LiveChart::rebuildAll()
{
    rebuildSeries();
    refreshRanges();
    fitAxes();
    updateMarkers();
}

void LiveChart::rebuildSeries()
{
    for (auto *list : {&m_overlayRaw, &m_overlays, &m_tracks})
        for (auto &t : *list)
            rebuild(t);
}

void LiveChart::swapYAxis(QAbstractAxis *axis)
{
    // A series must hold only values its axes can show (log: no zeros): emptied while the axis changes, refilled
    // with the new transform after.
    for (auto *list : {&m_overlayRaw, &m_overlays, &m_tracks})
        for (auto &t : *list)
            t.series->clear();
    for (auto &m : m_markers)
        m.line->clear();
    setAxes(nullptr, axis);
    rebuildSeries();
    refreshRanges();
    updateMarkers();
}

int LiveChart::shownCount(int track) const
{
    return int(m_tracks[std::size_t(track)].series->count());
}

void LiveChart::clearTracks()
{
    for (auto &t : m_tracks) {
        t.all.clear();
        t.pending.clear();
        t.stride = 1;
        t.extraLast = false;
        t.series->clear();
    }
}

void LiveChart::clear()
{
    clearTracks();
    removeMarkers(false);
    refreshRanges();
}

void LiveChart::removeMarkers(bool overlay)
{
    std::vector<Marker> kept;
    for (auto &m : m_markers) {
        if (m.overlay != overlay) {
            kept.push_back(m);
            continue;
        }
        chart()->removeSeries(m.line);
        delete m.line;
        delete m.label;
    }
    m_markers = std::move(kept);
}

LiveChart::Marker LiveChart::makeMarker(double x, const QString &label, bool overlay)
{
    Marker m;
    m.x = x;
    m.overlay = overlay;
    m.line = new QLineSeries(this);
    m.line->setName(label);
    m.line->setPen(QPen(colors::marker, 2, Qt::DashLine));
    m.line->setProperty("reglabNoHover", true);
    addSeries(m.line);
    hideFromLegend(m.line);
    m.label = new QGraphicsSimpleTextItem(label, chart());
    m.label->setFont(chartFont(kLabelPointSize, true));
    m.label->setBrush(colors::marker.darker(130));
    m.label->setZValue(10);
    return m;
}

void LiveChart::addMarker(double x, const QString &label)
{
    // Settings changed at one step are one marker: "L1=0.001, lr=0.02".
    if (!m_markers.empty() && m_markers.back().x == x) {
        m_markers.back().label->setText(m_markers.back().label->text() + QStringLiteral(", ") + label);
        updateMarkers();
        return;
    }
    m_markers.push_back(makeMarker(x, label, false));
    updateMarkers();
}

QStringList LiveChart::markerLabels() const
{
    QStringList labels;
    for (const auto &m : m_markers)
        labels << m.label->text();
    return labels;
}

QList<double> LiveChart::markerPositions() const
{
    QList<double> xs;
    for (const auto &m : m_markers)
        xs << m.x;
    return xs;
}

void LiveChart::setOverlays(const QList<Overlay> &overlays)
{
    for (auto &t : m_overlays) {
        removeMarks(t);
        chart()->removeSeries(t.series);
        delete t.series;
    }
    m_overlays.clear();
    for (auto &t : m_overlayRaw) {
        chart()->removeSeries(t.series);
        delete t.series;
    }
    m_overlayRaw.clear();
    removeMarkers(true);
    m_overlayLooks = overlays;

    // Runs compared: each in its dashes with its markers (runstyle.h), which stand on the points instead of dots.
    auto makeSeries = [this](const Overlay &o) {
        QLineSeries *series = makeLine(o.label, o.color, 2);
        QPen pen = series->pen();
        applyRunDashes(pen, runStyleOf(o.color));
        series->setPen(pen);
        setSeriesRunStyle(series, runStyleOf(o.color));
        // A run of one logged point has no line to draw: its point is drawn, where it sets the axis.
        series->setPointsVisible(o.points.size() == 1);
        return series;
    };
    auto track = [](QLineSeries *series, const QList<QPointF> &points, bool faint) {
        Track t;
        t.series = series;
        t.all = points;
        t.faint = faint;
        return t;
    };
    for (const Overlay &o : overlays) {
        m_overlays.push_back(track(makeSeries(o), o.points, false));
        m_overlays.back().runStyle = runStyleOf(o.color).index;
        if (!o.raw.isEmpty()) { // the unsmoothed curve, faint: a fifth of the points is plenty beneath another
            QLineSeries *raw = makeLine(tr("%1 (unsmoothed)").arg(o.label), faintColor(o.color), 1.2);
            m_overlayRaw.push_back(track(raw, o.raw, true));
        }
    }
    sharePoints(); // the live series' shares shrink with more runs to draw (rebuilt now), the overlays' are set
    overlaysChanged();
    // Qt Charts draws series of one type in the order they were added (QAbstractSeries has no z value): the
    // unsmoothed curves and the overlays go first, then the live series and markers are added again on top.
    for (auto *list : {&m_overlayRaw, &m_overlays})
        for (auto &t : *list) {
            rebuild(t); // before attaching: a log axis must not see non-positive values
            addSeries(t.series);
            hideFromLegend(t.series);
            if (list == &m_overlays) {
                t.marks = newRunMarks(t.series, runStyleAt(t.runStyle), kRunMarkSize,
                                      m_overlayPoints ? kMaxShownPoints : 12);
                t.marks->setParent(this);
                addMarks(t);
            }
        }
    for (const Overlay &o : overlays)
        for (const auto &[x, label] : o.markers)
            m_markers.push_back(makeMarker(x, label, true));
    if (!m_overlays.empty()) {
        for (auto &t : m_tracks) {
            chart()->removeSeries(t.series);
            addSeries(t.series);
            for (QLegendMarker *lm : chart()->legend()->markers(t.series))
                lm->setVisible(trackInLegend(t));
            if (t.marks) {
                chart()->removeSeries(t.marks);
                addMarks(t);
            }
        }
        for (auto &m : m_markers) {
            chart()->removeSeries(m.line);
            addSeries(m.line);
            hideFromLegend(m.line);
        }
    }
    rebuildLegendEntries();
    refreshRanges();
    fitAxes(); // the new legend entries fitted (shortened where they would be cut)
    updateMarkers();
    descriptionMayChange();
}

void LiveChart::rebuildLegendEntries()
{
    for (QLineSeries *s : m_overlayLegend) {
        chart()->removeSeries(s);
        delete s;
    }
    m_overlayLegend.clear();
    // The legend lists series in the order they were added: empty twins after the live series carry the entries
    // of the styled tracks (the live run compared), then of the overlays: each a stroke with the run's marker.
    const auto add = [this](const QString &name, const QString &shortName, const QColor &color, qreal width,
                            int style) {
        QLineSeries *entry = newRunSample(name, color, width, runStyleAt(style));
        entry->setParent(this);
        entry->setProperty("reglabBaseWidth", width);
        setLegendNames(entry, name, shortName);
        addSeries(entry);
        showRunSample(chart(), entry);
        m_overlayLegend.push_back(entry);
    };
    for (const Track &t : m_tracks)
        if (t.runStyle >= 0 && t.inLegend && t.series->isVisible())
            add(t.series->property("reglabLongName").toString().isEmpty()
                    ? t.series->name()
                    : t.series->property("reglabLongName").toString(),
                t.series->property("reglabShortName").toString().isEmpty()
                    ? t.series->name()
                    : t.series->property("reglabShortName").toString(),
                t.series->pen().color(), t.series->property("reglabBaseWidth").toDouble(), t.runStyle);
    for (const Overlay &o : m_overlayLooks)
        add(o.label, o.shortLabel.isEmpty() ? o.label : o.shortLabel, o.color, 2, runStyleOf(o.color).index);
    restyle(); // the entries' lines at the presentation scale
}

QList<QPointF> LiveChart::overlayPoints(int index) const
{
    return index < 0 || index >= overlayCount() ? QList<QPointF>() : m_overlays[std::size_t(index)].all;
}

void LiveChart::refreshRanges()
{
    updateRanges();
    applyUserView();
}

void LiveChart::autoRange()
{
    updateRanges();
    updateMarkers();
}

void LiveChart::viewChanged()
{
    updateMarkers();
}

QList<ChartBase::Reading> LiveChart::readings() const
{
    QList<Reading> out;
    for (const Track &t : m_tracks)
        if (t.series->isVisible() && t.inLegend && !t.faint && !t.all.isEmpty() &&
            !t.series->property("reglabNoHover").toBool() && !t.series->name().isEmpty())
            out << Reading{trackNameOf(t.series), t.all.last()};
    for (const Track &t : m_overlays)
        if (!t.all.isEmpty())
            out << Reading{t.series->name(), t.all.last()};
    return out;
}

QStringList LiveChart::overlayLabels() const
{
    QStringList labels;
    for (const auto &t : m_overlays)
        labels << t.series->name();
    return labels;
}

int LiveChart::overlayPointCount(int index) const
{
    if (index < 0 || index >= overlayCount())
        return 0;
    return int(m_overlays[std::size_t(index)].series->count());
}

double LiveChart::overlayMaxX() const
{
    double maxX = 0;
    for (const auto &t : m_overlays)
        for (const QPointF &p : t.all)
            if (std::isfinite(p.x()))
                maxX = std::max(maxX, p.x());
    return maxX;
}

QPointF LiveChart::lastShown(int track) const
{
    const QLineSeries *s = m_tracks[std::size_t(track)].series;
    return s->count() > 0 ? s->at(s->count() - 1) : QPointF();
}

void LiveChart::updateMarkers()
{
    if (m_markers.empty())
        return;
    const auto [lo, hi] = yRange();
    const QRectF plot = chart()->plotArea();
    int row = 0;
    double lastX = -1e300;
    for (auto &m : m_markers) {
        m.line->replace(QList<QPointF>{{m.x, lo}, {m.x, hi}});
        const QPointF top = chart()->mapToPosition(QPointF(m.x, hi), m.line);
        // Labels of nearby markers are stacked so they do not overlap.
        const qreal height = m.label->boundingRect().height();
        row = (top.x() - lastX < m.label->boundingRect().width() + 8) ? row + 1 : 0;
        lastX = top.x();
        qreal x = top.x() + 4;
        if (x + m.label->boundingRect().width() > plot.right())
            x = top.x() - 4 - m.label->boundingRect().width();
        m.label->setPos(x, plot.top() + 2 + (row % 4) * height);
        m.label->setVisible(plot.contains(QPointF(top.x(), plot.center().y())) || qFuzzyCompare(top.x(), plot.left()));
    }
}

void LiveChart::resizeEvent(QResizeEvent *event)
{
    ChartBase::resizeEvent(event);
    updateMarkers();
}

} // namespace reglab::ui
