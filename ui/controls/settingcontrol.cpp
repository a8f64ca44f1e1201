// Controls made from the core's settings table: a log slider for a strength, number boxes, choices, switches and
// the per-layer rows.
#include "ui/controls/settingcontrol.h"
#include "ui/controls/numberentry.h"
#include "ui/controls/logslider.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSpinBox>

#include <cmath>
#include <limits>
#include <sstream>

namespace reglab::ui {

namespace {

using Control = reglab::ConfigField::Control;

QString tip(const reglab::ConfigField &field)
{
    QString text = QString::fromStdString(field.help);
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return field.live ? text + QObject::tr("\nCan be changed while training: it takes effect at the next step.")
                      : text;
}

// What a screen reader says of a setting beside its name: its meaning and what it allows (the table's words).
QString description(const reglab::ConfigField &field)
{
    QString allowed = QString::fromStdString(field.allowed());
    if (field.control == Control::Strength) // what the slider offers, not the files' wider range
        allowed = QObject::tr("from %1 to %2, or off")
                      .arg(LogSlider::format(LogSlider::kMin), LogSlider::format(LogSlider::kMax));
    else if (field.control == Control::Choice && !field.choiceLabels.empty()) { // the words shown, not the keys
        QStringList labels;
        for (const std::string &label : field.choiceLabels)
            labels << QString::fromStdString(label);
        allowed = QObject::tr("one of %1").arg(labels.join(QStringLiteral(", ")));
    }
    return QString::fromStdString(field.help) + QStringLiteral("; ") + allowed +
           (field.live ? QObject::tr("; can be changed while training") : QString());
}

QString spokenLabel(const reglab::ConfigField &field)
{
    return QString::fromStdString(field.label.empty() ? field.key : field.label);
}

std::vector<std::string> split(const std::string &text)
{
    std::vector<std::string> items;
    std::stringstream s(text);
    for (std::string item; std::getline(s, item, ',');)
        items.push_back(item);
    return items;
}

// Shows 0.01 rather than 0.01000, and 5e-05; reads what it shows (the C locale, exponents) whatever the
// system locale, like the strength boxes.
class CompactSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    QString textFromValue(double value) const override { return QString::number(value, 'g', 6); }
    double valueFromText(const QString &text) const override
    {
        bool ok = false;
        const double v = parseNumber(text, &ok);
        return ok ? v : value();
    }
    QValidator::State validate(QString &text, int &) const override
    {
        return validateNumber(text, minimum(), maximum());
    }
};

QDoubleSpinBox *numberBox(const reglab::ConfigField &field, QWidget *parent)
{
    auto *box = new CompactSpinBox(parent);
    box->setDecimals(field.decimals);
    // An open lower end (a learning rate, epsilon > 0) stops at the box's smallest step.
    box->setRange(field.openLow ? std::pow(10.0, -field.decimals) : field.lo, field.hi);
    box->setSingleStep(field.step);
    box->setKeyboardTracking(false); // a value counts when it is committed, not at every key
    box->setToolTip(tip(field));
    return box;
}

double toNumber(const std::string &text, double fallback)
{
    char *end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    return end && *end == '\0' && !text.empty() && std::isfinite(v) ? v : fallback;
}

class StrengthControl : public SettingControl {
public:
    StrengthControl(const reglab::ConfigField &field, QWidget *parent)
        : SettingControl(field, new LogSlider(parent)), m_slider(static_cast<LogSlider *>(widget()))
    {
        m_slider->setToolTip(tip(field));
        // The slider and its number box are one setting: both read as it, with what it allows.
        for (QWidget *part :
             {static_cast<QWidget *>(m_slider->slider()), static_cast<QWidget *>(m_slider->spinBox())}) {
            part->setAccessibleName(spokenLabel(field));
            part->setAccessibleDescription(description(field));
        }
        connect(m_slider, &LogSlider::valueChanged, this, &SettingControl::committed);
    }
    std::string text() const override
    {
        m_slider->spinBox()->interpretText();
        return reglab::formatNumber(m_slider->value());
    }
    void setText(const std::string &text) override { m_slider->setValue(toNumber(text, m_slider->value())); }

private:
    LogSlider *m_slider;
};

class NumberControl : public SettingControl {
public:
    NumberControl(const reglab::ConfigField &field, QWidget *parent)
        : SettingControl(field, numberBox(field, parent)), m_box(static_cast<QDoubleSpinBox *>(widget()))
    {
        connect(m_box, &QDoubleSpinBox::valueChanged, this, &SettingControl::committed);
    }
    std::string text() const override
    {
        m_box->interpretText();
        return reglab::formatNumber(m_box->value());
    }
    void setText(const std::string &text) override
    {
        const QSignalBlocker block(m_box);
        m_box->setValue(toNumber(text, m_box->value()));
    }

private:
    QDoubleSpinBox *m_box;
};

class WholeControl : public SettingControl {
public:
    WholeControl(const reglab::ConfigField &field, QWidget *parent)
        : SettingControl(field, new QSpinBox(parent)), m_box(static_cast<QSpinBox *>(widget()))
    {
        // A box holds an int: a seed beyond it is kept by files and the CLI, the window offers 0 to 2^31 - 1.
        const double top = double(std::numeric_limits<int>::max());
        m_box->setRange(int(std::max(field.lo, -top)), int(std::min(field.hi, top)));
        m_box->setSingleStep(std::max(1, int(field.step)));
        m_box->setKeyboardTracking(false);
        m_box->setToolTip(tip(field));
        connect(m_box, &QSpinBox::valueChanged, this, &SettingControl::committed);
    }
    std::string text() const override
    {
        m_box->interpretText();
        return std::to_string(m_box->value());
    }
    void setText(const std::string &text) override
    {
        const QSignalBlocker block(m_box);
        m_box->setValue(int(std::clamp(toNumber(text, m_box->value()), double(m_box->minimum()),
                                       double(m_box->maximum()))));
    }

private:
    QSpinBox *m_box;
};

class ChoiceControl : public SettingControl {
public:
    ChoiceControl(const reglab::ConfigField &field, QWidget *parent)
        : SettingControl(field, new QComboBox(parent)), m_box(static_cast<QComboBox *>(widget()))
    {
        for (std::size_t i = 0; i < field.choices.size(); ++i) {
            const std::string &label = i < field.choiceLabels.size() ? field.choiceLabels[i] : field.choices[i];
            m_box->addItem(QString::fromStdString(label), QString::fromStdString(field.choices[i]));
        }
        m_box->setToolTip(tip(field));
        // Picked with the mouse, the keys or the wheel; setText blocks it.
        connect(m_box, &QComboBox::currentIndexChanged, this, [this] {
            if (!signalsBlocked())
                Q_EMIT committed();
        });
    }
    std::string text() const override { return m_box->currentData().toString().toStdString(); }
    void setText(const std::string &text) override
    {
        const int index = m_box->findData(QString::fromStdString(text));
        const QSignalBlocker block(this);
        if (index >= 0)
            m_box->setCurrentIndex(index);
    }

private:
    QComboBox *m_box;
};

class CheckControl : public SettingControl {
public:
    CheckControl(const reglab::ConfigField &field, QWidget *parent)
        : SettingControl(field, new QCheckBox(QString::fromStdString(field.label), parent)),
          m_box(static_cast<QCheckBox *>(widget()))
    {
        m_box->setToolTip(tip(field));
        connect(m_box, &QCheckBox::toggled, this, &SettingControl::committed);
    }
    std::string text() const override { return m_box->isChecked() ? "true" : "false"; }
    void setText(const std::string &text) override
    {
        const QSignalBlocker block(m_box);
        m_box->setChecked(text == "true");
    }

private:
    QCheckBox *m_box;
};

QWidget *row(QWidget *parent)
{
    auto *w = new QWidget(parent);
    auto *layout = new QHBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    return w;
}

} // namespace

