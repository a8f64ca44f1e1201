// The matrix kernels as the window shows them: the status bar's device line names them while a run trains on the
// CPU (and not on a GPU), and `reglab --version` names them, after the same restart reglab-train makes.
#include "model/blaskernels.h"
#include "model/records.h"
#include "ui/window/statusline.h"

#include <QLabel>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

class KernelsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void statusBarNamesTheKernels()
    {
        reglab::ui::StatusLine status;
        status.resize(1200, 30);
        status.show();
        reglab::RunInfo info;
        info.device = "cpu";
        info.kernels = "OpenBLAS SkylakeX";
        status.onStarted(info);
        QCOMPARE(status.deviceLabel()->text(), QStringLiteral("Device: cpu (OpenBLAS SkylakeX)"));
        // A narrow window's bar keeps the device and the kernels; the whole line is the tooltip.
        status.resize(700, 30);
        QCOMPARE(status.deviceLabel()->text(), QStringLiteral("cpu \u00b7 SkylakeX"));
        QCOMPARE(status.deviceLabel()->toolTip(), QStringLiteral("Device: cpu (OpenBLAS SkylakeX)"));
        status.resize(1200, 30);
        info.device = "cuda:0";
        info.kernels.clear();
        status.onStarted(info);
        QCOMPARE(status.deviceLabel()->text(), QStringLiteral("Device: cuda:0"));
    }

    void versionNamesTheKernels()
    {
        QProcess reglab;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"OPENBLAS_CORETYPE", "REGLAB_BLAS_CHOSEN", "REGLAB_BLAS_CHECK_FAIL"})
            env.remove(QString::fromLatin1(name));
        reglab.setProcessEnvironment(env);
        reglab.start(QStringLiteral(REGLAB_GUI_EXE), {QStringLiteral("--version")});
        QVERIFY(reglab.waitForFinished(30000));
        QCOMPARE(reglab.exitCode(), 0);
        const QString out = QString::fromUtf8(reglab.readAllStandardOutput());
        QVERIFY2(out.startsWith(QStringLiteral("RegLab ")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("\nblas ")), qPrintable(out));
        // This test's own process did not choose: OpenBLAS's own core, and the one the window should end up with.
        const std::string own = reglab::blasKernels().core;
        const std::string preferred = reglab::preferredBlasCore(reglab::CpuFeatures::detect());
        if (own.empty() || qEnvironmentVariableIsSet("OPENBLAS_CORETYPE"))
            return;
        const std::string expected = reglab::blasCoreOlderThan(own, preferred) ? preferred : own;
        QVERIFY2(out.contains(QString::fromStdString(expected + " kernels")), qPrintable(out));
    }
};

QTEST_MAIN(KernelsTest)
#include "test_gui_kernels.moc"
