// Sparsity over time, one layer at a time, for the live run and the runs shown beside it, each in its run colour:
// the share of weights with |w| below a threshold the user sets (solid) and the share exactly 0 (dashed: proximal
// L1 makes them, the subgradient hardly ever), and the layer's L1 norm (solid) and L2 norm (dashed), against
// epoch; each chart's legend is a grey key to its line styles, and one strip under both names the runs. Runs
// compared have, besides their colours, their markers (runstyle.h) on both lines, so a greyscale print tells them
// apart; dashes are not theirs here (they say which measure). The live run's snapshots are kept as compact
// summaries (a fine histogram of log10|w| and the exact-zero count), so a new threshold redraws its whole curve
// without keeping the weights; a compared run's curves come from its record's epochs (measured at its own
// threshold), and at another threshold from its saved last snapshot.
#pragma once

#include "model/runrecord.h"

#include <QColor>
#include <QDoubleSpinBox>
#include <QList>
#include <QPointF>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;

namespace reglab::ui {

class ChartBase;
class LegendStrip;

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

// A compared run: its per-epoch layer statistics from its record, under its legend name and colour.
struct SparsityOverlay {
    QString label, brief;
    QColor color;
    struct Point {
        int epoch = 0;
        double small = 0, zero = 0, l1 = 0, l2 = 0; // small: the share below `threshold`
    };
    std::map<QString, std::vector<Point>> layers;
    QStringList layerOrder;
    double threshold = 0; // the run's sparsity_threshold, at which its records measured `small`
    // Its last weight snapshot, read only when the chart's threshold is not the run's (may return null).
    std::function<std::shared_ptr<const reglab::WeightSnapshot>()> weights;

    static SparsityOverlay fromRecord(const reglab::RunRecord &record, const QString &label, const QString &brief,
                                      const QColor &color);
};

class SparsityChart : public QWidget {
    Q_OBJECT
public:
    static constexpr double kDefaultThreshold = 1e-3;
    enum Measure { Share, Zero, L1Norm, L2Norm };

    explicit SparsityChart(QWidget *parent = nullptr);

    // A snapshot's layers are summarized under its epoch (a later one of the same epoch replaces it).
    void addSnapshot(const reglab::WeightSnapshot &snapshot);
    // The norms come with each epoch's record.
    void addEpoch(const reglab::EpochRecord &record);
    void clear();
    // The window's redraw tick: the charts are rebuilt only while on screen.
    void flush();

    // The runs compared with the live one (the runs list's shown runs).
    void setOverlays(const QList<SparsityOverlay> &overlays);
    // The live run's legend name and colour, and whether it is shown (none: "this run" in the live chart's blue).
    void setLiveLook(const QString &name, const QString &brief, const QColor &color, bool shown = true);

    double threshold() const;
    void setThreshold(double value);
    ThresholdSpinBox *thresholdBox() const { return m_threshold; }
    // The layer shown ("fc1", ...); the combo box lists the layers of every run drawn.
    QString layer() const;
    void setLayer(const QString &name);
    QComboBox *layerBox() const { return m_layer; }

    // The live run's share (%) of layer `name` per summarized epoch, as drawn: below the threshold, and exactly 0.
    QList<QPointF> sharePoints(const QString &name) const;
    QList<QPointF> zeroPoints(const QString &name) const;
    QList<QPointF> normPoints(const QString &name, bool l2) const;
    // Compared run `overlay`'s points for the shown layer, as drawn (shares in %).
    QList<QPointF> overlayPoints(int overlay, Measure measure) const;
    const SparsitySummary *summary(const QString &name, int epoch) const;
    ChartBase *shareView() const { return m_shareView; }
    ChartBase *normView() const { return m_normView; }
    // The runs drawn, once for both charts, in rows under them; each chart's own legend is the key to its line
    // styles.
    LegendStrip *legend() const { return m_legend; }
    // Under the charts: the compared runs whose shares at this threshold are not known, or "".
    QString noteText() const;
    // Both charts, the runs' legend and the note, as a figure for export.
    QWidget *figure() const { return m_figure; }

private:
    void redrawShares();
    void redrawNorms();
    void updateLayers();
    // Draws the key to the line styles: two grey entries in the legend (their names, then the short ones), no points.
    void addKey(ChartBase *view, const QStringList &solid, const QStringList &dashed);
    QString liveLabel() const;
    QColor liveColor() const;
    // The run style (runstyle.h) a run of this colour is drawn in while runs are compared; -1 for a run alone.
    int runStyleFor(const QColor &color) const;

    QComboBox *m_layer;
    ThresholdSpinBox *m_threshold;
    ChartBase *m_shareView, *m_normView;
    LegendStrip *m_legend;
    QLabel *m_note;
    QWidget *m_figure;
    QStringList m_layers; // the live run's, in the order first seen
    std::map<QString, std::map<int, SparsitySummary>> m_summaries;
    std::map<QString, std::map<int, std::pair<double, double>>> m_norms; // epoch -> (L1, L2)
    QList<SparsityOverlay> m_overlays;
    // A compared run's last snapshot summarized, per layer, once read (for thresholds not its own); epoch first.
    mutable std::map<int, std::pair<int, std::map<QString, SparsitySummary>>> m_overlaySummaries;
    QString m_liveName, m_liveBrief;
    QColor m_liveColor;
    bool m_liveShown = true;
};

} // namespace reglab::ui
