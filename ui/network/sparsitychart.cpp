#include "ui/network/sparsitychart.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/palette.h"
#include "ui/controls/numberentry.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace reglab::ui {

namespace {

constexpr int kSummaryBins =
    int((SparsitySummary::kHighDecade - SparsitySummary::kLowDecade) * SparsitySummary::kBinsPerDecade);

const QColor &layerColor(int index)
{
    static const QColor c[] = {colors::dataLoss, colors::l1Term, colors::l2Term, colors::marker, colors::validation};
    return c[index % 5];
}

ChartBase *makeView(const QString &title, QWidget *parent)
{
    auto *view = new ChartBase(title, parent);
    view->setMinimumSize(240, 110);
    return view;
}

QValueAxis *epochAxis(ChartBase *view, int lastEpoch)
{
    auto *x = new QValueAxis();
    ChartBase::setAxisRange(x, 0, std::max(1, lastEpoch));
    x->setLabelFormat(QStringLiteral("%d"));
    view->styleAxis(x, QObject::tr("epoch"), QObject::tr("epoch"), true);
    return x;
}

// A line, with dots so that a single epoch shows.
void addLine(ChartBase *view, const QString &name, const QColor &color, const QList<QPointF> &points,
             Qt::PenStyle style)
{
    QLineSeries *line = view->makeLine(name, color, 2.5, style);
    line->setPointsVisible(true);
    line->replace(points);
    view->addSeries(line);
}

} // namespace

namespace {
// Where a float's magnitude falls, from its top 16 bits (exponent and 7 bits of mantissa): a cell spans 1/128
// of an octave, less than a bin (1/50 of a decade), so it holds at most one bin edge. A magnitude in the cell is
// in `bin`, or in the next one from `edge` on (-1: below the first bin).
struct BinCell {
    std::int32_t bin;
    float edge;
};

const std::vector<BinCell> &binCells()
{
    static const std::vector<BinCell> cells = [] {
        std::vector<double> edges(std::size_t(kSummaryBins) + 1); // each bin's lower edge, +inf past the last
        for (int k = 0; k < kSummaryBins; ++k)
            edges[std::size_t(k)] =
                std::pow(10.0, SparsitySummary::kLowDecade + double(k) / SparsitySummary::kBinsPerDecade);
        edges.back() = std::numeric_limits<double>::infinity();
        // The least float at or above an edge: double(a) >= edge exactly when a >= it.
        auto floatEdge = [](double e) {
            float f = float(e);
            return double(f) < e ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
        };
        std::vector<BinCell> c(std::size_t(1) << 16);
        for (std::uint32_t i = 0; i < c.size(); ++i) {
            const std::uint32_t bits = i << 15;
            float start;
            std::memcpy(&start, &bits, sizeof start);
            const auto next = std::upper_bound(edges.begin(), edges.end(), double(start));
            const int bin = std::min(int(next - edges.begin()) - 1, kSummaryBins - 1);
            c[i] = {bin, bin + 1 < kSummaryBins ? floatEdge(*next) : std::numeric_limits<float>::infinity()};
        }
        return c;
    }();
    return cells;
}
} // namespace

// Runs on the UI thread at every epoch's snapshot (200,000 weights for the forum's network): a log10 per
// weight took 5-9 ms there, a table lookup by the float's bits takes 0.5 ms and lands in the same bins.
SparsitySummary::SparsitySummary(const std::vector<float> &weights) : m_bins(kSummaryBins, 0)
{
    const std::vector<BinCell> &cells = binCells();
    for (float w : weights) {
        if (!std::isfinite(w))
            continue;
        ++m_total;
        const float a = std::abs(w);
        if (a == 0) {
            ++m_zeros;
            continue;
        }
        std::uint32_t bits;
        std::memcpy(&bits, &a, sizeof bits);
        const BinCell &cell = cells[bits >> 15];
        const int bin = cell.bin + (a >= cell.edge ? 1 : 0);
        if (bin < 0)
            ++m_tiny;
        else
            ++m_bins[std::size_t(bin)];
    }
}