SettingControl::SettingControl(const reglab::ConfigField &field, QWidget *widget)
    : QObject(widget), m_field(field), m_widget(widget)
{
    widget->setObjectName(QString::fromStdString(field.key));
    // What a screen reader says: the setting's name, and its meaning with what it allows.
    widget->setAccessibleName(spokenLabel(field));
    widget->setAccessibleDescription(description(field));
}

SettingControl *SettingControl::create(const reglab::ConfigField &field, QWidget *parent)
{
    switch (field.control) {
    case Control::Strength:
        return new StrengthControl(field, parent);
    case Control::Number:
        return new NumberControl(field, parent);
    case Control::Whole:
        return new WholeControl(field, parent);
    case Control::Choice:
        return new ChoiceControl(field, parent);
    case Control::Check:
        return new CheckControl(field, parent);
    case Control::Units:
        return new UnitsControl(field, parent);
    case Control::Rates:
        return new RatesControl(field, parent);
    case Control::None:
    case Control::Data:
    case Control::Device:
        break;
    }
    return nullptr;
}

UnitsControl::UnitsControl(const reglab::ConfigField &field, QWidget *parent) : SettingControl(field, row(parent))
{
    for (int i = 0; i < kMaxLayers; ++i) {
        auto *box = new QSpinBox(widget());
        box->setRange(i == 0 ? int(field.lo) : 0, int(field.hi));
        if (i > 0)
            box->setSpecialValueText(tr("none"));
        box->setKeyboardTracking(false);
        box->setToolTip(i == 0 ? tr("Units in hidden layer 1")
                               : tr("Units in hidden layer %1 (none: no such layer)").arg(i + 1));
        // One setting in three boxes: each reads as the setting and its layer.
        box->setAccessibleName(tr("%1, layer %2").arg(spokenLabel(field)).arg(i + 1));
        box->setAccessibleDescription(description(field) + (i > 0 ? tr("; none: no such layer") : QString()));
        widget()->layout()->addWidget(box);
        m_boxes << box;
        connect(box, &QSpinBox::valueChanged, this, [this] {
            // A layer exists while every one before it does: a box after a "none" is off.
            for (int k = 1; k < kMaxLayers; ++k)
                m_boxes[k]->setEnabled(k <= layers());
            Q_EMIT committed();
        });
    }
}

