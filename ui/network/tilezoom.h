// One hidden unit's 784 incoming weights, enlarged: each weight a square in the tiles' colours, with its
// scale. Opened by clicking a tile; follows the run as new snapshots arrive.
#pragma once

#include <QDialog>

#include <vector>

namespace reglab::ui {

class TileZoom : public QDialog {
    Q_OBJECT
public:
    explicit TileZoom(QWidget *parent = nullptr);
    // `title` names the run, layer, unit and epoch; `scale` is the tiles' colour scale.
    void show(const QString &title, const std::vector<float> &weights, double scale);
    const std::vector<float> &weights() const { return m_weights; }
    QString title() const { return m_title; }

    QSize sizeHint() const override { return {380, 420}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_title;
    std::vector<float> m_weights;
    double m_scale = 0;
};

} // namespace reglab::ui