double SparsitySummary::shareBelow(double threshold) const
{
    if (m_total == 0 || !(threshold > 0))
        return 0;
    const double pos = (std::log10(threshold) - kLowDecade) * kBinsPerDecade;
    double below = double(m_zeros);
    if (pos <= 0)
        return below / double(m_total);
    below += double(m_tiny);
    // Bins are split [k, k+1) in units of pos; a threshold a hair above an edge (rounding) counts the whole bin.
    const double snapped = std::abs(pos - std::round(pos)) < 1e-6 ? std::round(pos) : pos;
    const int whole = std::min(kSummaryBins, int(std::floor(snapped)));
    for (int i = 0; i < whole; ++i)
        below += m_bins[std::size_t(i)];
    if (whole < kSummaryBins)
        below += m_bins[std::size_t(whole)] * (snapped - whole);
    return below / double(m_total);
}

ThresholdSpinBox::ThresholdSpinBox(QWidget *parent) : QDoubleSpinBox(parent)
{
    setDecimals(12);
    setRange(1e-6, 1e-1);
    setValue(SparsityChart::kDefaultThreshold);
    setKeyboardTracking(false);
}

QString ThresholdSpinBox::textFromValue(double value) const
{
    return QString::number(value, 'g', 3);
}

double ThresholdSpinBox::valueFromText(const QString &text) const
{
    bool ok = false;
    const double v = parseNumber(text, &ok);
    return ok ? v : value();
}

QValidator::State ThresholdSpinBox::validate(QString &text, int &) const
{
    return validateNumber(text, minimum(), maximum());
}

void ThresholdSpinBox::stepBy(int steps)
{
    // Quarter decades, snapped so that 1e-3 stays 1e-3.
    const double quarter = std::round(std::log10(value()) * 4) + steps;
    setValue(std::clamp(std::pow(10.0, quarter / 4), minimum(), maximum()));
}

SparsityChart::SparsityChart(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout();
    m_threshold = new ThresholdSpinBox(this);
    m_threshold->setToolTip(tr("A weight counts as \"zero\" when |w| is below this (1e-6 to 0.1)"));
    auto *label = new QLabel(tr("Counts as zero: |w| <"), this);
    label->setBuddy(m_threshold);
    row->addWidget(label);
    row->addWidget(m_threshold);
    row->addStretch(1);
    layout->addLayout(row);
    m_shareView = makeView(tr("Share of weights near zero"), this);
    m_normView = makeView(tr("Weight norms"), this);
    m_shareView->setLegendPlace(Qt::AlignRight); // a column keeps every name whole
    m_shareView->setToolTip(tr("Solid: |w| below the threshold; dashed: exactly 0"));
    m_normView->setLegendPlace(Qt::AlignRight);
    m_normView->setToolTip(tr("Solid: L1 norm Σ|w|; dashed: L2 norm √Σw²"));
    layout->addWidget(m_shareView, 1);
    layout->addWidget(m_normView, 1);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, [this] { redrawShares(); });
    connect(m_shareView, &ChartBase::redrawDue, this, &SparsityChart::redrawShares);
    connect(m_normView, &ChartBase::redrawDue, this, &SparsityChart::redrawNorms);
    redrawShares();
    redrawNorms();
}

void SparsityChart::addSnapshot(const reglab::WeightSnapshot &snapshot)
{
    for (const auto &layer : snapshot.layers) {
        const QString name = QString::fromStdString(layer.name);
        if (!m_layers.contains(name))
            m_layers << name;
        auto &epochs = m_summaries[name];
        epochs[snapshot.epoch] = SparsitySummary(layer.weights);
        if (epochs.size() > 256) { // a very long run keeps every other epoch's summary: memory stays flat
            bool drop = false;
            for (auto it = epochs.begin(); it != std::prev(epochs.end());)
                it = (drop = !drop) ? std::next(it) : epochs.erase(it);
        }
    }
    m_shareView->scheduleRedraw();
}

void SparsityChart::addEpoch(const reglab::EpochRecord &record)
{
    for (const auto &layer : record.layers) {
        const QString name = QString::fromStdString(layer.name);
        if (!m_layers.contains(name))
            m_layers << name;
        m_norms[name][record.epoch] = {layer.l1Norm, layer.l2Norm};
    }
    m_normView->scheduleRedraw();
}

void SparsityChart::flush()
{
    m_shareView->flush();
    m_normView->flush();
}

void SparsityChart::clear()
{
    m_layers.clear();
    m_summaries.clear();
    m_norms.clear();
    redrawShares();
    redrawNorms();
}

double SparsityChart::threshold() const
{
    return m_threshold->value();
}

