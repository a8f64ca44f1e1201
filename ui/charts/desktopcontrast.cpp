// Reading the desktop's high-contrast setting from its theme names (desktopcontrast.h).
#include "ui/charts/desktopcontrast.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace reglab::ui {

bool isHighContrastName(const QString &name)
{
    // GNOME's HighContrast and HighContrastInverse, KDE's "Breeze High Contrast", Xfce's "Adwaita-high-contrast".
    QString folded = name.toLower();
    folded.remove(QLatin1Char('-')).remove(QLatin1Char('_')).remove(QLatin1Char(' '));
    return folded.contains(QLatin1String("highcontrast"));
}

namespace {

constexpr qint64 kMaxIniBytes = 256 * 1024; // a theme's settings are a few KiB

// The value of `key` in `[section]` of an INI-style file, read as GTK and KDE write it. (QSettings takes KDE's
// [General] for its own top level, so General/ColorScheme was never found, and reads a value with a comma as a
// list.) Only a plain file, and only its first 256 KiB: a directory, a FIFO or a huge file cannot stall the start.
QString iniValue(const QString &path, const QString &section, const QString &key)
{
    if (!QFileInfo(path).isFile())
        return {};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray head = file.read(kMaxIniBytes);
    const QString header = QLatin1Char('[') + section + QLatin1Char(']');
    bool inSection = false;
    for (const QByteArray &raw : head.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.startsWith(QLatin1Char('['))) {
            inSection = line == header;
            continue;
        }
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        if (!inSection || equals <= 0)
            continue;
        QString name = line.left(equals).trimmed();
        if (const qsizetype flags = name.indexOf(QLatin1Char('[')); flags > 0) // KDE's "ColorScheme[$e]"
            name.truncate(flags);
        if (name == key)
            return line.mid(equals + 1).trimmed();
    }
    return {};
}

} // namespace

bool configNamesHighContrast(const QString &config)
{
    if (config.isEmpty())
        return false;
    for (const char *gtk : {"gtk-3.0", "gtk-4.0"})
        if (isHighContrastName(iniValue(QDir(config).filePath(QLatin1String(gtk) + QStringLiteral("/settings.ini")),
                                        QStringLiteral("Settings"), QStringLiteral("gtk-theme-name"))))
            return true;
    return isHighContrastName(iniValue(QDir(config).filePath(QStringLiteral("kdeglobals")), QStringLiteral("General"),
                                       QStringLiteral("ColorScheme")));
}

bool desktopHighContrast()
{
    const QString forced = qEnvironmentVariable("REGLAB_HIGH_CONTRAST").trimmed().toLower();
    if (forced == QLatin1String("1") || forced == QLatin1String("true") || forced == QLatin1String("yes"))
        return true;
    if (!forced.isEmpty() && forced != QLatin1String("0") && forced != QLatin1String("false") &&
        forced != QLatin1String("no")) // a typo is said, not taken for "no"
        qWarning("REGLAB_HIGH_CONTRAST='%s' is not understood: set it to 1 for high contrast, or 0 (or unset it) to "
                 "follow the desktop's theme",
                 qPrintable(qEnvironmentVariable("REGLAB_HIGH_CONTRAST")));
    if (isHighContrastName(qEnvironmentVariable("GTK_THEME")))
        return true;
    return configNamesHighContrast(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation));
}

} // namespace reglab::ui
