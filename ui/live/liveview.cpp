#include "ui/live/liveview.h"

#include "model/changes.h"
#include "model/metrics.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/losschart.h"
#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"
#include "ui/charts/smoothing.h"
#include "ui/live/banner.h"
#include "ui/live/flowlayout.h"
#include "ui/runs/runlegend.h"
#include "ui/runs/runmodel.h"

#include <QChart>
#include <QCoreApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QSettings>
#include <QSlider>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLocale>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <set>

namespace reglab::ui {
namespace {

// The accuracy chart's tracks of a run (the chance line is not one).
constexpr int kAccuracyTracks[] = {AccuracyChart::Validation, AccuracyChart::Test, AccuracyChart::Training,
                                   AccuracyChart::Gap};

QString bestEpochLabel(int epoch)
{
    return QCoreApplication::translate("LiveView", "best epoch %1").arg(epoch);
}

// What to do about a failed run, chosen by what kind of fault it was.
QString adviceFor(reglab::ErrorKind kind)
{
    switch (kind) {
    case reglab::ErrorKind::Device:
        return QObject::tr("Choose CPU as the device and start again.");
    case reglab::ErrorKind::Data:
        return QObject::tr(
            "Choose another dataset (the bundled MNIST sample always works) or fix the folder, then start again.");
    case reglab::ErrorKind::Memory:
        return QObject::tr("Use a smaller batch or dataset, or close other programs, then start again.");
    case reglab::ErrorKind::Io:
        return QObject::tr("Free some disk space or choose another folder, then start again.");
    default:
        return QObject::tr("Check the settings and start again.");
    }
}

// The epochs done after `stepsDone` steps of a finished run, between its epochs' own end steps.
double epochAt(const reglab::RunRecord &record, std::int64_t stepsDone)
{
    std::int64_t previousEnd = 0;
    for (std::size_t i = 0; i < record.epochs.size(); ++i) {
        const std::int64_t end = record.epochs[i].step;
        if (stepsDone <= end)
            return double(i) + double(stepsDone - previousEnd) / double(std::max<std::int64_t>(1, end - previousEnd));
        previousEnd = end;
    }
    return double(record.epochs.size());
}

} // namespace

LiveView::LiveView(RunModel *runs, QWidget *parent) : QWidget(parent), m_runs(runs)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    m_banner = new Banner(this); // floats over the charts (overlay() below), never in the layout