void SparsityChart::setThreshold(double value)
{
    m_threshold->setValue(value);
}

const SparsitySummary *SparsityChart::summary(const QString &name, int epoch) const
{
    const auto layer = m_summaries.find(name);
    if (layer == m_summaries.end())
        return nullptr;
    const auto it = layer->second.find(epoch);
    return it == layer->second.end() ? nullptr : &it->second;
}

QList<QPointF> SparsityChart::sharePoints(const QString &name) const
{
    QList<QPointF> out;
    if (const auto layer = m_summaries.find(name); layer != m_summaries.end())
        for (const auto &[epoch, s] : layer->second)
            out << QPointF(epoch, 100 * s.shareBelow(threshold()));
    return out;
}

QList<QPointF> SparsityChart::zeroPoints(const QString &name) const
{
    QList<QPointF> out;
    if (const auto layer = m_summaries.find(name); layer != m_summaries.end())
        for (const auto &[epoch, s] : layer->second)
            out << QPointF(epoch, s.total() > 0 ? 100.0 * double(s.zeros()) / double(s.total()) : 0.0);
    return out;
}

QList<QPointF> SparsityChart::normPoints(const QString &name, bool l2) const
{
    QList<QPointF> out;
    if (const auto layer = m_norms.find(name); layer != m_norms.end())
        for (const auto &[epoch, n] : layer->second)
            if ((l2 ? n.second : n.first) > 0)
                out << QPointF(epoch, l2 ? n.second : n.first);
    return out;
}

void SparsityChart::redrawShares()
{
    QChart *chart = m_shareView->chart();
    m_shareView->removeAllSeries();
    int last = 1;
    for (const auto &[name, epochs] : m_summaries)
        if (!epochs.empty())
            last = std::max(last, epochs.rbegin()->first);
    // The chart title is rich text: "<" must be escaped.
    m_shareView->setChartTitle(tr("Weights with |w| &lt; %1").arg(QString::number(threshold(), 'g', 3)));
    auto *y = new QValueAxis();
    y->setRange(0, 100);
    y->setLabelFormat(QStringLiteral("%d"));
    m_shareView->styleAxis(y, tr("% of weights"), tr("%"));
    m_shareView->setAxes(epochAxis(m_shareView, last), y);
    for (int i = 0; i < m_layers.size(); ++i)
        if (m_summaries.count(m_layers[i])) {
            addLine(m_shareView, m_layers[i], layerColor(i), sharePoints(m_layers[i]), Qt::SolidLine);
            addLine(m_shareView, tr("%1 exactly 0").arg(m_layers[i]), layerColor(i), zeroPoints(m_layers[i]),
                    Qt::DashLine);
        }
    m_shareView->setLegendShown(!chart->series().isEmpty());
}

void SparsityChart::redrawNorms()
{
    QChart *chart = m_normView->chart();
    m_normView->removeAllSeries();
    int last = 1;
    double low = 1, high = 10;
    bool any = false;
    for (const auto &[name, epochs] : m_norms)
        for (const auto &[epoch, n] : epochs) {
            last = std::max(last, epoch);
            for (double v : {n.first, n.second})
                if (v > 0) {
                    low = any ? std::min(low, v) : v;
                    high = any ? std::max(high, v) : v;
                    any = true;
                }
        }
    auto *y = new QLogValueAxis();
    y->setBase(10);
    y->setLabelFormat(QStringLiteral("%g"));
    y->setRange(std::pow(10, std::floor(std::log10(low))), std::pow(10, std::ceil(std::log10(high) + 1e-9)));
    m_normView->styleAxis(y, tr("L1 solid, L2 dashed"), tr("norm"));
    m_normView->setAxes(epochAxis(m_normView, last), y);
    for (int i = 0; i < m_layers.size(); ++i)
        if (m_norms.count(m_layers[i])) {
            // Each line named in the legend ("fc1 L1", "fc1 L2"): the axis' title, which says the line styles, is
            // the first thing a small view shortens.
            addLine(m_normView, m_layers[i] + tr(" L1"), layerColor(i), normPoints(m_layers[i], false), Qt::SolidLine);
            addLine(m_normView, m_layers[i] + tr(" L2"), layerColor(i), normPoints(m_layers[i], true), Qt::DashLine);
        }
    m_normView->setLegendShown(!chart->series().isEmpty());
}

} // namespace reglab::ui
