// FlowLayout: rows of widgets that wrap, each row as tall as its tallest item and its items centred in it.
#include "ui/live/flowlayout.h"

#include <QWidget>

#include <algorithm>

namespace reglab::ui {

FlowLayout::FlowLayout(QWidget *parent, int spacing) : QLayout(parent), m_spacing(spacing)
{
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem *item)
{
    m_items.append(item);
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
}

QSize FlowLayout::sizeHint() const
{
    int width = 0, height = 0;
    for (const QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        width += item->sizeHint().width() + (width > 0 ? m_spacing : 0);
        height = std::max(height, item->sizeHint().height());
    }
    const QMargins m = contentsMargins();
    return QSize(width, height).grownBy(m);
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (const QLayoutItem *item : m_items)
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    return size.grownBy(contentsMargins());
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::arrange(const QRect &rect, bool apply) const
{
    const QRect area = rect.marginsRemoved(contentsMargins());
    // Rows first (which items share a row), then each row placed at its own height.
    QList<QList<QLayoutItem *>> rows(1);
    int x = 0;
    for (QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const int w = item->sizeHint().width();
        if (x > 0 && x + m_spacing + w > area.width()) {
            rows.append(QList<QLayoutItem *>());
            x = 0;
        }
        x += (x > 0 ? m_spacing : 0) + w;
        rows.last().append(item);
    }
    int y = area.top();
    for (const QList<QLayoutItem *> &row : rows) {
        if (row.isEmpty())
            continue;
        int height = 0;
        for (const QLayoutItem *item : row)
            height = std::max(height, item->sizeHint().height());
        int left = area.left();
        for (QLayoutItem *item : row) {
            const QSize hint = item->sizeHint();
            const int w = std::min(hint.width(), area.width());
            if (apply)
                item->setGeometry(QRect(left, y + (height - hint.height()) / 2, w, hint.height()));
            left += w + m_spacing;
        }
        y += height + m_spacing;
    }
    return y - m_spacing - area.top() + contentsMargins().top() + contentsMargins().bottom();
}

} // namespace reglab::ui
