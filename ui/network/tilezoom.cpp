#include "ui/network/tilezoom.h"

#include "ui/charts/palette.h"
#include "ui/network/weighttiles.h"

#include <QPainter>

#include <algorithm>

namespace reglab::ui {

TileZoom::TileZoom(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Weights of one hidden unit"));
    setProperty("reglabPainted", true);
}

void TileZoom::show(const QString &title, const std::vector<float> &weights, double scale)
{
    m_title = title;
    m_weights = weights;
    m_scale = scale;
    setWindowTitle(title);
    update();
    QDialog::show();
    raise();
}

void TileZoom::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const ChartColors colours = chartColors();
    p.fillRect(rect(), colours.panel);
    p.setFont(chartFont(kLabelPointSize));
    const int line = p.fontMetrics().height();
    p.setPen(colours.text);
    p.drawText(QRect(0, 4, width(), line), Qt::AlignHCenter, m_title);
    if (m_weights.size() != std::size_t(WeightTiles::kTileSide * WeightTiles::kTileSide))
        return;
    const int side = WeightTiles::kTileSide;
    const int cell = std::max(1, std::min(width() - 16, height() - 3 * line - 24) / side);
    const QPoint origin((width() - cell * side) / 2, line + 10);
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            p.fillRect(origin.x() + x * cell, origin.y() + y * cell, cell, cell,
                       WeightTiles::colorFor(m_weights[std::size_t(y * side + x)], m_scale));
    const float largest = *std::max_element(m_weights.begin(), m_weights.end(),
                                            [](float a, float b) { return std::abs(a) < std::abs(b); });
    p.drawText(
        QRect(0, origin.y() + cell * side + 6, width(), 2 * line), Qt::AlignHCenter,
        tr("colour scale \u00b1%1; largest |w| here %2").arg(m_scale, 0, 'g', 2).arg(std::abs(largest), 0, 'g', 3));
}

} // namespace reglab::ui
