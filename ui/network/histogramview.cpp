#include "ui/network/histogramview.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/legendstrip.h"
#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace reglab::ui {

namespace {
// A log axis cannot show 0: empty bins sit on the axis floor instead.
constexpr double kLogFloor = 0.5;
// A compared run's markers along its outline: enough to find each run's among overlapping outlines, few enough
// that five runs' stay apart.
constexpr int kMarksPerRun = 6;

const reglab::WeightHistogram *findLayer(const std::vector<reglab::WeightHistogram> &hs, const QString &name)
{
    for (const auto &h : hs)
        if (QString::fromStdString(h.name) == name)
            return &h;
    return nullptr;
}
} // namespace

HistogramView::HistogramView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout();
    m_layer = new QComboBox(this);
    m_layer->setToolTip(tr("The layer whose weights are counted"));
    m_log = new QCheckBox(tr("Log counts"), this);
    m_log->setToolTip(tr("Counts on a logarithmic axis, so the few large weights stay visible"));
    // The live run's counts outside the range, under the figure: wrapped, never cut at the sidebar's edge.
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *layerLabel = new QLabel(tr("Layer:"), this);
    layerLabel->setBuddy(m_layer); // the combo's accessible name
    row->addWidget(layerLabel);
    row->addWidget(m_layer);
    row->addWidget(m_log);
    row->addStretch(1);
    layout->addLayout(row);

    m_figure = new QWidget(this);
    auto *figure = new QVBoxLayout(m_figure);
    figure->setContentsMargins(0, 0, 0, 0);
    figure->setSpacing(0);
    m_view = new ChartBase({}, m_figure);
    m_view->setAccessibleName(tr("Weight histogram")); // no title on the chart: the tab says what it shows
    m_view->setMinimumSize(240, 150);
    m_view->setLegendShown(false);
    m_legend = new LegendStrip(m_figure);
    m_legend->hide();
    figure->addWidget(m_view, 1);
    figure->addWidget(m_legend);
    layout->addWidget(m_figure, 1);
    layout->addWidget(m_summary);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_note->hide();
    layout->addWidget(m_note);

    connect(m_layer, &QComboBox::currentTextChanged, this, [this] { rebuild(); });
    connect(m_log, &QCheckBox::toggled, this, [this] { rebuild(); });
    connect(m_view, &ChartBase::redrawDue, this, &HistogramView::rebuild);
    rebuild();
}

void HistogramView::setHistograms(const std::vector<reglab::WeightHistogram> &histograms, int epoch)
{
    m_live = histograms;
    m_epoch = epoch;
    updateLayers();
    m_view->scheduleRedraw();
}

void HistogramView::setOverlays(const QList<HistogramOverlay> &overlays)
{
    m_overlays = overlays;
    updateLayers();
    rebuild();
}

void HistogramView::clear()
{
    m_live.clear();
    m_epoch = 0;
    rebuild();
}

QString HistogramView::layer() const
{
    return m_layer->currentText();
}

void HistogramView::setLayer(const QString &name)
{
    m_layer->setCurrentText(name);
}

bool HistogramView::logCounts() const
{
    return m_log->isChecked();
}

void HistogramView::setLogCounts(bool on)
{
    m_log->setChecked(on);
}

void HistogramView::flush()
{
    m_view->flush();
}

int HistogramView::shownSeriesCount() const
{
    m_view->redrawNow();
    return int(m_series.size());
}

std::vector<double> HistogramView::shownCounts(int index) const
{
    m_view->redrawNow();
    std::vector<double> out;
    if (index < 0 || index >= m_series.size())
        return out;
    const QList<QPointF> points = m_series[index]->points();
    for (int i = 0; i + 1 < points.size(); i += 2) // each bin is a flat step of two points
        out.push_back(points[i].y());
    return out;
}

QString HistogramView::summaryText() const
{
    m_view->redrawNow();
    return m_summary->text();
}

void HistogramView::updateLayers()
{
    QStringList names;
    auto add = [&](const std::vector<reglab::WeightHistogram> &hs) {
        for (const auto &h : hs)
            if (!names.contains(QString::fromStdString(h.name)))
                names << QString::fromStdString(h.name);
    };
    add(m_live);
    for (const auto &o : m_overlays)
        add(o.histograms);
    QStringList current;
    for (int i = 0; i < m_layer->count(); ++i)
        current << m_layer->itemText(i);
    if (names.isEmpty() || names == current)
        return;
    const QString keep = m_layer->currentText();
    const QSignalBlocker block(m_layer);
    m_layer->clear();
    m_layer->addItems(names);
    m_layer->setCurrentText(names.contains(keep) ? keep : names.first());
}

void HistogramView::setLiveLook(const QString &name, const QColor &color, const QString &brief, bool shown)
{
    if (name == m_liveName && color == m_liveColor && brief == m_liveBrief && shown == m_liveShown)
        return;
    m_liveName = name;
    m_liveColor = color;
    m_liveBrief = brief;
    m_liveShown = shown;
    rebuild();
}

