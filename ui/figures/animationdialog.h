// File > Export figure > Animation of the shown runs: asks what the animation shows (the metric), what it is for
// (a slide, a page, a column or a custom size, as the chart figures), its frames a second and its length.
#pragma once

#include "ui/figures/runanimation.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace reglab::ui {

class AnimationDialog : public QDialog {
    Q_OBJECT
public:
    AnimationDialog(const AnimationSettings &settings, QWidget *parent = nullptr);
    // What the dialog shows now.
    AnimationSettings settings() const;

    void accept() override; // only settings that make an animation; else what is wrong, in the dialog

private:
    void updateSummary();

    QComboBox *m_metric;
    QComboBox *m_use;
    QLineEdit *m_size;
    QSpinBox *m_fps;
    QDoubleSpinBox *m_seconds;
    QLabel *m_summary; // the frames and pixels, or what is wrong
};

} // namespace reglab::ui
