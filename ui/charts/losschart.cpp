#include "ui/charts/losschart.h"
#include "ui/charts/palette.h"

#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace reglab::ui {
namespace {
QColor faint(const QColor &c)
{
    return faintColor(c);
}
} // namespace

LossChart::LossChart(QWidget *parent) : LiveChart(tr("Training loss and its parts"), parent)
{
    setDenseLines(true);
    auto *x = new QValueAxis(this);
    x->setLabelFormat(QStringLiteral("%d"));
    x->setRange(0, 100);
    styleAxis(x, tr("Optimizer step (batches)"), tr("Step"), true);
    auto *y = new QValueAxis(this);
    styleAxis(y, tr("Loss (nats)"), tr("Loss"));
    y->setRange(0, 3);
    setAxes(x, y);

    const QString raw = tr("%1 (unsmoothed)");
    for (int i = 0; i < 4; ++i) {
        addTrack({}, Qt::gray, 1.2, Qt::SolidLine, false);
        setTrackShown(i, false); // until smoothing is on
    }
    setLegendNames(addTrack({}, colors::dataLoss), tr("Data loss (cross-entropy)"), tr("Data loss"));
    setLegendNames(addTrack({}, colors::l1Term), tr("L1 term  \u03bb\u2081\u00b7\u03a3|p|"), tr("L1 term"));
    setLegendNames(addTrack({}, colors::l2Term), tr("L2 term  \u03bb\u2082/2\u00b7\u03a3p\u00b2"), tr("L2 term"));
    QLineSeries *total = addTrack({}, colors::totalLoss, 1.5, Qt::DashLine);
    setLegendNames(total, tr("Total"), tr("Total"));
    total->setProperty("reglabTextColored", true);
    for (Series part : {Data, L1, L2, Total}) {
        const QColor c = trackColor(mainTrack(part));
        setTrackLook(rawTrack(part), raw.arg(partName(part)), raw.arg(partName(part)), faint(c), 1.2);
        setTrackFaint(rawTrack(part)); // faint and beneath: a fifth of the points (redraws cost by points drawn)
    }
    restyle();
}

void LossChart::setTotalSteps(std::int64_t steps)
{
    m_totalSteps = steps;
    updateXRange();
    applyUserView();
    fitAxes();
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
    const double values[] = {r.dataLoss, r.l1Term, r.l2Term, r.loss};
    for (Series part : {Data, L1, L2, Total}) {
        append(rawTrack(part), {x, values[part]});
        append(mainTrack(part), {x, m_ema[std::size_t(part)].add(values[part])});
    }
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
    double smallest = m_minPositive;
    if (m_overlayMinPositive > 0 && (smallest == 0 || m_overlayMinPositive < smallest))
        smallest = m_overlayMinPositive;
    if (smallest <= 0)
        smallest = 1e-3;
    return std::pow(10.0, std::floor(std::log10(smallest)) - 1);
}

QPointF LossChart::shown(const QPointF &p) const
{
    if (!m_log)
        return p;
    const double y = std::isfinite(p.y()) ? std::max(p.y(), floorValue()) : floorValue();
    return {p.x(), y};
}

void LossChart::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.99);
    if (weight == m_weight)
        return;
    m_weight = weight;
    LiveChart::flush(); // every point in the histories, then each part smoothed again from its raw curve
    for (Series part : {Data, L1, L2, Total}) {
        Ema ema(weight);
        const QList<QPointF> &raw = track(rawTrack(part)).all;
        QList<QPointF> &smooth = tracks()[std::size_t(mainTrack(part))].all;
        for (qsizetype i = 0; i < raw.size() && i < smooth.size(); ++i)
            smooth[i].setY(ema.add(raw[i].y()));
        m_ema[std::size_t(part)] = ema;
        setTrackShown(rawTrack(part), weight > 0 && partShown(part));
    }
    rebuildAll();
}

