#include "ui/logslider.h"

#include <QHBoxLayout>
#include <QLocale>
#include <QRegularExpression>
#include <QSlider>

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

QString LogSlider::format(double value)
{
    if (value == 0)
        return QStringLiteral("off");
    return QString::number(value, 'g', 6);
}

double parseNumber(const QString &text, bool *ok)
{
    const QString t = text.trimmed();
    bool good = false;
    double v = t.toDouble(&good); // the C locale, no group separators
    if (!good)
        v = QLocale().toDouble(t, &good);
    good = good && std::isfinite(v);
    if (ok)
        *ok = good;
    return good ? v : 0.0;
}

QValidator::State validateNumber(const QString &text, double minimum, double maximum)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QValidator::Intermediate;
    bool ok = false;
    const double v = parseNumber(t, &ok);
    if (ok) {
        if (v > maximum || v < 0)
            return QValidator::Invalid;
        return v >= minimum ? QValidator::Acceptable : QValidator::Intermediate; // "0.0" on the way to "0.05"
    }
    // Partial input such as "1e" or "1e-" or "." may still become a number.
    static const QRegularExpression partial(QStringLiteral("^[0-9]*[.,]?[0-9]*([eE][-+]?[0-9]*)?$"));
    return partial.match(t).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
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
    const int position = LogSlider::valueToPosition(value()) + steps;
    setValue(LogSlider::positionToValue(std::clamp(position, 0, LogSlider::kPositions - 1)));
}

LogSlider::LogSlider(QWidget *parent) : QWidget(parent)
{
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, kPositions - 1);
    m_slider->setPageStep(kStepsPerDecade);
    m_slider->setTracking(false); // commit on release: one lambda change per gesture, not one per pixel
    m_spin = new LogSpinBox(this);
    m_slider->setToolTip(tr("Log scale from 1e-05 to 1; the leftmost position turns it off"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_spin);

    // While dragging, the spin box previews the value; the commit comes with valueChanged.
    connect(m_slider, &QSlider::sliderMoved, this, [this](int position) {
        m_updating = true;
        m_spin->setValue(positionToValue(position));
        m_updating = false;
    });
    connect(m_slider, &QSlider::valueChanged, this, [this](int position) {
        if (!m_updating)
            commit(positionToValue(position));
    });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (!m_updating)
            commit(value);
    });
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
