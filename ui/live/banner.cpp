#include "ui/live/banner.h"

#include "ui/charts/palette.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QTextDocument>
#include <QPalette>
#include <QToolButton>

#include <algorithm>

namespace reglab::ui {
namespace {

// The banner as a screen reader sees it: an alert, which a reader announces when it shows (Qt 6.4 has no
// announcement event; Orca reads an alert's text as it appears).
QAccessibleInterface *bannerFactory(const QString &, QObject *object)
{
    auto *banner = qobject_cast<Banner *>(object);
    return banner ? new QAccessibleWidget(banner, QAccessible::AlertMessage) : nullptr;
}

} // namespace

Banner::Banner(QWidget *parent) : QFrame(parent)
{
    static const bool accessible = [] {
        QAccessible::installFactory(bannerFactory);
        return true;
    }();
    Q_UNUSED(accessible);
    setObjectName(QStringLiteral("banner"));
    auto *layout = new QHBoxLayout(this);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse |
                                    Qt::LinksAccessibleByKeyboard);
    connect(m_text, &QLabel::linkActivated, this, &Banner::linkActivated);
    m_text->setFont(chartFont(kAxisTitlePointSize));
    auto *dismiss = new QToolButton(this);
    dismiss->setText(QStringLiteral("\u2715"));
    dismiss->setToolTip(tr("Hide this message"));
    dismiss->setAccessibleName(dismiss->toolTip()); // read as words, not as "multiplication x"
    dismiss->setAutoRaise(true);
    connect(dismiss, &QToolButton::clicked, this, [this] { showMessage({}); });
    layout->addWidget(m_text, 1);
    layout->addWidget(dismiss, 0, Qt::AlignTop);
    applyColors();
    hide();
}

void Banner::applyColors()
{
    // The close button's "x" in the text's colour, not the application's (light on light red in the dark theme).
    const BannerColors c = bannerColors();
    const QString sheet = QStringLiteral("#banner { background: %1; border: 2px solid %2; border-radius: 4px; }"
                                         " #banner QLabel, #banner QToolButton { color: %3; }")
                              .arg(c.background.name(), c.border.name(), c.text.name());
    if (sheet != m_colors) {
        m_colors = sheet;
        setStyleSheet(sheet);
    }
    // Rich text draws links in the palette's link colour, which a style sheet does not set; set again after every
    // style change (re-applying a style sheet restores the label's palette from before).
    QPalette palette = m_text->palette();
    if (palette.color(QPalette::Link) == c.link)
        return;
    palette.setColor(QPalette::Link, c.link);
    palette.setColor(QPalette::LinkVisited, c.link);
    m_text->setPalette(palette);
}

void Banner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    // A new theme comes as a new application palette (and, for high contrast, style sheet).
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange ||
        event->type() == QEvent::StyleChange)
        applyColors();
}

void Banner::showMessage(const QString &text)
{
    // Another message while one shows: hidden and shown again, so that a reader announces it as new.
    if (!isHidden() && !text.isEmpty() && text != m_text->text())
        hide();
    m_text->setText(text);
    QTextDocument plain;
    plain.setHtml(text);
    setAccessibleName(plain.toPlainText()); // the alert's name is its message, without the markup
    setVisible(!text.isEmpty());
    place();
    if (!text.isEmpty()) {
        QAccessibleEvent alert(this, QAccessible::Alert);
        QAccessible::updateAccessibility(&alert);
    }
}

void Banner::overlay(QWidget *target)
{
    m_target = target;
    target->installEventFilter(this);
    place();
}

bool Banner::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_target && (event->type() == QEvent::Resize || event->type() == QEvent::Move))
        place();
    return QFrame::eventFilter(watched, event);
}

void Banner::place()
{
    if (!m_target || isHidden())
        return;
    // A little in from the charts' edges, as tall as the wrapped text needs (never taller than the charts).
    const QRect area = m_target->geometry().adjusted(8, 4, -8, -4);
    const int needed = hasHeightForWidth() ? heightForWidth(area.width()) : sizeHint().height();
    setGeometry(area.x(), area.y(), area.width(), std::min(needed, area.height()));
    raise();
}

QString Banner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

} // namespace reglab::ui
