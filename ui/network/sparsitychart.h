// Sparsity over time: per layer, the share of weights with |w| below a threshold the user sets (solid) and the
// share exactly 0 (dashed: proximal L1 makes them, the subgradient hardly ever), and the layers' L1 and L2 norms,
// against epoch. Each snapshot is kept as a compact summary (a fine histogram of log10|w| and
// the exact-zero count), so a new threshold redraws the whole curve without keeping the weights.
#pragma once

#include "model/records.h"

#include <QDoubleSpinBox>
#include <QList>
#include <QPointF>
#include <QWidget>

#include <cstdint>
#include <map>
#include <vector>

namespace reglab::ui {

class ChartBase;

class SparsitySummary {
public:
    static constexpr double kLowDecade = -12; // |w| below 1e-12 (but not 0) counts as below every threshold
    static constexpr double kHighDecade = 2;
    static constexpr int kBinsPerDecade = 50; // thresholds at 1, 2, 5 x 10^k land on bin edges within 1 %

    SparsitySummary() = default;
    explicit SparsitySummary(const std::vector<float> &weights);

    // Share of weights with |w| < threshold (0..1); within a bin the count is interpolated in log10|w|.
    double shareBelow(double threshold) const;
    std::int64_t total() const { return m_total; }
    std::int64_t zeros() const { return m_zeros; }

private:
    std::vector<std::int32_t> m_bins;
    std::int64_t m_tiny = 0, m_zeros = 0, m_total = 0;
};

// Whole decades between 1e-6 and 1e-1 on the arrows (quarter decades), any value typed.
class ThresholdSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit ThresholdSpinBox(QWidget *parent = nullptr);
    QString textFromValue(double value) const override;
    double valueFromText(const QString &text) const override;
    QValidator::State validate(QString &text, int &pos) const override;
    void stepBy(int steps) override;
};

class SparsityChart : public QWidget {
    Q_OBJECT
public:
    static constexpr double kDefaultThreshold = 1e-3;

    explicit SparsityChart(QWidget *parent = nullptr);

    // A snapshot's layers are summarized under its epoch (a later one of the same epoch replaces it).
    void addSnapshot(const reglab::WeightSnapshot &snapshot);
    // The norms come with each epoch's record.
    void addEpoch(const reglab::EpochRecord &record);
    void clear();
    // The window's redraw tick: the charts are rebuilt only while on screen.
    void flush();

    double threshold() const;
    void setThreshold(double value);
    ThresholdSpinBox *thresholdBox() const { return m_threshold; }

    // Share (%) of layer `name` per summarized epoch, as drawn: below the threshold, and exactly 0.
    QList<QPointF> sharePoints(const QString &name) const;
    QList<QPointF> zeroPoints(const QString &name) const;
    QList<QPointF> normPoints(const QString &name, bool l2) const;
    const SparsitySummary *summary(const QString &name, int epoch) const;
    ChartBase *shareView() const { return m_shareView; }
    ChartBase *normView() const { return m_normView; }

private:
    void redrawShares();
    void redrawNorms();

    ThresholdSpinBox *m_threshold;
    ChartBase *m_shareView, *m_normView;
    QStringList m_layers; // in the order first seen, for stable colours
    std::map<QString, std::map<int, SparsitySummary>> m_summaries;
    std::map<QString, std::map<int, std::pair<double, double>>> m_norms; // epoch -> (L1, L2)
};

} // namespace reglab::ui
