#include "ui/gradientchart.h"

#include "ui/livechart.h"
#include "ui/palette.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QShowEvent>
#include <QTimer>
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

    QChart *chart = newChart({});
    // Short legend names, so the three fit below a dock-wide chart; the definitions are in the tooltip.
    const QString names[3] = {tr("data gradient"), tr("L1 push"), tr("L2 push")};
    const QColor colours[3] = {colors::dataLoss, colors::l1Term, colors::l2Term};
    m_x = new QValueAxis();
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_x->setTitleText(tr("step"));
    m_y = new QLogValueAxis();
    m_y->setBase(10);
    m_y->setLabelFormat(QStringLiteral("%g"));
    m_y->setTitleText(tr("mean size per weight (log)"));
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_x), static_cast<QAbstractAxis *>(m_y)}) {
        axis->setLabelsFont(chartFont(kLabelPointSize));
        axis->setTitleFont(chartFont(kAxisTitlePointSize));
    }
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (int i = 0; i < 3; ++i) {
        m_series[i] = new QLineSeries();
        m_series[i]->setName(names[i]);
        QPen pen(colours[i]);
        pen.setWidthF(2.5);
        m_series[i]->setPen(pen);
        chart->addSeries(m_series[i]);
        m_series[i]->attachAxis(m_x);
        m_series[i]->attachAxis(m_y);
    }
    m_view = new QChartView(chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(220);
    m_view->setToolTip(tr("Per logging step, means over the layer's weights:\n"
                          "data gradient = |dL/dw|, L1 push = |\u03bb1 sign(w)|, L2 push = |\u03bb2 w|"));
    layout->addWidget(m_view, 1);
    connect(m_layer, &QComboBox::currentTextChanged, this, [this] { rebuild(); });
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setInterval(250);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            rebuild(); // hidden: stays dirty until shown
    });
    rebuild();
}

void GradientChart::addBalance(const reglab::GradientBalance &balance)
{
    const QString shown = layer();
    for (const auto &l : balance.layers) {
        const QString name = QString::fromStdString(l.name);
        if (m_layer->findText(name) < 0)
            m_layer->addItem(name);
        auto &points = m_points[name];
        const double values[3] = {l.dataGradient, l.l1Push, l.l2Push};
        for (int t = 0; t < 3; ++t) {
            QList<QPointF> &series = points[std::size_t(t)];
            series << QPointF(double(balance.step), values[t]);
            if (series.size() > LiveChart::kMaxHistory) // a very long run: memory stays flat
                halveHistory(series);
        }
    }
    (void)shown;
    scheduleRebuild();
}

void GradientChart::scheduleRebuild()
{
    m_dirty = true;
    if (!m_timer->isActive())
        m_timer->start();
}

void GradientChart::flushIfDirty()
{
    if (m_dirty)
        rebuild();
}

void GradientChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    flushIfDirty();
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
    const_cast<GradientChart *>(this)->flushIfDirty();
    return m_series[term]->points();
}

void GradientChart::extendAxes(double step, double value)
{
    const bool first = m_high <= 0;
    m_low = first ? value : std::min(m_low, value);
    m_high = first ? value : std::max(m_high, value);
    m_lastStep = std::max(m_lastStep, step);
    m_x->setRange(0, std::max(1.0, m_lastStep));
    m_y->setRange(std::pow(10, std::floor(std::log10(m_low))), std::pow(10, std::ceil(std::log10(m_high) + 1e-9)));
}

void GradientChart::rebuild()
{
    m_dirty = false;
    m_low = m_high = m_lastStep = 0;
    m_x->setRange(0, 1);
    m_y->setRange(1e-5, 1e-1);
    const QString name = layer();
    m_view->chart()->setTitle(tr("What moves %1's weights").arg(name));
    const auto it = m_points.find(name);
    for (int t = 0; t < 3; ++t) {
        QList<QPointF> shown;
        if (it != m_points.end()) {
            const QList<QPointF> &all = it->second[std::size_t(t)];
            // More points than the chart has pixels only cost drawing time: keep at most ~1,500, and the last.
            const qsizetype stride = std::max<qsizetype>(1, (all.size() + 1499) / 1500);
            for (qsizetype i = 0; i < all.size(); ++i) {
                const QPointF &p = all[i];
                if ((i % stride == 0 || i + 1 == all.size()) && p.y() > 0 && std::isfinite(p.y())) {
                    shown << p;
                    extendAxes(p.x(), p.y());
                }
            }
        }
        m_series[t]->replace(shown);
    }
}

} // namespace reglab::ui
