#include "ui/banner.h"

#include "ui/palette.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace reglab::ui {

Banner::Banner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("banner"));
    setStyleSheet(QStringLiteral("#banner { background: %1; border: 2px solid %2; border-radius: 4px; }")
                      .arg(colors::bannerBackground.name(), colors::bannerBorder.name()));
    auto *layout = new QHBoxLayout(this);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
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
