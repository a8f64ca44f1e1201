#include "ui/network/networkpanel.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/figureexport.h"
#include "ui/network/confusionview.h"
#include "ui/network/gradientchart.h"
#include "ui/network/sparsitychart.h"
#include "ui/network/weightsview.h"
#include "ui/network/weighttiles.h"
#include "ui/runs/runlegend.h"
#include "ui/runs/runmodel.h"

#include <QChartView>
#include <QHBoxLayout>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTabBar>
#include <QVBoxLayout>

namespace reglab::ui {

NetworkPanel::NetworkPanel(QWidget *parent) : QTabWidget(parent)
{
    setDocumentMode(true);
    // Whole tab titles, scrolled in a narrow sidebar rather than holding it wide.
    tabBar()->setUsesScrollButtons(true);
    tabBar()->setElideMode(Qt::ElideNone);
    m_weights = new WeightsView();
    m_histograms = new HistogramView();
    m_sparsity = new SparsityChart();
    m_gradients = new GradientChart();
    m_confusion = new ConfusionView();
    m_mistakes = new MissGallery();
    m_refresh = new QPushButton(tr("Refresh"));
    m_refresh->setToolTip(tr("Take a snapshot of the weights now (while paused)"));
    m_refresh->setEnabled(false);
    connect(m_refresh, &QPushButton::clicked, this, &NetworkPanel::refreshRequested);

    addTab(page(Tiles, m_weights, m_refresh), tr("Weights"));
    addTab(page(Histograms, m_histograms), tr("Histograms"));
    addTab(page(Sparsity, m_sparsity), tr("Sparsity"));
    addTab(page(Gradients, m_gradients), tr("Gradients"));
    addTab(page(Confusion, m_confusion), tr("Confusion"));
    addTab(page(Mistakes, m_mistakes), tr("Mistakes"));
    setTabToolTip(Tiles, tr("Each hidden unit's 784 input weights as a 28x28 image"));
    setTabToolTip(Histograms, tr("How the weights of a layer are spread"));
    setTabToolTip(Sparsity, tr("How many weights are (nearly) zero, and the layers' norms, per epoch"));
    setTabToolTip(Gradients, tr("The data gradient against the L1 and L2 pushes, per logging step"));
    setTabToolTip(Confusion, tr("Which classes are taken for which, on the validation fold"));
    setTabToolTip(Mistakes, tr("Misclassified validation digits"));
}

QWidget *NetworkPanel::page(View view, QWidget *content, QWidget *extra)
{
    auto *page = new QWidget();
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(content, 1);
    auto *row = new QHBoxLayout();
    if (extra)
        row->addWidget(extra);
    row->addStretch(1);
    auto *save = new QPushButton(tr("Export\u2026"), page);
    save->setToolTip(tr("Save this view as PNG, SVG or PDF"));
    auto *copy = new QPushButton(tr("Copy"), page);
    copy->setToolTip(tr("Copy this view to the clipboard as an image"));
    row->addWidget(save);
    row->addWidget(copy);
    layout->addLayout(row);
    connect(save, &QPushButton::clicked, this, [this, view] { exportDialog(view); });
    connect(copy, &QPushButton::clicked, this, [this, view] { copyView(view); });
    return page;
}

QWidget *NetworkPanel::figure(View view) const
{
    switch (view) {
    case Tiles:
        return m_weights->figure();
    case Histograms:
        return m_histograms->figure();
    case Sparsity:
        return m_sparsity->figure();
    case Gradients:
        return m_gradients->chartView();
    case Confusion:
        return m_confusion;
    case Mistakes:
    case ViewCount:
        break;
    }
    return m_mistakes;
}

QString NetworkPanel::fileName(View view)
{
    static const char *names[] = {"weights", "histogram", "sparsity", "gradients", "confusion", "mistakes"};
    return QString::fromLatin1(names[view < ViewCount ? view : Mistakes]);
}

QString NetworkPanel::exportView(View view, const QString &path, qreal scale)
{
    redrawNow(view);
    QWidget *widget = figure(view);
    prepareForExport(widget);
    return saveWidget(widget, path, scale);
}

void NetworkPanel::copyView(View view)
{
    redrawNow(view);
    copyWidget(figure(view));
}

void NetworkPanel::exportDialog(View view)
{
    redrawNow(view);
    prepareForExport(figure(view));
    QString error;
    const QString path = exportWithDialog(this, figure(view), fileName(view), 2.0, error);
    if (!error.isEmpty())
        Q_EMIT problem(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
    else if (!path.isEmpty())
        Q_EMIT message(tr("Saved %1").arg(path));
}

void NetworkPanel::redrawNow(View view)
{
    if (view == Histograms)
        m_histograms->chartView()->redrawNow();
    else if (view == Gradients)
        m_gradients->chartView()->redrawNow();
    else if (view == Sparsity) {
        m_sparsity->shareView()->redrawNow();
        m_sparsity->normView()->redrawNow();
    }
}

void NetworkPanel::prepareForExport(QWidget *widget) const
{
    // A view in a tab never shown has no size yet: lay it out at the size the panel would give it.
    if (!widget->isVisible() && widget->size().width() < 100)
        widget->resize(size().expandedTo(QSize(480, 400)));
}

void NetworkPanel::flush()
{
    m_histograms->flush();
    m_sparsity->flush();
    m_gradients->flush();
}

void NetworkPanel::setRunning(bool running)
{
    m_refresh->setEnabled(running);
}

void NetworkPanel::setClassNames(const std::vector<std::string> &names)
{
    m_confusion->setClassNames(names);
    m_mistakes->setClassNames(names);
}

WeightTiles *NetworkPanel::tiles() const
{
    return m_weights->tiles();
}

void NetworkPanel::setRunModel(RunModel *runs)
{
    m_runs = runs;
    m_weights->setRunModel(runs);
    connect(runs, &RunModel::comparisonChanged, this, &NetworkPanel::updateComparison);
    // A run's saved weights found: the sparsity view can draw it at thresholds its record did not measure.
    connect(runs, &RunModel::snapshotsChanged, this, &NetworkPanel::updateComparison);
    updateComparison();
}

void NetworkPanel::updateComparison()
{
    // The shown runs, each in its colour under the name every chart's legend gives it; the live run by its own
    // series when it is shown.
    const QList<int> shown = m_runs->shownIds();
    const QHash<int, LegendName> names = legendNames(*m_runs, shown);
    QList<HistogramOverlay> histograms;
    QList<SparsityOverlay> sparsity;
    QStringList missing;
    const int live = m_runs->liveId();
    for (int id : shown) {
        if (id == live)
            continue;
        const reglab::RunRecord *r = m_runs->record(id);
        const LegendName name = names.value(id);
        if (r->weightHistograms.empty())
            missing << name.full;
        else
            histograms << HistogramOverlay{name.full, m_runs->color(id), r->weightHistograms, name.brief};
        SparsityOverlay o = SparsityOverlay::fromRecord(*r, name.full, name.brief, m_runs->color(id));
        o.weights = [runs = QPointer<RunModel>(m_runs), id]() {
            return runs ? runs->snapshot(id) : std::shared_ptr<const reglab::WeightSnapshot>();
        };
        sparsity << o;
    }
    const bool liveShown = live < 0 || m_runs->isShown(live);
    const LegendName liveName =
        live < 0 ? LegendName{} : names.value(live, {m_runs->name(live), shortRunName(m_runs->name(live))});
    const QColor liveColor = live >= 0 ? m_runs->color(live) : QColor();
    m_histograms->setLiveLook(liveName.full, liveColor, liveName.brief, liveShown);
    m_histograms->setOverlays(histograms);
    m_histograms->setMissing(missing);
    m_sparsity->setLiveLook(liveName.full, liveName.brief, liveColor, liveShown);
    m_sparsity->setOverlays(sparsity);
}

void NetworkPanel::clear()
{
    m_weights->clear();
    m_histograms->clear();
    m_sparsity->clear();
    m_gradients->clear();
    m_confusion->clear();
    m_mistakes->clear();
}

void NetworkPanel::onStarted(const reglab::RunInfo &info)
{
    setClassNames(info.classNames);
}

void NetworkPanel::onEvent(const reglab::TrainEvent &event)
{
    std::visit(reglab::Overloaded{[this](const reglab::EpochRecord &epoch) { onEpoch(epoch); },
                                  [this](const reglab::WeightSnapshot &snapshot) { onWeights(snapshot); },
                                  [this](const reglab::GradientBalance &balance) { onGradientBalance(balance); },
                                  [this](const reglab::ValidationDetail &detail) { onValidationDetail(detail); },
                                  [](const auto &) {}},
               event);
}

void NetworkPanel::onWeights(const reglab::WeightSnapshot &snapshot)
{
    m_weights->onLiveSnapshot(snapshot);
    m_histograms->setHistograms(snapshot.histograms, snapshot.epoch);
    m_sparsity->addSnapshot(snapshot);
}

void NetworkPanel::onEpoch(const reglab::EpochRecord &record)
{
    m_sparsity->addEpoch(record);
}

void NetworkPanel::onGradientBalance(const reglab::GradientBalance &balance)
{
    m_gradients->addBalance(balance);
}

void NetworkPanel::onValidationDetail(const reglab::ValidationDetail &detail)
{
    m_confusion->setDetail(detail);
    m_mistakes->setDetail(detail);
}

} // namespace reglab::ui