    m_headline = new QLabel(tr("Press Start (Ctrl+Return) to train the forum's 784-200-200-10 MLP."), this);
    m_headline->setFont(chartFont(kLabelPointSize));
    // A narrow window wraps the line: never cut, never under the buttons.
    m_headline->setWordWrap(true);
    m_headline->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Minimum);
    m_logScale = new QCheckBox(tr("Log scale (loss)"), this);
    m_logScale->setToolTip(tr("Show the loss on a logarithmic axis, so a small data loss stays visible\n"
                              "beside a large L1 term (Ctrl+L)"));
    m_logScale->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    // One place chooses what a comparison plots, for every chart (and the small multiples' loss).
    m_lossMetric = new QComboBox(this);
    // The choices are the metrics table's: a run's loss at each logging point, its accuracy after each epoch.
    for (const char *key : {"loss", "data_loss"})
        m_lossMetric->addItem(QString::fromStdString(reglab::findMetric(key)->label).section(QStringLiteral(" ("), 0, 0),
                              QString::fromLatin1(key));
    m_lossMetric->setToolTip(tr("The loss each run shows when runs are compared"));
    m_accuracyMetric = new QComboBox(this);
    // Each by its brief name ("Generalization gap"), which keeps the bar one row; the whole label is its tooltip.
    // The accuracies, then the losses: a run alone shows all three of the chosen measure together.
    for (const char *key : {"test_accuracy", "val_accuracy", "train_accuracy", "gap", "test_loss", "val_loss",
                            "train_eval_loss"}) {
        const reglab::Metric *metric = reglab::findMetric(key);
        m_accuracyMetric->addItem(QString::fromStdString(metric->brief()), QString::fromLatin1(key));
        m_accuracyMetric->setItemData(m_accuracyMetric->count() - 1, QString::fromStdString(metric->label),
                                      Qt::ToolTipRole);
    }
    m_accuracyMetric->setToolTip(tr("What the epoch chart plots: a run's training, validation and test accuracy\n"
                                    "(or loss) together, or, with runs compared, the one each run shows"));
    // A screen reader names each by what it chooses, not by its current item alone.
    m_lossMetric->setAccessibleName(tr("Loss compared"));
    m_accuracyMetric->setAccessibleName(tr("Epoch chart shows"));
    m_accuracyMetric->setAccessibleDescription(m_accuracyMetric->toolTip());
    for (QComboBox *box : {m_lossMetric, m_accuracyMetric})
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents); // their choices whole, never "Training los..."
    m_smoothing = new QSlider(Qt::Horizontal, this);
    m_smoothing->setAccessibleName(tr("Smoothing"));
    m_smoothing->setRange(0, 99);
    m_smoothing->setFixedWidth(80);
    m_smoothing->setToolTip(tr("Smoothing of the noisy loss: an exponential moving average (as TensorBoard's),\n"
                               "the raw curve kept faint beneath"));
    m_smoothingValue = new QLabel(this);
    // One row on a wide window, wrapping on a narrow one: the run's buttons (setRunBar), what a comparison
    // plots, the log scale and the smoothing; the headline, which wraps rather than squeeze, under them.
    auto *controlsRow = new QWidget(this);
    m_header = new FlowLayout(controlsRow);
    for (QWidget *w : std::initializer_list<QWidget *>{m_lossMetric, m_accuracyMetric, m_logScale})
        m_header->addWidget(w);
    auto *smoothing = new QWidget(controlsRow);
    auto *smoothingLayout = new QHBoxLayout(smoothing);
    smoothingLayout->setContentsMargins(0, 0, 0, 0);
    smoothingLayout->addWidget(new QLabel(tr("Smoothing"), smoothing));
    smoothingLayout->addWidget(m_smoothing);
    smoothingLayout->addWidget(m_smoothingValue);
    m_header->addWidget(smoothing);
    layout->addWidget(controlsRow);
    layout->addWidget(m_headline);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_loss = new LossChart(m_splitter);
    m_accuracy = new AccuracyChart(m_splitter);
    m_splitter->addWidget(m_loss);
    m_splitter->addWidget(m_accuracy);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);
    m_banner->overlay(m_splitter);
    connect(m_logScale, &QCheckBox::toggled, m_loss, &LossChart::setLogScale);
    connect(m_banner, &Banner::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("restart"))
            Q_EMIT restartRequested();
    });
    connect(m_runs, &RunModel::comparisonChanged, this, &LiveView::updateComparison);
    // The live run renamed, ticked or recoloured (its epochs, in other columns, change nothing here).
    connect(m_runs, &RunModel::dataChanged, this, [this](const QModelIndex &topLeft) {
        if (topLeft.column() == RunModel::NameColumn && m_runs->idAt(topLeft.row()) == m_runs->liveId())
            updateComparison();
    });
    connect(m_lossMetric, &QComboBox::currentIndexChanged, this, &LiveView::updateComparison);
    connect(m_accuracyMetric, &QComboBox::currentIndexChanged, this, &LiveView::updateComparison);
    connect(m_smoothing, &QSlider::valueChanged, this, [this](int value) {
        m_smoothingValue->setText(QString::number(value / 100.0, 'f', 2));
        m_loss->setSmoothing(value / 100.0);
        updateComparison(); // the compared runs' curves too
    });
    m_smoothingValue->setText(QStringLiteral("0.00"));
    connect(m_loss, &ChartBase::logScaleRequested, m_logScale, &QCheckBox::setChecked);
    updateComparison();
}

void LiveView::setRunBar(QWidget *bar)
{
    m_header->addWidget(bar);
    // First in the row: the buttons where they always are.
    if (QLayoutItem *item = m_header->takeAt(m_header->count() - 1))
        m_header->insertItem(0, item);
    // And first in the tab order, then the row's choices and the charts, as they are laid out (the bar was made
    // after them).
    QWidget *previous = nullptr;
    QList<QWidget *> order;
    for (QWidget *w : bar->findChildren<QWidget *>())
        if (w->focusPolicy() & Qt::TabFocus)
            order << w;
    order << m_lossMetric << m_accuracyMetric << m_logScale << m_smoothing << m_loss << m_accuracy;
    for (QWidget *w : order) {
        if (previous)
            setTabOrder(previous, w);
        previous = w;
    }
}

