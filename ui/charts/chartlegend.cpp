// ChartBase's legend: whole names where they fit (in the chart's chosen place, else the other one), then the
// short names, then both in a compact type, then names shortened in the middle (the whole name on hover); hidden
// only where not even those fit.
// Qt cuts an entry that does not fit at its end ("L1 0.01 on we..."), which loses a run's distinguishing tail
// ("(2)", "weights only"): every entry is given a text Qt does not have to cut.
#include "ui/charts/chartbase.h"
#include "ui/charts/palette.h"

#include <QAbstractSeries>
#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace reglab::ui {

namespace {

struct Entry {
    QString longName, shortName;
};

enum class Names { Long, Short, Elided };

struct Layout {
    Names names;
    bool row;
    bool compact;   // the legend's type two points smaller
    double cap = 0; // Elided: the widest text an entry may have
};

// The widest text each entry may have so that a row of them fits `room` with `overhead` each: entries narrower
// than that keep their text, the others share what is left evenly.
double rowCap(QList<double> widths, double room, double overhead)
{
    std::sort(widths.begin(), widths.end());
    double left = room - overhead * double(widths.size());
    for (qsizetype i = 0; i < widths.size(); ++i) {
        const double share = left / double(widths.size() - i);
        if (widths[i] > share)
            return share;
        left -= widths[i];
    }
    return widths.isEmpty() ? room : widths.last();
}

} // namespace

void ChartBase::fitLegend()
{
    QLegend *legend = chart()->legend();
    QList<Entry> entries;
    for (QAbstractSeries *series : chart()->series()) {
        // Markers read hidden until the chart is on screen, and all of them while the legend is hidden: an entry
        // counts when its series is shown and was not kept out of the legend (reglabNoLegend).
        if (legend->markers(series).isEmpty() || !series->isVisible() || series->property("reglabNoLegend").toBool())
            continue;
        const QVariant longName = series->property("reglabLongName");
        const QVariant shortName = series->property("reglabShortName");
        const QString name = longName.isValid() ? longName.toString() : series->name();
        entries.append({name, shortName.isValid() ? shortName.toString() : name});
    }
    // The legend's type, and a compact one two points smaller for where that does not fit.
    const int pointSize = int(std::lround(kLabelPointSize * presentationScale()));
    const QFont fonts[2] = {chartFont(pointSize), chartFont(std::max(7, pointSize - 2))};
    // Qt's room (measured on Qt 6.4): an entry has its text, a marker of half the font's height and about 32 px
    // of margins; a column is at most 0.4 of the chart's inner width, a row has all of it.
    const QMarginsF margins = chart()->margins();
    const double inner = chart()->size().width() - margins.left() - margins.right() - 17;
    const double rowRoom = inner - 12;
    auto overhead = [&](bool compact) { return QFontMetricsF(fonts[compact]).height() / 2 + 32; };
    // A column beside the plot takes its width from the plot's side, where Qt gives the vertical axes at most 0.4
    // of what is left: a column may be only as wide as leaves the axes' labels whole.
    const double besideAxes = inner - verticalAxesWidth() / 0.4 - 6;
    auto columnCap = [&](bool compact) { return std::min(0.4 * inner, besideAxes) - overhead(compact); };
    auto columnTallEnough = [&](bool compact) {
        return double(entries.size()) * (QFontMetricsF(fonts[compact]).height() + 10) <=
               chart()->size().height() - margins.top() - margins.bottom() - 20;
    };
    // Each entry's width, measured once per kind of name and type (this runs at every redraw tick).
    QList<double> measured[2][2];
    bool isMeasured[2][2] = {};
    auto widths = [&](Names names, bool compact) -> const QList<double> & {
        const int kind = names == Names::Long ? 0 : 1;
        if (!isMeasured[kind][compact]) {
            const QFontMetricsF metrics(fonts[compact]);
            for (const Entry &e : entries)
                measured[kind][compact] << metrics.horizontalAdvance(kind == 0 ? e.longName : e.shortName);
            isMeasured[kind][compact] = true;
        }
        return measured[kind][compact];
    };
    auto fits = [&](const Layout &l) {
        const QList<double> w = widths(l.names, l.compact);
        if (l.row) {
            double total = 0;
            for (double x : w)
                total += x + overhead(l.compact);
            return total <= rowRoom;
        }
        return columnTallEnough(l.compact) &&
               (w.isEmpty() || *std::max_element(w.begin(), w.end()) <= columnCap(l.compact));
    };

    // Whole names, in the chosen place or the other; the short names; both again in the compact type; then the
    // short names shortened in the middle where each keeps the most of its text (tighter, twice, should Qt still
    // cut one); then no legend.
    const bool preferRow = m_legendPlace & (Qt::AlignBottom | Qt::AlignTop);
    QList<Layout> layouts;
    for (bool compact : {false, true})
        for (Names names : {Names::Long, Names::Short})
            for (bool row : {preferRow, !preferRow})
                layouts.append({names, row, compact});
    const double minimum = 6 * QFontMetricsF(fonts[1]).averageCharWidth();
    const double rowShare = rowCap(widths(Names::Short, true), rowRoom, overhead(true));
    const bool elideInRow = !columnTallEnough(true) || rowShare > columnCap(true);
    const double cap = elideInRow ? rowShare : columnCap(true);
    for (double tighter : {1.0, 0.85, 0.7})
        if (cap * tighter >= minimum)
            layouts.append({Names::Elided, elideInRow, true, cap * tighter});

    // The estimate picks the first layout that fits; an entry Qt still had to cut (seen on the legend as laid
    // out) moves it on. Only a cut seen at the layout now due counts, and only at this size.
    if (chart()->size() != m_legendStageSize) {
        m_legendStageSize = chart()->size();
        m_legendStage = 0;
    }
    int stage = 0;
    while (stage < layouts.size() && layouts[stage].names != Names::Elided && !fits(layouts[stage]))
        ++stage;
    if (legend->isVisible() && m_appliedStage >= stage && m_appliedStage < layouts.size() && legendCut()) {
        // On to the next layout that can do better: one the estimate says fits and that is not the cut one again
        // (short names that are the whole names, in the same place and type); the fit after Qt's next layout
        // checks that one too, however many fits this update has had.
        const Layout &cut = layouts[m_appliedStage];
        const auto same = [&](const Layout &l) {
            return l.names != Names::Elided && cut.names != Names::Elided && l.row == cut.row &&
                   l.compact == cut.compact && widths(l.names, l.compact) == widths(cut.names, cut.compact);
        };
        int next = m_appliedStage + 1;
        while (next < layouts.size() && layouts[next].names != Names::Elided && (!fits(layouts[next]) || same(layouts[next])))
            ++next;
        m_legendStage = next;
        m_fitBudget = std::max(m_fitBudget, 1);
    }
    stage = std::max(stage, m_legendStage);
    m_appliedStage = stage;
    m_legendFits = stage < layouts.size();
    m_wholeNamesWidth = 0;
    if (stage >= layouts.size() || layouts[stage].names == Names::Elided) { // where a compact column would fit
        const QList<double> w = widths(Names::Short, true);
        const double widest = w.isEmpty() ? 0 : *std::max_element(w.begin(), w.end());
        m_wholeNamesWidth = int(std::ceil((widest + overhead(true)) / 0.4 + margins.left() + margins.right() + 21));
    }
    if (!m_legendFits)
        return;

    const Layout layout = layouts[stage];
    const Qt::Alignment place = layout.row ? Qt::AlignBottom : Qt::AlignRight;
    if (legend->alignment() != place)
        legend->setAlignment(place);
    if (legend->font() != fonts[layout.compact])
        legend->setFont(fonts[layout.compact]);
    const QFontMetricsF metrics(fonts[layout.compact]);
    // The series keeps its full name (CSV, hover and pgfplots read it); only its legend entry is shortened.
    m_legendFullNames.clear();
    for (QAbstractSeries *series : chart()->series()) {
        const QVariant longName = series->property("reglabLongName");
        if (longName.isValid() && series->name() != longName.toString())
            series->setName(longName.toString());
        const QString name = series->name();
        const QVariant shortName = series->property("reglabShortName");
        const QString brief = shortName.isValid() ? shortName.toString() : name;
        const QString label = layout.names == Names::Long    ? name
                              : layout.names == Names::Short ? brief
                                                             : metrics.elidedText(brief, Qt::ElideMiddle, layout.cap);
        if (label != name)
            m_legendFullNames.insert(label, name);
        for (QLegendMarker *marker : legend->markers(series))
            if (marker->label() != label)
                marker->setLabel(label);
    }
}

