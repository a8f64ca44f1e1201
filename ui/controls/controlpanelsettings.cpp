// ControlPanel's remembered settings, by the core's keys ("learning_rate") and as the flags write them: each value
// read back goes through its field's parser and the control's own limits, so a damaged or hand-edited settings
// file gives the default, never a range end or NaN.
#include "ui/controls/controlpanel.h"

#include <QComboBox>
#include <QSettings>
#include <QSpinBox>

namespace reglab::ui {

namespace {

// The name an older RegLab stored a setting under ("learningRate" for learning_rate), read when the key is absent.
QString olderName(const std::string &key)
{
    QString name;
    bool upper = false;
    for (char c : key) {
        if (c == '_') {
            upper = true;
            continue;
        }
        name += upper ? QChar(c).toUpper() : QChar(c);
        upper = false;
    }
    return name;
}

} // namespace

void ControlPanel::loadSettings(QSettings &s)
{
    reglab::TrainConfig c = defaultConfig();
    s.beginGroup(QStringLiteral("controls"));
    for (SettingControl *control : m_controls) {
        const reglab::ConfigField &field = control->field();
        QVariant stored = s.value(QString::fromStdString(field.key));
        if (!stored.isValid())
            stored = s.value(olderName(field.key));
        const std::string text = stored.toString().toStdString();
        reglab::TrainConfig probe = c;
        if (!text.empty() && field.set(probe, text).empty()) // missing or refused: the default
            c = probe;
    }
    c.dropout.resize(c.hidden.size(), 0.0);
    const QString device = s.value(QStringLiteral("device")).toString();
    if (m_device->findData(device) >= 0)
        c.device = device.toStdString();
    const QString source = s.value(QStringLiteral("data")).toString();
    if (!source.isEmpty())
        c.data = source.toStdString();
    bool ok = false;
    const int pace = s.value(QStringLiteral("pace")).toInt(&ok);
    m_pace->setValue(ok && pace >= m_pace->minimum() && pace <= m_pace->maximum() ? pace : 0);
    s.endGroup();
    setConfig(c);
    // What a control cannot show (a strength past the slider's end, a fourth hidden layer, a seed past an int)
    // is not half-kept: that setting takes its default.
    const reglab::TrainConfig shown = config(), fallback = defaultConfig();
    bool clamped = false;
    for (SettingControl *control : m_controls) {
        const reglab::ConfigField &field = control->field();
        if (field.get(shown) != field.get(c)) {
            field.set(c, field.get(fallback));
            clamped = true;
        }
    }
    if (clamped) {
        c.dropout.resize(c.hidden.size(), 0.0);
        setConfig(c);
    }
}

void ControlPanel::saveSettings(QSettings &s) const
{
    const reglab::TrainConfig c = config();
    s.beginGroup(QStringLiteral("controls"));
    for (const reglab::ConfigField &field : reglab::configFields())
        if (field.control != reglab::ConfigField::Control::None)
            s.setValue(QString::fromStdString(field.key), QString::fromStdString(field.get(c)));
    s.setValue(QStringLiteral("pace"), m_pace->value());
    s.endGroup();
}

} // namespace reglab::ui