void LiveView::saveSettings(QSettings &settings) const
{
    settings.setValue(QStringLiteral("view/compareLoss"), m_lossMetric->currentIndex());
    settings.setValue(QStringLiteral("view/compareAccuracy"), m_accuracyMetric->currentIndex());
    settings.setValue(QStringLiteral("view/smoothing"), m_smoothing->value());
    settings.setValue(QStringLiteral("view/logScale"), logScaleBox()->isChecked());
}

void LiveView::loadSettings(const QSettings &settings)
{
    m_lossMetric->setCurrentIndex(std::clamp(settings.value(QStringLiteral("view/compareLoss"), 0).toInt(), 0, 1));
    m_accuracyMetric->setCurrentIndex(
        std::clamp(settings.value(QStringLiteral("view/compareAccuracy"), 0).toInt(), 0, 1));
    m_smoothing->setValue(std::clamp(settings.value(QStringLiteral("view/smoothing"), 0).toInt(), 0, 99));
    logScaleBox()->setChecked(settings.value(QStringLiteral("view/logScale"), false).toBool());
}

QString LiveView::headline() const
{
    return m_headline->text();
}

void LiveView::beginRun(const reglab::TrainConfig &config, const QString &dataName)
{
    m_banner->showMessage({});
    m_accuracy->setEpochs(config.epochs);
    m_config = config;
    m_inForce = config;
    m_dataName = dataName;
    m_startLine.clear();
    m_started = false;
    m_collapsed = false;
    clear(tr("Loading %1\u2026").arg(dataName));
    resetViews(); // a zoom into the last run would hide the new one
}

void LiveView::clear()
{
    m_loss->clear();
    m_accuracy->clear();
    m_stepsPerEpoch = 0;
    m_epochEnds.clear();
    m_headline->setToolTip({});
}

void LiveView::clear(const QString &headline)
{
    clear();
    if (!headline.isEmpty())
        setHeadline(headline);
}

void LiveView::setHeadline(const QString &text)
{
    m_headline->setText(text);
}

void LiveView::onEvent(const reglab::TrainEvent &event)
{
    std::visit(reglab::Overloaded{[this](const reglab::StepRecord &step) { onStep(step); },
                                  [this](const reglab::SettingChange &change) {
                                      if (const QString label = onChange(change); !label.isEmpty())
                                          Q_EMIT changeNoted(tr("%1 from step %2").arg(label).arg(change.step));
                                  },
                                  [this](const reglab::EpochRecord &epoch) { onEpoch(epoch); },
                                  [](const auto &) {}},
               event);
}

void LiveView::onStarted(const reglab::RunInfo &info)
{
    m_started = true;
    m_stepsPerEpoch = info.stepsPerEpoch;
    m_loss->setTotalSteps(info.totalSteps);
    m_dataName = QString::fromStdString(info.dataName);
    m_startLine = tr("%1 \u00b7 started with %2").arg(m_dataName, QString::fromStdString(reglab::shortLabel(m_config)));
    m_headline->setText(m_startLine);
    m_headline->setToolTip(tr("%1 training and %2 test images, %3 steps per epoch, %4 parameters")
                               .arg(info.trainCount)
                               .arg(info.testCount)
                               .arg(info.stepsPerEpoch)
                               .arg(QLocale().toString(qlonglong(info.parameterCount))));
}

void LiveView::onStep(const reglab::StepRecord &step)
{
    m_loss->addStep(step);
}

QString LiveView::onChange(const reglab::SettingChange &change)
{
    const QString label = QString::fromStdString(reglab::changeText(change));
    m_inForce = reglab::configAfter(m_inForce, {change});
    if (m_collapsed && change.key == "l1") // say it again with the new value: a smaller L1 now does not bring it back
        explainCollapse(m_collapseEpoch);
    flush(); // the curve reaches the marker before it is drawn
    m_loss->addMarker(double(change.step), label);
    m_accuracy->addMarker(epochsAt(change.step - 1), label);
    return label;
}

