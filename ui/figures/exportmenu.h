// File > Export figure: a live chart as PNG (1x to 3x), SVG, PDF or a LaTeX pgfplots figure, the whole window
// as PNG, SVG or PDF, to the clipboard, the plotted numbers as CSV, and the shown runs' summary table (copied, or
// as CSV or Markdown), the comparison as small multiples, and the shown runs replayed as an animation (MP4, WebM,
// GIF). The file formats are figureexport's, shared with the network views.
#pragma once

#include "ui/figures/runanimation.h"

#include <QMenu>

class QActionGroup;
class QSettings;

namespace reglab::ui {

class LiveChart;
class LiveView;
class RunModel;

class ExportMenu : public QMenu {
    Q_OBJECT
public:
    // `window` is what "whole dashboard" draws; the charts are the live view's.
    ExportMenu(QWidget *window, LiveView *live, QWidget *parent = nullptr);

    // The runs whose summary table the menu copies and exports.
    void setRunModel(RunModel *runs) { m_runs = runs; }

    qreal pngScale() const { return m_scale; }
    // What a chart's export is for: "screen" (as the chart is on screen, PNG at pngScale()), "column" (a paper's
    // 3.5 in column), "page" (7 in) or "slide" (1920x1080): laid out afresh at that size with type that reads
    // there (figureuse.h). Remembered under export/figureUse.
    QString figureUse() const { return m_use; }
    void setFigureUse(const QString &use);
    void loadSettings(const QSettings &settings);
    void saveSettings(QSettings &settings) const;
    // PNG (at `scale`), SVG, PDF or .tex (pgfplots) by suffix; "" or what went wrong (also sent as problem()).
    // Compared runs for a column, a page or a slide, or as .tex, are the figure `reglab plot` draws of them
    // (runfigure.h: the same colours, names, chance line and markers); otherwise the chart as shown.
    QString exportChart(LiveChart *chart, const QString &path, qreal scale = 1.0);
    QString exportDashboard(const QString &path, qreal scale = 1.0);
    void copyChart(LiveChart *chart);
    QString exportChartCsv(LiveChart *chart, const QString &path);
    // The summary table of the shown runs: .csv or .md by suffix; "" or what went wrong.
    QString exportSummary(const QString &path);
    void copySummary();
    // The shown runs as small multiples (loss, validation and test accuracy, sparsity) in one PNG.
    QString exportSmallMultiples(const QString &path);
    // The shown runs replayed epoch by epoch as a video (.mp4, .webm, .gif by suffix) laid out as `settings` say,
    // with a cancellable progress dialog when `showProgress`; "" or what went wrong (also sent as problem());
    // "cancelled" when cancelled (no file is left).
    QString exportAnimation(const QString &path, const AnimationSettings &settings, bool showProgress = true);
    // The still that animation ends on (.png, .svg, .pdf): the same figure of the whole runs.
    QString exportAnimationStill(const QString &path, const AnimationSettings &settings);
    // What the animation's dialog starts with: the last settings used (remembered with the others).
    AnimationSettings animationSettings() const { return m_animation; }

Q_SIGNALS:
    // What went wrong, as rich text for the banner.
    void problem(const QString &text);
    // A passing note for the status bar ("Saved loss.png").
    void message(const QString &text);

private:
    void exportDialog(QWidget *figure, const QString &name);
    void chartDialog(LiveChart *chart, const QString &name);
    void animationDialog();

    QWidget *m_window;
    LiveView *m_live;
    RunModel *m_runs = nullptr;
    qreal m_scale = 2.0;
    QString m_use = QStringLiteral("screen");
    QActionGroup *m_uses;
    AnimationSettings m_animation;
};

} // namespace reglab::ui
