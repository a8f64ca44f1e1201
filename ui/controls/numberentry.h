// Number entry in the C locale ("0.01", "5e-05"; the system locale's decimal comma is accepted on input), for
// every box that takes a number as typed: the strengths, the learning rate, the sparsity threshold.
#pragma once

#include <QString>
#include <QValidator>

namespace reglab::ui {

// Acceptable for a value in [minimum, maximum], Intermediate for text that may still become one.
QValidator::State validateNumber(const QString &text, double minimum, double maximum);
// The value of such text (the C locale first, then the system locale); *ok false (and 0) when it is none.
double parseNumber(const QString &text, bool *ok);

} // namespace reglab::ui
