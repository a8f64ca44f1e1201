// Training, validation and test accuracy per epoch, against the 10 % that guessing reaches: the generalization
// gap chart. The gap between training and test accuracy is shaded (as TensorFlow Playground draws training and
// test loss together); in comparisons each run draws the one accuracy (or the gap) chosen, in its colour.
#pragma once

#include "ui/charts/livechart.h"

#include "model/records.h"

class QAreaSeries;

namespace reglab::ui {

class AccuracyChart : public LiveChart {
    Q_OBJECT
public:
    enum Series { Validation = 0, Test = 1, Chance = 2, Training = 3, Gap = 4 };

    explicit AccuracyChart(QWidget *parent = nullptr);

    void setEpochs(int epochs);
    void addEpoch(const reglab::EpochRecord &record); // buffered until flush()
    void clear() override;
    // The shaded gap between training and test accuracy (a single run's view; off in comparisons).
    void setGapShaded(bool shaded);
    bool gapShaded() const;
    // The area's points: (epoch, training %) over (epoch, test %).
    QList<QPointF> gapUpper() const;

    // For tests: points shown by a series after the last flush.
    int pointCount(Series series) const { return shownCount(series); }

protected:
    void updateRanges() override;

private:
    void updateGapArea();
    int m_epochs = 10;
    QAreaSeries *m_gapArea = nullptr;
    bool m_gapShaded = true;
};

} // namespace reglab::ui
