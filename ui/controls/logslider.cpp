#include "ui/controls/logslider.h"
#include "model/config.h"
#include "ui/controls/numberentry.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QInputEvent>
#include <QLocale>
#include <QRegularExpression>
#include <QSlider>
#include <QWheelEvent>

#include <algorithm>

#include <cmath>

namespace reglab::ui {

double LogSlider::positionToValue(int position)
{
    if (position <= 0)
        return 0.0;
    position = std::min(position, kPositions - 1);
    const double exponent = std::log10(kMin) + double(position - 1) / kStepsPerDecade;
    // Rounded to 3 significant digits so the notches land on 0.01, 0.001, ... exactly.
    const double raw = std::pow(10.0, exponent);
    const double scale = std::pow(10.0, 2 - std::floor(std::log10(raw)));
    return std::round(raw * scale) / scale;
}

int LogSlider::valueToPosition(double value)
{
    if (!(value > 0))
        return 0;
    const double p = (std::log10(value) - std::log10(kMin)) * kStepsPerDecade + 1;
    return std::clamp(int(std::lround(p)), 1, kPositions - 1);
}

double LogSlider::snapped(double value)
{
    if (!(value > 0))
        return 0.0;
    const double decade = std::floor(std::log10(value));
    double best = kMin, distance = 1e300;
    for (double k : {decade - 1, decade, decade + 1})
        for (double m : {1.0, 2.0, 5.0}) {
            const double candidate = m * std::pow(10.0, k);
            const double d = std::abs(std::log10(candidate) - std::log10(value));
            if (d < distance) {
                distance = d;
                best = candidate;
            }
        }
    // Exact decimal values (0.002, not 0.0020000000000000005) for the box and the record.
    return std::clamp(QString::number(best, 'g', 1).toDouble(), kMin, kMax);
}

double LogSlider::steppedNice(double value, int direction)
{
    if (direction > 0 && !(value > 0))
        return kMin;
    const double here = snapped(value);
    double next = here;
    const double decade = std::floor(std::log10(here) + 1e-9);
    const double mantissa = here / std::pow(10.0, decade);
    if (direction > 0)
        next = mantissa < 1.5   ? 2 * std::pow(10.0, decade)
               : mantissa < 3.5 ? 5 * std::pow(10.0, decade)
                                : std::pow(10.0, decade + 1);
    else
        next = mantissa > 3.5   ? 2 * std::pow(10.0, decade)
               : mantissa > 1.5 ? std::pow(10.0, decade)
                                : 5 * std::pow(10.0, decade - 1);
    // A value off the 1-2-5 grid first goes to the grid value on its side.
    if ((direction > 0 && here > value * (1 + 1e-9)) || (direction < 0 && here < value * (1 - 1e-9)))
        next = here;
    if (next < kMin * (1 - 1e-9))
        return 0.0;
    return std::min(QString::number(next, 'g', 1).toDouble(), kMax);
}

QString LogSlider::format(double value)
{
    return QString::fromStdString(reglab::formatStrength(value));
}

LogSpinBox::LogSpinBox(QWidget *parent) : QDoubleSpinBox(parent)
{
    setDecimals(12); // keeps the exact value; the text comes from textFromValue
    setRange(0.0, LogSlider::kMax);
    setSpecialValueText(QStringLiteral("off"));
    setKeyboardTracking(false); // typing "0.001" must not commit 0, then 0.0, ...
    setAccelerated(true);
    setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0.000123_")) + 30);
}

QString LogSpinBox::textFromValue(double value) const
{
    return LogSlider::format(value);
}

double LogSpinBox::valueFromText(const QString &text) const
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t.compare(QStringLiteral("off"), Qt::CaseInsensitive) == 0)
        return 0.0;
    bool ok = false;
    const double v = parseNumber(t, &ok);
    return ok ? v : value();
}

QValidator::State LogSpinBox::validate(QString &text, int &) const
{
    const QString t = text.trimmed();
    if (t.isEmpty() || QStringLiteral("off").startsWith(t, Qt::CaseInsensitive))
        return t.compare(QStringLiteral("off"), Qt::CaseInsensitive) == 0 ? QValidator::Acceptable
                                                                          : QValidator::Intermediate;
    return validateNumber(t, 0.0, maximum());
}

void LogSpinBox::stepBy(int steps)
{
    // Shift: one slider notch per step; otherwise 1, 2, 5 x 10^k.
    if (QGuiApplication::queryKeyboardModifiers() & Qt::ShiftModifier) {
        const int position = LogSlider::valueToPosition(value()) + steps;
        setValue(LogSlider::positionToValue(std::clamp(position, 0, LogSlider::kPositions - 1)));
        return;
    }
    double v = value();
    for (int i = 0; i < std::abs(steps); ++i)
        v = LogSlider::steppedNice(v, steps > 0 ? 1 : -1);
    setValue(v);
}

