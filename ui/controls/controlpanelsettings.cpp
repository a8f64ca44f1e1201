// ControlPanel's remembered settings: each value read back is checked, so a damaged or hand-edited settings
// file gives the default, never a range end or NaN.
#include "ui/controls/controlpanel.h"
#include "ui/controls/logslider.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSpinBox>

#include <cmath>

namespace reglab::ui {

namespace {

// A stored setting, or `fallback` when it is missing, not a number or outside [lo, hi] (a damaged file).
double readDouble(const QSettings &s, const QString &key, double fallback, double lo, double hi)
{
    bool ok = false;
    const double v = s.value(key).toDouble(&ok);
    return ok && std::isfinite(v) && v >= lo && v <= hi ? v : fallback;
}

int readInt(const QSettings &s, const QString &key, int fallback, int lo, int hi)
{
    bool ok = false;
    const int v = s.value(key).toInt(&ok);
    return ok && v >= lo && v <= hi ? v : fallback;
}

bool readBool(const QSettings &s, const QString &key, bool fallback)
{
    const QVariant v = s.value(key);
    if (!v.isValid())
        return fallback;
    const QString text = v.toString();
    return text == QLatin1String("true") ? true : text == QLatin1String("false") ? false : fallback;
}

// A list setting ("200,200") read through the config field's own parser; `fallback` when it is refused.
template <typename T>
std::vector<T> readList(const QSettings &s, const QString &key, const char *field,
                        std::vector<T> reglab::TrainConfig::*member, const std::vector<T> &fallback)
{
    reglab::TrainConfig c;
    const QString text = s.value(key).toString();
    if (text.isEmpty() || !reglab::field(field).set(c, text.toStdString()).empty())
        return fallback;
    return c.*member;
}

} // namespace

void ControlPanel::loadSettings(QSettings &s)
{
    // Each value is checked: a damaged or hand-edited file gives the default, never a range end or NaN.
    reglab::TrainConfig c = defaultConfig();
    s.beginGroup(QStringLiteral("controls"));
    c.l1 = readDouble(s, QStringLiteral("l1"), c.l1, 0.0, LogSlider::kMax);
    c.l1Scope = reglab::L1Scope(readInt(s, QStringLiteral("l1Scope"), int(c.l1Scope), int(reglab::L1Scope::All),
                                        int(reglab::L1Scope::Weights)));
    c.l2 = readDouble(s, QStringLiteral("l2"), c.l2, 0.0, LogSlider::kMax);
    c.l2Mode = reglab::L2Mode(
        readInt(s, QStringLiteral("l2Mode"), int(c.l2Mode), int(reglab::L2Mode::Decay), int(reglab::L2Mode::Penalty)));
    c.l1Method = reglab::L1Method(readInt(s, QStringLiteral("l1Method"), int(c.l1Method),
                                          int(reglab::L1Method::Subgradient), int(reglab::L1Method::Proximal)));
    c.optimizer = reglab::Optimizer(readInt(s, QStringLiteral("optimizer"), int(c.optimizer),
                                            int(reglab::Optimizer::Sgd), int(reglab::Optimizer::AdamW)));
    c.momentum = readDouble(s, QStringLiteral("momentum"), c.momentum, m_momentum->minimum(), m_momentum->maximum());
    c.nesterov = readBool(s, QStringLiteral("nesterov"), c.nesterov);
    c.adamBeta1 = readDouble(s, QStringLiteral("adamBeta1"), c.adamBeta1, m_beta1->minimum(), m_beta1->maximum());
    c.adamBeta2 = readDouble(s, QStringLiteral("adamBeta2"), c.adamBeta2, m_beta2->minimum(), m_beta2->maximum());
    c.adamEps = readDouble(s, QStringLiteral("adamEps"), c.adamEps, m_eps->minimum(), m_eps->maximum());
    c.leakySlope = readDouble(s, QStringLiteral("leakySlope"), c.leakySlope, m_slope->minimum(), m_slope->maximum());
    // The lists through the core's parsers; the window's limit of three layers, and one rate per layer.
    c.hidden = readList(s, QStringLiteral("hidden"), "hidden", &reglab::TrainConfig::hidden, c.hidden);
    if (c.hidden.size() > std::size_t(kMaxHidden))
        c.hidden = defaultConfig().hidden;
    c.dropout = readList(s, QStringLiteral("dropout"), "dropout", &reglab::TrainConfig::dropout, c.dropout);
    c.dropout.resize(c.hidden.size(), 0.0);
    c.learningRate = readDouble(s, QStringLiteral("learningRate"), c.learningRate, m_lr->minimum(), m_lr->maximum());
    c.batchSize = readInt(s, QStringLiteral("batchSize"), c.batchSize, m_batch->minimum(), m_batch->maximum());
    c.epochs = readInt(s, QStringLiteral("epochs"), c.epochs, m_epochs->minimum(), m_epochs->maximum());
    c.folds = readInt(s, QStringLiteral("folds"), c.folds, m_folds->minimum(), m_folds->maximum());
    c.seed = std::uint64_t(readInt(s, QStringLiteral("seed"), int(c.seed), m_seed->minimum(), m_seed->maximum()));
    const QString device = s.value(QStringLiteral("device")).toString();
    if (m_device->findData(device) >= 0)
        c.device = device.toStdString();
    const QString source = s.value(QStringLiteral("data")).toString();
    if (!source.isEmpty())
        c.data = source.toStdString();
    m_pace->setValue(readInt(s, QStringLiteral("pace"), 0, m_pace->minimum(), m_pace->maximum()));
    s.endGroup();
    setConfig(c);
}

void ControlPanel::saveSettings(QSettings &s) const
{
    const reglab::TrainConfig c = config();
    s.beginGroup(QStringLiteral("controls"));
    s.setValue(QStringLiteral("l1"), c.l1);
    s.setValue(QStringLiteral("l1Scope"), int(c.l1Scope));
    s.setValue(QStringLiteral("l2"), c.l2);
    s.setValue(QStringLiteral("l2Mode"), int(c.l2Mode));
    s.setValue(QStringLiteral("l1Method"), int(c.l1Method));
    s.setValue(QStringLiteral("optimizer"), int(c.optimizer));
    s.setValue(QStringLiteral("momentum"), c.momentum);
    s.setValue(QStringLiteral("nesterov"), c.nesterov);
    s.setValue(QStringLiteral("adamBeta1"), c.adamBeta1);
    s.setValue(QStringLiteral("adamBeta2"), c.adamBeta2);
    s.setValue(QStringLiteral("adamEps"), c.adamEps);
    s.setValue(QStringLiteral("leakySlope"), c.leakySlope);
    s.setValue(QStringLiteral("hidden"), QString::fromStdString(reglab::field("hidden").get(c)));
    s.setValue(QStringLiteral("dropout"), QString::fromStdString(reglab::field("dropout").get(c)));
    s.setValue(QStringLiteral("learningRate"), c.learningRate);
    s.setValue(QStringLiteral("batchSize"), c.batchSize);
    s.setValue(QStringLiteral("epochs"), c.epochs);
    s.setValue(QStringLiteral("folds"), c.folds);
    s.setValue(QStringLiteral("seed"), qulonglong(c.seed));
    s.setValue(QStringLiteral("device"), QString::fromStdString(c.device));
    s.setValue(QStringLiteral("data"), QString::fromStdString(c.data));
    s.setValue(QStringLiteral("pace"), m_pace->value());
    s.endGroup();
}

} // namespace reglab::ui
