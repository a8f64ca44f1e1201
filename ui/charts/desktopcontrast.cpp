// Reading the desktop's high-contrast setting from its theme names (desktopcontrast.h).
#include "ui/charts/desktopcontrast.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace reglab::ui {

bool isHighContrastName(const QString &name)
{
    // GNOME's HighContrast and HighContrastInverse, KDE's "Breeze High Contrast", Xfce's "Adwaita-high-contrast".
    QString folded = name.toLower();
    folded.remove(QLatin1Char('-')).remove(QLatin1Char('_')).remove(QLatin1Char(' '));
    return folded.contains(QLatin1String("highcontrast"));
}

bool desktopHighContrast()
{
    if (qEnvironmentVariable("REGLAB_HIGH_CONTRAST") == QLatin1String("1"))
        return true;
    if (isHighContrastName(qEnvironmentVariable("GTK_THEME")))
        return true;
    const QString config = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    if (config.isEmpty())
        return false;
    for (const char *gtk : {"gtk-3.0", "gtk-4.0"}) {
        const QString file = QDir(config).filePath(QLatin1String(gtk) + QStringLiteral("/settings.ini"));
        if (!QFile::exists(file))
            continue;
        const QSettings ini(file, QSettings::IniFormat);
        if (isHighContrastName(ini.value(QStringLiteral("Settings/gtk-theme-name")).toString()))
            return true;
    }
    const QString kde = QDir(config).filePath(QStringLiteral("kdeglobals"));
    if (QFile::exists(kde)) {
        const QSettings ini(kde, QSettings::IniFormat);
        if (isHighContrastName(ini.value(QStringLiteral("General/ColorScheme")).toString()))
            return true;
    }
    return false;
}

} // namespace reglab::ui
