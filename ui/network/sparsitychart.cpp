#include "ui/network/sparsitychart.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/legendstrip.h"
#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"
#include "ui/controls/numberentry.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
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

// A run's line, with dots so that a single epoch shows; runs compared have their markers (runstyle.h) instead,
// gathered in `marks` to go on top of every line. Solid and dashed keep their meaning here (the measure), so a
// compared run is told apart by its marker, not by its dashes.
void addLine(ChartBase *view, const QString &name, const QString &brief, const QColor &color,
             const QList<QPointF> &points, Qt::PenStyle style, int runStyle, QList<QAbstractSeries *> &marks)
{
    QLineSeries *line = view->makeLine(name, color, 2.5, style);
    // A dashed line has no legend entry: its own name in full (hover says it), none to stand for the solid one's.
    ChartBase::setLegendNames(line, name, style == Qt::SolidLine ? brief : name);
    line->setPointsVisible(runStyle < 0);
    line->replace(points);
    view->addSeries(line);
    // Named in the strip under the charts, not in the chart's own legend (the key to the line styles).
    line->setProperty("reglabNoLegend", true);
    for (QLegendMarker *marker : view->chart()->legend()->markers(line))
        marker->setVisible(false);
    if (runStyle >= 0)
        marks << newRunMarks(line, runStyleAt(runStyle));
}

// The compared runs' marks, after every line (each drawn over all of them) and after the key, out of its legend.
void addMarks(ChartBase *view, const QList<QAbstractSeries *> &marks)
{
    for (QAbstractSeries *m : marks) {
        view->addSeries(m);
        hideRunMarks(view->chart(), m);
    }
}

bool sameThreshold(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
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

SparsityOverlay SparsityOverlay::fromRecord(const reglab::RunRecord &record, const QString &label,
                                            const QString &brief, const QColor &color)
{
    SparsityOverlay o;
    o.label = label;
    o.brief = brief;
    o.color = color;
    o.threshold = record.config.sparsityThreshold;
    for (const auto &epoch : record.epochs)
        for (const auto &layer : epoch.layers) {
            const QString name = QString::fromStdString(layer.name);
            if (name.isEmpty()) // no layer to choose it by
                continue;
            if (!o.layerOrder.contains(name))
                o.layerOrder << name;
            o.layers[name].push_back({epoch.epoch, layer.smallFraction, layer.zeroFraction, layer.l1Norm, layer.l2Norm});
        }
    return o;
}

SparsityChart::SparsityChart(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout();
    m_layer = new QComboBox(this);
    m_layer->setToolTip(tr("The layer whose weights are counted"));
    auto *layerLabel = new QLabel(tr("Layer:"), this);
    layerLabel->setBuddy(m_layer);
    m_threshold = new ThresholdSpinBox(this);
    m_threshold->setToolTip(tr("A weight counts as \"zero\" when |w| is below this (1e-6 to 0.1)"));
    auto *label = new QLabel(tr("Zero: |w| <"), this);
    label->setToolTip(m_threshold->toolTip());
    label->setBuddy(m_threshold);
    row->addWidget(layerLabel);
    row->addWidget(m_layer);
    row->addWidget(label);
    row->addWidget(m_threshold);
    row->addStretch(1);
    layout->addLayout(row);
    m_figure = new QWidget(this);
    auto *figure = new QVBoxLayout(m_figure);
    figure->setContentsMargins(0, 0, 0, 0);
    figure->setSpacing(2);
    m_shareView = makeView(tr("Share of weights near zero"), m_figure);
    m_normView = makeView(tr("Weight norms"), m_figure);
    // Each chart's legend is only its two-entry key: a row under the plot leaves the plot the chart's width.
    m_shareView->setLegendPlace(Qt::AlignBottom);
    m_shareView->setToolTip(tr("Solid: |w| below the threshold; dashed: exactly 0"));
    m_normView->setLegendPlace(Qt::AlignBottom);
    m_normView->setToolTip(tr("Solid: L1 norm \u03a3|w|; dashed: L2 norm \u221a\u03a3w\u00b2"));
    m_legend = new LegendStrip(m_figure);
    m_legend->hide();
    m_note = new QLabel(m_figure);
    m_note->setWordWrap(true);
    m_note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_note->hide();
    figure->addWidget(m_shareView, 1);
    figure->addWidget(m_normView, 1);
    figure->addWidget(m_legend);
    figure->addWidget(m_note);
    layout->addWidget(m_figure, 1);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, [this] { redrawShares(); });
    connect(m_layer, &QComboBox::currentTextChanged, this, [this] {
        redrawShares();
        redrawNorms();
    });
    connect(m_shareView, &ChartBase::redrawDue, this, &SparsityChart::redrawShares);
    connect(m_normView, &ChartBase::redrawDue, this, &SparsityChart::redrawNorms);
    redrawShares();
    redrawNorms();
}

