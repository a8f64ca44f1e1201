// The wrapping legend strip: laid out in rows at the width it is given, painted in the charts' type and colours.
#include "ui/charts/legendstrip.h"

#include "ui/charts/chartbase.h"
#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace reglab::ui {

namespace {
constexpr int kMargin = 4;
constexpr int kGap = 14; // between entries in a row
} // namespace

LegendStrip::LegendStrip(QWidget *parent) : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

int LegendStrip::markerRoom(const Entry &entry) const
{
    // A swatch, or a stroke long enough to show its dashes (a run's: its marker with a dash or two either side; kept
    // short, for the names' room in the narrow sidebar), and the space before the name.
    const QFontMetrics fm(entryFont());
    if (entry.runStyle >= 0)
        return (entry.runDashes ? fm.height() * 2 : fm.height() * 3 / 2) + 4;
    return entry.line == Qt::NoPen ? fm.ascent() * 2 / 3 + 6 : fm.height() * 3 / 2;
}

QFont LegendStrip::entryFont() const
{
    return chartFont(int(std::lround(kLabelPointSize * ChartBase::presentationScale())));
}

void LegendStrip::setEntries(const QList<Entry> &entries)
{
    bool same = entries.size() == m_entries.size();
    for (qsizetype i = 0; same && i < entries.size(); ++i)
        same = entries[i].name == m_entries[i].name && entries[i].color == m_entries[i].color &&
               entries[i].line == m_entries[i].line && entries[i].runStyle == m_entries[i].runStyle &&
               entries[i].runDashes == m_entries[i].runDashes;
    if (same)
        return;
    m_entries = entries;
    setVisible(!m_entries.isEmpty());
    updateGeometry();
    update();
}

QStringList LegendStrip::names() const
{
    QStringList out;
    for (const Entry &e : m_entries)
        out << e.name;
    return out;
}

QList<QRect> LegendStrip::entryRects(int width) const
{
    const QFontMetrics fm(entryFont());
    const int line = fm.height();
    const int room = std::max(1, width - 2 * kMargin);
    QList<QRect> rects;
    int x = kMargin, y = kMargin;
    for (const Entry &e : m_entries) {
        const int w = std::min(room, markerRoom(e) + fm.horizontalAdvance(e.name));
        if (x > kMargin && x + w > kMargin + room) { // the next row
            x = kMargin;
            y += line + 4;
        }
        rects << QRect(x, y, w, line);
        x += w + kGap;
    }
    return rects;
}

int LegendStrip::heightForWidth(int width) const
{
    const QList<QRect> rects = entryRects(width);
    return rects.isEmpty() ? 0 : rects.last().bottom() + 1 + kMargin;
}

QSize LegendStrip::sizeHint() const
{
    const int width = parentWidget() ? parentWidget()->width() : 400;
    return {width, heightForWidth(width)};
}

QSize LegendStrip::minimumSizeHint() const
{
    return {80, m_entries.isEmpty() ? 0 : QFontMetrics(entryFont()).height() + 2 * kMargin};
}

void LegendStrip::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const ChartColors colours = chartColors();
    p.fillRect(rect(), colours.background);
    p.setFont(entryFont());
    const QFontMetrics fm(p.font());
    const int line = fm.height();
    const QList<QRect> rects = entryRects(width());
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const Entry &e = m_entries[i];
        const QRect r = rects[i];
        const int marker = markerRoom(e);
        const int mid = r.top() + line / 2;
        if (e.runStyle >= 0) {
            // As the charts' legends show a compared run: its stroke with its marker, the marker a little larger
            // than the type's x-height so that its shape reads.
            paintRunSample(p, QPointF(r.left(), mid), QPointF(r.left() + marker - 4, mid), e.color,
                           2.5 * themeLineScale(), runStyleAt(e.runStyle), e.runDashes, fm.ascent() * 0.85,
                           colours.background);
        } else if (e.line == Qt::NoPen) {
            const int side = fm.ascent() * 2 / 3;
            p.setPen(e.color.darker(130));
            p.setBrush(e.color);
            p.drawRect(QRectF(r.left() + 1, mid - side / 2.0, side, side));
        } else {
            QPen pen(e.color, 2.5, e.line);
            pen.setCapStyle(Qt::FlatCap);
            p.setPen(pen);
            p.drawLine(QPointF(r.left(), mid), QPointF(r.left() + marker - 6, mid));
        }
        p.setPen(colours.text);
        p.drawText(QRect(r.left() + marker, r.top(), r.width() - marker, line), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(e.name, Qt::ElideMiddle, r.width() - marker));
    }
}

bool LegendStrip::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) { // a shortened name, whole
        const auto *help = static_cast<QHelpEvent *>(event);
        const QList<QRect> rects = entryRects(width());
        for (qsizetype i = 0; i < rects.size(); ++i)
            if (rects[i].contains(help->pos())) {
                QToolTip::showText(help->globalPos(), m_entries[i].name, this);
                return true;
            }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

} // namespace reglab::ui
