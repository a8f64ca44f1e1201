#include "ui/figures/exportmenu.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/figureexport.h"
#include "ui/charts/figureuse.h"
#include "ui/charts/losschart.h"
#include "ui/charts/pgfplotsexport.h"
#include "ui/figures/animationdialog.h"
#include "ui/figures/weightsanimation.h"
#include "ui/figures/runfigure.h"
#include "ui/figures/smallmultiples.h"
#include "ui/figures/summaryexport.h"
#include "ui/live/liveview.h"

#include "model/safefile.h"

#include <QActionGroup>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QAbstractAxis>
#include <QApplication>
#include <QChart>
#include <QProgressDialog>
#include <QSaveFile>
#include <QSettings>

#include <memory>

namespace reglab::ui {

ExportMenu::ExportMenu(QWidget *window, LiveView *live, QWidget *parent)
    : QMenu(tr("&Export figure"), parent), m_window(window), m_live(live)
{
    addAction(tr("Loss chart (PNG, SVG, PDF, LaTeX)\u2026"), this,
              [this] { chartDialog(m_live->lossChart(), QStringLiteral("loss")); });
    addAction(tr("Accuracy chart (PNG, SVG, PDF, LaTeX)\u2026"), this,
              [this] { chartDialog(m_live->accuracyChart(), QStringLiteral("accuracy")); });
    addAction(tr("Whole dashboard (PNG, SVG, PDF)\u2026"), this,
              [this] { exportDialog(m_window, QStringLiteral("dashboard")); });
    addSeparator();
    addAction(tr("Copy loss chart"), this, [this] { copyChart(m_live->lossChart()); });
    addAction(tr("Copy accuracy chart"), this, [this] { copyChart(m_live->accuracyChart()); });
    addSeparator();
    auto csvOf = [this](LiveChart *chart, const QString &name) {
        const QString path = QFileDialog::getSaveFileName(m_window, tr("Export plotted data"), name, tr("CSV (*.csv)"));
        if (!path.isEmpty())
            exportChartCsv(chart, path);
    };
    addAction(tr("Loss data (CSV)\u2026"), this, [=] { csvOf(m_live->lossChart(), QStringLiteral("loss.csv")); });
    addAction(tr("Accuracy data (CSV)\u2026"), this,
              [=] { csvOf(m_live->accuracyChart(), QStringLiteral("accuracy.csv")); });
    addSeparator();
    addAction(tr("Comparison as small multiples (PNG)\u2026"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export comparison"),
                                                          QStringLiteral("comparison.png"), tr("PNG image (*.png)"));
        if (!path.isEmpty())
            exportSmallMultiples(path);
    });
    addAction(tr("Animation of the shown runs (MP4, WebM, GIF)\u2026"), this, [this] { animationDialog(); });
    addAction(tr("Copy summary table of shown runs"), this, [this] { copySummary(); });
    addAction(tr("Summary table of shown runs (CSV, Markdown)\u2026"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(m_window, tr("Export summary table"), QStringLiteral("summary.csv"),
                                         tr("CSV (*.csv);;Markdown table (*.md)"));
        if (!path.isEmpty())
            exportSummary(path);
    });
    addSeparator();
    // What a chart's figure is for: it is laid out afresh at that size, with type that reads there.
    QMenu *uses = addMenu(tr("Chart figures for"));
    m_uses = new QActionGroup(this);
    const std::pair<const char *, QString> kUses[] = {
        {"screen", tr("The screen (as shown)")},
        {"column", tr("A paper's column (3.5 in)")},
        {"page", tr("A paper's page width (7 in)")},
        {"slide", tr("A slide (16:9, 1920x1080)")}};
    for (const auto &[key, text] : kUses) {
        QAction *a = uses->addAction(text);
        a->setCheckable(true);
        a->setData(QString::fromLatin1(key));
        a->setChecked(m_use == QLatin1String(key));
        m_uses->addAction(a);
        connect(a, &QAction::triggered, this, [this, key = QString::fromLatin1(key)] { setFigureUse(key); });
    }
    auto *scales = new QActionGroup(this);
    for (int scale : {1, 2, 3}) {
        QAction *a = addAction(tr("PNG at %1x").arg(scale));
        a->setCheckable(true);
        a->setChecked(scale == int(m_scale));
        scales->addAction(a);
        connect(a, &QAction::triggered, this, [this, scale] { m_scale = scale; });
    }
}