bool ChartBase::legendCut() const
{
    QSet<QString> labels; // the entries' texts as given: an ellipsis in one of them is a name shortened here
    for (const QLegendMarker *marker : chart()->legend()->markers())
        labels.insert(marker->label());
    QList<QGraphicsItem *> todo = chart()->legend()->childItems();
    while (!todo.isEmpty()) {
        QGraphicsItem *item = todo.takeLast();
        todo << item->childItems();
        QString text;
        if (auto *t = dynamic_cast<QGraphicsTextItem *>(item))
            text = t->toPlainText();
        else if (auto *simple = dynamic_cast<QGraphicsSimpleTextItem *>(item))
            text = simple->text();
        // Qt ends a cut text with "..." or cuts it in the middle ("bel…001" of "below 0.001"): a text that is not
        // an entry's own label and has an ellipsis was cut by Qt.
        if (item->isVisible() && !labels.contains(text) &&
            (text.contains(QStringLiteral("...")) || text.contains(QChar(0x2026))))
            return true;
    }
    return false;
}

void ChartBase::refitAfresh()
{
    m_legendStage = 0;
    m_appliedStage = 0;
    fitAxes();
}

QString ChartBase::legendFullName(const QString &label) const
{
    return m_legendFullNames.value(label, label);
}

QString ChartBase::legendTextAt(const QPointF &scenePos) const
{
    if (!scene() || !chart()->legend()->isVisible())
        return {};
    for (QGraphicsItem *item : scene()->items(scenePos)) {
        const auto *text = dynamic_cast<const QGraphicsTextItem *>(item);
        if (text && chart()->legend()->isAncestorOf(item) && m_legendFullNames.contains(text->toPlainText()))
            return m_legendFullNames.value(text->toPlainText());
    }
    return {};
}

} // namespace reglab::ui
