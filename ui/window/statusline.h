// The status bar: where training stands (epoch x/N, the epoch's progress, samples/s, ETA, device) beside the
// passing messages.
#pragma once

#include "model/records.h"
#include "model/runrecord.h"
#include "ui/runs/runview.h"

#include <QStatusBar>

class QLabel;
class QProgressBar;

namespace reglab::ui {

class ControlPanel;

class StatusLine : public QStatusBar, public RunView {
    Q_OBJECT
public:
    explicit StatusLine(QWidget *parent = nullptr);

    // Says "Paused" while the controls' run is paused.
    void follow(ControlPanel *controls);
    // A run is about to start: the figures of the last one go.
    void begin();
    // RunView: the device from the run's start, where it stands from its progress; clear() is clearFigures().
    void onStarted(const reglab::RunInfo &info) override;
    void onEvent(const reglab::TrainEvent &event) override;
    void clear() override { clearFigures(); }
    void onProgress(const reglab::Progress &progress);
    void onFinished(const reglab::RunRecord &record);
    // "Idle", "Stopping", ...: what the left label says between runs.
    void setState(const QString &text);
    void clearFigures();
    // A passing message in words that fit a 1024x768 window's bar beside the figures; `whole`, the full text, is
    // its tooltip while it shows.
    void showBrief(const QString &brief, const QString &whole);

    QLabel *stateLabel() const { return m_state; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *etaLabel() const { return m_eta; }
    QLabel *deviceLabel() const { return m_device; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    // Below this width (a window under about 1024 px) the device line is brief; its tooltip is whole.
    static constexpr int kNarrow = 1000;
    void fitDevice();

    QString m_deviceWhole, m_deviceBrief;
    QLabel *m_state, *m_rate, *m_eta, *m_device;
    QProgressBar *m_progress;
    QString m_brief; // the message showBrief() shows, whose tooltip is the whole text
};

} // namespace reglab::ui