void SparsityChart::addSnapshot(const reglab::WeightSnapshot &snapshot)
{
    for (const auto &layer : snapshot.layers) {
        const QString name = QString::fromStdString(layer.name);
        if (!m_layers.contains(name)) {
            m_layers << name;
            updateLayers();
        }
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
        if (!m_layers.contains(name)) {
            m_layers << name;
            updateLayers();
        }
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
    updateLayers();
    redrawShares();
    redrawNorms();
}

void SparsityChart::setOverlays(const QList<SparsityOverlay> &overlays)
{
    m_overlays = overlays;
    m_overlaySummaries.clear();
    updateLayers();
    redrawShares();
    redrawNorms();
}

void SparsityChart::setLiveLook(const QString &name, const QString &brief, const QColor &color, bool shown)
{
    if (name == m_liveName && brief == m_liveBrief && color == m_liveColor && shown == m_liveShown)
        return;
    m_liveName = name;
    m_liveBrief = brief;
    m_liveColor = color;
    m_liveShown = shown;
    redrawShares();
    redrawNorms();
}

QString SparsityChart::liveLabel() const
{
    return m_liveName.isEmpty() ? tr("this run") : m_liveName;
}

QColor SparsityChart::liveColor() const
{
    return m_liveColor.isValid() ? m_liveColor : colors::dataLoss;
}

int SparsityChart::runStyleFor(const QColor &color) const
{
    // Runs compared: each its marker (a colour not of the runs' palette has none); a run alone keeps its dots.
    return m_overlays.isEmpty() ? -1 : runStyleOf(color).index;
}

void SparsityChart::updateLayers()
{
    QStringList names = m_layers;
    for (const SparsityOverlay &o : m_overlays)
        for (const QString &name : o.layerOrder)
            if (!names.contains(name))
                names << name;
    QStringList current;
    for (int i = 0; i < m_layer->count(); ++i)
        current << m_layer->itemText(i);
    if (names == current)
        return;
    const QString keep = m_layer->currentText();
    const QSignalBlocker block(m_layer);
    m_layer->clear();
    m_layer->addItems(names);
    if (!names.isEmpty())
        m_layer->setCurrentText(names.contains(keep) ? keep : names.first());
}

QString SparsityChart::layer() const
{
    return m_layer->currentText();
}

void SparsityChart::setLayer(const QString &name)
{
    m_layer->setCurrentText(name);
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

QList<QPointF> SparsityChart::overlayPoints(int overlay, Measure measure) const
{
    QList<QPointF> out;
    if (overlay < 0 || overlay >= m_overlays.size())
        return out;
    const SparsityOverlay &o = m_overlays[overlay];
    const auto found = o.layers.find(layer());
    if (found == o.layers.end())
        return out;
    if (measure == Share && !sameThreshold(o.threshold, threshold())) {
        // Its epochs were measured at its own threshold: at this one only its last snapshot can say.
        auto cached = m_overlaySummaries.find(overlay);
        if (cached == m_overlaySummaries.end()) {
            std::pair<int, std::map<QString, SparsitySummary>> summaries{-1, {}};
            if (const auto snapshot = o.weights ? o.weights() : nullptr) {
                summaries.first = snapshot->epoch;
                for (const auto &l : snapshot->layers)
                    summaries.second.emplace(QString::fromStdString(l.name), SparsitySummary(l.weights));
            }
            cached = m_overlaySummaries.emplace(overlay, std::move(summaries)).first;
        }
        if (const auto s = cached->second.second.find(found->first); s != cached->second.second.end())
            out << QPointF(cached->second.first, 100 * s->second.shareBelow(threshold()));
        return out;
    }
    for (const SparsityOverlay::Point &p : found->second) {
        const double v = measure == Share ? 100 * p.small : measure == Zero ? 100 * p.zero : measure == L1Norm ? p.l1 : p.l2;
        if (std::isfinite(v) && (measure == Share || measure == Zero || v > 0)) // a log axis has no place for 0
            out << QPointF(p.epoch, v);
    }
    return out;
}

QString SparsityChart::noteText() const
{
    return m_note->text();
}

void SparsityChart::addKey(ChartBase *view, const QStringList &solid, const QStringList &dashed)
{
    for (const auto &[names, style] : {std::pair{solid, Qt::SolidLine}, std::pair{dashed, Qt::DashLine}}) {
        QLineSeries *key = view->makeLine(names.value(0), colors::chance, 2.5, style);
        ChartBase::setLegendNames(key, names.value(0), names.value(1, names.value(0)));
        key->setProperty("reglabKey", true);
        view->addSeries(key);
        // A stroke of the line in the legend, not a swatch: it shows the style the entry names.
        for (QLegendMarker *marker : view->chart()->legend()->markers(key))
            marker->setShape(QLegend::MarkerShapeFromSeries);
    }
}

void SparsityChart::redrawShares()
{
    m_shareView->removeAllSeries();
    const QString name = layer();
    QList<QList<QPointF>> lines[2]; // below the threshold, exactly 0: the live run first when drawn
    QStringList labels, briefs;
    QList<QColor> colours;
    QStringList unknown;
    if (m_liveShown && m_summaries.count(name)) {
        lines[0] << sharePoints(name);
        lines[1] << zeroPoints(name);
        labels << liveLabel();
        briefs << (m_liveBrief.isEmpty() ? liveLabel() : m_liveBrief);
        colours << liveColor();
    }
    for (int i = 0; i < m_overlays.size(); ++i) {
        if (!m_overlays[i].layers.count(name))
            continue;
        lines[0] << overlayPoints(i, Share);
        lines[1] << overlayPoints(i, Zero);
        labels << m_overlays[i].label;
        briefs << m_overlays[i].brief;
        colours << m_overlays[i].color;
        if (lines[0].last().isEmpty())
            unknown << m_overlays[i].label;
    }
    int last = 1;
    for (const auto &kind : lines)
        for (const auto &points : kind)
            for (const QPointF &p : points)
                last = std::max(last, int(p.x()));
    // The chart title is rich text: "<" must be escaped.
    const QString shown = QString::number(threshold(), 'g', 3);
    m_shareView->setChartTitle(name.isEmpty() ? tr("Weights with |w| &lt; %1").arg(shown)
                                              : tr("Weights of %1 with |w| &lt; %2").arg(name, shown));
    auto *y = new QValueAxis();
    y->setRange(0, 100);
    y->setLabelFormat(QStringLiteral("%d"));
    m_shareView->styleAxis(y, tr("% of weights"), tr("%"));
    m_shareView->setAxes(epochAxis(m_shareView, last), y);
    QList<QAbstractSeries *> marks;
    for (int i = 0; i < labels.size(); ++i) {
        const int style = runStyleFor(colours[i]);
        addLine(m_shareView, labels[i], briefs[i], colours[i], lines[0][i], Qt::SolidLine, style, marks);
        addLine(m_shareView, tr("%1, exactly 0").arg(labels[i]), briefs[i], colours[i], lines[1][i], Qt::DashLine,
                style, marks);
    }
    if (!labels.isEmpty())
        addKey(m_shareView, {tr("|w| below %1").arg(shown), tr("below %1").arg(shown)}, {tr("exactly 0")});
    addMarks(m_shareView, marks);
    m_shareView->setLegendShown(!labels.isEmpty());
    // Each run's sample: a solid stroke (dashed means "exactly 0" here) with its marker, as drawn.
    QList<LegendStrip::Entry> entries;
    for (int i = 0; i < labels.size(); ++i)
        entries << LegendStrip::Entry{labels[i], colours[i], Qt::NoPen, runStyleFor(colours[i])};
    m_legend->setEntries(entries);
    // A compared run's record measured its epochs at its own threshold; at another, with no saved weights, its
    // solid line cannot be drawn: said, not left out without a word.
    m_note->setText(unknown.isEmpty() ? QString()
                                      : tr("Not measured at |w| < %1 (no saved weights): %2")
                                            .arg(shown, unknown.join(QStringLiteral(", "))));
    m_note->setVisible(!unknown.isEmpty());
}

void SparsityChart::redrawNorms()
{
    m_normView->removeAllSeries();
    const QString name = layer();
    QList<QList<QPointF>> lines[2]; // L1, L2
    QStringList labels, briefs;
    QList<QColor> colours;
    if (m_liveShown && m_norms.count(name)) {
        lines[0] << normPoints(name, false);
        lines[1] << normPoints(name, true);
        labels << liveLabel();
        briefs << (m_liveBrief.isEmpty() ? liveLabel() : m_liveBrief);
        colours << liveColor();
    }
    for (int i = 0; i < m_overlays.size(); ++i)
        if (m_overlays[i].layers.count(name)) {
            lines[0] << overlayPoints(i, L1Norm);
            lines[1] << overlayPoints(i, L2Norm);
            labels << m_overlays[i].label;
            briefs << m_overlays[i].brief;
            colours << m_overlays[i].color;
        }
    int last = 1;
    double low = 1, high = 10;
    bool any = false;
    for (const auto &kind : lines)
        for (const auto &points : kind)
            for (const QPointF &p : points) {
                last = std::max(last, int(p.x()));
                low = any ? std::min(low, p.y()) : p.y();
                high = any ? std::max(high, p.y()) : p.y();
                any = true;
            }
    m_normView->setChartTitle(name.isEmpty() ? tr("Weight norms") : tr("Norms of %1's weights").arg(name));
    auto *y = new QLogValueAxis();
    y->setBase(10);
    y->setLabelFormat(QStringLiteral("%g"));
    y->setRange(std::pow(10, std::floor(std::log10(low))), std::pow(10, std::ceil(std::log10(high) + 1e-9)));
    m_normView->styleAxis(y, tr("norm (L1 solid, L2 dashed)"), tr("norm"));
    m_normView->setAxes(epochAxis(m_normView, last), y);
    QList<QAbstractSeries *> marks;
    for (int i = 0; i < labels.size(); ++i) {
        const int style = runStyleFor(colours[i]);
        addLine(m_normView, labels[i], briefs[i], colours[i], lines[0][i], Qt::SolidLine, style, marks);
        addLine(m_normView, tr("%1, L2 norm").arg(labels[i]), briefs[i], colours[i], lines[1][i], Qt::DashLine,
                style, marks);
    }
    if (!labels.isEmpty())
        addKey(m_normView, {tr("L1 norm \u03a3|w|"), tr("L1 norm")}, {tr("L2 norm \u221a\u03a3w\u00b2"), tr("L2 norm")});
    addMarks(m_normView, marks);
    m_normView->setLegendShown(!labels.isEmpty());
}

} // namespace reglab::ui
