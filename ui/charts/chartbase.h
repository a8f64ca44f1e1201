// What every chart shares: the dashboard's styling, axes that every series follows when one is swapped, thinning
// of long histories, one batched replace() per series update, and redraws coalesced onto the window's redraw
// tick (flush()) and skipped while the chart is off screen.
#pragma once

#include <QChartView>
#include <QColor>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QSizeF>
#include <QString>

class QAbstractAxis;
class QValueAxis;
class QAbstractSeries;
class QLineSeries;
class QMenu;
class QTimer;

namespace reglab::ui {

// Keeps every other point of a long history, and the newest: what very long runs do to stay in bounded memory.
void halveHistory(QList<QPointF> &points);

class ChartBase : public QChartView {
    Q_OBJECT
public:
    // A chart is ~1,000 px wide: more points than this only cost stroking.
    static constexpr int kMaxShownPoints = 2000;
    // Past this many points a history is halved (every other point kept): memory stays flat.
    static constexpr int kMaxHistory = 4 * kMaxShownPoints;

    explicit ChartBase(const QString &title, QWidget *parent = nullptr);

    // The chart's title and whether it has a legend; a low chart hides either to keep room for its plot.
    void setChartTitle(const QString &title);
    void setLegendShown(bool shown);
    // Where the legend goes when it fits there: below (a row) or at the right (a column). Where it does not,
    // fitLegend() tries the other place, then the short names, then a compact type, then names shortened in the
    // middle (whole on hover), and hides it only where not even those fit (chartlegend.cpp).
    void setLegendPlace(Qt::Alignment place);
    QString chartTitle() const { return m_title; }

    // Marks the chart as out of date; it is redrawn (redrawDue) at the next flush() or when it is shown.
    void scheduleRedraw();
    bool redrawPending() const { return m_dirty; }
    // The window's redraw tick: a pending redraw happens now if the chart is on screen.
    virtual void flush();
    // A pending redraw happens now, on screen or not (exports and tests read what is drawn).
    void redrawNow();

    // Every n-th point of `all` and always the last, at most about `maxPoints` of them.
    static QList<QPointF> thinned(const QList<QPointF> &all, int maxPoints = kMaxShownPoints);

    // A line in the dashboard's style (round caps unless setDenseLines, no OpenGL), not yet on the chart.
    QLineSeries *makeLine(const QString &name, const QColor &color, qreal width = 2.5,
                          Qt::PenStyle style = Qt::SolidLine);
    // For charts of hundreds of points per series (the loss): Qt Charts strokes each segment on its own, and a
    // round cap on every end costs 2.7x a square one, while on segments shorter than the pen is wide no one can
    // see the cap's shape. Set before the chart's lines are made.
    void setDenseLines(bool dense) { m_lineCap = dense ? Qt::SquareCap : Qt::RoundCap; }
    // Adds a series to the chart, attached to the current axes.
    void addSeries(QAbstractSeries *series);
    // Removes and deletes every series.
    void removeAllSeries();
    // Styles an axis; `shortTitle` is used where `title` would not fit (and no title where neither does).
    // `integerTicks`: labels only at whole numbers (epochs, steps).
    void styleAxis(QAbstractAxis *axis, const QString &title, const QString &shortTitle = {},
                   bool integerTicks = false);
    // Chooses each value axis' tick interval (1, 2 or 5 x 10^k) and each axis' title so that no label and no
    // title has to be cut short at this size and font: fewer ticks, a shorter title. Runs on every resize
    // and after each update of the ranges.
    void fitAxes();
    // A series' legend entry, and a shorter one for where the long one would be cut short.
    // Sets a value axis's range with a tick interval that suits it first: Qt lays out the ticks as the range
    // changes, and an interval chosen for 0..100 over 0..16,000,000 steps would build 160,000 tick items.
    static void setAxisRange(QValueAxis *axis, double lo, double hi);
    static void setLegendNames(QAbstractSeries *series, const QString &name, const QString &shortName);
    // Shortens the legend's entries where the long ones would not fit.
    void fitLegend();
    // Fits axes and legend afresh, as after a resize: for a figure drawn at another size, and after it (a cut seen
    // under the figure's layout says nothing about the window's).
    void refitAfresh();
    // The chart's width at which its legend, shortened in the middle now, would show whole names; 0 when it does
    // already (a figure of the chart is made that wide: the names in a paper are whole).
    int wholeNamesWidth() const { return m_wholeNamesWidth; }
    // The whole name behind a legend entry's text (the text itself when it is whole).
    QString legendFullName(const QString &label) const;
    // The presentation mode's look: fonts and lines larger by these factors (1 = normal).
    static void setPresentationScale(double fontScale, double lineScale);
    static double presentationScale();
    // Applies the current theme (light or dark) and presentation scale to this chart.
    void restyle();
    // Installs new axes (either may be null to keep the current one): every series is re-attached and the old
    // axis deleted.
    void setAxes(QAbstractAxis *x, QAbstractAxis *y);
    QAbstractAxis *xAxis() const { return m_xAxis; }
    QAbstractAxis *yAxis() const { return m_yAxis; }
    // The y axis' range (linear or log), (0, 1) when it has none.
    std::pair<double, double> yRange() const;
    std::pair<double, double> xRange() const;