void LiveView::onEpoch(const reglab::EpochRecord &epoch)
{
    if (epoch.epoch == int(m_epochEnds.size()) + 1)
        m_epochEnds.push_back(epoch.step);
    m_accuracy->addEpoch(epoch);
    // Collapsed: accuracy at chance and nearly all of the first layer's weights ~0. Lowering L1 then brings
    // nothing back (the data's gradient through near-zero layers vanishes too), which a teacher should hear.
    const bool collapsed =
        epoch.valAccuracy < 0.2 && !epoch.layers.empty() && epoch.layers.front().smallFraction > 0.95;
    if (collapsed && !m_collapsed) {
        m_collapsed = true;
        m_collapseEpoch = epoch;
        explainCollapse(epoch);
    }
}

void LiveView::explainCollapse(const reglab::EpochRecord &epoch)
{
    const QString l1 = QString::fromStdString(reglab::formatStrength(m_inForce.l1));
    const bool lowered = m_inForce.l1 < m_config.l1;
    // Before the slider moves, a fresh start with the same L1 would only collapse again: say what to change.
    const QString restart = lowered ? tr("<a href=\"restart\">Start afresh with L1 = %1</a>.").arg(l1)
                                    : tr("Set a smaller L1 (0.001 learns well) and <a href=\"restart\">start "
                                         "afresh</a>.");
    m_banner->showMessage(
        tr("<b>The network has collapsed</b> (epoch %1): accuracy is at chance (%2 %) and %3 % of the first "
           "layer's weights are below %4. L1 pushed every weight towards zero faster than the data could hold it "
           "up.<br>%5 Lowering L1 cannot bring it back: with three layers of near-zero weights the data's "
           "gradient vanishes too, so nothing grows again. %6")
            .arg(epoch.epoch)
            .arg(100 * epoch.valAccuracy, 0, 'f', 1)
            .arg(100 * epoch.layers.front().smallFraction, 0, 'f', 1)
            .arg(m_config.sparsityThreshold)
            .arg(lowered ? tr("L1 is now %1, but the damage is done.").arg(l1) : QString())
            .arg(restart));
}

double LiveView::epochsAt(std::int64_t stepsDone) const
{
    // Folds differ by a step per epoch when the training count does not divide by k: interpolate between the
    // epochs' own end steps, and estimate only within the epoch still running.
    std::int64_t previousEnd = 0;
    for (std::size_t i = 0; i < m_epochEnds.size(); ++i) {
        const std::int64_t end = m_epochEnds[i];
        if (stepsDone <= end)
            return double(i) + double(stepsDone - previousEnd) / double(std::max<std::int64_t>(1, end - previousEnd));
        previousEnd = end;
    }
    const double inEpoch = m_stepsPerEpoch > 0 ? double(stepsDone - previousEnd) / double(m_stepsPerEpoch) : 0.0;
    return double(m_epochEnds.size()) + std::min(inEpoch, 1.0);
}

void LiveView::onFinished(const reglab::RunRecord &record)
{
    flush();
    // Early stopping's restored epoch, marked where the run's weights came from.
    if (record.earlyStop)
        m_accuracy->addMarker(record.earlyStop->bestEpoch, bestEpochLabel(record.earlyStop->bestEpoch));
    // A run that never started (its data did not load) names its data set.
    const QString headline = m_started ? m_startLine : m_dataName;
    const QString message = QString::fromStdString(record.message).toHtmlEscaped();
    switch (record.status) {
    case reglab::RunStatus::Finished:
        m_headline->setText(tr("%1 \u00b7 finished").arg(headline));
        break;
    case reglab::RunStatus::Stopped:
        m_headline->setText(m_started ? tr("%1 \u00b7 stopped").arg(headline)
                                      : tr("%1 \u00b7 stopped before training began").arg(headline));
        break;
    case reglab::RunStatus::Diverged: {
        m_headline->setText(tr("%1 \u00b7 diverged").arg(headline));
        // The core's message says what happened and what to do; the advice is given once, here.
        QString what = QString::fromStdString(record.message);
        what = what.left(what.indexOf(QStringLiteral("; lower"))).toHtmlEscaped();
        m_banner->showMessage(tr("<b>Training diverged:</b> %1. Lower the learning rate or the regularization "
                                 "strength, then press Start again; the curves so far stay below.")
                                  .arg(what));
        break;
    }
    case reglab::RunStatus::Failed:
    case reglab::RunStatus::Running:
        m_headline->setText(tr("%1 \u00b7 could not run").arg(headline));
        m_banner->showMessage(tr("<b>Training could not run.</b> %1<br>%2").arg(message, adviceFor(record.errorKind)));
        break;
    }
}