void ExportMenu::exportDialog(QWidget *figure, const QString &name)
{
    m_live->flush();
    QString error;
    const QString path = exportWithDialog(m_window, figure, name, m_scale, error);
    if (!error.isEmpty())
        Q_EMIT problem(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
    else if (!path.isEmpty())
        Q_EMIT message(tr("Saved %1").arg(path));
}

void ExportMenu::chartDialog(LiveChart *chart, const QString &name)
{
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export figure"), name + QStringLiteral(".png"),
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf);;LaTeX pgfplots figure (*.tex)"));
    if (!path.isEmpty() && exportChart(chart, path, m_scale).isEmpty())
        Q_EMIT message(tr("Saved %1").arg(path));
}

void ExportMenu::setFigureUse(const QString &use)
{
    FigureUse known;
    m_use = figureUseNamed(use, known) ? use : QStringLiteral("screen");
    for (QAction *a : m_uses->actions())
        a->setChecked(a->data().toString() == m_use);
}

void ExportMenu::loadSettings(const QSettings &settings)
{
    setFigureUse(settings.value(QStringLiteral("export/figureUse"), QStringLiteral("screen")).toString());
    m_animation.load(settings);
}

void ExportMenu::saveSettings(QSettings &settings) const
{
    settings.setValue(QStringLiteral("export/figureUse"), m_use);
    m_animation.save(settings);
}