    // Interrogation, for every chart: hover names the series and the value under the cursor, the wheel zooms
    // about the cursor, a drag pans, a double-click resets, the right button opens contextMenu(); with the focus,
    // keys do each of these (keyHelp()).
    // Zooms both axes by `factor` (< 1 in, > 1 out) about the point at `pos` (view coordinates).
    void zoomAt(const QPointF &pos, double factor);
    // Moves the view by `pixels` (a drag to the right shows what lies left).
    void panBy(const QPointF &pixels);
    // Back to the ranges the chart chooses itself.
    void resetView();
    // Whether the person zoomed or panned (the chart's own range updates then leave the axes alone).
    bool userView() const { return m_userView; }
    // What hovering at `pos` shows ("Total: 0.412 at step 120"); "" when no point is near.
    QString hoverTextAt(const QPointF &pos) const;
    QString hoverText() const { return m_hoverText; }
    // The right-click menu (the caller owns it): export, copy, log scale where the chart has one, reset.
    QMenu *contextMenu();
    // The keys a chart with the focus answers to, "keys\ttext" a line, as Help > Keyboard shortcuts lists them:
    // read from the table keyPressEvent follows (chartnavigation.cpp).
    static QStringList keyHelp();
    // The keyboard's hover: moves the value cursor to the next (`direction` > 0) or previous x of a point in
    // view, and shows what hovering there would (hoverText()); "" when no point is in view (a tooltip then says why).
    QString stepValueCursor(int direction);
    // While one lives, charts draw no focus frame: a figure shows the chart, not where the keyboard was.
    class NoFocusFrame {
    public:
        NoFocusFrame();
        ~NoFocusFrame();
        NoFocusFrame(const NoFocusFrame &) = delete;
        NoFocusFrame &operator=(const NoFocusFrame &) = delete;
    };
    // A chart with a log scale says so and reports a request through logScaleRequested.
    virtual bool logScaleAvailable() const { return false; }
    virtual bool logScaleActive() const { return false; }

    // What a screen reader reads (chartdescription.cpp): the title is the chart's accessible name; its description,
    // made when read, says what is plotted and each shown series' newest value ("Accuracy (%) by epoch: Test
    // 91.2 % at epoch 10, ...") or, on an axis of something else (a histogram's weights), its highest point.
    QString accessibleSummary() const;
    struct Reading {
        QString name;
        QPointF point;
    };

Q_SIGNALS:
    // The chart should rebuild its series now.
    void redrawDue();
    // From the right-click menu: export this chart (no receiver: the figure dialog), switch its log scale.
    void exportRequested();
    void logScaleRequested(bool on);

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    // Sets the ranges the chart would choose (default: a redraw, which sets them); resetView calls it.
    virtual void autoRange();
    // After the view changed (zoom, pan, reset): what depends on the ranges follows (markers).
    virtual void viewChanged() {}
    // Puts the person's zoom back after the chart set its own ranges (call after every range update).
    void applyUserView();
    // The series the description reads, each with the point it reads. By default each shown, named series in the
    // legend with its newest point (its highest on an axis other than steps or epochs).
    virtual QList<Reading> readings() const;
    // The data changed: a screen reader in use hears that the description did, at most once a second.
    void descriptionMayChange();

private:
    // Offers every chart to screen readers as a chart (once per program).
    static void installAccessibility();
    void setView(double x0, double x1, double y0, double y1);
    void fitNow();
    // Whether Qt cut a legend entry short as it laid the legend out.
    bool legendCut() const;
    // About the width Qt wants for the vertical axes (labels, ticks and titles as they are now): Qt gives them at
    // most 0.4 of what the legend leaves, and cuts their labels to "..." beyond that.
    double verticalAxesWidth() const;
    // The whole name of the shortened legend entry at `scenePos`; "" where there is none.
    QString legendTextAt(const QPointF &scenePos) const;
    struct AxisTitles {
        QString title, shortTitle;
        bool integerTicks = false;
    };
    QAbstractAxis *m_xAxis = nullptr;
    QAbstractAxis *m_yAxis = nullptr;
    bool m_dirty = false;
    bool m_fitting = false;
    QString m_title;
    bool m_legendShown = true;
    Qt::PenCapStyle m_lineCap = Qt::RoundCap;
    Qt::Alignment m_legendPlace = Qt::AlignBottom;
    bool m_legendFits = true;
    int m_legendStage = 0;    // raised when Qt still cut an entry; reset at another size
    int m_appliedStage = 0;   // the stage the legend is laid out at now
    QSizeF m_legendStageSize; // the chart's size m_legendStage was raised at
    // Each shortened legend text and the whole name behind it (hover shows it).
    QHash<QString, QString> m_legendFullNames;
    int m_wholeNamesWidth = 0;
    static constexpr int kFitBudget = 6;
    int m_fitBudget = kFitBudget;
    QHash<QAbstractAxis *, AxisTitles> m_titles;
    bool m_userView = false;
    double m_viewX0 = 0, m_viewX1 = 0, m_viewY0 = 0, m_viewY1 = 0;
    // The spans (in each axis' own space) of the whole range the user view started from: zoom stays within
    // kZoomLimits of them.
    double m_homeSpanX = 0, m_homeSpanY = 0;
    bool m_dragging = false;
    QPointF m_dragFrom;
    QString m_hoverText;
    bool m_cursorSet = false; // the value cursor (stepValueCursor) stands at m_cursorX
    double m_cursorX = 0;
    QTimer *m_describeTimer = nullptr; // made when a screen reader is first told
    QString m_toldDescription;
    QObject m_axisGuard;
};

} // namespace reglab::ui