void LiveView::restyle()
{
    m_headline->setFont(chartFont(int(std::lround(kLabelPointSize * ChartBase::presentationScale()))));
}

void LiveView::resetViews()
{
    m_loss->resetView();
    m_accuracy->resetView();
}

void LiveView::flush()
{
    m_loss->flush();
    m_accuracy->flush();
}

void LiveView::updateComparison()
{
    const int live = m_runs->liveId();
    const bool liveShown = live >= 0 && m_runs->isShown(live);
    const QList<int> shown = m_runs->shownIds();
    m_comparing = shown.size() >= 2;
    const reglab::Metric &lossMetric = *reglab::findMetric(m_lossMetric->currentData().toString().toStdString());
    const reglab::Metric &accuracyMetric =
        *reglab::findMetric(m_accuracyMetric->currentData().toString().toStdString());
    const bool totalLoss = lossMetric.key == "loss";
    // The epoch chart's measure follows the choice: accuracies (and the gap) in %, or the losses.
    const bool epochLoss = !accuracyMetric.fraction();
    m_accuracy->setMeasure(epochLoss ? AccuracyChart::Measure::Loss
                           : accuracyMetric.key == "gap" && m_comparing ? AccuracyChart::Measure::Gap
                                                                        : AccuracyChart::Measure::Accuracy);
    // Each shown run under the name every comparing view gives it (runlegend.h); a run not shown by its own.
    const QHash<int, LegendName> names = legendNames(*m_runs, shown);
    const auto legendName = [&](int id) -> std::pair<QString, QString> {
        if (!m_runs->contains(id))
            return {};
        const LegendName n = names.value(id, {m_runs->name(id), shortRunName(m_runs->name(id))});
        return {n.full, n.brief};
    };
    const QColor color = live >= 0 ? m_runs->color(live) : QColor();
    // The live run's series: with runs compared, one per chart in the run's colour and under its name; alone, its
    // loss parts and accuracies in their own colours, named by what each is.
    const bool liveSeries = live < 0 || liveShown;
    if (m_comparing) {
        const LossChart::Series loss = totalLoss ? LossChart::Total : LossChart::Data;
        for (LossChart::Series part : {LossChart::Data, LossChart::L1, LossChart::L2, LossChart::Total})
            m_loss->setPartShown(part, liveShown && part == loss);
        m_loss->setPartLook(loss, legendName(live).first, legendName(live).second, color);
        // The live run compared: in its dashes with its markers, as the compared runs (runstyle.h).
        const int style = live >= 0 ? runStyleOf(color).index : -1;
        for (LossChart::Series part : {LossChart::Data, LossChart::L1, LossChart::L2, LossChart::Total})
            m_loss->setPartRunStyle(part, part == loss ? style : -1);
        const std::string &key = accuracyMetric.key;
        const int accuracy = key == "test_accuracy" || key == "test_loss"     ? AccuracyChart::Test
                             : key == "val_accuracy" || key == "val_loss"     ? AccuracyChart::Validation
                             : key == "train_accuracy" || key == "train_eval_loss" ? AccuracyChart::Training
                                                                                 : AccuracyChart::Gap;
        for (int track : kAccuracyTracks)
            m_accuracy->setTrackShown(track, liveShown && track == accuracy);
        m_accuracy->setGapShaded(false);
        m_accuracy->setTrackLook(accuracy, legendName(live).first, legendName(live).second, color, 3);
        for (int track : kAccuracyTracks)
            m_accuracy->setTrackRunStyle(track, track == accuracy ? style : -1);
        m_accuracy->setTrackInLegend(AccuracyChart::Chance, false); // the legend's room goes to the runs
    } else { // a run alone: its series named by what they are ("Training"); the runs list says which run
        for (LossChart::Series part : {LossChart::Data, LossChart::L1, LossChart::L2, LossChart::Total})
            m_loss->setPartRunStyle(part, -1);
        for (int track : kAccuracyTracks)
            m_accuracy->setTrackRunStyle(track, -1);
        for (LossChart::Series part : {LossChart::Data, LossChart::L1, LossChart::L2, LossChart::Total})
            m_loss->setPartShown(part, liveSeries);
        m_loss->setPartLook(LossChart::Data, tr("Data loss (cross-entropy)"), tr("Data loss"), colors::dataLoss);
        m_loss->setPartLook(LossChart::L1, tr("L1 term  \u03bb\u2081\u00b7\u03a3|p|"), tr("L1 term"),
                            colors::l1Term);
        m_loss->setPartLook(LossChart::L2, tr("L2 term  \u03bb\u2082/2\u00b7\u03a3p\u00b2"), tr("L2 term"),
                            colors::l2Term);
        m_loss->setPartLook(LossChart::Total, tr("Total"), tr("Total"), chartColors().text, 1.5, Qt::DashLine,
                            true);
        for (int track : kAccuracyTracks)
            m_accuracy->setTrackShown(track, liveSeries && track != AccuracyChart::Gap);
        m_accuracy->setTrackLook(AccuracyChart::Training, tr("Training"), tr("Training"),
                                 colors::l2Term, 3, Qt::DashLine);
        m_accuracy->setGapShaded(true);
        m_accuracy->setTrackLook(AccuracyChart::Validation, tr("Validation"), tr("Validation"),
                                 colors::validation, 3);
        m_accuracy->setTrackLook(AccuracyChart::Test, tr("Test"), tr("Test"), colors::test, 3);
        m_accuracy->setTrackInLegend(AccuracyChart::Chance, true);
    }

    // The titles say what a comparison plots.
    const QString lossTitle = !m_comparing ? tr("Training loss and its parts")
                              : totalLoss  ? tr("Training loss (total)")
                                           : tr("Training data loss (cross-entropy)");
    const QString accuracyTitle = !m_comparing ? (epochLoss ? tr("Loss after each epoch") : tr("Accuracy after each epoch"))
                                  : tr("%1 after each epoch")
                                        .arg(QString::fromStdString(accuracyMetric.brief()));
    if (m_loss->chartTitle() != lossTitle)
        m_loss->setChartTitle(lossTitle);
    if (m_accuracy->chartTitle() != accuracyTitle)
        m_accuracy->setChartTitle(accuracyTitle);

    const double weight = m_loss->smoothing();
    QList<Overlay> loss, accuracy;
    for (int id : shown) {
        if (id == live)
            continue; // its live series are on screen already
        const reglab::RunRecord *r = m_runs->record(id);
        const auto [legend, shortLegend] = legendName(id);
        Overlay l{legend, m_runs->color(id), {}, {}, {}, shortLegend};
        Overlay a{legend, m_runs->color(id), {}, {}, {}, shortLegend};
        for (const auto &step : r->steps)
            if (const double v = lossMetric.readStep(step); std::isfinite(v))
                l.points.append(QPointF(double(step.step), v));
        if (weight > 0) {
            l.raw = l.points;
            l.points = smoothed(l.raw, weight);
        }
        for (const auto &epoch : r->epochs)
            if (const double v = accuracyMetric.read(epoch); std::isfinite(v))
                a.points.append(QPointF(epoch.epoch, accuracyMetric.fraction() ? 100 * v : v));
        // A reopened run shows where its settings changed, as the live run does.
        for (const auto &[step, text] : reglab::changeMarkers(r->settingChanges)) {
            const QString label = QString::fromStdString(text);
            l.markers.append({double(step), label});
            a.markers.append({epochAt(*r, step - 1), label});
        }
        if (r->earlyStop)
            a.markers.append({double(r->earlyStop->bestEpoch), bestEpochLabel(r->earlyStop->bestEpoch)});
        loss << l;
        accuracy << a;
    }
    m_loss->setOverlays(loss);
    m_accuracy->setOverlays(accuracy);
    // With runs compared, a legend beside the plot keeps every name whole.
    for (LiveChart *chart : {static_cast<LiveChart *>(m_loss), static_cast<LiveChart *>(m_accuracy)})
        chart->setLegendPlace(loss.isEmpty() ? Qt::AlignBottom : Qt::AlignRight);
}

} // namespace reglab::ui
