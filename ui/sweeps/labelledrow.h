// A row of "label: control" pairs, each label the buddy of its control (Alt+letter moves to it, a screen reader
// names the control by it): the sweep dialog's and the sweep view's rows of choices.
#pragma once

#include <QBoxLayout>
#include <QLabel>

namespace reglab::ui {

inline void addLabelled(QBoxLayout *row, const QString &text, QWidget *control)
{
    auto *label = new QLabel(text, control->parentWidget());
    label->setBuddy(control);
    row->addWidget(label);
    row->addWidget(control);
}

} // namespace reglab::ui
