#include "ui/window/viewmenu.h"

#include <QSettings>

#include "ui/window/presentation.h"
#include "ui/window/screenfit.h"

#include <QActionGroup>
#include <QDockWidget>

namespace reglab::ui {

ViewMenu::ViewMenu(const QList<QDockWidget *> &docks, QDockWidget *controls, PresentationMode *presentation,
                   QWidget *parent)
    : QMenu(tr("&View"), parent), m_docks(docks)
{
    m_presentation = addAction(tr("&Presentation mode"));
    m_presentation->setCheckable(true);
    m_presentation->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentation->setToolTip(tr("Full screen, the charts alone, large fonts and lines: for a projector"));
    connect(m_presentation, &QAction::toggled, presentation, &PresentationMode::setActive);
    connect(presentation, &PresentationMode::activeChanged, m_presentation, &QAction::setChecked);
    m_controls = addAction(tr("Show the &controls"));
    m_controls->setShortcut(QKeySequence(Qt::Key_F9));
    // In presentation mode the controls come and go over the charts, floating.
    connect(m_controls, &QAction::triggered, controls, [controls, presentation, parent] {
        if (presentation->isActive())
            controls->setFloating(true);
        controls->setVisible(!controls->isVisible());
        if (controls->isVisible()) {
            controls->raise();
            // A floating dock comes back where it last floated, which may be off this screen (or any).
            // (screenfit::keepFloatingOnScreen keeps it there when the window system moves it afterwards.)
            if (controls->isFloating() && parent)
                screenfit::placeInside(controls, parent);
        }
    });
    m_panels = addAction(tr("&Side panels"));
    m_panels->setCheckable(true);
    m_panels->setChecked(true);
    m_panels->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    m_panels->setToolTip(tr("Show or collapse the side panels (controls, predictions, runs, network): "
                            "collapsed, the charts fill the window (Ctrl+B)"));
    connect(m_panels, &QAction::toggled, this, &ViewMenu::setPanelsShown);
    for (QDockWidget *dock : docks) // a panel shown from this menu ends the collapse
        connect(dock->toggleViewAction(), &QAction::triggered, this, [this](bool shown) {
            if (shown && !m_panels->isChecked()) {
                m_collapsed.clear();
                m_panels->setChecked(true);
            }
        });
    addSeparator();
    for (QDockWidget *dock : docks)
        addAction(dock->toggleViewAction());
    addSeparator();
    QMenu *themes = addMenu(tr("&Theme"));
    m_themes = new QActionGroup(this);
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark, Theme::HighContrast}) {
        QAction *a = themes->addAction(t == Theme::System  ? tr("&Follow the system")
                                       : t == Theme::Light ? tr("&Light")
                                       : t == Theme::Dark  ? tr("&Dark")
                                                           : tr("&High contrast"));
        a->setCheckable(true);
        a->setData(int(t));
        m_themes->addAction(a);
        connect(a, &QAction::triggered, this, [this, t] { setTheme(t); });
    }
}

void ViewMenu::setPanelsShown(bool shown)
{
    if (!shown) {
        m_collapsed.clear();
        for (QDockWidget *dock : m_docks)
            if (dock->isVisible() && !dock->isFloating()) {
                m_collapsed << dock;
                dock->hide();
            }
        return;
    }
    for (QDockWidget *dock : std::as_const(m_collapsed))
        dock->show();
    if (m_collapsed.isEmpty() && !m_docks.isEmpty()) // nothing to bring back: the first panel (the controls)
        m_docks.first()->show();
    m_collapsed.clear();
}

void ViewMenu::loadSettings(const QSettings &settings)
{
    Theme theme = Theme::System; // an unknown name (a damaged file) follows the system
    parseTheme(settings.value(QStringLiteral("view/theme")).toString(), theme);
    setTheme(theme);
}

void ViewMenu::saveSettings(QSettings &settings) const
{
    settings.setValue(QStringLiteral("view/theme"), themeName(currentTheme()));
}

void ViewMenu::setTheme(Theme theme)
{
    for (QAction *a : m_themes->actions())
        a->setChecked(a->data().toInt() == int(theme));
    applyTheme(theme);
    Q_EMIT themeChanged(theme);
}

} // namespace reglab::ui