int UnitsControl::layers() const
{
    int n = 1;
    while (n < kMaxLayers && m_boxes[n]->value() > 0)
        ++n;
    return n;
}

std::string UnitsControl::text() const
{
    std::string text;
    for (int i = 0; i < layers(); ++i) {
        m_boxes[i]->interpretText();
        text += (i ? "," : "") + std::to_string(m_boxes[i]->value());
    }
    return text;
}

void UnitsControl::setText(const std::string &text)
{
    // A deeper network from a run record shows its first three layers.
    const std::vector<std::string> items = split(text);
    const QSignalBlocker block(this);
    for (int i = 0; i < kMaxLayers; ++i)
        m_boxes[i]->setValue(std::size_t(i) < items.size() ? int(toNumber(items[std::size_t(i)], 0)) : 0);
}

RatesControl::RatesControl(const reglab::ConfigField &field, QWidget *parent) : SettingControl(field, row(parent))
{
    for (int i = 0; i < UnitsControl::kMaxLayers; ++i) {
        auto *box = numberBox(field, widget());
        box->setToolTip(tr("%1 of hidden layer %2 (0 turns it off)\n%3")
                            .arg(QString::fromStdString(field.label))
                            .arg(i + 1)
                            .arg(field.live ? tr("Can be changed while training") : QString()));
        box->setAccessibleName(tr("%1, layer %2").arg(spokenLabel(field)).arg(i + 1));
        box->setAccessibleDescription(description(field));
        widget()->layout()->addWidget(box);
        m_boxes << box;
        connect(box, &QDoubleSpinBox::valueChanged, this, &SettingControl::committed);
    }
    setLayers(m_layers);
}

std::string RatesControl::text() const
{
    std::string text;
    for (int i = 0; i < m_layers; ++i) {
        m_boxes[i]->interpretText();
        text += (i ? "," : "") + reglab::formatNumber(m_boxes[i]->value());
    }
    return text;
}

void RatesControl::setText(const std::string &text)
{
    const std::vector<std::string> items = split(text);
    for (int i = 0; i < m_boxes.size(); ++i) {
        const QSignalBlocker block(m_boxes[i]);
        m_boxes[i]->setValue(std::size_t(i) < items.size() ? toNumber(items[std::size_t(i)], 0) : 0.0);
    }
}

void RatesControl::setLayers(int layers)
{
    m_layers = std::clamp(layers, 1, int(m_boxes.size()));
    for (int i = 0; i < m_boxes.size(); ++i)
        m_boxes[i]->setVisible(i < m_layers);
}

} // namespace reglab::ui
