#include "ui/window/viewmenu.h"

#include <QSettings>

#include "ui/window/presentation.h"

#include <QActionGroup>
#include <QDockWidget>

namespace reglab::ui {

ViewMenu::ViewMenu(const QList<QDockWidget *> &docks, QDockWidget *controls, PresentationMode *presentation,
                   QWidget *parent)
    : QMenu(tr("&View"), parent)
{
    m_presentation = addAction(tr("Presentation mode"));
    m_presentation->setCheckable(true);
    m_presentation->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentation->setToolTip(tr("Full screen, the charts alone, large fonts and lines: for a projector"));
    connect(m_presentation, &QAction::toggled, presentation, &PresentationMode::setActive);
    connect(presentation, &PresentationMode::activeChanged, m_presentation, &QAction::setChecked);
    m_controls = addAction(tr("Show the controls"));
    m_controls->setShortcut(QKeySequence(Qt::Key_F9));
    // In presentation mode the controls come and go over the charts, floating.
    connect(m_controls, &QAction::triggered, controls, [controls, presentation] {
        if (presentation->isActive())
            controls->setFloating(true);
        controls->setVisible(!controls->isVisible());
        if (controls->isVisible())
            controls->raise();
    });
    addSeparator();
    for (QDockWidget *dock : docks)
        addAction(dock->toggleViewAction());
    addSeparator();
    QMenu *themes = addMenu(tr("Theme"));
    m_themes = new QActionGroup(this);
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        QAction *a = themes->addAction(t == Theme::System  ? tr("Follow the system")
                                       : t == Theme::Light ? tr("Light")
                                                           : tr("Dark"));
        a->setCheckable(true);
        a->setData(int(t));
        m_themes->addAction(a);
        connect(a, &QAction::triggered, this, [this, t] { setTheme(t); });
    }
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
