// What a screen reader reads of a chart: its title as the name and, as its description, what is plotted and each
// shown series' newest value, made from the series when read (never per training step). A chart is offered as
// a chart (QAccessible::Chart), and told readers hear that its description changed, at most once a second.
#include "ui/charts/chartbase.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QTextDocument>
#include <QTimer>
#include <QXYSeries>

#include <cmath>

namespace reglab::ui {
namespace {

// "91.2", "0.412", "12000": three significant digits, an exponent only past 10^15 (a run gone astray).
QString spoken(double v)
{
    if (!std::isfinite(v))
        return QObject::tr("not a number");
    // A diverged run's loss: past what a whole number holds (llround read 1e30 as -9223372036854775808).
    if (std::abs(v) >= 1e15)
        return QString::number(v, 'g', 3);
    if (std::abs(v) >= 1000 || v == std::round(v))
        return QString::number(std::llround(v));
    return QString::number(v, 'g', 3);
}

// The unit in an axis title: "Accuracy (%)" -> "%", "Loss (nats, log)" -> "nats", "% of weights" -> "%"; none in
// "norm (L1 solid, L2 dashed)" or "size (log)", where the brackets say something else.
QString unitOf(const QString &title)
{
    const qsizetype open = title.indexOf(QLatin1Char('('));
    if (open >= 0) {
        const QString unit =
            title.mid(open + 1).section(QLatin1Char(')'), 0, 0).section(QLatin1Char(','), 0, 0).trimmed();
        return unit.contains(QLatin1Char(' ')) || unit == QLatin1String("log") ? QString() : unit;
    }
    return title.startsWith(QLatin1Char('%')) ? QStringLiteral("%") : QString();
}

// A title as words: Qt Charts draws titles as rich text ("|w| &lt; 0.001").
QString plain(const QString &text)
{
    if (!text.contains(QLatin1Char('&')) && !text.contains(QLatin1Char('<')))
        return text;
    QTextDocument document;
    document.setHtml(text);
    return document.toPlainText();
}

// A chart as a screen reader sees it: a chart, named by its title, described by its data.
class ChartAccessible : public QAccessibleWidget {
public:
    explicit ChartAccessible(ChartBase *chart) : QAccessibleWidget(chart, QAccessible::Chart) {}
    QString text(QAccessible::Text t) const override
    {
        const auto *chart = static_cast<const ChartBase *>(widget());
        if (t == QAccessible::Description && chart->accessibleDescription().isEmpty())
            return chart->accessibleSummary();
        if (t == QAccessible::Name && chart->accessibleName().isEmpty())
            return plain(chart->chartTitle());
        return QAccessibleWidget::text(t);
    }
};

QAccessibleInterface *chartFactory(const QString &, QObject *object)
{
    if (auto *chart = qobject_cast<ChartBase *>(object))
        return new ChartAccessible(chart);
    return nullptr;
}

} // namespace

QList<ChartBase::Reading> ChartBase::readings() const
{
    const auto titles = m_titles.constFind(m_xAxis);
    const bool overTime = titles != m_titles.constEnd() && titles->integerTicks; // steps or epochs
    QList<Reading> out;
    for (QAbstractSeries *abstract : chart()->series()) {
        const auto *series = qobject_cast<QXYSeries *>(abstract);
        if (!series || !series->isVisible() || series->count() == 0 || series->name().isEmpty() ||
            series->property("reglabNoHover").toBool() || series->property("reglabNoLegend").toBool())
            continue;
        const QVariant longName = series->property("reglabLongName");
        Reading r{longName.isValid() ? longName.toString() : series->name(), series->at(series->count() - 1)};
        if (!overTime)
            for (const QPointF &p : series->points())
                if (p.y() > r.point.y())
                    r.point = p;
        out << r;
    }
    return out;
}

QString ChartBase::accessibleSummary() const
{
    const auto x = m_titles.constFind(m_xAxis), y = m_titles.constFind(m_yAxis);
    const bool overTime = x != m_titles.constEnd() && x->integerTicks;
    const QString xName = x == m_titles.constEnd() ? QString() : x->shortTitle.toLower();
    QString yTitle = plain(y == m_titles.constEnd() ? m_title : y->title);
    if (!yTitle.isEmpty())
        yTitle[0] = yTitle[0].toUpper(); // the description's first word
    const QString unit = unitOf(yTitle);
    QStringList parts;
    for (const Reading &r : readings()) {
        // A legend's formula after two spaces ("L1 term  λ₁·Σ|p|") is not read.
        const QString name = r.name.section(QStringLiteral("  "), 0, 0);
        const QString value = unit.isEmpty() ? spoken(r.point.y()) : spoken(r.point.y()) + QLatin1Char(' ') + unit;
        parts << (overTime ? tr("%1 %2 at %3 %4").arg(name, value, xName, spoken(r.point.x()))
                           : tr("%1 highest, %2 at %3 %4").arg(name, value, xName, spoken(r.point.x())));
    }
    const QString what = xName.isEmpty() ? yTitle : tr("%1 by %2").arg(yTitle, xName);
    return parts.isEmpty() ? tr("%1: no data yet.").arg(what)
                           : tr("%1: %2.").arg(what, parts.join(QStringLiteral("; ")));
}

void ChartBase::descriptionMayChange()
{
    if (!QAccessible::isActive())
        return; // no reader: nothing is made
    if (!m_describeTimer) {
        m_describeTimer = new QTimer(this);
        m_describeTimer->setSingleShot(true);
        m_describeTimer->setInterval(1000);
        connect(m_describeTimer, &QTimer::timeout, this, [this] {
            const QString text = accessibleSummary();
            if (text == m_toldDescription)
                return;
            m_toldDescription = text;
            QAccessibleEvent event(this, QAccessible::DescriptionChanged);
            QAccessible::updateAccessibility(&event);
        });
    }
    if (!m_describeTimer->isActive())
        m_describeTimer->start();
}

void ChartBase::installAccessibility()
{
    static const bool installed = [] {
        QAccessible::installFactory(chartFactory);
        return true;
    }();
    Q_UNUSED(installed);
}

} // namespace reglab::ui
