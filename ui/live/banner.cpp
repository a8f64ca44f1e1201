#include "ui/live/banner.h"

#include "ui/charts/palette.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace reglab::ui {

Banner::Banner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("banner"));
    // Dark text on a light red in either theme: the banner is meant to stand out.
    setStyleSheet(QStringLiteral("#banner { background: %1; border: 2px solid %2; border-radius: 4px; }"
                                 " #banner QLabel { color: #202020; }")
                      .arg(colors::bannerBackground.name(), colors::bannerBorder.name()));
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
    dismiss->setAutoRaise(true);
    connect(dismiss, &QToolButton::clicked, this, [this] { showMessage({}); });
    layout->addWidget(m_text, 1);
    layout->addWidget(dismiss, 0, Qt::AlignTop);
    hide();
}

void Banner::showMessage(const QString &text)
{
    m_text->setText(text);
    setVisible(!text.isEmpty());
}

QString Banner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

} // namespace reglab::ui
