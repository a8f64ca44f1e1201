// "Inside the network": weight images, histograms, sparsity, the optimizer's view and the validation detail,
// one tab each, each with its own export (PNG, SVG, PDF, clipboard). It draws only the copies the trainer sends.
#pragma once

#include "model/records.h"
#include "ui/network/histogramview.h"
#include "ui/runs/runview.h"

#include <QTabWidget>

class QPushButton;

namespace reglab::ui {

class ConfusionView;
class GradientChart;
class MissGallery;
class RunModel;
class SparsityChart;
class WeightTiles;
class WeightsView;

class NetworkPanel : public QTabWidget, public RunView {
    Q_OBJECT
public:
    enum View { Tiles = 0, Histograms, Sparsity, Gradients, Confusion, Mistakes, ViewCount };

    explicit NetworkPanel(QWidget *parent = nullptr);
    // The runs shown for comparison in the model are drawn beside the live run, in their colours under their
    // legend names: histograms, sparsity and norms; the weight images name their runs.
    void setRunModel(RunModel *runs);

    WeightTiles *tiles() const;
    WeightsView *weights() const { return m_weights; }
    HistogramView *histograms() const { return m_histograms; }
    SparsityChart *sparsity() const { return m_sparsity; }
    GradientChart *gradients() const { return m_gradients; }
    ConfusionView *confusion() const { return m_confusion; }
    MissGallery *mistakes() const { return m_mistakes; }
    QPushButton *refreshButton() const { return m_refresh; }

    // The widget a view's export draws; its name for file names ("weights", ...).
    QWidget *figure(View view) const;
    static QString fileName(View view);
    // PNG (at `scale`), SVG or PDF by suffix; "" or what went wrong.
    QString exportView(View view, const QString &path, qreal scale = 2.0);
    void copyView(View view);

    // Refresh asks a paused run for a snapshot; it is offered only while a run is going.
    void setRunning(bool running);
    void setClassNames(const std::vector<std::string> &names);
    // RunView: the class names from the run's start; epochs, weights, gradients and validation detail.
    void onStarted(const reglab::RunInfo &info) override;
    void onEvent(const reglab::TrainEvent &event) override;
    void clear() override;
    // The window's redraw tick: the views on screen catch up with what arrived.
    void flush() override;

public Q_SLOTS:
    void onWeights(const reglab::WeightSnapshot &snapshot);
    void onEpoch(const reglab::EpochRecord &record);
    void onGradientBalance(const reglab::GradientBalance &balance);
    void onValidationDetail(const reglab::ValidationDetail &detail);

Q_SIGNALS:
    void refreshRequested();
    // After an export from the panel's own buttons: "Saved PATH" for the status bar, or what went wrong as
    // rich text for the banner.
    void message(const QString &text);
    void problem(const QString &text);

private:
    QWidget *page(View view, QWidget *content, QWidget *extra = nullptr);
    void exportDialog(View view);
    void redrawNow(View view);
    void prepareForExport(QWidget *widget) const;
    void updateComparison();

    WeightsView *m_weights;
    HistogramView *m_histograms;
    SparsityChart *m_sparsity;
    GradientChart *m_gradients;
    ConfusionView *m_confusion;
    MissGallery *m_mistakes;
    QPushButton *m_refresh;
    RunModel *m_runs = nullptr;
};

} // namespace reglab::ui
