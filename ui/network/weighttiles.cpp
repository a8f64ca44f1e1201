#include "ui/network/weighttiles.h"
#include "ui/charts/palette.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace reglab::ui {

namespace {
constexpr int kPixels = WeightTiles::kTileSide * WeightTiles::kTileSide;
const QColor kNegative{0x21, 0x66, 0xAC}; // ColorBrewer RdBu ends: readable on a projector
const QColor kPositive{0xB2, 0x18, 0x2B};

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}
} // namespace

const QColor &WeightTiles::zeroColor()
{
    static const QColor c{0x40, 0x40, 0x40}; // dark grey: never on the blue-white-red scale
    return c;
}

const QColor &WeightTiles::gapColor()
{
    static const QColor c{0xC8, 0xC8, 0xC8};
    return c;
}

QColor WeightTiles::colorFor(float w, double scale)
{
    if (w == 0.0f)
        return zeroColor();
    if (!std::isfinite(w))
        return QColor(Qt::black);
    const double t = scale > 0 ? std::min(1.0, std::abs(double(w)) / scale) : 1.0;
    return mix(Qt::white, w > 0 ? kPositive : kNegative, t);
}

double WeightTiles::robustMax(const std::vector<float> &weights, double q)
{
    std::vector<float> sizes;
    sizes.reserve(weights.size());
    for (float w : weights)
        if (w != 0.0f && std::isfinite(w))
            sizes.push_back(std::abs(w));
    if (sizes.empty())
        return 0;
    const auto k = std::min(sizes.size() - 1, std::size_t(q * double(sizes.size() - 1) + 0.5));
    std::nth_element(sizes.begin(), sizes.begin() + std::ptrdiff_t(k), sizes.end());
    return sizes[k];
}

QPoint WeightTiles::pixelOf(int unit, int x, int y, int columns)
{
    const int step = kTileSide + kGap;
    return {kGap + (unit % columns) * step + x, kGap + (unit / columns) * step + y};
}

QImage WeightTiles::render(const std::vector<float> &weights, int rows, int cols, double scale, int columns)
{
    if (cols != kPixels || rows <= 0 || weights.size() < std::size_t(rows) * std::size_t(cols))
        return {};
    const int step = kTileSide + kGap;
    const int tileRows = (rows + columns - 1) / columns;
    QImage image(kGap + std::min(rows, columns) * step, kGap + tileRows * step, QImage::Format_RGB32);
    image.fill(gapColor());
    for (int unit = 0; unit < rows; ++unit) {
        const float *w = weights.data() + std::size_t(unit) * kPixels;
        for (int y = 0; y < kTileSide; ++y)
            for (int x = 0; x < kTileSide; ++x) {
                const QPoint p = pixelOf(unit, x, y, columns);
                image.setPixel(p, colorFor(w[y * kTileSide + x], scale).rgb());
            }
    }
    return image;
}

int WeightTiles::bestColumns(int units, const QSize &size)
{
    int best = 1;
    double bestSide = 0;
    for (int c = 1; c <= std::max(1, units); ++c) {
        const int rows = (units + c - 1) / c;
        const double side = std::min(double(size.width()) / c, double(size.height()) / rows);
        if (side > bestSide + 1e-9) {
            bestSide = side;
            best = c;
        }
    }
    return best;
}

WeightTiles::WeightTiles(QWidget *parent) : QWidget(parent)
{
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setAccessibleName(tr("Weight images"));
    setAccessibleDescription(tr("No weights yet"));
}

void WeightTiles::setSnapshot(const reglab::WeightSnapshot &snapshot)
{
    for (const auto &layer : snapshot.layers) {
        if (layer.cols != kPixels)
            continue;
        m_weights = layer.weights;
        m_rows = layer.rows;
        m_autoScale = -1; // computed when needed: a fixed scale never needs it
        m_image = {};
        m_epoch = snapshot.epoch;
        m_step = snapshot.step;
        m_layer = QString::fromStdString(layer.name);
        m_message.clear();
        setToolTip(tr("%1: each tile is one hidden unit's 784 incoming weights; click one to enlarge it").arg(m_layer));
        // What the picture shows the eye, in words: once an epoch, one pass over the layer.
        const auto zeros = std::count(m_weights.begin(), m_weights.end(), 0.0f);
        setAccessibleDescription(
            tr("%1 after epoch %2: %3 hidden units, each a 28 by 28 tile of its incoming weights, blue negative, red "
               "positive; %4 % of the weights are exactly 0")
                .arg(m_layer)
                .arg(m_epoch)
                .arg(m_rows)
                .arg(m_weights.empty() ? 0.0 : 100.0 * double(zeros) / double(m_weights.size()), 0, 'f', 1));
        update();
        return;
    }
}

