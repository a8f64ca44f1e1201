// Training loss against the optimizer step, split into its parts: cross-entropy, L1 term, L2 term and total;
// optionally smoothed (an exponential moving average, as TensorBoard's slider) with the raw curves faint beneath.
#pragma once

#include "ui/charts/livechart.h"
#include "ui/charts/smoothing.h"

#include <array>

#include "model/records.h"

namespace reglab::ui {

class LossChart : public LiveChart {
    Q_OBJECT
public:
    enum Series { Data = 0, L1 = 1, L2 = 2, Total = 3 };

    // The linear axis reaches at most kCapFactor times the largest value among the first kEarlyPoints points
    // of a run or after a change of a hyperparameter, so a divergence keeps the curves so far readable.
    static constexpr int kEarlyPoints = 5;
    static constexpr double kCapFactor = 10.0;

    explicit LossChart(QWidget *parent = nullptr);

    void setTotalSteps(std::int64_t steps);
    void addStep(const reglab::StepRecord &record); // buffered until flush()
    void setLogScale(bool on);
    bool logScale() const { return m_log; }
    bool logScaleAvailable() const override { return true; }
    bool logScaleActive() const override { return m_log; }
    void clear() override;

    // The smoothing weight, 0 (none) to 0.99: each part is drawn smoothed, its raw curve faint beneath.
    void setSmoothing(double weight);
    double smoothing() const { return m_weight; }
    // A part shown or not (its raw curve with it), and named and coloured (as a part, or as a compared run).
    void setPartShown(Series series, bool shown);
    bool partShown(Series series) const { return trackShown(mainTrack(series)); }
    void setPartLook(Series series, const QString &name, const QString &shortName, const QColor &color,
                     qreal width = 2.5, Qt::PenStyle style = Qt::SolidLine, bool textColored = false);
    // A part drawn as a compared run (LiveChart::setTrackRunStyle), after setPartLook; -1: plainly.
    void setPartRunStyle(Series series, int styleIndex) { setTrackRunStyle(mainTrack(series), styleIndex); }
    int partRunStyle(Series series) const { return trackRunStyle(mainTrack(series)); }
    QString partName(Series series) const { return trackName(mainTrack(series)); }
    QColor partColor(Series series) const { return trackColor(mainTrack(series)); }
    bool rawShown(Series series) const { return trackShown(rawTrack(series)); }

    // For tests: points shown by a series after the last flush, and the axis ranges.
    int pointCount(Series series) const { return shownCount(mainTrack(series)); }
    QPointF lastPoint(Series series) const { return lastShown(mainTrack(series)); }
    QPointF lastRawPoint(Series series) const { return lastShown(rawTrack(series)); }
    std::pair<double, double> yAxisRange() const { return yRange(); }
    double xAxisMax() const;

protected:
    QPointF shown(const QPointF &p) const override;
    void updateRanges() override;
    void overlaysChanged() override;

private:
    // The raw curves are added first, so that they are drawn under the (smoothed) parts.
    static int rawTrack(Series s) { return int(s); }
    static int mainTrack(Series s) { return 4 + int(s); }
    double floorValue() const;
    void updateXRange();
    bool m_log = false;
    std::int64_t m_totalSteps = 0;
    double m_maxY = 0, m_minPositive = 0;
    double m_shownFloor = 0; // the floor the shown (log) points were clamped to
    double m_reference = 0;  // the early scale (see kCapFactor)
    int m_earlyLeft = 0;     // points still counted into m_reference
    double m_lastL1 = -1, m_lastL2 = -1, m_lastLr = -1;
    // The same for the overlays (their first kEarlyPoints finite values set their early scale).
    double m_overlayMaxY = 0, m_overlayMinPositive = 0, m_overlayReference = 0;
    double m_weight = 0;
    std::array<Ema, 4> m_ema{};
};

} // namespace reglab::ui
