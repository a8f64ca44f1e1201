// The presentation mode for a classroom: full screen, the charts alone (the docks, menu bar and status bar
// hidden; F9 shows the controls), larger fonts and thicker lines, readable from the back of a room. Leaving
// it puts the window back as it was.
#pragma once

#include <QByteArray>
#include <QObject>

class QMainWindow;

namespace reglab::ui {

class PresentationMode : public QObject {
    Q_OBJECT
public:
    // How much larger fonts are in presentation mode on a roomy screen (less on a small one).
    static constexpr double kScale = 1.6;

    explicit PresentationMode(QMainWindow *window);
    bool isActive() const { return m_active; }

public Q_SLOTS:
    void setActive(bool on);
    void toggle() { setActive(!m_active); }

Q_SIGNALS:
    void activeChanged(bool on);

private:
    QMainWindow *m_window;
    bool m_active = false;
    bool m_wasFullScreen = false;
    QByteArray m_state;
};

// Applies the presentation scale and the theme to every chart and painted view of `window` (after either
// changed).
void restyleCharts(QWidget *window);

} // namespace reglab::ui
