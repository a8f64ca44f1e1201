// The themes' contrast by WCAG 2.1 (relative luminance): the high-contrast theme gives text at least 4.5:1 and
// every line a run or a reference draws at least 3:1 on the plot's background; the light and dark themes' text
// passes too, and their run colours' figures are printed. The error banner's text and link pass in every theme.
// The desktop's high-contrast setting is followed, and each run's style (dash and marker) is its own.
#include "ui/charts/desktopcontrast.h"
#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"
#include "ui/live/banner.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPalette>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>

using namespace reglab::ui;

namespace {

double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &c)
{
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

struct Pair {
    const char *what;
    QPalette::ColorRole fore, back;
};
const Pair kTextPairs[] = {{"window text", QPalette::WindowText, QPalette::Window},
                           {"text", QPalette::Text, QPalette::Base},
                           {"button text", QPalette::ButtonText, QPalette::Button},
                           {"highlighted text", QPalette::HighlightedText, QPalette::Highlight},
                           {"tooltip", QPalette::ToolTipText, QPalette::ToolTipBase}};

// The run colours below 3:1 on the theme's plot background, as "#rrggbb 2.1".
QStringList weakRunColours(double &lowest)
{
    QStringList weak;
    lowest = 100;
    for (const QColor &c : runPalette()) {
        const double r = contrast(c, chartColors().background);
        lowest = std::min(lowest, r);
        if (r < 3)
            weak << QStringLiteral("%1 %2").arg(c.name()).arg(r, 0, 'f', 2);
    }
    return weak;
}

} // namespace

class ContrastTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theFormulaIsWcags()
    {
        QCOMPARE(std::round(contrast(Qt::black, Qt::white) * 100) / 100, 21.0);
        QCOMPARE(std::round(contrast(QColor(0x76, 0x76, 0x76), Qt::white) * 100) / 100, 4.54); // WebAIM's example
    }

    void highContrastPassesAA()
    {
        applyTheme(Theme::HighContrast);
        QVERIFY(highContrastActive());
        QVERIFY(darkThemeActive());
        QVERIFY(themeLineScale() > 1);
        const ChartColors c = chartColors();
        QVERIFY2(contrast(c.text, c.background) >= 4.5, "chart text");
        QVERIFY2(contrast(c.grid, c.background) >= 3, "grid");
        for (const QColor &run : runPalette())
            QVERIFY2(contrast(run, c.background) >= 3, qPrintable(run.name()));
        for (const QColor &ref : referenceColors())
            QVERIFY2(contrast(ref, c.background) >= 3, qPrintable(ref.name()));
        for (const QColor &part : {colors::dataLoss, colors::l1Term, colors::l2Term, colors::validation, colors::test})
            QVERIFY2(contrast(part, c.background) >= 3, qPrintable(part.name()));
        const QPalette p = QApplication::palette();
        for (const Pair &pair : kTextPairs)
            QVERIFY2(contrast(p.color(pair.fore), p.color(pair.back)) >= 4.5, pair.what);
        QVERIFY2(contrast(p.color(QPalette::PlaceholderText), p.color(QPalette::Base)) >= 4.5, "placeholder");
        QVERIFY2(contrast(p.color(QPalette::Link), p.color(QPalette::Base)) >= 4.5, "link");
        QVERIFY2(contrast(p.color(QPalette::Mid), p.color(QPalette::Window)) >= 3, "frames");
        double lowest = 0;
        QVERIFY(weakRunColours(lowest).isEmpty());
        qInfo("high contrast: text %.1f:1, grid %.1f:1, lowest run colour %.2f:1, chance line %.1f:1",
              contrast(c.text, c.background), contrast(c.grid, c.background), lowest,
              contrast(colors::chance, c.background));
    }

    // Light and dark: their text passes; run colours under 3:1 (Tableau's light hues on white) are reported, not
    // failed: a run keeps its colour in every theme, and its dashes and markers tell it apart there.
    void lightAndDarkTextPasses()
    {
        for (Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            QVERIFY(!highContrastActive());
            const ChartColors c = chartColors();
            QVERIFY2(contrast(c.text, c.background) >= 4.5, qPrintable(themeName(theme)));
            if (theme == Theme::Dark) { // the light theme's application palette is the desktop's own
                const QPalette p = QApplication::palette();
                for (const Pair &pair : kTextPairs)
                    QVERIFY2(contrast(p.color(pair.fore), p.color(pair.back)) >= 4.5, pair.what);
            }
            double lowest = 0;
            const QStringList weak = weakRunColours(lowest);
            qInfo("%s: chart text %.1f:1; run colours under 3:1 on the plot: %lld of %lld (%s)",
                  qPrintable(themeName(theme)), contrast(c.text, c.background), static_cast<long long>(weak.size()),
                  static_cast<long long>(runPalette().size()), qPrintable(weak.join(QStringLiteral(", "))));
        }
    }

    // The error banner in each theme: its text (and close button) and its link at least 4.5:1 on its background,
    // its frame 3:1 on the charts it floats over; a banner made before the theme changed takes the new colours.
    void bannerPassesAA()
    {
        applyTheme(Theme::Light);
        Banner banner;
        banner.showMessage(QStringLiteral("<b>Problem</b> and <a href=\"restart\">start afresh</a>"));
        for (Theme theme : {Theme::Light, Theme::Dark, Theme::HighContrast}) {
            applyTheme(theme);
            const BannerColors b = bannerColors();
            const QString what = themeName(theme);
            QVERIFY2(contrast(b.text, b.background) >= 4.5, qPrintable(what + QStringLiteral(" text")));
            QVERIFY2(contrast(b.link, b.background) >= 4.5, qPrintable(what + QStringLiteral(" link")));
            QVERIFY2(contrast(b.border, chartColors().background) >= 3, qPrintable(what + QStringLiteral(" frame")));
            const QLabel *text = banner.findChild<QLabel *>();
            QVERIFY(text);
            QCOMPARE(text->palette().color(QPalette::Link), b.link);
            QVERIFY2(banner.styleSheet().contains(b.text.name()) && banner.styleSheet().contains(b.background.name()),
                     qPrintable(banner.styleSheet()));
            qInfo("%s banner: text %.1f:1, link %.1f:1, frame %.1f:1 on the charts", qPrintable(what),
                  contrast(b.text, b.background), contrast(b.link, b.background),
                  contrast(b.border, chartColors().background));
        }
        applyTheme(Theme::Light);
    }

    void theThemeIsNamedAndParsed()
    {
        Theme t = Theme::Light;
        QVERIFY(parseTheme(QStringLiteral("high-contrast"), t));
        QCOMPARE(t, Theme::HighContrast);
        QCOMPARE(themeName(Theme::HighContrast), QStringLiteral("high-contrast"));
        QVERIFY(!parseTheme(QStringLiteral("highcontrast"), t));
    }

    void theDesktopsHighContrastIsFollowed()
    {
        QVERIFY(isHighContrastName(QStringLiteral("HighContrast")));
        QVERIFY(isHighContrastName(QStringLiteral("HighContrastInverse")));
        QVERIFY(isHighContrastName(QStringLiteral("Adwaita-high-contrast")));
        QVERIFY(isHighContrastName(QStringLiteral("Breeze High Contrast")));
        QVERIFY(!isHighContrastName(QStringLiteral("Adwaita-dark")));
        QVERIFY(!isHighContrastName(QString()));
        qputenv("GTK_THEME", "HighContrast");
        applyTheme(Theme::System);
        QVERIFY(highContrastActive());
        QCOMPARE(currentTheme(), Theme::System); // remembered as "system": it follows the desktop
        qputenv("GTK_THEME", "Adwaita");
        applyTheme(Theme::System);
        QVERIFY(!highContrastActive() || desktopHighContrast());
        qunsetenv("GTK_THEME");
        // REGLAB_HIGH_CONTRAST: 1, true or yes; a value it does not know is warned about, not taken silently.
        qputenv("REGLAB_HIGH_CONTRAST", "Yes");
        QVERIFY(desktopHighContrast());
        qputenv("REGLAB_HIGH_CONTRAST", "on please");
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("REGLAB_HIGH_CONTRAST='on please' is not understood")));
        desktopHighContrast();
        qunsetenv("REGLAB_HIGH_CONTRAST");
        applyTheme(Theme::Light);
    }

    // The desktop's settings files as GTK and KDE write them, and damaged: KDE's [General] ColorScheme is found
    // (QSettings took [General] for its top level and never found it), a value with a comma is a name, and a
    // directory, a FIFO, binary junk, a file with no newline or one of megabytes neither stall nor mislead.
    void theDesktopsSettingsFilesAreRead()
    {
        const QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString config = dir.filePath(QStringLiteral("config"));
        QVERIFY(QDir().mkpath(config + QStringLiteral("/gtk-3.0")));
        QVERIFY(QDir().mkpath(config + QStringLiteral("/gtk-4.0/settings.ini"))); // a folder, not a file
        const auto write = [](const QString &path, const QByteArray &bytes) {
            QFile file(path);
            return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
        };
        const QString kde = config + QStringLiteral("/kdeglobals");
        const QString gtk = config + QStringLiteral("/gtk-3.0/settings.ini");
        QVERIFY(!configNamesHighContrast(config));
        QVERIFY(write(kde, "[General]\nColorScheme[$e]=BreezeHighContrast\nwidgetStyle=Breeze\n[KDE]\nx=1\n"));
        QVERIFY(configNamesHighContrast(config));
        QVERIFY(write(kde, "[General]\nColorScheme=BreezeDark\n[Other]\nColorScheme=HighContrast"));
        QVERIFY(!configNamesHighContrast(config)); // another section's key is not the scheme
        QVERIFY(write(gtk, "[Settings]\ngtk-theme-name=HighContrast,extra")); // no newline; a comma
        QVERIFY(configNamesHighContrast(config));
        QByteArray junk(4 * 1024 * 1024, '\0');
        for (int i = 0; i < junk.size(); ++i)
            junk[i] = char(i * 7919 % 251);
        QVERIFY(write(gtk, junk + "\n[Settings]\ngtk-theme-name=HighContrast\n"));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!configNamesHighContrast(config)); // past the first 256 KiB: not read
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!configNamesHighContrast(dir.filePath(QStringLiteral("none"))));
        // A FIFO with no writer (QSettings blocked the start on it for ever).
        QVERIFY(QFile::remove(gtk));
        QCOMPARE(::mkfifo(QFile::encodeName(gtk).constData(), 0600), 0);
        QVERIFY(!configNamesHighContrast(config));
    }

    // Run k has dash k mod 6 and marker (k + k/6) mod 6: the palette's 18 colours have 18 different pairs, and a
    // colour's style is its place in the palette.
    void eachRunHasItsOwnStyle()
    {
        QSet<QPair<int, int>> pairs;
        const QList<QColor> palette = runPalette();
        for (int k = 0; k < palette.size(); ++k) {
            const RunStyle s = runStyleOf(palette[k]);
            QCOMPARE(s.index, k);
            pairs.insert({k % kRunDashCount, int(s.marker)});
            QCOMPARE(s.solid(), k % kRunDashCount == 0);
        }
        QCOMPARE(int(pairs.size()), int(palette.size()));
        QCOMPARE(runStyleOf(colors::chance).index, -1);
        QSet<QString> first;
        for (int k = 0; k < kRunDashCount; ++k)
            first.insert(pgfplotsDash(runStyleAt(k)) + pgfplotsMark(runStyleAt(k)));
        QCOMPARE(int(first.size()), kRunDashCount);
    }
};

QTEST_MAIN(ContrastTest)
#include "test_gui_contrast.moc"
