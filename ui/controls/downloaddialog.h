// Downloading full MNIST from the window: a progress bar, Cancel, and in plain words what went wrong. The
// work is the core's downloadFiles() on a thread of its own; this dialog only shows its progress.
#pragma once

#include "model/download.h"

#include <QDialog>

#include <atomic>
#include <memory>
#include <thread>

class QDialogButtonBox;
class QLabel;
class QProgressBar;

namespace reglab::ui {

class DownloadDialog : public QDialog {
    Q_OBJECT
public:
    DownloadDialog(QString dir, std::vector<reglab::RemoteFile> files, std::vector<std::string> mirrors,
                   QWidget *parent = nullptr);
    ~DownloadDialog() override; // cancels and waits for the download thread

    // Starts the download (exec() does so too); the dialog accepts itself when every file is verified.
    void start();
    QString errorText() const { return m_error; }
    bool isFinished() const { return m_finished; }
    QProgressBar *progressBar() const { return m_bar; }

    // Full MNIST for the window: true when it is already on this computer, or once the user has agreed to
    // download it and it arrived; false, with nothing changed, otherwise.
    static bool ensureMnist(QWidget *parent);

public Q_SLOTS:
    void reject() override; // Cancel: stops the download (what was fetched is kept for a resume)

Q_SIGNALS:
    void finishedDownload(bool ok, const QString &error);

private:
    void onProgress(int fileIndex, int fileCount, const QString &file, qint64 received, qint64 total);
    void onDone(bool ok, const QString &error);

    QString m_dir;
    std::vector<reglab::RemoteFile> m_files;
    std::vector<std::string> m_mirrors;
    QLabel *m_label;
    QProgressBar *m_bar;
    QDialogButtonBox *m_buttons;
    std::thread m_thread;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    QString m_error;
    bool m_started = false, m_finished = false;
};

} // namespace reglab::ui
