// A strength control: a slider on a log scale from 1e-5 to 1 whose leftmost position means "off" (0), and a
// spin box beside it that shows and accepts the exact value.
#pragma once

#include <QDoubleSpinBox>
#include <QWidget>

class QSlider;

namespace reglab::ui {

// Shows 0.01, 0.001, 1e-05 rather than a fixed number of decimals, and "off" for 0.
class LogSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit LogSpinBox(QWidget *parent = nullptr);
    QString textFromValue(double value) const override;
    double valueFromText(const QString &text) const override;
    QValidator::State validate(QString &text, int &pos) const override;
    void stepBy(int steps) override; // one slider notch per step
};

class LogSlider : public QWidget {
    Q_OBJECT
public:
    static constexpr double kMin = 1e-5;
    static constexpr double kMax = 1.0;
    static constexpr int kStepsPerDecade = 20;
    static constexpr int kPositions = 5 * kStepsPerDecade + 2; // off + 101 log positions

    // The mapping between slider positions and values: 0 <-> off (0); 1..kPositions-1 <-> 1e-5..1.
    static double positionToValue(int position);
    static int valueToPosition(double value); // nearest position; values below 1e-5 but > 0 map to 1
    static QString format(double value);      // "off", "0.01", "1e-05": reglab::formatStrength
    // The 1, 2 or 5 x 10^k nearest `value` on the log scale (0 stays 0), within 1e-5..1: where the slider
    // lands when dragged or stepped without Shift.
    static double snapped(double value);
    // The next such value up (`direction` +1) or down (-1); below 1e-5 is off (0).
    static double steppedNice(double value, int direction);

    explicit LogSlider(QWidget *parent = nullptr);

    double value() const { return m_value; }
    // Sets the value without emitting valueChanged (loading settings, resetting); a non-finite value is ignored.
    void setValue(double value);

    QSlider *slider() const { return m_slider; }
    // Whether the slider moves in fine steps (Shift held while dragging or pressing keys) rather than 1-2-5.
    bool fineSteps() const { return m_fine; }
    LogSpinBox *spinBox() const { return m_spin; }
    // What the keys and Shift do on a strength slider, "keys\ttext", as Help > Keyboard shortcuts lists it.
    static QStringList keyHelp();

Q_SIGNALS:
    // The user committed a new value: slider released or moved by keys, or a value typed.
    void valueChanged(double value);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void commit(double value);
    QSlider *m_slider;
    LogSpinBox *m_spin;
    double m_value = 0;
    bool m_updating = false;
    bool m_fine = false;
};

} // namespace reglab::ui
