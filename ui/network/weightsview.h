// The "Weights" view: a run's first-layer weights as tiles, and a second run's beside them (the L1 run against
// the L2 run, say), on one colour scale that can be fixed across runs and epochs so a dead network looks dead.
// Each picture names its run as the legends do, in its colour; a reopened run shows the weights saved beside its
// record, or says it has none. Clicking a tile enlarges it.
#pragma once

#include "model/records.h"

#include <QWidget>

class QComboBox;

namespace reglab::ui {

class RunModel;
class TileZoom;
class WeightTiles;

class WeightsView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kLiveRun = -1; // the combos' entry for the run on the live charts

    explicit WeightsView(QWidget *parent = nullptr);
    void setRunModel(RunModel *runs);

    // The live run's newest snapshot: shown wherever "this run" is chosen.
    void onLiveSnapshot(const reglab::WeightSnapshot &snapshot);
    void clear();

    WeightTiles *tiles() const { return m_tiles[0]; }
    WeightTiles *secondTiles() const { return m_tiles[1]; }
    QComboBox *runBox() const { return m_run[0]; }
    QComboBox *compareBox() const { return m_run[1]; }
    QComboBox *scaleBox() const { return m_scale; }
    TileZoom *zoom() const { return m_zoom; }
    // Chooses the runs shown (kLiveRun, or a run's id; the second also -2 for none).
    void showRuns(int first, int second = -2);
    // The tiles' area, as a figure for export.
    QWidget *figure() const { return m_figure; }

protected:
    // The enlarged tile goes with the weights: another view or tab chosen, it does not stay over the charts.
    void hideEvent(QHideEvent *event) override;

private:
    void refillRunBoxes();
    void showChosen(int side);
    // The chosen run's legend name and colour over each picture.
    void updateCaptions();
    void zoomInto(int side, int unit);

    RunModel *m_runs = nullptr;
    QComboBox *m_run[2];
    QComboBox *m_scale;
    WeightTiles *m_tiles[2];
    QWidget *m_figure;
    TileZoom *m_zoom;
};

} // namespace reglab::ui
