// The fixed panel digits with the network's current guess for each: what the forum's Visdom image and text
// panes showed, updated after every evaluation.
#pragma once

#include "model/records.h"
#include "ui/runs/runview.h"

#include <QImage>
#include <QStringList>
#include <QWidget>

#include <vector>

class QGridLayout;
class QScrollArea;
class QLabel;

namespace reglab::ui {

class DigitTile : public QWidget {
    Q_OBJECT
public:
    explicit DigitTile(QWidget *parent = nullptr);
    void setDigit(const QImage &image, const QString &trueName);
    void setPrediction(const QString &predictedName, double confidence, bool right);
    void clearPrediction();

    bool hasPrediction() const { return m_hasPrediction; }
    bool isRight() const { return m_right; }
    QString predictedName() const { return m_predicted; }

    QSize sizeHint() const override { return {92, 118}; }
    QSize minimumSizeHint() const override { return {64, 96}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QImage m_image;
    QString m_true, m_predicted;
    double m_confidence = 0;
    bool m_hasPrediction = false, m_right = false;
};

class DigitPanel : public QWidget, public RunView {
    Q_OBJECT
public:
    explicit DigitPanel(QWidget *parent = nullptr);

    // The digits of a new run (from RunInfo): clears earlier predictions.
    void setDigits(const std::vector<std::array<std::uint8_t, 784>> &pixels, const std::vector<int> &labels,
                   const std::vector<std::string> &classNames);
    void setPredictions(const reglab::Predictions &predictions);
    // RunView: the run's digits from its start, then the network's guesses for them.
    void onStarted(const reglab::RunInfo &info) override;
    void onEvent(const reglab::TrainEvent &event) override;
    void clear() override;
    // The panel in a scroll area: on a low screen the tiles scroll rather than push the window off it.
    QScrollArea *inScrollArea();

    // For tests.
    int tileCount() const { return int(m_tiles.size()); }
    int predictionCount() const;
    int rightCount() const;
    const DigitTile *tile(int index) const { return m_tiles.at(std::size_t(index)); }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void relayout();
    QString className(int label) const;
    int m_columns = 0;
    QGridLayout *m_grid;
    QLabel *m_summary;
    std::vector<DigitTile *> m_tiles;
    std::vector<int> m_labels;
    QStringList m_classNames;
};

} // namespace reglab::ui
