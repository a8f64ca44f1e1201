// Whether the desktop asks for high contrast, as far as Qt 6.4 lets an application see it (it has no public
// accessibility or colour-scheme setting before 6.5, and the settings portal's contrast key is not read).
#pragma once

#include <QString>

namespace reglab::ui {

// True when a GTK or KDE theme of the desktop is a high-contrast one: the GTK_THEME environment variable, the
// gtk-theme-name of $XDG_CONFIG_HOME/gtk-3.0/settings.ini (or gtk-4.0), or KDE's ColorScheme in kdeglobals names
// one ("HighContrast", "HighContrastInverse", "Breeze High Contrast"), or REGLAB_HIGH_CONTRAST is 1 (or true,
// yes); a value other than those and 0, false, no is warned about.
bool desktopHighContrast();
// The same test on one theme's name (for the test).
bool isHighContrastName(const QString &name);
// The settings files' part of it, in the config folder `config` (for the test).
bool configNamesHighContrast(const QString &config);

} // namespace reglab::ui
