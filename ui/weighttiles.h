// The first layer's weights as pictures: each hidden unit's 784 incoming weights as a 28x28 tile, on one
// diverging scale for all tiles, so L1's sparse blotches and L2's smooth strokes show at a glance.
#pragma once

#include "model/records.h"

#include <QColor>
#include <QImage>
#include <QWidget>

#include <vector>

namespace reglab::ui {

class WeightTiles : public QWidget {
    Q_OBJECT
public:
    static constexpr int kTileSide = 28;
    static constexpr int kGap = 1;
    static constexpr int kColumns = 20; // 200 units: 20 x 10 tiles

    // Exact zeros get their own colour: under L1 "exactly 0" and "almost 0" are different findings.
    static const QColor &zeroColor();
    static const QColor &gapColor();
    // Blue (negative) - white (0) - red (positive), saturated at |w| >= scale.
    static QColor colorFor(float w, double scale);
    // The |w| at quantile `q` (ignoring exact zeros), so one outlier does not wash out every tile.
    static double robustMax(const std::vector<float> &weights, double q = 0.99);
    // The tile grid for a rows x cols layer (cols must be 784), tiles in row-major order, `columns` per row.
    static QImage render(const std::vector<float> &weights, int rows, int cols, double scale, int columns = kColumns);
    // Where tile `unit`'s pixel (x, y) lands in render()'s image.
    static QPoint pixelOf(int unit, int x, int y, int columns = kColumns);

    explicit WeightTiles(QWidget *parent = nullptr);

    // The tiles per row that make them largest in a `size` area (at least one, at most `units`).
    static int bestColumns(int units, const QSize &size);

    // Shows the snapshot's first layer with 784 inputs; other layers are ignored.
    void setSnapshot(const reglab::WeightSnapshot &snapshot);
    void clear();

    bool isEmpty() const { return m_image.isNull(); }
    // The tiles as last rendered, columns() per row (chosen to fit the widget).
    const QImage &image() const { return m_image; }
    int columns() const { return m_columns; }
    double scale() const { return m_scale; }
    int epoch() const { return m_epoch; }
    QString layerName() const { return m_layer; }

    QSize sizeHint() const override { return {600, 360}; }
    QSize minimumSizeHint() const override { return {200, 140}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QRect tileArea() const;
    void rerender();

    std::vector<float> m_weights; // a copy, so a resize can lay the tiles out anew
    int m_rows = 0, m_columns = kColumns;
    QImage m_image;
    double m_scale = 0;
    int m_epoch = -1;
    std::int64_t m_step = 0;
    QString m_layer;
};

} // namespace reglab::ui
