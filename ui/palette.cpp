#include "ui/palette.h"

#include <QApplication>

namespace reglab::ui {

QFont chartFont(int pointSize, bool bold)
{
    QFont font = QApplication::font();
    font.setPointSize(pointSize);
    font.setBold(bold);
    return font;
}

} // namespace reglab::ui
