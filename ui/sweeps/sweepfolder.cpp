#include "ui/sweeps/sweepfolder.h"

#include "model/sweepfolder.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace reglab::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SweepFolder", text);
}

} // namespace

QString sweepFolderNote(const QString &folder, const std::vector<std::string> &runNames, const QString &sweepFile,
                        const QString &json)
{
    if (runNames.empty() || folder.isEmpty())
        return {};
    const std::optional<reglab::SweepFolderScan> scan =
        reglab::scanSweepFolder(folder.toStdString(), runNames, sweepFile.toStdString(), json.toStdString());
    if (!scan)
        return {};
    const int existing = scan->existing, others = scan->others, runs = int(runNames.size());
    QString note;
    if (scan->earlierVersion)
        note = tr("The output folder holds records of an earlier version of this sweep (%1 differs): runs done "
                  "there are not run again with the new settings. Choose another output folder for a new sweep.")
                   .arg(QFileInfo(sweepFile).fileName());
    else if (existing == runs)
        note = tr("The output folder already holds a record of every run of this sweep: Run here runs only "
                  "stopped ones again.");
    else if (existing > 0)
        note = tr("The output folder already holds records of %1 of these %2: Run here resumes the sweep "
                  "(finished runs are skipped, stopped ones run again).")
                   .arg(existing)
                   .arg(runs == 1 ? tr("1 run") : tr("%1 runs").arg(runs));
    if (others > 0)
        note += (note.isEmpty() ? QString() : QStringLiteral(" ")) +
                (others == 1 ? tr("It also holds another record, which the sweep view shows too.")
                             : tr("It also holds %1 other records, which the sweep view shows too.").arg(others));
    return note;
}

} // namespace reglab::ui
