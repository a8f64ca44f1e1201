#include "ui/window/presetmenu.h"

#include "model/runfiles.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>

namespace reglab::ui {

QStringList PresetMenu::presetDirs()
{
    QStringList dirs;
    if (const std::string bundled = reglab::bundledPresetDir(); !bundled.empty())
        dirs << QString::fromStdString(bundled);
    dirs << QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/presets");
    return dirs;
}

PresetMenu::PresetMenu(const QStringList &dirs, QWidget *parent) : QMenu(tr("&Presets"), parent)
{
    std::vector<std::string> folders;
    for (const QString &dir : dirs)
        folders.push_back(dir.toStdString());
    const reglab::PresetList list = reglab::listPresets(folders);
    // Made before the window can show anything: the window puts this in its banner once it is built.
    QStringList skipped;
    for (const std::string &problem : list.problems)
        skipped << QString::fromStdString(problem).toHtmlEscaped();
    if (!skipped.isEmpty())
        m_skipped = tr("<b>Left out %n preset file(s)</b> (fix or remove them):<br>%1", nullptr, int(skipped.size()))
                        .arg(skipped.join(QStringLiteral("<br>")));
    if (list.presets.empty())
        addAction(tr("No presets found"))->setEnabled(false);
    for (const auto &entry : list.presets) {
        const QString file = QString::fromStdString(entry.file);
        m_files << file;
        m_names << QString::fromStdString(entry.preset.name);
        QAction *a = addAction(QString::fromStdString(entry.preset.name) + QStringLiteral("\u2026"), this,
                               [this, file] { confirm(file); });
        a->setToolTip(QString::fromStdString(entry.preset.description));
    }
    addSeparator();
    addAction(tr("Stop the preset after this run"), this, &PresetMenu::cancelRequested);
    setToolTipsVisible(true);
}

QString PresetMenu::fileFor(const QString &wanted, QStringList *known) const
{
    QString found;
    for (int i = 0; i < m_files.size(); ++i) {
        const QString base = QFileInfo(m_files[i]).completeBaseName();
        if (known)
            *known << QStringLiteral("\"%1\" (%2)").arg(m_names[i], base);
        if (found.isEmpty() && (base == wanted || base.section(QLatin1Char('-'), 1) == wanted ||
                                m_names[i].compare(wanted, Qt::CaseInsensitive) == 0))
            found = m_files[i];
    }
    return found;
}

void PresetMenu::confirm(const QString &file)
{
    reglab::Preset preset;
    try {
        preset = reglab::loadPreset(file.toStdString(), reglab::TrainConfig{});
    } catch (const std::exception &e) {
        Q_EMIT problem(tr("Could not read the preset %1: %2")
                           .arg(file.toHtmlEscaped(), QString::fromStdString(e.what()).toHtmlEscaped()));
        return;
    }
    QStringList lines;
    int optional = 0;
    for (const auto &run : preset.runs) {
        lines << QStringLiteral("\u2022 %1%2")
                     .arg(QString::fromStdString(run.label), run.optional ? tr(" (optional)") : QString());
        optional += run.optional ? 1 : 0;
    }
    QMessageBox box(QMessageBox::Question, QString::fromStdString(preset.name),
                    QString::fromStdString(preset.description) + QStringLiteral("\n\n") +
                        lines.join(QLatin1Char('\n')) +
                        tr("\n\nThe runs use the dataset, device, seed and folds set in the controls."),
                    QMessageBox::Cancel, parentWidget());
    QPushButton *run =
        box.addButton(tr("Run %n", nullptr, int(preset.runs.size()) - optional), QMessageBox::AcceptRole);
    QPushButton *all =
        optional ? box.addButton(tr("Run all %n", nullptr, int(preset.runs.size())), QMessageBox::AcceptRole) : nullptr;
    box.setDefaultButton(run);
    box.exec();
    if (box.clickedButton() == run || (all && box.clickedButton() == all))
        Q_EMIT presetChosen(file, box.clickedButton() == all);
}

bool PresetMenu::start(const QString &file, bool withOptional, const reglab::TrainConfig &base)
{
    reglab::Preset preset;
    try {
        preset = reglab::loadPreset(file.toStdString(), base);
    } catch (const std::exception &e) {
        Q_EMIT problem(tr("Could not read the preset %1: %2")
                           .arg(file.toHtmlEscaped(), QString::fromStdString(e.what()).toHtmlEscaped()));
        return false;
    }
    std::vector<reglab::PresetRun> runs;
    for (const auto &run : preset.runs)
        if (withOptional || !run.optional)
            runs.push_back(run);
    Q_EMIT presetRequested(QString::fromStdString(preset.name), runs);
    return true;
}

} // namespace reglab::ui
