// One place for the dashboard's colours and fonts, so a series keeps its colour in every chart.
#pragma once

#include <QColor>
#include <QList>
#include <QFont>
#include <QPalette>
#include <QString>

class QChart;

namespace reglab::ui {

namespace colors {
// Okabe-Ito hues: distinguishable with the common colour-vision deficiencies and on a projector.
inline const QColor dataLoss{0x00, 0x72, 0xB2};   // blue
inline const QColor l1Term{0xD5, 0x5E, 0x00};     // vermillion
inline const QColor l2Term{0x00, 0x9E, 0x73};     // bluish green
inline const QColor totalLoss{0x33, 0x33, 0x33};  // near black
inline const QColor validation{0xE6, 0x9F, 0x00}; // orange
inline const QColor test{0x56, 0xB4, 0xE9};       // sky blue
inline const QColor chance{0x99, 0x99, 0x99};     // grey
inline const QColor marker{0xCC, 0x79, 0xA7};     // reddish purple
inline const QColor right{0x1B, 0x8A, 0x3A};
inline const QColor wrong{0xD0, 0x1C, 0x1C};
inline const QColor bannerBackground{0xFD, 0xEC, 0xEA};
inline const QColor bannerBorder{0xD0, 0x1C, 0x1C};
} // namespace colors

// The runs' colours: Tableau 10 without its grey (the chance line's), colour-blind-safe and distinct from every
// reference line (chance, change markers), then Tableau 20's lighter companions of the same nine, so that
// eighteen runs shown together differ. A run gets its colour once and keeps it in every chart and export.
QList<QColor> runPalette();
// The colours of lines that are not runs (chance line, change markers): never given to a run.
QList<QColor> referenceColors();

// Point sizes chosen to stay readable from the back of a lecture room.
constexpr int kTitlePointSize = 14;
constexpr int kAxisTitlePointSize = 12;
constexpr int kLabelPointSize = 11;

QFont chartFont(int pointSize, bool bold = false);

// A chart styled like every other one: bold title at projector size, the theme's background, legend below in
// a readable font, no animations (they would replay on every batched update). The caller owns it.
QChart *newChart(const QString &title);

// Light, dark or high contrast: System follows the desktop (its high-contrast setting where desktopcontrast.h
// finds one, else its palette: a dark window colour means dark).
enum class Theme { System, Light, Dark, HighContrast };
QString themeName(Theme theme); // "system", "light", "dark", "high-contrast"
bool parseTheme(const QString &name, Theme &out);
// Applies the theme to the application (a dark or high-contrast Fusion palette, or the desktop's own) and to the
// colours below.
void applyTheme(Theme theme);
Theme currentTheme();
bool darkThemeActive(); // dark or high contrast: light lines on a dark background
// High contrast (chosen, or followed from the desktop): white on black, lines thicker (themeLineScale()), a
// strong yellow for focus and selection. Every run colour and reference line has at least 3:1 on its black.
bool highContrastActive();
double themeLineScale(); // 1.4 in high contrast, else 1
// The palette the high-contrast theme gives the application (for its contrast test too).
QPalette highContrastPalette();
QPalette darkPalette();

// What charts and painted views draw with, for the active theme. The series' hues stay the same in both.
struct ChartColors {
    QColor background, text, grid, minorGrid, panel;
};
ChartColors chartColors();
// The error banner's colours for the active theme: it stands out over the charts (light red with dark text in the
// light theme, dark red with light text in the dark one, black framed in red in high contrast), and its text,
// link and close button keep at least 4.5:1 on its background in every theme.
struct BannerColors {
    QColor background, border, text, link;
};
BannerColors bannerColors();

// A colour made faint for a curve drawn beneath its own (the unsmoothed loss): opaque, mixed with the chart's
// background, since translucent wide lines cost the raster engine a blend per pixel at every redraw.
QColor faintColor(const QColor &color);

} // namespace reglab::ui
