// The animation's dialog: a form of the AnimationSettings, with a line saying the frames and pixels it makes.
#include "ui/figures/animationdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include <cmath>

namespace reglab::ui {

AnimationDialog::AnimationDialog(const AnimationSettings &settings, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Export animation of the shown runs"));
    auto *form = new QFormLayout(this);
    m_metric = new QComboBox(this);
    for (const QString &key : metricNames())
        m_metric->addItem(metricTitle(key.toStdString()), key);
    m_metric->addItem(tr("First layer's weight images (runs trained since RegLab started)"),
                      QString::fromLatin1(kWeightsContent));
    m_metric->setCurrentIndex(std::max(0, m_metric->findData(QString::fromStdString(settings.metric))));
    form->addRow(tr("Shows"), m_metric);

    m_use = new QComboBox(this);
    m_use->addItem(tr("A slide (16:9, 1920x1080)"), QStringLiteral("slide"));
    m_use->addItem(tr("A paper's page width (7 in)"), QStringLiteral("page"));
    m_use->addItem(tr("A paper's column (3.5 in)"), QStringLiteral("column"));
    m_use->addItem(tr("A size of its own"), QStringLiteral("custom"));
    m_use->setCurrentIndex(std::max(0, m_use->findData(settings.use)));
    form->addRow(tr("For"), m_use);
    m_size = new QLineEdit(settings.size, this);
    m_size->setToolTip(tr("WxH in pixels (1280x720), inches (3.5x2.5in) or points (504x288pt)"));
    form->addRow(tr("Size"), m_size);

    m_fps = new QSpinBox(this);
    m_fps->setRange(1, AnimationSettings::kMaxFps);
    m_fps->setValue(settings.fps);
    m_fps->setSuffix(tr(" frames a second"));
    form->addRow(tr("Rate"), m_fps);
    m_seconds = new QDoubleSpinBox(this);
    m_seconds->setRange(1, AnimationSettings::kMaxSeconds);
    m_seconds->setDecimals(1);
    m_seconds->setValue(settings.seconds);
    m_seconds->setSuffix(tr(" s"));
    form->addRow(tr("Length"), m_seconds);

    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    form->addRow(m_summary);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Choose file\u2026"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);

    connect(m_metric, &QComboBox::currentIndexChanged, this, &AnimationDialog::updateSummary);
    connect(m_use, &QComboBox::currentIndexChanged, this, &AnimationDialog::updateSummary);
    connect(m_size, &QLineEdit::textChanged, this, &AnimationDialog::updateSummary);
    connect(m_fps, &QSpinBox::valueChanged, this, &AnimationDialog::updateSummary);
    connect(m_seconds, &QDoubleSpinBox::valueChanged, this, &AnimationDialog::updateSummary);
    updateSummary();
}

AnimationSettings AnimationDialog::settings() const
{
    AnimationSettings s;
    s.metric = m_metric->currentData().toString().toStdString();
    s.use = m_use->currentData().toString();
    s.size = m_size->text().trimmed();
    s.fps = m_fps->value();
    s.seconds = m_seconds->value();
    return s;
}

void AnimationDialog::updateSummary()
{
    m_size->setEnabled(m_use->currentData().toString() == QLatin1String("custom"));
    const AnimationSettings s = settings();
    FigureUse use;
    if (const QString e = s.figureUse(use); !e.isEmpty()) {
        m_summary->setText(e);
        return;
    }
    m_summary->setText((s.metric == kWeightsContent
                            ? tr("%1 frames of %2x%3 pixels; each shown run's weight images epoch by epoch, on one "
                                 "colour scale, ending on the last epoch's")
                            : tr("%1 frames of %2x%3 pixels; the runs grow epoch by epoch and end on the still figure"))
                           .arg(s.frames())
                           .arg(std::lround(use.size.width() * use.pngScale))
                           .arg(std::lround(use.size.height() * use.pngScale)));
}

void AnimationDialog::accept()
{
    FigureUse use;
    if (const QString e = settings().figureUse(use); !e.isEmpty()) {
        m_summary->setText(e);
        m_size->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace reglab::ui