QString ExportMenu::exportChart(LiveChart *chart, const QString &path, qreal scale)
{
    m_live->flush();
    FigureUse use;
    const bool tex = QFileInfo(path).suffix().toLower() == QLatin1String("tex");
    // Compared runs for a paper or a slide (or LaTeX): the figure `reglab plot` draws of the same runs, built by
    // the same function, so the two cannot drift. A smoothed or logarithmic loss chart is drawn as shown.
    const bool plain = chart == m_live->accuracyChart() ||
                       (chart == m_live->lossChart() && m_live->lossChart()->smoothing() <= 0 &&
                        !m_live->lossChart()->logScale());
    if (m_runs && m_live->comparing() && plain && (tex || figureUseNamed(m_use, use))) {
        if (!figureUseNamed(m_use, use))
            use = defaultFigureUse(path);
        const QComboBox *box = chart == m_live->accuracyChart() ? m_live->accuracyMetricBox() : m_live->lossMetricBox();
        const QList<PlotRun> runs = shownPlotRuns(*m_runs);
        std::unique_ptr<QChart> figure(makeRunFigure(runs, box->currentData().toString().toStdString(), use));
        const QString error = saveFigure(figure.get(), use, path, use.pngScale);
        if (!error.isEmpty())
            Q_EMIT problem(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
        else if (tex)
            if (const QStringList lost = textsLatexLoses(figure.get()); !lost.isEmpty())
                Q_EMIT problem(tr("Saved %1, but pdflatex's fonts lack characters of %2, which show as '?' there: use "
                                  "Latin letters in the run names, or export a PDF or SVG.")
                                   .arg(path.toHtmlEscaped(), lost.join(QStringLiteral(", ")).toHtmlEscaped()));
        return error;
    }
    if (figureUseNamed(m_use, use) && QFileInfo(path).suffix().toLower() != QLatin1String("tex")) {
        // Laid out for its use, then the chart as it was: its fonts, lines and grid.
        chart->restyle(); // the lines' base widths noted, so the restyle after gives them back
        QList<QPen> grids;
        for (QAbstractAxis *axis : chart->chart()->axes())
            grids << axis->gridLinePen();
        styleForUse(chart->chart(), use);
        const QString error = saveChart(chart->chart(), use.layoutSize(), path, use.pngScale, use.size);
        for (int i = 0; i < grids.size() && i < chart->chart()->axes().size(); ++i)
            chart->chart()->axes().at(i)->setGridLinePen(grids.at(i));
        chart->restyle();
        if (!error.isEmpty())
            Q_EMIT problem(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
        return error;
    }
    // A legend the window shortened: the figure is as high as the chart and wide enough for whole names.
    const int wide = chart->wholeNamesWidth();
    const QString error = QFileInfo(path).suffix().toLower() == QLatin1String("tex")
                              ? saveText(path, chartToPgfplots(chart->chart(), chart->chartTitle()))
                          : wide > chart->width() ? saveChart(chart->chart(), QSize(wide, chart->height()), path, scale)
                                                  : saveWidget(chart, path, scale);
    if (!error.isEmpty())
        Q_EMIT problem(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
    else if (QFileInfo(path).suffix().toLower() == QLatin1String("tex"))
        if (const QStringList lost = textsLatexLoses(chart->chart(), chart->chartTitle()); !lost.isEmpty())
            Q_EMIT problem(tr("Saved %1, but pdflatex's fonts lack characters of %2, which show as '?' there: use "
                              "Latin letters in the run names, or export a PDF or SVG.")
                               .arg(path.toHtmlEscaped(), lost.join(QStringLiteral(", ")).toHtmlEscaped()));
    return error;
}

QString ExportMenu::exportDashboard(const QString &path, qreal scale)
{
    m_live->flush();
    const QString error = saveWidget(m_window, path, scale);
    if (!error.isEmpty())
        Q_EMIT problem(tr("Could not export the dashboard: %1").arg(error.toHtmlEscaped()));
    return error;
}

void ExportMenu::copyChart(LiveChart *chart)
{
    m_live->flush();
    copyWidget(chart);
    Q_EMIT message(tr("Copied the chart to the clipboard"));
}

QString ExportMenu::exportChartCsv(LiveChart *chart, const QString &path)
{
    m_live->flush();
    const QString error = saveText(path, chartCsv(chart->chart()));
    if (!error.isEmpty())
        Q_EMIT problem(tr("Could not export the data: %1").arg(error.toHtmlEscaped()));
    return error;
}

QString ExportMenu::exportSummary(const QString &path)
{
    m_live->flush();
    const QString error = m_runs ? saveSummary(shownSummary(*m_runs), path) : tr("no runs");
    if (!error.isEmpty())
        Q_EMIT problem(tr("Could not export the summary table: %1").arg(error.toHtmlEscaped()));
    else
        Q_EMIT message(tr("Saved %1").arg(path));
    return error;
}

void ExportMenu::copySummary()
{
    m_live->flush();
    if (!m_runs)
        return;
    reglab::ui::copySummary(shownSummary(*m_runs));
    Q_EMIT message(tr("Copied the summary table of the shown runs"));
}

QString ExportMenu::exportSmallMultiples(const QString &path)
{
    const QList<PlotRun> runs = m_runs ? shownPlotRuns(*m_runs) : QList<PlotRun>();
    QString error;
    if (runs.isEmpty())
        error = tr("no run is shown: tick the runs to compare in Runs, then export again");
    else if (const std::string e = reglab::checkWritableTarget(QFile::encodeName(path).toStdString()); !e.empty())
        error = QString::fromStdString(e);
    if (error.isEmpty()) {
        const Metric loss = m_live->lossMetricBox()->currentIndex() == 0 ? "loss" : "data_loss";
        const QImage image = renderSmallMultiples(runs, QSize(1600, 900), 2, loss);
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
            error = tr("cannot write %1 (%2)").arg(path, file.errorString());
    }
    if (!error.isEmpty()) {
        Q_EMIT problem(tr("Could not export the comparison: %1").arg(error.toHtmlEscaped()));
        return error;
    }
    Q_EMIT message(tr("Saved %1").arg(path));
    return {};
}

} // namespace reglab::ui

namespace reglab::ui {

void ExportMenu::animationDialog()
{
    AnimationDialog dialog(m_animation, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_animation = dialog.settings();
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export animation"), QStringLiteral("runs.mp4"),
        tr("MP4 video, H.264 (*.mp4);;WebM video, VP9 (*.webm);;GIF animation (*.gif)"));
    if (!path.isEmpty())
        exportAnimation(path, m_animation);
}

QString ExportMenu::exportAnimation(const QString &path, const AnimationSettings &settings, bool showProgress)
{
    m_live->flush();
    m_animation = settings;
    std::unique_ptr<QProgressDialog> dialog;
    if (showProgress) {
        dialog = std::make_unique<QProgressDialog>(tr("Writing %1\u2026").arg(QFileInfo(path).fileName()),
                                                   tr("Cancel"), 0, settings.frames(), m_window);
        dialog->setWindowTitle(tr("Export animation"));
        dialog->setWindowModality(Qt::WindowModal);
        dialog->setMinimumDuration(300);
    }
    bool cancelled = false;
    const AnimationProgress progress = [&dialog](int done, int total) {
        if (!dialog)
            return true;
        dialog->setMaximum(total);
        dialog->setValue(done);
        QApplication::processEvents(); // the Cancel button
        return !dialog->wasCanceled();
    };
    const QString error =
        settings.metric == kWeightsContent
            ? writeWeightsAnimation(m_runs ? shownWeightsRuns(*m_runs) : QList<WeightsRun>(), settings, path, progress,
                                    &cancelled)
            : writeRunAnimation(m_runs ? shownPlotRuns(*m_runs) : QList<PlotRun>(), settings, path, progress,
                                &cancelled);
    if (cancelled)
        Q_EMIT message(tr("Cancelled the animation; nothing was written"));
    else if (!error.isEmpty())
        Q_EMIT problem(tr("Could not export the animation: %1").arg(error.toHtmlEscaped()));
    else
        Q_EMIT message(tr("Saved %1").arg(path));
    return error;
}

QString ExportMenu::exportAnimationStill(const QString &path, const AnimationSettings &settings)
{
    m_live->flush();
    if (settings.metric == kWeightsContent) {
        // The last frame, alone: a PNG at the frames' pixels.
        const QList<WeightsRun> runs = m_runs ? shownWeightsRuns(*m_runs) : QList<WeightsRun>();
        FigureUse use;
        QString error = weightsAnimationProblem(runs);
        if (error.isEmpty())
            error = settings.figureUse(use);
        if (error.isEmpty() && QFileInfo(path).suffix().toLower() != QLatin1String("png"))
            error = tr("the weight images' still is a PNG; give the file name a .png ending");
        if (error.isEmpty()) {
            const QImage still =
                renderWeightsFrame(runs, weightsAnimationEpochs(runs), weightsAnimationScale(runs), use);
            error = still.isNull() ? tr("not enough memory for the figure; choose a smaller size")
                                   : saveImage(still, path);
        }
        if (!error.isEmpty())
            Q_EMIT problem(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
        return error;
    }
    const QList<PlotRun> runs = m_runs ? shownPlotRuns(*m_runs) : QList<PlotRun>();
    FigureUse use;
    QString error = runs.isEmpty() ? tr("no run is shown: tick the runs to replay in Runs, then export again")
                                   : settings.figureUse(use);
    if (error.isEmpty()) {
        const std::unique_ptr<QChart> chart(makeAnimationChart(runs, settings.metric, use));
        error = saveChart(chart.get(), use.layoutSize(), path, use.pngScale, use.size);
    }
    if (!error.isEmpty())
        Q_EMIT problem(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
    return error;
}

} // namespace reglab::ui
