// Validation and test accuracy per epoch, against the 10 % that guessing reaches.
#pragma once

#include "ui/charts/livechart.h"

#include "model/records.h"

namespace reglab::ui {

class AccuracyChart : public LiveChart {
    Q_OBJECT
public:
    enum Series { Validation = 0, Test = 1, Chance = 2 };

    explicit AccuracyChart(QWidget *parent = nullptr);

    void setEpochs(int epochs);
    void addEpoch(const reglab::EpochRecord &record); // buffered until flush()
    void clear() override;

    // For tests: points shown by a series after the last flush.
    int pointCount(Series series) const { return shownCount(series); }

protected:
    void updateRanges() override;

private:
    int m_epochs = 10;
};

} // namespace reglab::ui
