#include "ui/charts/accuracychart.h"
#include "ui/charts/palette.h"

#include <QAreaSeries>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

namespace reglab::ui {

namespace {
// Training accuracy: the run's own colour family, dashed, so it reads as "what it memorized" beside the others.
const QColor kTraining{0x00, 0x9E, 0x73};
} // namespace

AccuracyChart::AccuracyChart(QWidget *parent) : LiveChart(tr("Accuracy after each epoch"), parent)
{
    auto *x = new QValueAxis(this);
    x->setLabelFormat(QStringLiteral("%d"));
    styleAxis(x, tr("Epoch"), tr("Epoch"), true);
    auto *y = new QValueAxis(this);
    y->setRange(0, 100);
    y->setLabelFormat(QStringLiteral("%d"));
    styleAxis(y, tr("Accuracy (%)"), tr("%"));
    setAxes(x, y);

    addTrack(tr("Validation"), colors::validation, 3)->setPointsVisible(true);
    addTrack(tr("Test"), colors::test, 3)->setPointsVisible(true);
    addTrack(tr("Chance (10 %)"), colors::chance, 2, Qt::DashLine)->setProperty("reglabNoHover", true);
    // In the legend once a run measures it: a run without training accuracy shows no empty entry.
    addTrack(tr("Training"), kTraining, 3, Qt::DashLine, false)->setPointsVisible(true);
    addTrack(tr("Generalization gap"), kTraining, 3)->setPointsVisible(true);
    setTrackShown(Gap, false); // comparisons only
    // Shaded between training (upper) and test (lower): its own copies of the points, never decimated (epochs).
    m_gapArea = new QAreaSeries(new QLineSeries(this), new QLineSeries(this));
    m_gapArea->setName(tr("Generalization gap"));
    QColor fill = kTraining;
    fill.setAlpha(40);
    m_gapArea->setBrush(fill);
    m_gapArea->setPen(Qt::NoPen);
    m_gapArea->setProperty("reglabNoHover", true);
    addSeries(m_gapArea);
    hideFromLegend(m_gapArea);
    setOverlayPointsVisible(true);
    setEpochs(m_epochs);
}

void AccuracyChart::setEpochs(int epochs)
{
    m_epochs = std::max(1, epochs);
    refreshRanges();
    updateMarkers();
}

void AccuracyChart::addEpoch(const reglab::EpochRecord &r)
{
    append(Validation, {double(r.epoch), 100 * r.valAccuracy});
    append(Test, {double(r.epoch), 100 * r.testAccuracy});
    if (!std::isfinite(r.trainAccuracy)) // not measured (--train-eval 0): no training line, no gap
        return;
    if (track(Training).all.isEmpty())
        setTrackInLegend(Training, true);
    append(Training, {double(r.epoch), 100 * r.trainAccuracy});
    append(Gap, {double(r.epoch), 100 * (r.trainAccuracy - r.testAccuracy)});
    m_gapArea->upperSeries()->append(double(r.epoch), 100 * r.trainAccuracy);
    m_gapArea->lowerSeries()->append(double(r.epoch), 100 * r.testAccuracy);
    updateGapArea();
}

void AccuracyChart::setGapShaded(bool shaded)
{
    m_gapShaded = shaded;
    updateGapArea();
}

bool AccuracyChart::gapShaded() const
{
    return m_gapArea->isVisible();
}

QList<QPointF> AccuracyChart::gapUpper() const
{
    return m_gapArea->upperSeries()->points();
}

void AccuracyChart::updateGapArea()
{
    const bool shown = m_gapShaded && trackShown(Training) && m_gapArea->upperSeries()->count() > 0;
    if (m_gapArea->isVisible() != shown)
        m_gapArea->setVisible(shown);
    hideFromLegend(m_gapArea);
}

void AccuracyChart::updateRanges()
{
    auto *x = qobject_cast<QValueAxis *>(xAxis());
    int last = m_epochs;
    if (!track(Validation).all.isEmpty())
        last = std::max(last, int(std::ceil(track(Validation).all.last().x())));
    last = std::max(last, int(std::ceil(overlayMaxX()))); // compared runs that went further
    // The chance line spans the axis. It is set here, not kept as a history: this chart never rebuilds its series.
    QLineSeries *chance = track(Chance).series;
    if (chance->count() != 2 || chance->at(1).x() != double(last))
        chance->replace(QList<QPointF>{{0, 10}, {double(last), 10}});
    // A long run must not first create one tick item per epoch: a coarse interval before the new range, then
    // fitAxes() picks the one that fits.
    x->setTickInterval(std::max(x->tickInterval(), std::pow(10.0, std::floor(std::log10(std::max(1, last))))));
    ChartBase::setAxisRange(x, 0, last);
    // The home range of accuracy is all of it (a reset after a zoom comes back here, not to the zoom's range);
    // the gap (training minus test) can go below 0, and the axis follows it there.
    double low = 0;
    for (const Track &t : tracks())
        if (t.series->isVisible())
            for (const QPointF &p : t.all)
                low = std::min(low, p.y());
    for (const Track &t : overlayTracks())
        for (const QPointF &p : t.all)
            low = std::min(low, p.y());
    if (auto *y = qobject_cast<QValueAxis *>(yAxis()))
        ChartBase::setAxisRange(y, std::floor(low / 10) * 10, 100);
    fitAxes();
}

void AccuracyChart::clear()
{
    LiveChart::clear();
    m_gapArea->upperSeries()->clear();
    m_gapArea->lowerSeries()->clear();
    setTrackInLegend(Training, false);
    updateGapArea();
    setEpochs(m_epochs); // the chance line stays
}

} // namespace reglab::ui
