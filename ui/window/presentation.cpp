#include "ui/window/presentation.h"

#include "ui/charts/chartbase.h"
#include "ui/charts/palette.h"
#include "ui/window/screenfit.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>

#include <algorithm>

namespace reglab::ui {

void restyleCharts(QWidget *window)
{
    for (ChartBase *chart : window->findChildren<ChartBase *>())
        chart->restyle();
    for (QWidget *w : window->findChildren<QWidget *>())
        if (w->property("reglabPainted").toBool())
            w->update(); // painted views read the theme's colours when they paint
}

PresentationMode::PresentationMode(QMainWindow *window) : QObject(window), m_window(window) {}

void PresentationMode::setActive(bool on)
{
    if (on == m_active)
        return;
    m_active = on;
    if (on) {
        m_state = m_window->saveState();
        m_wasFullScreen = m_window->isFullScreen();
        for (QDockWidget *dock : m_window->findChildren<QDockWidget *>())
            dock->hide();
        m_window->menuBar()->hide();
        m_window->statusBar()->hide();
        m_window->showFullScreen();
    } else {
        m_window->menuBar()->show();
        m_window->statusBar()->show();
        m_window->restoreState(m_state);
        if (!m_wasFullScreen)
            m_window->showNormal();
    }
    // Text grows with the screen (1.6x from 900 lines up, 1.2x on the smallest, where larger type would crowd
    // the plot out); lines are thicker on any screen.
    const QRect screen = screenfit::availableArea(m_window);
    const double fonts =
        on ? std::clamp(kScale * std::min(screen.height() / 900.0, screen.width() / 1440.0), 1.2, kScale) : 1.0;
    ChartBase::setPresentationScale(fonts, on ? 1.6 : 1.0);
    QFont font = m_window->font();
    font.setPointSizeF(QFont().pointSizeF() * fonts);
    m_window->setFont(font); // the headline, the digits' captions and the controls grow with the charts
    restyleCharts(m_window);
    Q_EMIT activeChanged(on);
}

} // namespace reglab::ui
