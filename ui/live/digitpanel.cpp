#include "ui/live/digitpanel.h"
#include "ui/charts/palette.h"

#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace reglab::ui {

DigitTile::DigitTile(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void DigitTile::setDigit(const QImage &image, const QString &trueName)
{
    m_image = image;
    m_true = trueName;
    clearPrediction();
}

void DigitTile::setPrediction(const QString &predictedName, double confidence, bool right)
{
    m_predicted = predictedName;
    m_confidence = confidence;
    m_right = right;
    m_hasPrediction = true;
    setToolTip(tr("true: %1\npredicted: %2 (%3 %)").arg(m_true, m_predicted).arg(100 * confidence, 0, 'f', 1));
    // What a screen reader says of the tile: what colour and size tell the eye.
    setAccessibleName(tr("True %1, predicted %2 with %3 %, %4")
                          .arg(m_true, m_predicted)
                          .arg(100 * confidence, 0, 'f', 1)
                          .arg(right ? tr("right") : tr("wrong")));
    update();
}

void DigitTile::clearPrediction()
{
    m_hasPrediction = false;
    m_predicted.clear();
    setToolTip(tr("true: %1").arg(m_true));
    setAccessibleName(tr("True %1, no prediction yet").arg(m_true));
    update();
}

void DigitTile::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF box = QRectF(rect()).adjusted(2, 2, -2, -2);
    const QColor frame = !m_hasPrediction ? QColor(0xBB, 0xBB, 0xBB) : m_right ? colors::right : colors::wrong;
    p.setPen(QPen(frame, m_hasPrediction && !m_right ? 4 : 2));
    p.setBrush(m_hasPrediction && !m_right ? QColor(0xFF, 0xF0, 0xF0) : QColor(Qt::white));
    p.drawRoundedRect(box, 5, 5);

    QFont big = chartFont(kAxisTitlePointSize, true);
    QFont small = chartFont(kLabelPointSize - 1);
    const int lineBig = QFontMetrics(big).height();
    const int lineSmall = QFontMetrics(small).height();
    const QRectF inner = box.adjusted(5, 5, -5, -5);

    // Nearest-neighbour sampling keeps the 28x28 pixels crisp: a whole-number scale from 3x up; below that a
    // fractional scale still beats a tiny digit.
    const double room = std::max(28.0, std::min(inner.width(), inner.height() - lineBig - lineSmall - 2));
    const double scale = room >= 3 * 28 ? std::floor(room / 28) : room / 28;
    const int side = int(28 * scale);
    const QSize imageSize(side, side);
    const double contentHeight = imageSize.height() + 2 + lineBig + lineSmall;
    const double top = inner.top() + std::max(0.0, (inner.height() - contentHeight) / 2);
    const QRect imageRect(QPoint(int(inner.center().x() - imageSize.width() / 2.0), int(top)), imageSize);
    if (!m_image.isNull()) {
        p.setRenderHint(QPainter::SmoothPixmapTransform, false);
        p.drawImage(imageRect, m_image);
    }

    // Line 1: the guess, large and coloured; line 2: its confidence and the truth.
    QRectF text(inner.left(), imageRect.bottom() + 2, inner.width(), lineBig);
    // Long class names ("Ankle boot") get a smaller font before they are cut.
    auto fitted = [](QFont font, const QString &line, double width) {
        while (font.pointSize() > 7 && QFontMetrics(font).horizontalAdvance(line) > width)
            font.setPointSize(font.pointSize() - 1);
        return font;
    };
    const QString guess = m_hasPrediction ? m_predicted : QStringLiteral("?");
    big = fitted(big, guess, text.width());
    p.setFont(big);
    p.setPen(!m_hasPrediction ? QColor(0x88, 0x88, 0x88) : m_right ? colors::right : colors::wrong);
    p.drawText(text, Qt::AlignHCenter | Qt::AlignVCenter,
               QFontMetrics(big).elidedText(guess, Qt::ElideRight, int(text.width())));
    p.setPen(QColor(0x44, 0x44, 0x44));
    const QRectF detail(inner.left(), text.bottom(), inner.width(), lineSmall);
    // A right guess names the true class already; a wrong one adds it.
    const QString percent = QStringLiteral("%1%").arg(std::lround(100 * m_confidence));
    const QString line = !m_hasPrediction ? tr("true %1").arg(m_true)
                         : m_right        ? percent
                                          : tr("%1, true %2").arg(percent, m_true);
    small = fitted(small, line, detail.width());
    p.setFont(small);
    p.drawText(detail, Qt::AlignHCenter | Qt::AlignVCenter,
               QFontMetrics(small).elidedText(line, Qt::ElideRight, int(detail.width())));
}

