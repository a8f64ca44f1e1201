#include "ui/charts/palette.h"

#include "ui/charts/desktopcontrast.h"

#include <QApplication>
#include <QChart>
#include <QLegend>
#include <QPalette>

namespace reglab::ui {

QList<QColor> runPalette()
{
    return {QColor(0x1F, 0x77, 0xB4), QColor(0xFF, 0x7F, 0x0E), QColor(0x2C, 0xA0, 0x2C),
            QColor(0xD6, 0x27, 0x28), QColor(0x94, 0x67, 0xBD), QColor(0x8C, 0x56, 0x4B),
            QColor(0xE3, 0x77, 0xC2), QColor(0xBC, 0xBD, 0x22), QColor(0x17, 0xBE, 0xCF),
            // Tableau 20's lighter companions, after all nine
            QColor(0xAE, 0xC7, 0xE8), QColor(0xFF, 0xBB, 0x78), QColor(0x98, 0xDF, 0x8A),
            QColor(0xFF, 0x98, 0x96), QColor(0xC5, 0xB0, 0xD5), QColor(0xC4, 0x9C, 0x94),
            QColor(0xF7, 0xB6, 0xD2), QColor(0xDB, 0xDB, 0x8D), QColor(0x9E, 0xDA, 0xE5)};
}

QList<QColor> referenceColors()
{
    return {colors::chance, colors::marker};
}

QFont chartFont(int pointSize, bool bold)
{
    QFont font = QApplication::font();
    font.setPointSize(pointSize);
    font.setBold(bold);
    return font;
}

namespace {
Theme g_theme = Theme::Light;
bool g_dark = false;
bool g_highContrast = false;
QPalette g_desktopPalette; // the palette the desktop gave, before a theme replaced it
bool g_haveDesktopPalette = false;
} // namespace

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x26, 0x28, 0x2B), base(0x1C, 0x1D, 0x20), text(0xE8, 0xE8, 0xE8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x33, 0x36, 0x3A));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x56, 0xB4, 0xE9));
    p.setColor(QPalette::HighlightedText, Qt::black);
    p.setColor(QPalette::Link, QColor(0x56, 0xB4, 0xE9));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    return p;
}

QPalette highContrastPalette()
{
    // White on black; yellow (19:1 on black) marks focus, selection and links, with black text on it.
    QPalette p;
    const QColor black(Qt::black), white(Qt::white), yellow(0xFF, 0xE0, 0x00);
    for (auto role : {QPalette::Window, QPalette::Base, QPalette::AlternateBase, QPalette::ToolTipBase,
                      QPalette::Button, QPalette::Shadow})
        p.setColor(role, black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ToolTipText, QPalette::ButtonText,
                      QPalette::BrightText, QPalette::Light, QPalette::Midlight})
        p.setColor(role, white);
    p.setColor(QPalette::AlternateBase, QColor(0x1A, 0x1A, 0x1A));
    p.setColor(QPalette::Mid, QColor(0xC0, 0xC0, 0xC0)); // frames and borders: 12:1 on black
    p.setColor(QPalette::Dark, QColor(0xC0, 0xC0, 0xC0));
    p.setColor(QPalette::Highlight, yellow);
    p.setColor(QPalette::HighlightedText, black);
    p.setColor(QPalette::Link, yellow);
    p.setColor(QPalette::LinkVisited, QColor(0xFF, 0xB0, 0xFF));
    p.setColor(QPalette::PlaceholderText, QColor(0xC0, 0xC0, 0xC0));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0xA0, 0xA0, 0xA0)); // 8:1, still plainly dimmer than white
    return p;
}

QString themeName(Theme theme)
{
    return theme == Theme::Dark           ? QStringLiteral("dark")
           : theme == Theme::Light        ? QStringLiteral("light")
           : theme == Theme::HighContrast ? QStringLiteral("high-contrast")
                                          : QStringLiteral("system");
}

bool parseTheme(const QString &name, Theme &out)
{
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark, Theme::HighContrast})
        if (name == themeName(t)) {
            out = t;
            return true;
        }
    return false;
}

