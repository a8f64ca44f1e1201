#include "ui/network/confusionview.h"
#include "ui/charts/palette.h"

#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>

namespace reglab::ui {

namespace {
const QColor kCellFull{0x08, 0x45, 0x94}; // one hue from white: the share reads as darkness

QStringList namesOf(const std::vector<std::string> &names)
{
    QStringList out;
    for (int i = 0; i < 10; ++i)
        out << (i < int(names.size()) ? QString::fromStdString(names[std::size_t(i)]) : QString::number(i));
    return out;
}
} // namespace

ConfusionView::ConfusionView(QWidget *parent) : QWidget(parent)
{
    m_names = namesOf({});
}

void ConfusionView::setClassNames(const std::vector<std::string> &names)
{
    m_names = namesOf(names);
    update();
}

void ConfusionView::setDetail(const reglab::ValidationDetail &detail)
{
    m_counts = detail.confusion;
    m_epoch = detail.epoch;
    update();
}

void ConfusionView::clear()
{
    m_counts = {};
    m_epoch = -1;
    update();
}

double ConfusionView::share(int t, int p) const
{
    std::int64_t row = 0;
    for (std::int64_t c : m_counts[std::size_t(t)])
        row += c;
    return row > 0 ? double(m_counts[std::size_t(t)][std::size_t(p)]) / double(row) : 0.0;
}

QColor ConfusionView::cellColor(int t, int p) const
{
    const double s = share(t, p);
    return QColor::fromRgbF(float(1 + (kCellFull.redF() - 1) * s), float(1 + (kCellFull.greenF() - 1) * s),
                            float(1 + (kCellFull.blueF() - 1) * s));
}

QRect ConfusionView::gridRect() const
{
    const QFontMetrics fm(chartFont(kLabelPointSize));
    // Left: the rotated "true class" and the row names; top: the title, "predicted" and the column names.
    int names = 0;
    for (const QString &n : m_names)
        names = std::max(names, fm.horizontalAdvance(n));
    const int left = fm.height() + 8 + std::min(names, 120) + 6;
    const int top = 3 * fm.height() + 12;
    const int side = std::max(10, std::min(width() - left - 6, height() - top - 6)) / 10 * 10;
    return {left, top, side, side};
}

QRect ConfusionView::cellRect(int t, int p) const
{
    const QRect g = gridRect();
    const int c = g.width() / 10;
    return {g.x() + p * c, g.y() + t * c, c, c};
}

void ConfusionView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white);
    const QFont font = chartFont(kLabelPointSize);
    painter.setFont(chartFont(kLabelPointSize, true));
    const QFontMetrics fm(font);
    const QRect g = gridRect();
    painter.setPen(colors::totalLoss);
    painter.drawText(QRect(0, 2, width(), fm.height()), Qt::AlignHCenter,
                     m_epoch < 0 ? tr("Confusion on the validation fold")
                                 : tr("Confusion on the validation fold, epoch %1").arg(m_epoch));
    painter.setFont(font);
    painter.drawText(QRect(g.x(), fm.height() + 5, g.width(), fm.height()), Qt::AlignHCenter, tr("predicted"));
    painter.save();
    painter.translate(fm.height() / 2 + 2, g.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-g.height() / 2, -fm.height() / 2, g.height(), fm.height()), Qt::AlignCenter,
                     tr("true class"));
    painter.restore();
    QFont small = font;
    const int c = g.width() / 10;
    small.setPixelSize(std::max(7, std::min(fm.height(), c * 2 / 5)));
    for (int i = 0; i < 10; ++i) {
        painter.setFont(font);
        painter.setPen(colors::totalLoss);
        const QRect col = cellRect(0, i), row = cellRect(i, 0);
        painter.drawText(QRect(col.x(), g.y() - fm.height() - 2, c, fm.height()), Qt::AlignCenter,
                         fm.elidedText(m_names[i], Qt::ElideRight, c));
        painter.drawText(QRect(fm.height() + 4, row.y(), g.x() - fm.height() - 10, c),
                         Qt::AlignRight | Qt::AlignVCenter,
                         fm.elidedText(m_names[i], Qt::ElideRight, g.x() - fm.height() - 10));
        painter.setFont(small);
        for (int j = 0; j < 10; ++j) {
            const QRect cell = cellRect(i, j);
            const QColor colour = cellColor(i, j);
            painter.fillRect(cell, colour);
            if (m_epoch < 0)
                continue;
            painter.setPen(colour.lightnessF() < 0.55 ? Qt::white : colors::totalLoss);
            painter.drawText(cell, Qt::AlignCenter, QString::number(m_counts[i][j]));
        }
    }
    painter.setPen(QPen(colors::chance, 1));
    painter.setBrush(Qt::NoBrush);
    for (int i = 0; i <= 10; ++i) {
        painter.drawLine(g.x() + i * c, g.y(), g.x() + i * c, g.y() + 10 * c);
        painter.drawLine(g.x(), g.y() + i * c, g.x() + 10 * c, g.y() + i * c);
    }
}

