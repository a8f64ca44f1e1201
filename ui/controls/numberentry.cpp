#include "ui/controls/numberentry.h"

#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace reglab::ui {

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

} // namespace reglab::ui
