// A legend outside a chart, in rows that wrap: each entry a colour swatch (a run), a run's sample in its style (a
// stroke with its marker, runstyle.h, where runs are compared) or a stroke of a line style (a key to what solid
// and dashed mean), and its name, whole. For views in the narrow sidebar, where a legend inside
// the chart would squeeze the plot and its axis labels, or be cut; one strip can name the runs of two charts.
#pragma once

#include <QColor>
#include <QList>
#include <QRect>
#include <QString>
#include <QWidget>

namespace reglab::ui {

class LegendStrip : public QWidget {
    Q_OBJECT
public:
    struct Entry {
        QString name;
        QColor color;
        Qt::PenStyle line = Qt::NoPen; // NoPen: a swatch; otherwise a stroke in this style
        // A run drawn in its style (runstyle.h): the index of its RunStyle, and a stroke with its marker stands for
        // it; the stroke in the run's dashes where the view draws runs in them (runDashes), else solid.
        int runStyle = -1;
        bool runDashes = false;
    };

    explicit LegendStrip(QWidget *parent = nullptr);
    void setEntries(const QList<Entry> &entries);
    const QList<Entry> &entries() const { return m_entries; }
    QStringList names() const;
    // Where each entry lies at `width` (its swatch and name); an entry wider than the strip is shortened in the
    // middle, its whole name on hover.
    QList<QRect> entryRects(int width) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QFont entryFont() const;
    int markerRoom(const Entry &entry) const;

    QList<Entry> m_entries;
};

} // namespace reglab::ui
