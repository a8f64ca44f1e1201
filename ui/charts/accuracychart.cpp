#include "ui/charts/accuracychart.h"
#include "ui/charts/palette.h"

#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

namespace reglab::ui {

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
    // The home range of accuracy is all of it: a reset after a zoom comes back here, not to the zoom's range.
    ChartBase::setAxisRange(qobject_cast<QValueAxis *>(yAxis()), 0, 100);
    fitAxes();
}

void AccuracyChart::clear()
{
    LiveChart::clear();
    setEpochs(m_epochs); // the chance line stays
}

} // namespace reglab::ui
