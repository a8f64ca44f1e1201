#include "ui/network/weightsview.h"

#include "ui/network/tilezoom.h"
#include "ui/network/weighttiles.h"
#include "ui/runs/runlegend.h"
#include "ui/runs/runmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace reglab::ui {

namespace {
constexpr int kNone = -2;
}

WeightsView::WeightsView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout();
    for (int side = 0; side < 2; ++side) {
        m_run[side] = new QComboBox(this);
        m_run[side]->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        m_run[side]->setMinimumContentsLength(6);
        auto *label = new QLabel(side == 0 ? tr("Show:") : tr("beside:"), this);
        label->setBuddy(m_run[side]); // a reader names the combo by its label
        m_run[side]->setAccessibleName(side == 0 ? tr("Show weights of") : tr("Beside them, weights of"));
        row->addWidget(label);
        row->addWidget(m_run[side], 1);
    }
    m_run[0]->setToolTip(tr("The run whose first-layer weights are shown"));
    m_run[1]->setToolTip(tr("A second run shown beside the first, on the same colour scale"));
    m_scale = new QComboBox(this);
    m_scale->addItem(tr("own scale"), 0.0);
    for (double s : {0.2, 0.1, 0.05, 0.02, 0.01})
        m_scale->addItem(QStringLiteral("\u00b1%1").arg(s), s);
    m_scale->setCurrentIndex(m_scale->findData(0.1));
    m_scale->setToolTip(tr("Colours: a fixed scale (the same for every run and epoch, so weights near 0 look "
                           "white) or each picture's own largest weights"));
    layout->addLayout(row);
    // The scale on a row of its own, so the view fits a narrow sidebar.
    auto *scaleRow = new QHBoxLayout();
    auto *scaleLabel = new QLabel(tr("Scale:"), this);
    scaleLabel->setBuddy(m_scale);
    m_scale->setAccessibleName(tr("Colour scale"));
    scaleRow->addWidget(scaleLabel);
    scaleRow->addWidget(m_scale);
    scaleRow->addStretch(1);
    layout->addLayout(scaleRow);

    m_figure = new QWidget(this);
    auto *pictures = new QHBoxLayout(m_figure);
    pictures->setContentsMargins(0, 0, 0, 0);
    for (int side = 0; side < 2; ++side) {
        m_tiles[side] = new WeightTiles(m_figure);
        m_tiles[side]->setFixedScale(0.1);
        pictures->addWidget(m_tiles[side]);
        connect(m_tiles[side], &WeightTiles::unitClicked, this, [this, side](int unit) { zoomInto(side, unit); });
        connect(m_run[side], &QComboBox::activated, this, [this, side] { showChosen(side); });
    }
    m_tiles[1]->hide();
    layout->addWidget(m_figure, 1);
    m_zoom = new TileZoom(this);
    connect(m_scale, &QComboBox::currentIndexChanged, this, [this] {
        for (WeightTiles *t : m_tiles)
            t->setFixedScale(m_scale->currentData().toDouble());
    });
    refillRunBoxes();
}

void WeightsView::setRunModel(RunModel *runs)
{
    m_runs = runs;
    connect(runs, &RunModel::snapshotsChanged, this, &WeightsView::refillRunBoxes);
    connect(runs, &QAbstractItemModel::rowsRemoved, this, &WeightsView::refillRunBoxes);
    connect(runs, &QAbstractItemModel::dataChanged, this, &WeightsView::refillRunBoxes);
    // Ticking runs changes the names legends give them (what differs between the shown runs).
    connect(runs, &RunModel::comparisonChanged, this, &WeightsView::refillRunBoxes);
    refillRunBoxes();
}

void WeightsView::refillRunBoxes()
{
    for (int side = 0; side < 2; ++side) {
        QComboBox *box = m_run[side];
        const int chosen = box->count() ? box->currentData().toInt() : (side == 0 ? kLiveRun : kNone);
        const QSignalBlocker block(box);
        box->clear();
        if (side == 1)
            box->addItem(tr("nothing"), kNone);
        box->addItem(tr("this run"), kLiveRun);
        // The runs with weights to show, and the shown ones (a reopened run without saved weights says so).
        if (m_runs)
            for (int id : m_runs->ids())
                if ((m_runs->hasSnapshot(id) || m_runs->isShown(id) || id == chosen) && id != m_runs->liveId())
                    box->addItem(m_runs->name(id), id);
        const int index = box->findData(chosen);
        box->setCurrentIndex(index >= 0 ? index : 0);
        if (index < 0) // the run shown was removed
            showChosen(side);
    }
    updateCaptions();
}

void WeightsView::updateCaptions()
{
    const QHash<int, LegendName> names = m_runs ? legendNames(*m_runs, m_runs->shownIds()) : QHash<int, LegendName>();
    for (int side = 0; side < 2; ++side) {
        const int id = m_run[side]->currentData().toInt();
        const int run = id == kLiveRun && m_runs ? m_runs->liveId() : id;
        if (!m_runs || !m_runs->contains(run)) { // the live run before any run: no name to give
            m_tiles[side]->setCaption({});
            continue;
        }
        m_tiles[side]->setCaption(names.value(run, {m_runs->name(run), {}}).full, m_runs->color(run));
    }
}

void WeightsView::showRuns(int first, int second)
{
    refillRunBoxes();
    for (int side = 0; side < 2; ++side) {
        const int index = m_run[side]->findData(side == 0 ? first : second);
        if (index >= 0)
            m_run[side]->setCurrentIndex(index);
        showChosen(side);
    }
}

void WeightsView::showChosen(int side)
{
    const int id = m_run[side]->currentData().toInt();
    m_tiles[side]->setVisible(id != kNone);
    if (id == kNone)
        return;
    const int run = id == kLiveRun && m_runs ? m_runs->liveId() : id;
    const auto snapshot = m_runs ? m_runs->snapshot(run) : nullptr;
    if (!snapshot) {
        // A run from a file: its weights were not saved with it (an older record, reglab-train's), or cannot be read.
        QString message;
        if (id != kLiveRun && m_runs) {
            const QString problem = m_runs->snapshotProblem(run);
            message = problem.isEmpty() ? tr("No weights were saved with this run (runs kept by an older RegLab, and "
                                             "reglab-train's records, have none).")
                                        : tr("Its saved weights cannot be read: %1").arg(problem);
        }
        m_tiles[side]->clear(message);
        updateCaptions();
        return;
    }
    m_tiles[side]->setSnapshot(*snapshot);
    updateCaptions();
}

void WeightsView::onLiveSnapshot(const reglab::WeightSnapshot &snapshot)
{
    for (int side = 0; side < 2; ++side)
        if (m_run[side]->currentData().toInt() == kLiveRun)
            m_tiles[side]->setSnapshot(snapshot);
    updateCaptions(); // the first snapshot of a new run: its name
}

void WeightsView::clear()
{
    for (int side = 0; side < 2; ++side)
        if (m_run[side]->currentData().toInt() == kLiveRun)
            m_tiles[side]->clear();
    updateCaptions();
}

void WeightsView::hideEvent(QHideEvent *event)
{
    m_zoom->hide();
    QWidget::hideEvent(event);
}

void WeightsView::zoomInto(int side, int unit)
{
    const WeightTiles *tiles = m_tiles[side];
    const QString run = tiles->caption().isEmpty() ? m_run[side]->currentText() : tiles->caption();
    m_zoom->show(tr("%1, %2 unit %3, epoch %4").arg(run, tiles->layerName()).arg(unit).arg(tiles->epoch()),
                 tiles->unitWeights(unit), tiles->scale());
}

} // namespace reglab::ui