ProbabilityBars::ProbabilityBars(QWidget *parent) : QWidget(parent)
{
    setMinimumHeight(90);
}

void ProbabilityBars::setProbabilities(const std::array<float, 10> &p, int label, int predicted,
                                       const QStringList &names)
{
    m_p = p;
    m_label = label;
    m_predicted = predicted;
    m_names = names;
    update();
}

void ProbabilityBars::clear()
{
    m_p = {};
    m_label = m_predicted = -1;
    update();
}

void ProbabilityBars::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white);
    painter.setFont(chartFont(kLabelPointSize));
    const QFontMetrics fm(painter.font());
    if (m_label < 0) {
        painter.setPen(colors::chance);
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("Click a digit to see its ten probabilities"));
        return;
    }
    const int w = width() / 10;
    const int base = height() - fm.height() - 2;
    const int top = fm.height() + 2;
    for (int i = 0; i < 10; ++i) {
        const int h = int((base - top) * std::clamp(double(m_p[std::size_t(i)]), 0.0, 1.0));
        const QColor colour = i == m_label ? colors::right : i == m_predicted ? colors::wrong : colors::chance;
        painter.fillRect(QRect(i * w + 3, base - h, w - 6, h), colour);
        painter.setPen(colors::totalLoss);
        painter.drawText(QRect(i * w, base + 2, w, fm.height()), Qt::AlignCenter,
                         i < m_names.size() ? fm.elidedText(m_names[i], Qt::ElideRight, w) : QString::number(i));
        painter.drawText(QRect(i * w, base - h - fm.height(), w, fm.height()), Qt::AlignCenter,
                         QString::number(100 * m_p[std::size_t(i)], 'f', 0));
    }
    painter.drawLine(0, base, width(), base);
}

MissGallery::MissGallery(QWidget *parent) : QWidget(parent)
{
    m_names = namesOf({});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Misclassified validation digits (label \u2192 prediction)"), this);
    title->setFont(chartFont(kLabelPointSize, true));
    title->setWordWrap(true); // a narrow sidebar wraps it rather than hold the sidebar wide
    m_list = new QListWidget(this);
    m_list->setAccessibleName(title->text());
    m_list->setViewMode(QListView::IconMode);
    m_list->setIconSize(QSize(56, 56));
    m_list->setGridSize(QSize(72, 84));
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setUniformItemSizes(true);
    m_caption = new QLabel(this);
    m_caption->setFont(chartFont(kLabelPointSize));
    m_bars = new ProbabilityBars(this);
    layout->addWidget(title);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_caption);
    layout->addWidget(m_bars);
    connect(m_list, &QListWidget::currentRowChanged, this, &MissGallery::showMiss);
}

void MissGallery::setClassNames(const std::vector<std::string> &names)
{
    m_names = namesOf(names);
}

void MissGallery::setDetail(const reglab::ValidationDetail &detail)
{
    m_misses = detail.misclassified;
    m_caption->setText(m_misses.empty() ? tr("No misclassified digits") : tr("%n shown", nullptr, count()));
    m_bars->clear();
    if (isVisible()) {
        fill();
    } else {
        m_list->clear();
        m_stale = true;
    }
}

QListWidget *MissGallery::list()
{
    if (m_stale)
        fill();
    return m_list;
}

void MissGallery::showEvent(QShowEvent *event)
{
    if (m_stale)
        fill();
    QWidget::showEvent(event);
}

void MissGallery::fill()
{
    m_stale = false;
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const auto &m : m_misses) {
        QImage image(m.pixels.data(), 28, 28, 28, QImage::Format_Grayscale8);
        image.invertPixels(); // dark ink on white, as on paper
        auto *item = new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(56, 56))),
                                         QStringLiteral("%1\u2192%2").arg(m_names[m.label], m_names[m.predicted]));
        item->setToolTip(tr("Image %1: label %2, predicted %3 (%4 %)")
                             .arg(m.index)
                             .arg(m_names[m.label], m_names[m.predicted])
                             .arg(100 * m.probabilities[std::size_t(m.predicted)], 0, 'f', 1));
        m_list->addItem(item);
    }
}

void MissGallery::clear()
{
    m_stale = false;
    m_misses.clear();
    m_list->clear();
    m_caption->clear();
    m_bars->clear();
}

void MissGallery::select(int index)
{
    list()->setCurrentRow(index);
}

QString MissGallery::caption() const
{
    return m_caption->text();
}

void MissGallery::showMiss(int index)
{
    if (index < 0 || index >= count()) {
        m_bars->clear();
        return;
    }
    const auto &m = m_misses[std::size_t(index)];
    m_caption->setText(tr("Image %1: label %2, predicted %3 with %4 %")
                           .arg(m.index)
                           .arg(m_names[m.label], m_names[m.predicted])
                           .arg(100 * m.probabilities[std::size_t(m.predicted)], 0, 'f', 1));
    m_bars->setProbabilities(m.probabilities, m.label, m.predicted, m_names);
}

} // namespace reglab::ui