void applyTheme(Theme theme)
{
    if (!g_haveDesktopPalette) {
        g_desktopPalette = QApplication::palette();
        g_haveDesktopPalette = true;
    }
    g_theme = theme;
    const bool desktopDark = g_desktopPalette.color(QPalette::Window).lightness() < 128;
    g_highContrast = theme == Theme::HighContrast || (theme == Theme::System && desktopHighContrast());
    g_dark = g_highContrast || theme == Theme::Dark || (theme == Theme::System && desktopDark);
    // Fusion outlines check boxes and slider grooves in a darker window colour: none on black. Drawn white here.
    static const QString kHighContrastSheet = QStringLiteral(
        "QCheckBox::indicator { width: 13px; height: 13px; border: 2px solid white; background: black; }"
        "QCheckBox::indicator:checked { background: #FFE000; border-color: white; }"
        "QCheckBox::indicator:disabled { border-color: #A0A0A0; }"
        "QCheckBox:focus { outline: 2px solid #FFE000; }"
        "QSlider::groove:horizontal { height: 4px; background: #A0A0A0; border: 1px solid white; }"
        "QSlider::handle:horizontal { width: 12px; margin: -7px 0; background: white; border: 2px solid #FFE000; }");
    if (qApp->styleSheet() == kHighContrastSheet && !g_highContrast)
        qApp->setStyleSheet(QString());
    if (g_highContrast) {
        QApplication::setStyle(QStringLiteral("Fusion")); // draws its frames and focus from the palette
        QApplication::setPalette(highContrastPalette());
        qApp->setStyleSheet(kHighContrastSheet);
    } else if (g_dark && !desktopDark) {
        QApplication::setStyle(QStringLiteral("Fusion")); // styles drawn by the desktop ignore a dark palette
        QApplication::setPalette(darkPalette());
    } else {
        QApplication::setPalette(g_desktopPalette);
    }
}

Theme currentTheme()
{
    return g_theme;
}

bool darkThemeActive()
{
    return g_dark;
}

bool highContrastActive()
{
    return g_highContrast;
}

double themeLineScale()
{
    return g_highContrast ? 1.4 : 1.0;
}

ChartColors chartColors()
{
    if (g_highContrast) // the grid 5.3:1 on black: seen, yet plainly not a run's line
        return {Qt::black, Qt::white, QColor(0x80, 0x80, 0x80), QColor(0x4A, 0x4A, 0x4A), Qt::black};
    if (g_dark)
        return {QColor(0x1C, 0x1D, 0x20), QColor(0xE8, 0xE8, 0xE8), QColor(0x40, 0x42, 0x46), QColor(0x30, 0x32, 0x35),
                QColor(0x26, 0x28, 0x2B)};
    return {Qt::white, QColor(0x33, 0x33, 0x33), QColor(0xE0, 0xE0, 0xE0), QColor(0xF0, 0xF0, 0xF0), Qt::white};
}

BannerColors bannerColors()
{
    if (g_highContrast) // white text 21:1, the palette's yellow links 17:1
        return {Qt::black, QColor(0xFF, 0x60, 0x60), Qt::white, QColor(0xFF, 0xE0, 0x00)};
    if (g_dark) // a light blue link on the light red was 1.7:1; here 8.7:1 on dark red
        return {QColor(0x3B, 0x1A, 0x1A), QColor(0xE0, 0x5A, 0x5A), QColor(0xF2, 0xF2, 0xF2), QColor(0x9C, 0xCB, 0xFF)};
    return {colors::bannerBackground, colors::bannerBorder, QColor(0x20, 0x20, 0x20), QColor(0x0B, 0x4F, 0x9C)};
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart();
    chart->setTitle(title);
    chart->setTitleFont(chartFont(kTitlePointSize, true));
    chart->setBackgroundBrush(chartColors().background);
    chart->setTitleBrush(chartColors().text);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setFont(chartFont(kLabelPointSize));
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

QColor faintColor(const QColor &color)
{
    const QColor back = chartColors().background;
    const double k = 0.3; // as the colour at 30 % opacity over the background
    return QColor::fromRgbF(float(k * color.redF() + (1 - k) * back.redF()),
                            float(k * color.greenF() + (1 - k) * back.greenF()),
                            float(k * color.blueF() + (1 - k) * back.blueF()));
}

} // namespace reglab::ui
