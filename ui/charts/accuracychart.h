// Training, validation and test accuracy per epoch, against the 10 % that guessing reaches, or the three losses
// against guessing's ln 10: the generalization gap chart. The gap between training and test is shaded (as
// TensorFlow Playground draws training and test loss together); in comparisons each run draws the one accuracy,
// loss (or the gap) chosen, in its colour.
#pragma once

#include "ui/charts/livechart.h"

#include "model/records.h"

class QAreaSeries;

namespace reglab::ui {

class AccuracyChart : public LiveChart {
    Q_OBJECT
public:
    enum Series { Validation = 0, Test = 1, Chance = 2, Training = 3, Gap = 4 };
    // What the tracks plot: accuracy (%), loss (cross-entropy; training's measured in eval mode), or runs' gaps
    // compared (training minus test accuracy, in points: no chance line, the axis fitted to the gaps).
    enum class Measure { Accuracy, Loss, Gap };

    explicit AccuracyChart(QWidget *parent = nullptr);

    void setEpochs(int epochs);
    void addEpoch(const reglab::EpochRecord &record); // buffered until flush()
    void clear() override;
    // Redraws the epochs seen so far in the other measure.
    void setMeasure(Measure measure);
    Measure measure() const { return m_measure; }
    // The shaded gap between training and test accuracy (a single run's view; off in comparisons).
    void setGapShaded(bool shaded);
    bool gapShaded() const;
    // The area's upper edge: (epoch, training %) over test accuracy; (epoch, test loss) over training loss.
    QList<QPointF> gapUpper() const;

    // For tests: points shown by a series after the last flush.
    int pointCount(Series series) const { return shownCount(series); }
    std::pair<double, double> yAxisRange() const { return yRange(); }

protected:
    void updateRanges() override;

private:
    void plot(const reglab::EpochRecord &record);
    void updateGapArea();
    Measure m_measure = Measure::Accuracy;
    QList<reglab::EpochRecord> m_seen; // this run's epochs, to redraw in the other measure
    int m_epochs = 10;
    QAreaSeries *m_gapArea = nullptr;
    bool m_gapShaded = true;
};

} // namespace reglab::ui
