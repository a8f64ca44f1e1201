// A layout that puts its widgets in a row and wraps them onto further rows when the row is too narrow (the
// charts' header: the run's buttons and what a comparison plots), so nothing is squeezed or cut on a small
// screen and a wide one spends a single row.
#pragma once

#include <QLayout>
#include <QList>

namespace reglab::ui {

class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget *parent = nullptr, int spacing = 6);
    ~FlowLayout() override;

    void addItem(QLayoutItem *item) override;
    void insertItem(int index, QLayoutItem *item) { m_items.insert(index, item); invalidate(); }
    int count() const override { return int(m_items.size()); }
    QLayoutItem *itemAt(int index) const override { return m_items.value(index); }
    QLayoutItem *takeAt(int index) override;
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return arrange(QRect(0, 0, width, 0), false); }
    // One row of everything: what the layout would like.
    QSize sizeHint() const override;
    // The widest single item: the layout can wrap everything else.
    QSize minimumSize() const override;
    void setGeometry(const QRect &rect) override;

private:
    // Places the items in rows within `rect` (when `apply`); returns the height they take.
    int arrange(const QRect &rect, bool apply) const;

    QList<QLayoutItem *> m_items;
    int m_spacing;
};

} // namespace reglab::ui
