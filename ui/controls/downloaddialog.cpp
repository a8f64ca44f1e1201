#include "ui/controls/downloaddialog.h"

#include "model/datasource.h"
#include "model/idx.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QMessageBox>
#include <QMetaObject>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QShowEvent>
#include <QVBoxLayout>

#include <chrono>

namespace reglab::ui {

DownloadDialog::DownloadDialog(QString dir, std::vector<reglab::RemoteFile> files, std::vector<std::string> mirrors,
                               QWidget *parent)
    : QDialog(parent), m_dir(std::move(dir)), m_files(std::move(files)), m_mirrors(std::move(mirrors))
{
    setWindowTitle(tr("Download full MNIST"));
    m_label = new QLabel(tr("Downloading into %1\u2026").arg(m_dir), this);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 1000);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &DownloadDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_buttons);
    resize(520, 150);
}

DownloadDialog::~DownloadDialog()
{
    m_cancel->store(true);
    if (m_thread.joinable())
        m_thread.join(); // the callback sees the cancel within a fraction of a second
}

void DownloadDialog::start()
{
    if (m_started)
        return;
    m_started = true;
    QPointer<DownloadDialog> self(this);
    auto cancel = m_cancel;
    m_thread = std::thread([self, cancel, dir = m_dir.toStdString(), files = m_files, mirrors = m_mirrors] {
        bool ok = true;
        QString error;
        try {
            auto lastPost = std::chrono::steady_clock::now() - std::chrono::seconds(1);
            std::string lastFile;
            reglab::downloadFiles(dir, files, mirrors, [&](const reglab::DownloadProgress &p) {
                // curl reports every few milliseconds: the dialog hears of it at most 20 times a second.
                const auto now = std::chrono::steady_clock::now();
                if (p.file == lastFile && now - lastPost < std::chrono::milliseconds(50))
                    return !cancel->load();
                lastPost = now;
                lastFile = p.file;
                QMetaObject::invokeMethod(self, [self, p] {
                    if (self)
                        self->onProgress(p.fileIndex, p.fileCount, QString::fromStdString(p.file), p.received, p.total);
                });
                return !cancel->load();
            });
        } catch (const std::exception &e) {
            ok = false;
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(self, [self, ok, error] {
            if (self)
                self->onDone(ok, error);
        });
    });
}

void DownloadDialog::onProgress(int fileIndex, int fileCount, const QString &file, qint64 received, qint64 total)
{
    const double within = total > 0 ? double(received) / double(total) : 0.0;
    m_bar->setValue(int(1000 * (double(fileIndex - 1) + within) / std::max(1, fileCount)));
    m_label->setText(tr("Downloading %1 (%2 of %3): %4 of %5 MB")
                         .arg(file)
                         .arg(fileIndex)
                         .arg(fileCount)
                         .arg(received / 1e6, 0, 'f', 1)
                         .arg(total / 1e6, 0, 'f', 1));
}

void DownloadDialog::onDone(bool ok, const QString &error)
{
    if (m_thread.joinable())
        m_thread.join();
    m_finished = true;
    m_error = error;
    Q_EMIT finishedDownload(ok, error);
    if (ok) {
        m_bar->setValue(1000);
        accept();
        return;
    }
    m_label->setText(error.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")) +
                     tr("<br><br>Meanwhile the bundled MNIST sample (10,000 training and 10,000 test digits) needs "
                        "no network: choose <i>MNIST sample</i> as the dataset."));
    m_buttons->setStandardButtons(QDialogButtonBox::Close);
}

void DownloadDialog::reject()
{
    if (m_started && !m_finished) {
        m_cancel->store(true); // onDone follows with "cancelled" and the dialog closes then
        m_label->setText(tr("Cancelling\u2026"));
        connect(this, &DownloadDialog::finishedDownload, this, [this] { QDialog::reject(); });
        return;
    }
    QDialog::reject();
}

bool DownloadDialog::ensureMnist(QWidget *parent)
{
    try {
        reglab::resolveDataSource("mnist");
        return true;
    } catch (const reglab::DataError &) {
    }
    const QString dir = QString::fromStdString(reglab::defaultMnistDir());
    if (!reglab::downloadSupported()) {
        QMessageBox::warning(parent, tr("Full MNIST"),
                             tr("Full MNIST is not on this computer, and this build cannot download. Copy the four "
                                "MNIST .gz files into %1 or choose their folder with \"Folder\u2026\".")
                                 .arg(dir));
        return false;
    }
    if (QMessageBox::question(parent, tr("Full MNIST"),
                              tr("Full MNIST (60,000 training and 10,000 test digits, 11 MB) is not on this computer. "
                                 "Download it into %1?")
                                  .arg(dir)) != QMessageBox::Yes)
        return false;
    DownloadDialog dialog(dir, reglab::mnistFiles(), reglab::mnistMirrors(), parent);
    dialog.start();
    return dialog.exec() == QDialog::Accepted;
}

} // namespace reglab::ui
