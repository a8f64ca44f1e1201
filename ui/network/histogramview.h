// Per-layer weight histograms over the core's fixed range, so frames of a run and different runs compare bin by
// bin: the live run's last snapshot, and the last histograms of the runs ticked for comparison.
#pragma once

#include "model/records.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineSeries;

namespace reglab::ui {

class ChartBase;

// A compared run's histograms (RunRecord::weightHistograms) under its list name and colour.
struct HistogramOverlay {
    QString label;
    QColor color;
    std::vector<reglab::WeightHistogram> histograms;
};

class HistogramView : public QWidget {
    Q_OBJECT
public:
    explicit HistogramView(QWidget *parent = nullptr);

    void setHistograms(const std::vector<reglab::WeightHistogram> &histograms, int epoch);
    void setOverlays(const QList<HistogramOverlay> &overlays);
    // The live run's name and colour, as the runs list has them (none: "this run" in the live chart's blue).
    void setLiveLook(const QString &name, const QColor &color);
    void clear();
    // The window's redraw tick: the chart is rebuilt only while on screen.
    void flush();

    // The layer shown ("fc1", ...); the combo box lists the layers seen so far.
    QString layer() const;
    void setLayer(const QString &name);
    bool logCounts() const;
    void setLogCounts(bool on);

    ChartBase *chartView() const { return m_view; }
    QComboBox *layerBox() const { return m_layer; }
    // The counts drawn for the live run (index 0) and the overlays (1...), read back from the series: one per bin.
    int shownSeriesCount() const;
    std::vector<double> shownCounts(int index) const;
    // "exactly 0: n, below: n, above: n" for the live run's shown layer.
    QString summaryText() const;

private:
    void rebuild();
    void updateLayers();

    QComboBox *m_layer;
    QCheckBox *m_log;
    QLabel *m_summary;
    ChartBase *m_view;
    std::vector<reglab::WeightHistogram> m_live;
    int m_epoch = 0;
    QString m_liveName;
    QColor m_liveColor;
    QList<HistogramOverlay> m_overlays;
    QList<QLineSeries *> m_series; // live first, then the overlays that have the layer
};

} // namespace reglab::ui
