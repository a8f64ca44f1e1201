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
    m_seen.append(r);
    plot(r);
}

void AccuracyChart::plot(const reglab::EpochRecord &r)
{
    const double x = r.epoch;
    const bool loss = m_measure == Measure::Loss;
    const double validation = loss ? r.valLoss : 100 * r.valAccuracy, test = loss ? r.testLoss : 100 * r.testAccuracy;
    const double training = loss ? r.trainEvalLoss : 100 * r.trainAccuracy;
    append(Validation, {x, validation});
    append(Test, {x, test});
    if (!std::isfinite(training)) // not measured (--train-eval 0): no training line, no gap
        return;
    if (track(Training).all.isEmpty())
        setTrackInLegend(Training, true);
    append(Training, {x, training});
    append(Gap, {x, loss ? test - training : training - test});
    // Shaded from the better of the two to the worse: training accuracy over test's, test loss over training's.
    m_gapArea->upperSeries()->append(x, loss ? test : training);
    m_gapArea->lowerSeries()->append(x, loss ? training : test);
    updateGapArea();
}

void AccuracyChart::setMeasure(Measure measure)
{
    if (measure == m_measure)
        return;
    m_measure = measure;
    const bool loss = measure == Measure::Loss, gap = measure == Measure::Gap;
    if (gap)
        styleAxis(yAxis(), tr("Training \u2212 test accuracy (points)"), tr("Gap (points)"));
    else
        styleAxis(yAxis(), loss ? tr("Loss (cross-entropy)") : tr("Accuracy (%)"), loss ? tr("Loss") : tr("%"));
    qobject_cast<QValueAxis *>(yAxis())->setLabelFormat(loss ? QStringLiteral("%.1f") : QStringLiteral("%d"));
    track(Chance).series->setName(loss ? tr("Chance (ln 10)") : tr("Chance (10 %)"));
    track(Chance).series->setVisible(!gap); // guessing has no gap to compare with
    clearTracks();
    m_gapArea->upperSeries()->clear();
    m_gapArea->lowerSeries()->clear();
    setTrackInLegend(Training, false);
    for (const reglab::EpochRecord &r : m_seen)
        plot(r);
    updateGapArea();
    refreshRanges();
    flush();
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
    // The chance line spans the axis: 10 % of the digits, or the loss of a uniform guess (ln 10). It is set here,
    // not kept as a history: this chart never rebuilds its series.
    const bool loss = m_measure == Measure::Loss;
    const double chanceY = loss ? std::log(10.0) : 10.0;
    QLineSeries *chance = track(Chance).series;
    if (chance->count() != 2 || chance->at(1).x() != double(last) || chance->at(0).y() != chanceY)
        chance->replace(QList<QPointF>{{0, chanceY}, {double(last), chanceY}});
    // A long run must not first create one tick item per epoch: a coarse interval before the new range, then
    // fitAxes() picks the one that fits.
    x->setTickInterval(std::max(x->tickInterval(), std::pow(10.0, std::floor(std::log10(std::max(1, last))))));
    ChartBase::setAxisRange(x, 0, last);
    // The home range of accuracy is all of it (a reset after a zoom comes back here, not to the zoom's range);
    // the gap (training minus test) can go below 0, and the axis follows it there. Losses start at 0 and reach
    // the highest shown, guessing's included.
    const bool gap = m_measure == Measure::Gap; // runs' gaps: a few points either side of 0, not 0-100
    double low = 0, high = loss ? chanceY : gap ? 0 : 100;
    const auto cover = [&](const QList<QPointF> &points) {
        for (const QPointF &p : points)
            if (std::isfinite(p.y())) {
                low = std::min(low, p.y());
                high = loss || gap ? std::max(high, p.y()) : high;
            }
    };
    for (const Track &t : tracks())
        if (t.series->isVisible() && &t != &track(Chance))
            cover(t.all);
    for (const Track &t : overlayTracks())
        cover(t.all);
    if (auto *y = qobject_cast<QValueAxis *>(yAxis())) {
        if (gap)
            ChartBase::setAxisRange(y, std::floor(low / 5) * 5, std::max(std::ceil(high / 5) * 5, std::floor(low / 5) * 5 + 10));
        else
            ChartBase::setAxisRange(y, loss ? std::floor(low * 2) / 2 : std::floor(low / 10) * 10,
                                    loss ? std::ceil(high * 1.05 * 2) / 2 : 100);
    }
    fitAxes();
}

void AccuracyChart::clear()
{
    m_seen.clear();
    LiveChart::clear();
    m_gapArea->upperSeries()->clear();
    m_gapArea->lowerSeries()->clear();
    setTrackInLegend(Training, false);
    updateGapArea();
    setEpochs(m_epochs); // the chance line stays
}

} // namespace reglab::ui
