#include "ui/window/statusline.h"

#include "ui/controls/controlpanel.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>

#include <cmath>

namespace reglab::ui {
namespace {

QString clockText(double seconds)
{
    const long s = std::lround(std::max(0.0, seconds));
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

StatusLine::StatusLine(QWidget *parent) : QStatusBar(parent)
{
    m_state = new QLabel(tr("Idle"), this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setMaximumWidth(220);
    m_progress->setFormat(tr("epoch %p%"));
    m_progress->setAccessibleName(tr("Epoch progress"));
    m_rate = new QLabel(this);
    m_eta = new QLabel(this);
    m_device = new QLabel(this);
    for (QWidget *w : {static_cast<QWidget *>(m_state), static_cast<QWidget *>(m_progress),
                       static_cast<QWidget *>(m_rate), static_cast<QWidget *>(m_eta), static_cast<QWidget *>(m_device)})
        addPermanentWidget(w);
    setAccessibleName(tr("Status"));
    // The whole text of a brief message goes with it; a screen reader reads the message as the bar's name (a
    // name change it is told of: QStatusBar paints the message, no label holds it).
    connect(this, &QStatusBar::messageChanged, this, [this](const QString &message) {
        setAccessibleName(message.isEmpty() ? tr("Status") : message);
        if (message != m_brief) {
            m_brief.clear();
            setToolTip({});
        }
    });
}

void StatusLine::showBrief(const QString &brief, const QString &whole)
{
    m_brief = brief;
    showMessage(brief);
    setToolTip(whole);
}

void StatusLine::follow(ControlPanel *controls)
{
    connect(controls, &ControlPanel::pauseRequested, this,
            [this] { showMessage(tr("Paused \u2014 press Space to resume")); });
    connect(controls, &ControlPanel::resumeRequested, this, &QStatusBar::clearMessage);
}

void StatusLine::begin()
{
    clearFigures();
    m_state->setText(tr("Starting"));
}

void StatusLine::clearFigures()
{
    m_progress->setValue(0);
    m_progress->setFormat(tr("epoch %p%"));
    m_rate->clear();
    m_eta->clear();
}

void StatusLine::setState(const QString &text)
{
    m_state->setText(text);
}

void StatusLine::onStarted(const reglab::RunInfo &info)
{
    // The kernels too: on a CPU that OpenBLAS does not know they decide a factor of three in speed.
    const QString device = QString::fromStdString(info.device), kernels = QString::fromStdString(info.kernels);
    m_deviceWhole = kernels.isEmpty() ? tr("Device: %1").arg(device) : tr("Device: %1 (%2)").arg(device, kernels);
    // A narrow window keeps the device and the kernels' name, not the words around them.
    m_deviceBrief = kernels.isEmpty() ? device : QStringLiteral("%1 \u00b7 %2").arg(device, kernels.section(u' ', -1));
    m_device->setToolTip(m_deviceWhole);
    fitDevice();
}

void StatusLine::fitDevice()
{
    m_device->setText(width() < kNarrow ? m_deviceBrief : m_deviceWhole);
}

void StatusLine::resizeEvent(QResizeEvent *event)
{
    QStatusBar::resizeEvent(event);
    fitDevice();
}

void StatusLine::onEvent(const reglab::TrainEvent &event)
{
    if (const auto *progress = std::get_if<reglab::Progress>(&event))
        onProgress(*progress);
}

void StatusLine::onProgress(const reglab::Progress &p)
{
    m_state->setText(tr("Epoch %1/%2").arg(p.epoch).arg(p.epochs));
    const double fraction = p.stepsPerEpoch > 0 ? double(p.stepInEpoch) / double(p.stepsPerEpoch) : 0.0;
    m_progress->setValue(int(std::lround(1000 * fraction)));
    m_progress->setFormat(p.evaluating ? tr("evaluating\u2026") : tr("epoch %p%"));
    if (p.samplesPerSecond > 0)
        m_rate->setText(tr("%1 samples/s").arg(QLocale().toString(std::lround(p.samplesPerSecond))));
    if (p.step > 0)
        m_eta->setText(tr("ETA %1").arg(clockText(p.etaSeconds)));
}

void StatusLine::onFinished(const reglab::RunRecord &record)
{
    m_progress->setFormat(tr("epoch %p%"));
    m_eta->clear(); // nothing is left to wait for, however the run ended
    const int epochs = int(record.epochs.size());
    const QString accuracy = record.epochs.empty()
                                 ? QString()
                                 : tr(", test accuracy %1 %").arg(100 * reglab::finalEpoch(record)->testAccuracy, 0, 'f', 2);
    switch (record.status) {
    case reglab::RunStatus::Finished:
        m_state->setText(tr("Finished"));
        m_progress->setValue(1000);
        // The state label beside it says "Finished": the message says what came of it.
        showMessage(record.epochs.empty()
                        ? tr("No epoch completed")
                        : tr("Test accuracy %1 % after %n epoch(s)", nullptr, epochs)
                              .arg(100 * reglab::finalEpoch(record)->testAccuracy, 0, 'f', 2));
        break;
    case reglab::RunStatus::Stopped:
        m_state->setText(tr("Stopped"));
        showMessage(tr("Stopped after %n epoch(s)%1", nullptr, epochs).arg(accuracy));
        break;
    case reglab::RunStatus::Diverged:
        m_state->setText(tr("Diverged"));
        break;
    case reglab::RunStatus::Failed:
    case reglab::RunStatus::Running:
        m_state->setText(tr("Failed"));
        break;
    }
}

} // namespace reglab::ui
