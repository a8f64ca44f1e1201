// Data sources in the window: the download dialog against a misbehaving server on 127.0.0.1 (progress, Cancel,
// a failure in plain words, never a damaged file), and full-size Fashion-MNIST end to end through the controls.
#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "guitest.h"

#include "model/download.h"
#include "model/md5.h"
#include "ui/controls/controlpanel.h"
#include "ui/controls/downloaddialog.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QFile>
#include <QProcess>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using reglab::ui::DownloadDialog;

namespace {

const QString kSample = QStringLiteral(REGLAB_SOURCE_DIR_FOR_TESTS "/resources/data/mnist-sample");

std::vector<reglab::RemoteFile> sampleFiles()
{
    std::vector<reglab::RemoteFile> files;
    for (const char *name : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                             "t10k-labels-idx1-ubyte.gz"})
        files.push_back({name, reglab::md5OfFile((kSample + QLatin1Char('/') + QLatin1String(name)).toStdString())});
    return files;
}

} // namespace

class TestDownload : public QObject {
    Q_OBJECT
    QProcess m_server;
    int m_port = 0;
    guitest::TestFolder m_dir;

    std::vector<std::string> mirror(const QString &mode) const
    {
        return {QStringLiteral("http://127.0.0.1:%1/%2/").arg(m_port).arg(mode).toStdString()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.enter());
        if (!reglab::downloadSupported())
            QSKIP("this build has no download support (libcurl)");
        m_server.start(QStringLiteral("python3"),
                       {QStringLiteral(REGLAB_SOURCE_DIR_FOR_TESTS "/tests/http_server.py"), kSample});
        QVERIFY(m_server.waitForReadyRead(10000));
        const QByteArray line = m_server.readLine();
        QVERIFY(line.startsWith("PORT "));
        m_port = line.mid(5).trimmed().toInt();
    }
    void cleanupTestCase()
    {
        m_server.kill();
        m_server.waitForFinished(3000);
    }

    void dialogDownloadsWithProgress()
    {
        const QString dir = m_dir.filePath(QStringLiteral("ok"));
        DownloadDialog dialog(dir, sampleFiles(), mirror(QStringLiteral("ok")));
        QSignalSpy done(&dialog, &DownloadDialog::finishedDownload);
        dialog.show();
        dialog.start();
        QVERIFY(done.wait(30000));
        QCOMPARE(done.first().at(0).toBool(), true);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
        for (const auto &f : sampleFiles())
            QCOMPARE(reglab::md5OfFile((dir + QLatin1Char('/') + QString::fromStdString(f.name)).toStdString()), f.md5);
    }

    void failureIsShownInPlainWords()
    {
        const QString dir = m_dir.filePath(QStringLiteral("corrupt"));
        DownloadDialog dialog(dir, {sampleFiles()[3]}, mirror(QStringLiteral("corrupt")));
        QSignalSpy done(&dialog, &DownloadDialog::finishedDownload);
        dialog.show();
        dialog.start();
        QVERIFY(done.wait(30000));
        QCOMPARE(done.first().at(0).toBool(), false);
        QVERIFY(dialog.errorText().contains(QStringLiteral("checksum mismatch")));
        QVERIFY(dialog.isVisible()); // stays open, saying what went wrong, with Close
        QVERIFY(!QFile::exists(dir + QStringLiteral("/t10k-labels-idx1-ubyte.gz")));
    }

    void cancelStopsAndLeavesNoFile()
    {
        const QString dir = m_dir.filePath(QStringLiteral("slow"));
        DownloadDialog dialog(dir, {sampleFiles()[2]}, mirror(QStringLiteral("slow")));
        QSignalSpy done(&dialog, &DownloadDialog::finishedDownload);
        dialog.show();
        dialog.start();
        QTest::qWait(300);
        dialog.reject(); // the Cancel button
        QVERIFY(done.wait(10000));
        QVERIFY(done.first().at(1).toString().contains(QStringLiteral("cancelled")));
        QTRY_VERIFY(!dialog.isVisible());
        QVERIFY(!QFile::exists(dir + QStringLiteral("/t10k-images-idx3-ubyte.gz")));
    }

    // Full-size data end to end: one Fashion-MNIST epoch (48,000 + 12,000 + 10,000 images) started from the
    // window's own controls, with Fashion's class names for the digit panel.
    void fashionThroughTheControls()
    {
        if (!QFile::exists(QStringLiteral("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
            QSKIP("Fashion-MNIST is not installed (scripts/setup.sh installs dataset-fashion-mnist)");
        reglab::ui::MainWindow window(false);
        reglab::app::TrainingController controller;
        reglab::app::connectWindow(window, controller);
        window.controls()->setConfig(reglab::ui::ControlPanel::defaultConfig());
        window.controls()->setDataSource(QStringLiteral("fashion"));
        window.controls()->widget<QSpinBox>("epochs")->setValue(1);
        window.show();
        guitest::Spy<reglab::RunInfo> started(&controller);
        guitest::Spy<reglab::RunRecord> finished(&controller);
        window.controls()->startAction()->trigger();
        QVERIFY(finished.wait(120000));
        const auto record = finished.last();
        QCOMPARE(int(record.status), int(reglab::RunStatus::Finished));
        QCOMPARE(record.dataName, std::string("Fashion-MNIST"));
        QCOMPARE(int(record.epochs.size()), 1);
        QVERIFY(record.epochs[0].testAccuracy > 0.5);
        QCOMPARE(started.count(), 1);
        const auto info = started.at(0);
        QCOMPARE(info.trainCount, 60000);
        QCOMPARE(info.classNames.at(9), std::string("Ankle boot"));
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isRunning(), 60000);
    }
};

QTEST_MAIN(TestDownload)
#include "test_gui_download.moc"
