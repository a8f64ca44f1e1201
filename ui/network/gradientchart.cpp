#include "ui/network/gradientchart.h"

#include "ui/charts/chartbase.h"
#include "ui/charts/palette.h"

#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace reglab::ui {

GradientChart::GradientChart(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout();
    m_layer = new QComboBox(this);
    m_layer->addItems({QStringLiteral("fc1"), QStringLiteral("fc2"), QStringLiteral("fc3")});
    m_layer->setToolTip(tr("The layer whose gradient and pushes are shown"));
    row->addWidget(new QLabel(tr("Layer:"), this));
    row->addWidget(m_layer);
    row->addStretch(1);
    layout->addLayout(row);

    m_view = new ChartBase({}, this);
    m_view->setAccessibleName(tr("Gradient sizes")); // no title on the chart: the tab says what it shows
    m_view->setMinimumSize(240, 150);
    m_x = new QValueAxis();
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_view->styleAxis(m_x, tr("step"), tr("step"), true);
    m_y = new QLogValueAxis();
    m_y->setBase(10);
    m_y->setLabelFormat(QStringLiteral("%g"));
    m_view->styleAxis(m_y, tr("mean size per weight (log)"), tr("size (log)"));
    m_view->setAxes(m_x, m_y);
    // Short legend names, so the three fit below a dock-wide chart; the definitions are in the tooltip.
    const QString names[3] = {tr("data gradient"), tr("L1 push"), tr("L2 push")};
    const QColor colours[3] = {colors::dataLoss, colors::l1Term, colors::l2Term};
    for (int i = 0; i < 3; ++i) {
        m_series[i] = m_view->makeLine(names[i], colours[i]);
        m_view->addSeries(m_series[i]);
    }
    m_view->setToolTip(tr("Per logging step, means over the layer's weights:\n"
                          "data gradient = |dL/dw|, L1 push = |\u03bb1 sign(w)|, L2 push = |\u03bb2 w|"));
    layout->addWidget(m_view, 1);
    connect(m_layer, &QComboBox::currentTextChanged, this, [this] { rebuild(); });
    connect(m_view, &ChartBase::redrawDue, this, &GradientChart::rebuild);
    rebuild();
}

void GradientChart::addBalance(const reglab::GradientBalance &balance)
{
    for (const auto &l : balance.layers) {
        const QString name = QString::fromStdString(l.name);
        if (m_layer->findText(name) < 0)
            m_layer->addItem(name);
        auto &points = m_points[name];
        const double values[3] = {l.dataGradient, l.l1Push, l.l2Push};
        for (int t = 0; t < 3; ++t) {
            QList<QPointF> &series = points[std::size_t(t)];
            series << QPointF(double(balance.step), values[t]);
            if (series.size() > ChartBase::kMaxHistory) // a very long run: memory stays flat
                halveHistory(series);
        }
    }
    m_view->scheduleRedraw();
}

void GradientChart::flush()
{
    m_view->flush();
}

void GradientChart::clear()
{
    m_points.clear();
    rebuild();
}

QString GradientChart::layer() const
{
    return m_layer->currentText();
}

void GradientChart::setLayer(const QString &name)
{
    m_layer->setCurrentText(name);
}

QList<QPointF> GradientChart::points(const QString &name, Term term) const
{
    const auto it = m_points.find(name);
    return it == m_points.end() ? QList<QPointF>() : it->second[std::size_t(term)];
}

QList<QPointF> GradientChart::shownPoints(Term term) const
{
    m_view->redrawNow();
    return m_series[term]->points();
}

void GradientChart::rebuild()
{
    const QString name = layer();
    m_view->setChartTitle(tr("What moves %1's weights").arg(name));
    double low = 0, high = 0, lastStep = 0;
    const auto it = m_points.find(name);
    for (int t = 0; t < 3; ++t) {
        QList<QPointF> shown;
        if (it != m_points.end())
            for (const QPointF &p : ChartBase::thinned(it->second[std::size_t(t)], 1500))
                if (p.y() > 0 && std::isfinite(p.y())) { // a log axis shows no zeros
                    shown << p;
                    low = high > 0 ? std::min(low, p.y()) : p.y();
                    high = std::max(high, p.y());
                    lastStep = std::max(lastStep, p.x());
                }
        m_series[t]->replace(shown);
    }
    ChartBase::setAxisRange(m_x, 0, std::max(1.0, lastStep));
    if (high > 0)
        m_y->setRange(std::pow(10, std::floor(std::log10(low))), std::pow(10, std::ceil(std::log10(high) + 1e-9)));
    else
        m_y->setRange(1e-5, 1e-1);
    m_view->fitAxes();
}

} // namespace reglab::ui