void WeightTiles::setFixedScale(double scale)
{
    m_fixedScale = scale > 0 ? scale : 0;
    m_image = {};
    update();
}

void WeightTiles::setCaption(const QString &caption, const QColor &color)
{
    if (caption == m_caption && color == m_captionColor)
        return;
    m_caption = caption;
    m_captionColor = color;
    setAccessibleName(caption.isEmpty() ? tr("Weight images") : tr("Weight images of %1").arg(caption));
    update();
}

void WeightTiles::clear(const QString &message)
{
    m_message = message;
    m_image = {};
    m_weights.clear();
    m_rows = 0;
    m_autoScale = -1;
    m_epoch = -1;
    m_layer.clear();
    setAccessibleDescription(message.isEmpty() ? tr("No weights yet") : message);
    update();
}

QRect WeightTiles::tileArea() const
{
    // A title line (two with the run's name over it), the tiles, the colour bar and its scale.
    const int line = QFontMetrics(chartFont(kLabelPointSize)).height();
    const int title = m_caption.isEmpty() ? line : 2 * line;
    return {4, title + 6, width() - 8, height() - title - 2 * line - 16};
}

const QImage &WeightTiles::image() const
{
    rerender();
    return m_image;
}

int WeightTiles::columns() const
{
    return m_weights.empty() ? m_columns : bestColumns(m_rows, tileArea().size());
}

double WeightTiles::scale() const
{
    if (m_fixedScale > 0)
        return m_fixedScale;
    if (m_autoScale < 0 && !m_weights.empty())
        m_autoScale = robustMax(m_weights);
    return m_autoScale;
}

void WeightTiles::rerender() const
{
    if (m_weights.empty())
        return;
    const int columns = bestColumns(m_rows, tileArea().size());
    if (columns != m_columns || m_image.isNull()) {
        m_columns = columns;
        m_image = render(m_weights, m_rows, kPixels, scale(), m_columns);
    }
}

void WeightTiles::resizeEvent(QResizeEvent *)
{
    update(); // re-laid out when next painted
}

QRect WeightTiles::imageTarget() const
{
    const QRect area = tileArea();
    const QSize size = m_image.size().scaled(area.size(), Qt::KeepAspectRatio);
    return {area.x() + (area.width() - size.width()) / 2, area.y(), size.width(), size.height()};
}

int WeightTiles::unitAt(const QPoint &pos) const
{
    rerender();
    if (m_image.isNull())
        return -1;
    const QRect target = imageTarget();
    if (!target.contains(pos))
        return -1;
    const int step = kTileSide + kGap;
    const int x = int((pos.x() - target.x()) * double(m_image.width()) / target.width()) - kGap;
    const int y = int((pos.y() - target.y()) * double(m_image.height()) / target.height()) - kGap;
    if (x < 0 || y < 0 || x % step >= kTileSide || y % step >= kTileSide)
        return -1; // a gap
    const int unit = (y / step) * m_columns + x / step;
    return unit < m_rows ? unit : -1;
}

std::vector<float> WeightTiles::unitWeights(int unit) const
{
    if (unit < 0 || unit >= m_rows)
        return {};
    const auto first = m_weights.begin() + std::ptrdiff_t(unit) * kPixels;
    return {first, first + kPixels};
}

void WeightTiles::mousePressEvent(QMouseEvent *event)
{
    if (const int unit = unitAt(event->position().toPoint()); unit >= 0)
        Q_EMIT unitClicked(unit);
}

