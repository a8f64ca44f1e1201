// The optimizer's view of one layer: per logging step, the mean size of the data loss's gradient against the
// mean sizes of the L1 and L2 pushes, on a log axis. With L1 0.01 the L1 push sits an order of magnitude above
// the data gradient, which is why that network forgets everything.
#pragma once

#include "model/records.h"

#include <QList>
#include <QPointF>
#include <QWidget>

#include <array>
#include <map>
#include <vector>

class QChartView;
class QComboBox;
class QShowEvent;
class QTimer;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace reglab::ui {

class GradientChart : public QWidget {
    Q_OBJECT
public:
    enum Term { Data = 0, L1 = 1, L2 = 2 };

    explicit GradientChart(QWidget *parent = nullptr);

    void addBalance(const reglab::GradientBalance &balance);
    void clear();

    QString layer() const;
    void setLayer(const QString &name);
    QComboBox *layerBox() const { return m_layer; }
    QChartView *chartView() const { return m_view; }
    // The points held for `layer` and `term`, (step, value), zeros included; what is drawn skips values <= 0.
    QList<QPointF> points(const QString &layer, Term term) const;
    QList<QPointF> shownPoints(Term term) const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    // Points arrive every few steps; the series are rebuilt, thinned, a few times a second and only while
    // the chart is on screen: appending to a log-axis series recomputes its whole geometry each time.
    void scheduleRebuild();
    void flushIfDirty();
    void rebuild();
    void extendAxes(double step, double value);

    QComboBox *m_layer;
    QChartView *m_view;
    QLineSeries *m_series[3];
    QValueAxis *m_x;
    QLogValueAxis *m_y;
    double m_low = 0, m_high = 0, m_lastStep = 0;
    QTimer *m_timer = nullptr;
    bool m_dirty = false;
    std::map<QString, std::array<QList<QPointF>, 3>> m_points;
};

} // namespace reglab::ui
