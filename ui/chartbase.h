// What every chart shares: the dashboard's styling, axes that every series follows when one is swapped, thinning
// of long histories, one batched replace() per series update, and redraws coalesced onto the window's redraw
// tick (flush()) and skipped while the chart is off screen.
#pragma once

#include <QChartView>
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>

class QAbstractAxis;
class QAbstractSeries;
class QLineSeries;

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

    // Marks the chart as out of date; it is redrawn (redrawDue) at the next flush() or when it is shown.
    void scheduleRedraw();
    bool redrawPending() const { return m_dirty; }
    // The window's redraw tick: a pending redraw happens now if the chart is on screen.
    virtual void flush();
    // A pending redraw happens now, on screen or not (exports and tests read what is drawn).
    void redrawNow();

    // Every n-th point of `all` and always the last, at most about `maxPoints` of them.
    static QList<QPointF> thinned(const QList<QPointF> &all, int maxPoints = kMaxShownPoints);

    // A line in the dashboard's style (round caps, no OpenGL), not yet on the chart.
    QLineSeries *makeLine(const QString &name, const QColor &color, qreal width = 2.5,
                          Qt::PenStyle style = Qt::SolidLine);
    // Adds a series to the chart, attached to the current axes.
    void addSeries(QAbstractSeries *series);
    // Removes and deletes every series.
    void removeAllSeries();
    void styleAxis(QAbstractAxis *axis, const QString &title);
    // Installs new axes (either may be null to keep the current one): every series is re-attached and the old
    // axis deleted.
    void setAxes(QAbstractAxis *x, QAbstractAxis *y);
    QAbstractAxis *xAxis() const { return m_xAxis; }
    QAbstractAxis *yAxis() const { return m_yAxis; }
    // The y axis' range (linear or log), (0, 1) when it has none.
    std::pair<double, double> yRange() const;

Q_SIGNALS:
    // The chart should rebuild its series now.
    void redrawDue();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QAbstractAxis *m_xAxis = nullptr;
    QAbstractAxis *m_yAxis = nullptr;
    bool m_dirty = false;
};

} // namespace reglab::ui