void WeightTiles::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), chartColors().panel);
    p.setFont(chartFont(kLabelPointSize));
    const QFontMetrics fm(p.font());
    const int line = fm.height();
    rerender();
    if (m_image.isNull()) {
        p.setPen(colors::chance);
        const QString text = m_message.isEmpty()
                                 ? tr("The first layer's weights appear here after each epoch (or Refresh while paused).")
                                 : m_message;
        p.drawText(rect().adjusted(8, 0, -8, 0), Qt::AlignCenter | Qt::TextWordWrap,
                   m_caption.isEmpty() ? text : m_caption + QStringLiteral(": ") + text);
        return;
    }
    // Title line: the run in its colour (a swatch and its name), then what the pictures are; the tiles scaled with
    // whole pixels kept square; a colour bar with its scale.
    // What the pictures are, shorter where the picture is narrow (two side by side in the sidebar).
    QString what = m_epoch > 0 ? tr("%1 weights after epoch %2 (step %3)").arg(m_layer).arg(m_epoch).arg(m_step)
                               : tr("%1 weights at step %2").arg(m_layer).arg(m_step);
    if (fm.horizontalAdvance(what) > width() - 4)
        what = m_epoch > 0 ? tr("%1, epoch %2").arg(m_layer).arg(m_epoch) : tr("%1, step %2").arg(m_layer).arg(m_step);
    p.setPen(chartColors().text);
    int titleY = 2;
    if (!m_caption.isEmpty()) {
        // The run first, on a line of its own: a swatch and its name in bold, in its colour.
        const QFont normal = p.font();
        QFont bold = normal;
        bold.setBold(true);
        const QFontMetrics bm(bold);
        const int swatch = fm.ascent() - 2, gap = 4;
        const QString name = bm.elidedText(m_caption, Qt::ElideMiddle, width() - 8 - swatch - gap);
        const int x = std::max(4, (width() - swatch - gap - bm.horizontalAdvance(name)) / 2);
        const QColor colour = m_captionColor.isValid() ? m_captionColor : chartColors().text;
        p.fillRect(QRect(x, titleY + (line - swatch) / 2, swatch, swatch), colour);
        p.setFont(bold);
        p.setPen(colour);
        p.drawText(QRect(x + swatch + gap, titleY, width(), line), Qt::AlignLeft, name);
        p.setFont(normal);
        p.setPen(chartColors().text);
        titleY += line;
    }
    p.drawText(QRect(0, titleY, width(), line), Qt::AlignHCenter, fm.elidedText(what, Qt::ElideMiddle, width() - 4));
    const QRect target = imageTarget();
    p.drawImage(target, m_image);
    // Scaled down, the 1-pixel gaps can vanish: redraw them as lines at the tiles' edges.
    const double sx = double(target.width()) / m_image.width(), sy = double(target.height()) / m_image.height();
    if (sx < 2) {
        p.setPen(QPen(gapColor(), 1));
        const int step = kTileSide + kGap;
        for (int c = 1; c < m_columns; ++c)
            p.drawLine(QPointF(target.x() + c * step * sx, target.top()),
                       QPointF(target.x() + c * step * sx, target.bottom()));
        for (int r = 1; r * step < m_image.height() - 1; ++r)
            p.drawLine(QPointF(target.left(), target.y() + r * step * sy),
                       QPointF(target.right(), target.y() + r * step * sy));
    }

    const int barY = target.bottom() + 6;
    const int barW = std::min(260, width() - 40);
    const QRect bar((width() - barW) / 2, barY, barW, line / 2 + 2);
    for (int x = 0; x < bar.width(); ++x) {
        const double w = scale() * (2.0 * x / std::max(1, bar.width() - 1) - 1.0);
        p.setPen(colorFor(w == 0 ? 1e-30f : float(w), scale()));
        p.drawLine(bar.x() + x, bar.top(), bar.x() + x, bar.bottom());
    }
    p.setPen(chartColors().text);
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    // The scale under the bar's ends, inside it so that a narrow picture cuts no label; "(fixed)" where it fits.
    const QString value = QString::number(scale(), 'g', 2);
    QString low = QStringLiteral("\u2212") + value, high = QStringLiteral("+") + value;
    const int half = bar.width() / 2 - fm.horizontalAdvance(QStringLiteral("0")) / 2 - 4; // room beside the "0"
    if (m_fixedScale > 0 && fm.horizontalAdvance(high + tr(" (fixed)")) <= half)
        high += tr(" (fixed)");
    const int textY = bar.bottom() + 2;
    p.drawText(QRect(bar.left(), textY, bar.width(), line), Qt::AlignLeft, low);
    if (fm.horizontalAdvance(low) <= half && fm.horizontalAdvance(high) <= half)
        p.drawText(QRect(bar.center().x() - 20, textY, 40, line), Qt::AlignHCenter, QStringLiteral("0"));
    p.drawText(QRect(bar.left(), textY, bar.width(), line), Qt::AlignRight, high);
    const QRect swatch(bar.right() + 8, bar.top(), bar.height(), bar.height());
    if (swatch.right() + 80 < width()) {
        p.fillRect(swatch, zeroColor());
        p.drawText(QRect(swatch.right() + 4, bar.top() - 3, 100, line), Qt::AlignLeft, tr("exactly 0"));
    }
}

} // namespace reglab::ui
