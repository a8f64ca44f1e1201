// The validation fold in detail: the confusion matrix (cells shaded by their share of the true class, counts
// written in) and a gallery of misclassified digits whose ten probabilities show on a click.
#pragma once

#include "model/records.h"

#include <QColor>
#include <QStringList>
#include <QWidget>

#include <array>
#include <vector>

class QLabel;
class QListWidget;

namespace reglab::ui {

class ConfusionView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionView(QWidget *parent = nullptr);

    void setClassNames(const std::vector<std::string> &names);
    void setDetail(const reglab::ValidationDetail &detail);
    void clear();

    bool isEmpty() const { return m_epoch < 0; }
    std::int64_t count(int trueClass, int predicted) const { return m_counts[trueClass][predicted]; }
    // The cell's share of its row (the true class), 0..1.
    double share(int trueClass, int predicted) const;
    QColor cellColor(int trueClass, int predicted) const;
    // Where a cell is drawn at the current size.
    QRect cellRect(int trueClass, int predicted) const;

    QSize sizeHint() const override { return {460, 460}; }
    QSize minimumSizeHint() const override { return {260, 260}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QRect gridRect() const;

    std::array<std::array<std::int64_t, 10>, 10> m_counts{};
    QStringList m_names;
    int m_epoch = -1;
};

// Ten probabilities as bars, the label's in green and a wrong prediction's in red.
class ProbabilityBars : public QWidget {
    Q_OBJECT
public:
    explicit ProbabilityBars(QWidget *parent = nullptr);
    void setProbabilities(const std::array<float, 10> &p, int label, int predicted, const QStringList &names);
    void clear();
    const std::array<float, 10> &probabilities() const { return m_p; }
    bool hasProbabilities() const { return m_label >= 0; }
    QSize sizeHint() const override { return {420, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    std::array<float, 10> m_p{};
    int m_label = -1, m_predicted = -1;
    QStringList m_names;
};

class MissGallery : public QWidget {
    Q_OBJECT
public:
    explicit MissGallery(QWidget *parent = nullptr);
    void setClassNames(const std::vector<std::string> &names);
    void setDetail(const reglab::ValidationDetail &detail);
    void clear();
    int count() const { return int(m_misses.size()); }
    // Selects miss `index` (as a click does) and shows its probabilities.
    void select(int index);
    QListWidget *list(); // filled first if a detail came while hidden
    ProbabilityBars *bars() const { return m_bars; }
    QString caption() const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showMiss(int index);
    void fill(); // the list's items from m_misses

    QListWidget *m_list;
    bool m_stale = false; // a detail came while hidden: the items are made when shown (epoch ends stay cheap)
    QLabel *m_caption;
    ProbabilityBars *m_bars;
    std::vector<reglab::ValidationDetail::Miss> m_misses;
    QStringList m_names;
};

} // namespace reglab::ui
