#include "ui/sweeps/sweepfolder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <set>

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
    if (runNames.empty() || folder.isEmpty() || !QFileInfo(folder).isDir())
        return {};
    std::set<QString> ours;
    int existing = 0;
    for (const std::string &name : runNames) {
        const QString file = QString::fromStdString(name) + QStringLiteral(".json");
        ours.insert(file);
        existing += QFileInfo::exists(QDir(folder).filePath(file)) ? 1 : 0;
    }
    int others = 0;
    for (const QString &file : QDir(folder).entryList({QStringLiteral("*.json")}, QDir::Files))
        others += ours.count(file) ? 0 : 1;
    const int runs = int(runNames.size());
    QString note;
    QFile previous(sweepFile);
    if (existing > 0 && previous.size() < (1 << 20) && previous.open(QIODevice::ReadOnly) &&
        QString::fromUtf8(previous.readAll()) != json)
        note = tr("The output folder holds records of an earlier version of this sweep (%1 differs): runs done "
                  "there are not run again with the new settings. Choose another output folder for a new sweep.")
                   .arg(QFileInfo(previous).fileName());
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
