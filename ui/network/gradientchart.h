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

class QComboBox;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace reglab::ui {

class ChartBase;

class GradientChart : public QWidget {
    Q_OBJECT
public:
    enum Term { Data = 0, L1 = 1, L2 = 2 };

    explicit GradientChart(QWidget *parent = nullptr);

    void addBalance(const reglab::GradientBalance &balance);
    void clear();
    // The window's redraw tick (points arrive every few steps; the series are rebuilt only while on screen).
    void flush();

    QString layer() const;
    void setLayer(const QString &name);
    QComboBox *layerBox() const { return m_layer; }
    ChartBase *chartView() const { return m_view; }
    // The points held for `layer` and `term`, (step, value), zeros included; what is drawn skips values <= 0.
    QList<QPointF> points(const QString &layer, Term term) const;
    QList<QPointF> shownPoints(Term term) const;

private:
    void rebuild();

    QComboBox *m_layer;
    ChartBase *m_view;
    QLineSeries *m_series[3];
    QValueAxis *m_x;
    QLogValueAxis *m_y;
    std::map<QString, std::array<QList<QPointF>, 3>> m_points;
};

} // namespace reglab::ui
