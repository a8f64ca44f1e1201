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

    // Shows the snapshot's first layer with 784 inputs; other layers are ignored. Drawn when next painted (or
    // read), not now: snapshots come every epoch.
    void setSnapshot(const reglab::WeightSnapshot &snapshot);
    // The run the pictures are of, by its legend name in its colour, over them ("" and no colour: unnamed).
    void setCaption(const QString &caption, const QColor &color = {});
    QString caption() const { return m_caption; }
    QColor captionColor() const { return m_captionColor; }
    // No pictures, and what the empty view says instead (a run with no saved weights; "" : the usual hint).
    void clear(const QString &message = {});
    QString message() const { return m_message; }

    // The colour scale: 0 stretches each picture to its own largest weights (99th percentile); a value fixes
    // it at +-value for every run and epoch, so a network whose weights all went to ~0 looks white.
    void setFixedScale(double scale);
    double fixedScale() const { return m_fixedScale; }

    bool isEmpty() const { return m_weights.empty(); }
    // The tiles as rendered for the widget's size, columns() per row.
    const QImage &image() const;
    int columns() const;
    double scale() const;
    // The hidden unit whose tile is at `pos` (widget coordinates), -1 for none.
    int unitAt(const QPoint &pos) const;
    // Unit `unit`'s 28x28 weights.
    std::vector<float> unitWeights(int unit) const;
    int epoch() const { return m_epoch; }
    QString layerName() const { return m_layer; }

    QSize sizeHint() const override { return {600, 360}; }
    QSize minimumSizeHint() const override { return {200, 140}; }

Q_SIGNALS:
    // A tile was clicked: its unit, for a closer look.
    void unitClicked(int unit);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    QRect tileArea() const;
    QRect imageTarget() const;
    void rerender() const;

    std::vector<float> m_weights; // a copy, so a resize can lay the tiles out anew
    int m_rows = 0;
    mutable int m_columns = kColumns;
    mutable QImage m_image; // rendered lazily; null when out of date
    mutable double m_autoScale = -1; // -1 until needed
    double m_fixedScale = 0;
    QString m_caption;
    QColor m_captionColor;
    QString m_message;
    int m_epoch = -1;
    std::int64_t m_step = 0;
    QString m_layer;
};

} // namespace reglab::ui
