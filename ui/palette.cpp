#include "ui/palette.h"

#include <QApplication>
#include <QChart>
#include <QLegend>

namespace reglab::ui {

QFont chartFont(int pointSize, bool bold)
{
    QFont font = QApplication::font();
    font.setPointSize(pointSize);
    font.setBold(bold);
    return font;
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart();
    chart->setTitle(title);
    chart->setTitleFont(chartFont(kTitlePointSize, true));
    chart->setBackgroundBrush(Qt::white);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setFont(chartFont(kLabelPointSize));
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

} // namespace reglab::ui