namespace {

// The slider as a screen reader reads it: the strength it stands for ("0.01", "off"), not its notch (61 of 101).
class LogSliderAccessible : public QAccessibleWidget, public QAccessibleValueInterface {
public:
    LogSliderAccessible(QSlider *slider, LogSlider *owner)
        : QAccessibleWidget(slider, QAccessible::Slider), m_owner(owner)
    {
    }
    void *interface_cast(QAccessible::InterfaceType t) override
    {
        return t == QAccessible::ValueInterface ? static_cast<QAccessibleValueInterface *>(this)
                                                : QAccessibleWidget::interface_cast(t);
    }
    QString text(QAccessible::Text t) const override
    {
        return t == QAccessible::Value ? LogSlider::format(m_owner->value()) : QAccessibleWidget::text(t);
    }
    QVariant currentValue() const override { return m_owner->value(); }
    void setCurrentValue(const QVariant &value) override
    {
        m_owner->slider()->setValue(LogSlider::valueToPosition(value.toDouble()));
    }
    QVariant maximumValue() const override { return LogSlider::kMax; }
    QVariant minimumValue() const override { return 0.0; }
    QVariant minimumStepSize() const override { return 0.0; }

private:
    LogSlider *m_owner;
};

QAccessibleInterface *logSliderFactory(const QString &, QObject *object)
{
    auto *slider = qobject_cast<QSlider *>(object);
    auto *owner = slider ? qobject_cast<LogSlider *>(slider->parent()) : nullptr;
    return owner ? new LogSliderAccessible(slider, owner) : nullptr;
}

} // namespace

LogSlider::LogSlider(QWidget *parent) : QWidget(parent)
{
    static const bool accessible = [] {
        QAccessible::installFactory(logSliderFactory);
        return true;
    }();
    Q_UNUSED(accessible);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, kPositions - 1);
    m_slider->setPageStep(kStepsPerDecade);
    m_slider->setTracking(false); // commit on release: one lambda change per gesture, not one per pixel
    m_spin = new LogSpinBox(this);
    m_slider->setToolTip(tr("Log scale from 1e-05 to 1 in steps of 1, 2, 5 x 10^k (hold Shift for fine steps); "
                            "the leftmost position turns it off"));
    m_slider->installEventFilter(this);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_spin);

    // While dragging, the spin box previews the value; the commit comes with valueChanged. Without Shift the
    // value lands on 1, 2 or 5 x 10^k: what a teacher says aloud.
    connect(m_slider, &QSlider::sliderMoved, this, [this](int position) {
        m_updating = true;
        m_spin->setValue(m_fine ? positionToValue(position) : snapped(positionToValue(position)));
        m_updating = false;
    });
    connect(m_slider, &QSlider::valueChanged, this, [this](int position) {
        if (!m_updating)
            commit(m_fine ? positionToValue(position) : snapped(positionToValue(position)));
    });
    // Keys and page clicks go from one 1-2-5 value to the next (a notch at a time would snap back).
    connect(m_slider, &QAbstractSlider::actionTriggered, this, [this](int action) {
        if (m_fine || action == QAbstractSlider::SliderMove || action == QAbstractSlider::SliderNoAction)
            return;
        const bool up = action == QAbstractSlider::SliderSingleStepAdd ||
                        action == QAbstractSlider::SliderPageStepAdd || action == QAbstractSlider::SliderToMaximum;
        if (action == QAbstractSlider::SliderToMinimum || action == QAbstractSlider::SliderToMaximum)
            return;
        m_slider->setSliderPosition(valueToPosition(steppedNice(m_value, up ? 1 : -1)));
    });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (!m_updating)
            commit(value);
    });
}

QStringList LogSlider::keyHelp()
{
    // What eventFilter and the slider's steps (steppedNice) do with the keys and Shift.
    return {tr("Arrows; Shift+arrows, Shift+drag\tOn a strength slider: 1, 2, 5 x 10^k; fine steps")};
}

bool LogSlider::eventFilter(QObject *watched, QEvent *event)
{
    // Shift held at the start of a drag or with a key: fine steps for that gesture.
    if (watched == m_slider && (event->type() == QEvent::KeyPress || event->type() == QEvent::MouseButtonPress))
        m_fine = static_cast<QInputEvent *>(event)->modifiers() & Qt::ShiftModifier;
    // The wheel too goes from one 1-2-5 value to the next (a few notches would snap back).
    if (watched == m_slider && event->type() == QEvent::Wheel && m_slider->isEnabled()) {
        const auto *wheel = static_cast<QWheelEvent *>(event);
        m_fine = wheel->modifiers() & Qt::ShiftModifier;
        const int delta = wheel->angleDelta().y() != 0 ? wheel->angleDelta().y() : wheel->angleDelta().x();
        if (!m_fine && delta != 0) {
            commit(steppedNice(m_value, delta > 0 ? 1 : -1));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void LogSlider::setValue(double value)
{
    if (!std::isfinite(value))
        return; // std::clamp lets NaN through
    m_updating = true;
    m_value = std::clamp(value, 0.0, kMax);
    m_slider->setValue(valueToPosition(m_value));
    m_spin->setValue(m_value);
    m_updating = false;
}

void LogSlider::commit(double value)
{
    if (!std::isfinite(value))
        return;
    value = std::clamp(value, 0.0, kMax);
    m_updating = true;
    if (valueToPosition(value) != m_slider->value())
        m_slider->setValue(valueToPosition(value));
    m_spin->setValue(value);
    m_updating = false;
    if (value == m_value)
        return;
    m_value = value;
    Q_EMIT valueChanged(value);
}

} // namespace reglab::ui
