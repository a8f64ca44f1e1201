// Per-layer weight histograms over the core's fixed range, so frames of a run and different runs compare bin by
// bin: the live run's last snapshot, and the last histograms of the runs ticked for comparison, each in its run
// colour under the name the other charts' legends give it; compared, each also in its dashes with its markers
// (runstyle.h).
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
class LegendStrip;

// A compared run's histograms (RunRecord::weightHistograms) under its legend name (and the brief one for a
// crowded legend) and its colour.
struct HistogramOverlay {
    QString label;
    QColor color;
    std::vector<reglab::WeightHistogram> histograms;
    QString brief = {};
};

class HistogramView : public QWidget {
    Q_OBJECT
public:
    explicit HistogramView(QWidget *parent = nullptr);

    void setHistograms(const std::vector<reglab::WeightHistogram> &histograms, int epoch);
    void setOverlays(const QList<HistogramOverlay> &overlays);
    // The live run's legend name and colour, and whether it is shown (none: "this run" in the live chart's blue).
    void setLiveLook(const QString &name, const QColor &color, const QString &brief = {}, bool shown = true);
    // The compared runs whose records keep no histograms (older records): named under the chart.
    void setMissing(const QStringList &names);
    void clear();
    // The window's redraw tick: the chart is rebuilt only while on screen.
    void flush();

    // The layer shown ("fc1", ...); the combo box lists the layers seen so far.
    QString layer() const;
    void setLayer(const QString &name);
    bool logCounts() const;
    void setLogCounts(bool on);

    ChartBase *chartView() const { return m_view; }
    // The runs drawn, each in its colour under its legend name, in rows under the chart (a legend inside the
    // sidebar's narrow chart would squeeze the plot or be cut).
    LegendStrip *legend() const { return m_legend; }
    // The chart and its legend, as a figure for export.
    QWidget *figure() const { return m_figure; }
    QComboBox *layerBox() const { return m_layer; }
    // The counts drawn for the live run (index 0) and the overlays (1...), read back from the series: one per bin.
    int shownSeriesCount() const;
    std::vector<double> shownCounts(int index) const;
    // "this run: exactly 0: n · below the range: n · above: n" for the live run's shown layer.
    QString summaryText() const;
    // Under the chart: the runs shown without histograms, or "".
    QString noteText() const;

private:
    void rebuild();
    void updateLayers();

    QComboBox *m_layer;
    QCheckBox *m_log;
    QLabel *m_summary;
    QLabel *m_note;
    ChartBase *m_view;
    LegendStrip *m_legend;
    QWidget *m_figure;
    std::vector<reglab::WeightHistogram> m_live;
    int m_epoch = 0;
    QString m_liveName, m_liveBrief;
    QColor m_liveColor;
    bool m_liveShown = true;
    QList<HistogramOverlay> m_overlays;
    QList<QLineSeries *> m_series; // live first, then the overlays that have the layer
};

} // namespace reglab::ui