void LossChart::setPartShown(Series series, bool shown)
{
    setTrackShown(mainTrack(series), shown);
    setTrackShown(rawTrack(series), shown && m_weight > 0);
}

void LossChart::setPartLook(Series series, const QString &name, const QString &shortName, const QColor &color,
                            qreal width, Qt::PenStyle style, bool textColored)
{
    setTrackLook(mainTrack(series), name, shortName, color, width, style, textColored);
    const QString raw = tr("%1 (unsmoothed)");
    setTrackLook(rawTrack(series), raw.arg(name), raw.arg(shortName), faint(color), 1.2);
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
        styleAxis(y, tr("Loss (nats, log)"), tr("Loss (log)"));
        swapYAxis(y);
    } else {
        auto *y = new QValueAxis(this);
        y->setLabelFormat(QStringLiteral("%g"));
        styleAxis(y, tr("Loss (nats)"), tr("Loss"));
        swapYAxis(y);
    }
}

void LossChart::overlaysChanged()
{
    m_overlayMaxY = m_overlayMinPositive = m_overlayReference = 0;
    for (const Track &t : overlayTracks()) {
        int early = 0;
        for (const QPointF &p : t.all) {
            const double v = p.y();
            if (!std::isfinite(v))
                continue;
            if (early < kEarlyPoints) {
                ++early;
                m_overlayReference = std::max(m_overlayReference, v);
            }
            m_overlayMaxY = std::max(m_overlayMaxY, v);
            if (v > 0 && (m_overlayMinPositive == 0 || v < m_overlayMinPositive))
                m_overlayMinPositive = v;
        }
    }
}

void LossChart::updateRanges()
{
    const double maxY = std::max(m_maxY, m_overlayMaxY);
    const double top = maxY > 0 ? maxY : 3.0;
    if (auto *y = qobject_cast<QValueAxis *>(yAxis())) {
        // A diverging run logs losses up to ~1e20 before they turn non-finite; followed, they would flatten
        // every curve so far. The linear axis stops at kCapFactor times the early scale (the log axis shows all).
        // A compared run that diverged is capped the same way, by its own early scale or the live run's.
        const double reference = std::max(m_reference, m_overlayReference);
        const double capped = reference > 0 ? std::min(top, kCapFactor * reference) : top;
        // A round top (1, 2 or 5 x 10^k steps): the ticks fitAxes() chooses then land on round numbers.
        const double upper = capped * 1.05;
        const double step = std::pow(10.0, std::floor(std::log10(upper / 4)));
        double nice = step;
        for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
            if (m * step * 4 >= upper) {
                nice = m * step;
                break;
            }
        ChartBase::setAxisRange(y, 0, nice * std::ceil(upper / nice - 1e-9));
    } else if (auto *l = qobject_cast<QLogValueAxis *>(yAxis())) {
        const double lo = floorValue();
        if (lo != m_shownFloor) { // zeros shown at the old floor must move down with it
            m_shownFloor = lo;
            rebuildSeries();
        }
        const double hi = std::pow(10.0, std::ceil(std::log10(top * 1.01)));
        l->setRange(lo, std::max(hi, lo * 10));
    }
    updateXRange();
}

void LossChart::updateXRange()
{
    // The run's length once its RunInfo came; before (a loaded record) the data so far. Compared runs that
    // went further widen the axis.
    const QList<QPointF> &history = track(mainTrack(Data)).all;
    const bool noData = m_totalSteps == 0 && history.isEmpty();
    double maxX = m_totalSteps > 0 ? double(m_totalSteps) : noData ? 0.0 : history.last().x();
    maxX = std::max(maxX, overlayMaxX());
    if (!(maxX > 0))
        maxX = noData ? 100 : 1;
    if (auto *x = qobject_cast<QValueAxis *>(xAxis()))
        ChartBase::setAxisRange(x, 0, maxX);
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
    m_ema.fill(Ema(m_weight));
    LiveChart::clear();
}

} // namespace reglab::ui