void HistogramView::setMissing(const QStringList &names)
{
    m_note->setText(names.isEmpty() ? QString()
                                    : tr("No histograms saved with %1 (a record from an older RegLab)")
                                          .arg(names.join(QStringLiteral(", "))));
    m_note->setVisible(!names.isEmpty());
}

QString HistogramView::noteText() const
{
    return m_note->text();
}

void HistogramView::rebuild()
{
    m_view->removeAllSeries();
    m_series.clear();

    const QString name = layer();
    const bool log = logCounts();
    double low = -0.25, high = 0.25, top = 1;
    QList<QLineSeries *> lines;
    QList<QAbstractSeries *> marks;
    QList<int> styles;
    // Runs compared: each outline in its run's dashes (a histogram gives solid and dashed no meaning of their own)
    // with its markers on a few of its non-empty bins (runstyle.h), so a greyscale print tells them apart where
    // outlines overlap; a run alone is drawn as before.
    const bool compared = !m_overlays.isEmpty();
    auto addSeries = [&](const reglab::WeightHistogram &h, const QString &label, const QString &brief,
                         const QColor &color, qreal width) {
        QLineSeries *s = m_view->makeLine(label, color, width);
        // In a narrow view the legend names the runs briefly, as the other charts do.
        ChartBase::setLegendNames(s, label, brief.isEmpty() ? label : brief);
        const int bins = int(h.counts.size());
        const double w = bins > 0 ? (h.high - h.low) / bins : 0;
        QList<QPointF> points, filled; // the outline; the non-empty bins' middles
        points.reserve(2 * bins);
        for (int i = 0; i < bins; ++i) {
            const double c = log ? std::max(kLogFloor, double(h.counts[i])) : double(h.counts[i]);
            points << QPointF(h.low + i * w, c) << QPointF(h.low + (i + 1) * w, c);
            if (h.counts[i] > 0)
                filled << QPointF(h.low + (i + 0.5) * w, c);
            top = std::max(top, c);
        }
        s->replace(points);
        low = h.low;
        high = h.high;
        lines << s;
        const RunStyle style = compared ? runStyleOf(color) : RunStyle{};
        styles << style.index;
        if (style.index < 0)
            return;
        QPen pen = s->pen();
        applyRunDashes(pen, style);
        s->setPen(pen);
        setSeriesRunStyle(s, style);
        QScatterSeries *m = newRunMarkSeries(label, color, style);
        m->replace(markPoints(filled, style, kMarksPerRun));
        marks << m;
    };
    const reglab::WeightHistogram *live = m_liveShown ? findLayer(m_live, name) : nullptr;
    if (live) {
        // In the run's own colour: beside compared runs it is told apart as it is everywhere else.
        const QString who = m_liveName.isEmpty() ? tr("this run") : m_liveName;
        const QString brief = m_liveBrief.isEmpty() ? who : m_liveBrief;
        addSeries(*live, m_epoch > 0 ? tr("%1, epoch %2").arg(who, QString::number(m_epoch)) : who, brief,
                  m_liveColor.isValid() ? m_liveColor : colors::dataLoss, 2.5);
        m_summary->setText(tr("%1: exactly 0: %2 \u00b7 below the range: %3 \u00b7 above: %4")
                               .arg(who, QLocale().toString(qlonglong(live->zeros)),
                                    QLocale().toString(qlonglong(live->below)),
                                    QLocale().toString(qlonglong(live->above))));
    } else {
        m_summary->clear();
    }
    for (const auto &o : m_overlays)
        if (const auto *h = findLayer(o.histograms, name))
            addSeries(*h, o.label, o.brief, o.color, 2);

    m_view->setChartTitle(name.isEmpty() ? tr("Weight histogram") : tr("Weights of %1").arg(name));
    auto *x = new QValueAxis();
    ChartBase::setAxisRange(x, low, high);
    x->setLabelFormat(QStringLiteral("%.3g"));
    m_view->styleAxis(x, tr("weight"));
    QAbstractAxis *y;
    if (log) {
        auto *ly = new QLogValueAxis();
        ly->setBase(10);
        ly->setLabelFormat(QStringLiteral("%g"));
        ly->setRange(kLogFloor, top * 2);
        y = ly;
    } else {
        auto *vy = new QValueAxis();
        ChartBase::setAxisRange(vy, 0, top * 1.05);
        vy->setLabelFormat(QStringLiteral("%d"));
        y = vy;
    }
    m_view->styleAxis(y, tr("weights per bin"), tr("count"));
    m_view->setAxes(x, y);
    QList<LegendStrip::Entry> entries;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        m_view->addSeries(lines[i]);
        m_series << lines[i];
        entries << LegendStrip::Entry{lines[i]->name(), lines[i]->pen().color(), Qt::NoPen, styles[i], true};
    }
    for (QAbstractSeries *m : marks) { // on top of every outline
        m_view->addSeries(m);
        hideRunMarks(m_view->chart(), m);
    }
    m_legend->setEntries(entries);
}

} // namespace reglab::ui