DigitPanel::DigitPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(tr("Start a run to see the network's guesses for these test images."), this);
    m_summary->setWordWrap(true);
    m_summary->setFont(chartFont(kLabelPointSize));
    layout->addWidget(m_summary);
    m_grid = new QGridLayout();
    m_grid->setSpacing(4);
    layout->addLayout(m_grid);
    layout->addStretch(1);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void DigitPanel::relayout()
{
    // As many columns as fit tiles about 92 px wide, so a narrow dock gets taller tiles, not tiny ones.
    const int columns = std::clamp(width() / 92, 2, 6);
    if (columns == m_columns)
        return;
    m_columns = columns;
    for (auto *tile : m_tiles)
        m_grid->removeWidget(tile);
    for (std::size_t i = 0; i < m_tiles.size(); ++i)
        m_grid->addWidget(m_tiles[i], int(i) / columns, int(i) % columns);
}

void DigitPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

QString DigitPanel::className(int label) const
{
    if (label >= 0 && label < m_classNames.size())
        return m_classNames[label];
    return QString::number(label);
}

void DigitPanel::setDigits(const std::vector<std::array<std::uint8_t, 784>> &pixels, const std::vector<int> &labels,
                           const std::vector<std::string> &classNames)
{
    m_classNames.clear();
    for (const auto &name : classNames)
        m_classNames << QString::fromStdString(name);
    m_labels = labels;
    const std::size_t n = std::min(pixels.size(), labels.size());
    while (m_tiles.size() > n) {
        delete m_tiles.back();
        m_tiles.pop_back();
    }
    while (m_tiles.size() < n)
        m_tiles.push_back(new DigitTile(this));
    m_columns = 0;
    relayout();
    for (std::size_t i = 0; i < n; ++i) {
        QImage image(pixels[i].data(), 28, 28, 28, QImage::Format_Grayscale8);
        m_tiles[i]->setDigit(image.copy(), className(labels[i]));
        // Read after the tile's name (else the tooltip, which repeats it).
        m_tiles[i]->setAccessibleDescription(tr("Test image %1 of %2").arg(i + 1).arg(n));
    }
    m_summary->setText(tr("%n test image(s); predictions appear after the first epoch.", nullptr, int(n)));
}

void DigitPanel::setPredictions(const reglab::Predictions &predictions)
{
    int right = 0;
    for (std::size_t i = 0; i < predictions.digits.size() && i < m_tiles.size(); ++i) {
        const auto &d = predictions.digits[i];
        const double confidence =
            (d.predicted >= 0 && d.predicted < 10) ? d.probabilities[std::size_t(d.predicted)] : 0.0;
        const bool ok = d.predicted == d.label;
        right += ok;
        m_tiles[i]->setPrediction(className(d.predicted), confidence, ok);
    }
    m_summary->setText(tr("After epoch %1: %2 of %3 right. Large: the guess and its probability; red: wrong.")
                           .arg(predictions.epoch)
                           .arg(right)
                           .arg(predictions.digits.size()));
}

QScrollArea *DigitPanel::inScrollArea()
{
    auto *scroll = new QScrollArea();
    scroll->setWidget(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return scroll;
}

void DigitPanel::onStarted(const reglab::RunInfo &info)
{
    setDigits(info.panelPixels, info.panelLabels, info.classNames);
}

void DigitPanel::onEvent(const reglab::TrainEvent &event)
{
    if (const auto *predictions = std::get_if<reglab::Predictions>(&event))
        setPredictions(*predictions);
}

void DigitPanel::clear()
{
    for (auto *tile : m_tiles)
        tile->clearPrediction();
    if (!m_tiles.empty())
        m_summary->setText(tr("Start a run to see the network's guesses for these test images."));
}

int DigitPanel::predictionCount() const
{
    return int(std::count_if(m_tiles.begin(), m_tiles.end(), [](const DigitTile *t) { return t->hasPrediction(); }));
}

int DigitPanel::rightCount() const
{
    return int(std::count_if(m_tiles.begin(), m_tiles.end(),
                             [](const DigitTile *t) { return t->hasPrediction() && t->isRight(); }));
}

} // namespace reglab::ui
