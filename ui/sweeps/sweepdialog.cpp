#include "ui/sweeps/sweepdialog.h"
#include "ui/sweeps/labelledrow.h"

#include "model/runfiles.h"
#include "model/safefile.h"
#include "ui/runs/runlist.h"
#include "ui/sweeps/sweepfolder.h"
#include "ui/sweeps/sweepgrid.h"
#include "ui/sweeps/sweepview.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

namespace reglab::ui {

namespace {

// "L1 strength sweep" -> "l1-strength-sweep": a folder name that needs no quoting.
QString slug(const QString &name)
{
    QString out;
    for (const QChar c : name.toLower())
        out += c.isLetterOrNumber() && c.unicode() < 128 ? c : QLatin1Char('-');
    while (out.contains(QStringLiteral("--")))
        out.replace(QStringLiteral("--"), QStringLiteral("-"));
    out = out.mid(out.startsWith(QLatin1Char('-')) ? 1 : 0);
    if (out.endsWith(QLatin1Char('-')))
        out.chop(1);
    return out.isEmpty() ? QStringLiteral("sweep") : out;
}

// "1 run", "24 runs": whole words, where the CLI writes "run(s)".
QString plural(int n, const QString &one, const QString &many)
{
    return n == 1 ? one : many.arg(n);
}

QPlainTextEdit *codeBox(QWidget *parent)
{
    auto *box = new QPlainTextEdit(parent);
    box->setReadOnly(true);
    box->setLineWrapMode(QPlainTextEdit::NoWrap);
    box->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return box;
}

} // namespace

SweepDialog::SweepDialog(SweepJob *job, RunList *runs, QWidget *parent, const SettingsStore &store)
    : QDialog(parent), m_runs(runs), m_store(store), m_runner(job)
{
    setWindowTitle(tr("New sweep"));
    m_runner->setParent(this);
    auto *layout = new QVBoxLayout(this);

    auto *top = new QFormLayout;
    m_name = new QLineEdit(tr("L1 strength sweep"), this);
    top->addRow(tr("&Name:"), m_name);
    auto *outRow = new QHBoxLayout;
    m_outDir = new QLineEdit(this);
    m_outDir->setToolTip(tr("Each run's record goes here; running the same sweep into it again resumes it"));
    auto *browse = new QPushButton(tr("&Browse\u2026"), this);
    outRow->addWidget(m_outDir, 1);
    outRow->addWidget(browse);
    auto *outLabel = new QLabel(tr("&Output folder:"), this);
    outLabel->setBuddy(m_outDir); // a row of a layout gets no buddy of its own
    top->addRow(outLabel, outRow);
    layout->addLayout(top);

    auto *gridBox = new QGroupBox(tr("Grid: every combination of these values is one run"), this);
    auto *gridLayout = new QVBoxLayout(gridBox);
    m_grid = new SweepGrid(gridBox);
    gridLayout->addWidget(m_grid);
    auto *gridRow = new QHBoxLayout;
    auto *add = new QPushButton(tr("&Add setting"), gridBox);
    add->setToolTip(tr("Vary another setting too: the runs are the product of the rows"));
    gridRow->addWidget(add);
    gridRow->addSpacing(12);
    m_seeds = new QSpinBox(gridBox);
    m_seeds->setRange(1, 1000);
    m_seeds->setToolTip(tr("Each combination is run with this many seeds (the window's seed and the next ones), "
                           "so the path shows their mean and spread"));
    m_epochs = new QSpinBox(gridBox);
    m_epochs->setRange(1, 100000);
    m_data = new QComboBox(gridBox);
    m_data->addItem(tr("Bundled sample"), QStringLiteral("sample"));
    m_data->addItem(tr("MNIST"), QStringLiteral("mnist"));
    m_data->addItem(tr("Fashion-MNIST"), QStringLiteral("fashion"));
    addLabelled(gridRow, tr("&Seeds:"), m_seeds);
    addLabelled(gridRow, tr("&Epochs:"), m_epochs);
    addLabelled(gridRow, tr("&Data set:"), m_data);
    gridRow->addStretch(1);
    gridLayout->addLayout(gridRow);
    m_baseLabel = new QLabel(gridBox);
    m_baseLabel->setWordWrap(true);
    gridLayout->addWidget(m_baseLabel);
    layout->addWidget(gridBox);

    m_count = new QLabel(this);
    m_count->setWordWrap(true);
    m_count->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_count);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);

    m_tabs = new QTabWidget(this);
    m_preview = codeBox(m_tabs);
    m_preview->setPlaceholderText(tr("The sweep file appears here once the grid can run."));
    m_preview->setAccessibleName(tr("Sweep file (JSON)"));
    m_tabs->addTab(m_preview, tr("Sweep &file (JSON)"));
    auto *cluster = new QWidget(m_tabs);
    auto *clusterLayout = new QVBoxLayout(cluster);
    m_commands = codeBox(cluster);
    m_commands->setLineWrapMode(QPlainTextEdit::WidgetWidth); // a long path wraps; a copy keeps each line whole
    m_commands->setAccessibleName(tr("Commands for a cluster"));
    clusterLayout->addWidget(m_commands, 1);
    auto *copy = new QPushButton(tr("&Copy commands"), cluster);
    auto *copyRow = new QHBoxLayout;
    copyRow->addStretch(1);
    copyRow->addWidget(copy);
    clusterLayout->addLayout(copyRow);
    m_tabs->addTab(cluster, tr("On a c&luster"));
    layout->addWidget(m_tabs, 1);

    auto *runRow = new QHBoxLayout;
    m_jobs = new QSpinBox(this);
    m_jobs->setRange(1, 1024);
    m_jobs->setValue(std::max(1, QThread::idealThreadCount()));
    m_jobs->setToolTip(tr("Runs at once on this computer, one core each"));
    auto *jobsLabel = new QLabel(tr("&Jobs at once:"), this);
    jobsLabel->setBuddy(m_jobs);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_bar->setFormat(tr("Not running"));
    runRow->addWidget(jobsLabel);
    runRow->addWidget(m_jobs);
    runRow->addWidget(m_bar, 1);
    layout->addLayout(runRow);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto *buttons = new QHBoxLayout;
    m_write = new QPushButton(tr("&Write sweep file\u2026"), this);
    m_write->setToolTip(tr("Save the sweep file, to run it on a cluster or later"));
    m_showPath = new QPushButton(tr("Show the pat&h"), this);
    m_showPath->setToolTip(tr("Open the output folder's records as a regularization path"));
    m_run = new QPushButton(tr("&Run here"), this);
    m_run->setToolTip(tr("Run the sweep on this computer; runs already done in the output folder are skipped"));
    m_run->setDefault(true);
    m_stopButton = new QPushButton(tr("S&top"), this);
    m_stopButton->setToolTip(tr("Stop every run at its next step; each keeps what it computed, and Run here "
                                "resumes the sweep"));
    auto *close = new QPushButton(tr("Close"), this);
    for (QPushButton *b : {m_write, m_showPath})
        buttons->addWidget(b);
    buttons->addStretch(1);
    for (QPushButton *b : {m_run, m_stopButton, close})
        buttons->addWidget(b);
    layout->addLayout(buttons);

    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(150); // a grid of 100,000 runs takes a moment to check: not on every key
    connect(m_refresh, &QTimer::timeout, this, &SweepDialog::refresh);
    auto later = [this] { m_refresh->start(); };
    connect(m_grid, &SweepGrid::changed, this, later);
    connect(m_name, &QLineEdit::textChanged, this, [this, later] {
        if (m_outDirFollowsName)
            m_outDir->setText(defaultOutDir());
        later();
    });
    connect(m_outDir, &QLineEdit::textEdited, this, [this] { m_outDirFollowsName = false; });
    connect(m_outDir, &QLineEdit::textChanged, this, later);
    for (QSpinBox *box : {m_seeds, m_epochs, m_jobs})
        connect(box, &QSpinBox::valueChanged, this, later);
    connect(m_data, &QComboBox::currentIndexChanged, this, later);
    connect(add, &QPushButton::clicked, this, [this] { m_grid->addRow(); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Where the sweep's records go"), m_outDir->text());
        if (!dir.isEmpty()) {
            m_outDirFollowsName = false;
            m_outDir->setText(dir);
        }
    });
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_commands->toPlainText());
        setStatus(tr("The commands are on the clipboard."), false);
    });
    connect(m_write, &QPushButton::clicked, this, &SweepDialog::writeDialog);
    connect(m_showPath, &QPushButton::clicked, this, [this] {
        if (m_runs)
            SweepView::openFor(m_runs, QDir::cleanPath(m_outDir->text().trimmed()));
    });
    connect(m_run, &QPushButton::clicked, this, &SweepDialog::runHere);
    connect(m_stopButton, &QPushButton::clicked, this, &SweepDialog::stop);
    connect(close, &QPushButton::clicked, this, &SweepDialog::reject);
    connect(m_runner, &SweepJob::progressChanged, this, &SweepDialog::showProgress);
    connect(m_runner, &SweepJob::finished, this, &SweepDialog::onFinished);
    // Quitting with a sweep running asks first and stops it: no runs are left behind unseen.
    if (parent)
        parent->window()->installEventFilter(this);

    setBase(reglab::TrainConfig{});
    m_epochs->setValue(m_base.epochs);
    m_store.read([this](const QSettings &settings) { loadSettings(settings); });
    resize(760, 660);
}

SweepDialog::~SweepDialog()
{
    if (isRunning())
        m_runner->stopAndWait(15000);
}

SweepDialog *SweepDialog::showIn(QWidget *window, const reglab::TrainConfig &base, RunList *runs,
                                 const SweepJobFactory &makeJob, const SettingsStore &store)
{
    auto *dialog = window->findChild<SweepDialog *>(QString(), Qt::FindDirectChildrenOnly);
    if (!dialog)
        dialog = new SweepDialog(makeJob(nullptr), runs, window, store);
    if (!dialog->isRunning())
        dialog->setBase(base);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

void SweepDialog::setBase(const reglab::TrainConfig &base)
{
    m_base = base;
    const QString source = QString::fromStdString(base.data);
    if (m_data->findData(source) < 0) // a folder of IDX files
        m_data->addItem(QDir::toNativeSeparators(source), source);
    m_data->setCurrentIndex(m_data->findData(source));
    m_baseLabel->setText(tr("Every run starts from the window's settings (%1, %2, learning rate %3, hidden %4) "
                            "with the grid's values in their place.")
                             .arg(QString::fromStdString(reglab::shortLabel(base)),
                                  QString::fromStdString(reglab::toString(base.optimizer)),
                                  QString::fromStdString(reglab::formatNumber(base.learningRate)),
                                  QString::fromStdString(reglab::field("hidden").get(base))));
    m_refresh->start();
}

QString SweepDialog::defaultOutDir() const
{
    const QFileInfo library(QString::fromStdString(reglab::runLibraryDir()));
    return QDir(library.path()).filePath(QStringLiteral("sweeps/") + slug(m_name->text()));
}

QString SweepDialog::sweepFilePath() const
{
    return QDir::cleanPath(m_outDir->text().trimmed()) + QStringLiteral(".json");
}

bool SweepDialog::isRunning() const
{
    return m_runner->isRunning();
}

reglab::SweepSpec SweepDialog::spec() const
{
    reglab::SweepSpec s;
    s.name = m_name->text().trimmed().toStdString();
    s.base = m_base;
    s.base.epochs = m_epochs->value();
    s.base.data = m_data->currentData().toString().toStdString();
    s.axes = m_grid->axes(m_base.hidden.size());
    if (m_seeds->value() > 1) {
        reglab::SweepAxisSpec seeds;
        seeds.key = "seed";
        for (int i = 0; i < m_seeds->value(); ++i)
            seeds.values.push_back(std::to_string(m_base.seed + std::uint64_t(i)));
        s.axes.push_back(seeds);
    }
    return s;
}

void SweepDialog::refresh()
{
    m_refresh->stop();
    m_json.clear();
    m_error.clear();
    m_runCount = 0;
    QString text;
    std::vector<std::string> names;
    try {
        text = QString::fromStdString(reglab::sweepFileText(spec()));
        // The core's own check, so the dialog refuses what reglab-train would, in the same words.
        const reglab::Sweep sweep = reglab::parseSweep(text.toStdString());
        for (const reglab::SweepRun &run : sweep.runs)
            names.push_back(run.name);
        m_json = text;
        m_runCount = int(sweep.runs.size());
    } catch (const std::exception &e) {
        m_error = QString::fromStdString(e.what());
    }
    // The file the core refused is shown as it is; a grid that makes no file shows none rather than an old one.
    m_preview->setPlainText(text);
    if (m_error.isEmpty()) {
        QString grid = m_grid->describe();
        if (m_seeds->value() > 1)
            grid += QStringLiteral(" \u00d7 ") + tr("%1 seeds").arg(m_seeds->value());
        const QString epochs = plural(m_epochs->value(), tr("1 epoch each"), tr("%1 epochs each"));
        m_count->setText(QStringLiteral("<b>%1</b>: %2; %3")
                             .arg(plural(m_runCount, tr("1 run"), tr("%1 runs")), grid.toHtmlEscaped(), epochs));
    } else {
        m_count->setText(QStringLiteral("<span style='color:#b00020'>%1</span>")
                             .arg(tr("This grid cannot run: %1").arg(m_error).toHtmlEscaped()));
    }
    const QString note = sweepFolderNote(QDir::cleanPath(m_outDir->text().trimmed()), names, sweepFilePath(), m_json);
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    updateCommands();
    updateButtons();
}

void SweepDialog::updateCommands()
{
    // The file Write put somewhere, or the one Run here keeps beside the folder, when it holds this sweep still.
    QFile ran(sweepFilePath());
    const bool byWrite = !m_writtenFile.isEmpty() && m_writtenJson == m_json;
    const bool written = byWrite || (!m_json.isEmpty() && ran.size() < (1 << 20) && ran.open(QIODevice::ReadOnly) &&
                                     QString::fromUtf8(ran.readAll()) == m_json);
    const QString file = shellWord(byWrite ? m_writtenFile : sweepFilePath());
    const QString dir = shellWord(QDir::cleanPath(m_outDir->text().trimmed()));
    const QString run = QStringLiteral("reglab-train --sweep %1 --out-dir %2").arg(file, dir);
    QStringList lines;
    lines << (written
                  ? tr("# On this computer or any other that has the sweep file:")
                  : tr("# Write the sweep file first (Write sweep file\u2026); then, on this computer or any other:"))
          << run + QStringLiteral(" --jobs %1").arg(m_jobs->value()) << QString()
          << tr("# On a Slurm cluster, from a login node (the folder on the shared disk): a job array of %1, "
                "at most 50 at once")
                 .arg(plural(m_runCount, tr("1 run"), tr("%1 runs")))
          << run + QStringLiteral(" --slurm --jobs 50")
          << run + QStringLiteral(" --slurm --dry-run   ") + tr("# prints the job script instead") << QString()
          << tr("# Any scheduler: task I runs run I (0 to %1); running a command again resumes the sweep")
                 .arg(std::max(0, m_runCount - 1))
          << run + QStringLiteral(" --task I") << run + QStringLiteral(" --list   ") + tr("# the runs, by index");
    m_commands->setPlainText(lines.join(QLatin1Char('\n')));
}

void SweepDialog::updateButtons()
{
    const bool running = isRunning(), valid = !m_json.isEmpty();
    m_run->setEnabled(valid && !running);
    m_write->setEnabled(valid);
    m_stopButton->setEnabled(running && !m_runner->isStopping());
    m_showPath->setEnabled(m_runs && QFileInfo(QDir::cleanPath(m_outDir->text().trimmed())).isDir());
    m_outDir->setReadOnly(running);
}

void SweepDialog::setStatus(const QString &text, bool problem)
{
    m_status->setStyleSheet(problem ? QStringLiteral("color: #b00020") : QString());
    m_status->setText(text);
}

void SweepDialog::writeDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Write the sweep file"),
                                                m_writtenFile.isEmpty() ? sweepFilePath() : m_writtenFile,
                                                tr("Sweep files (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    if (writeSweepFile(path))
        m_tabs->setCurrentIndex(1); // what to do with it
}

bool SweepDialog::writeSweepFile(const QString &path)
{
    refresh();
    if (m_json.isEmpty()) {
        setStatus(tr("Nothing written: %1").arg(m_error), true);
        return false;
    }
    std::string error = reglab::checkWritableTarget(path.toStdString());
    if (error.empty())
        error = reglab::writeFileAtomically(path.toStdString(), m_json.toStdString());
    if (!error.empty()) {
        setStatus(tr("The sweep file was not written: %1").arg(QString::fromStdString(error)), true);
        return false;
    }
    m_writtenFile = path;
    m_writtenJson = m_json;
    updateCommands();
    setStatus(tr("Wrote %1. To run it on a cluster, copy it there and use the commands under \"On a cluster\".")
                  .arg(QDir::toNativeSeparators(path)),
              false);
    m_store.write([this](QSettings &settings) { saveSettings(settings); });
    return true;
}

bool SweepDialog::runHere()
{
    refresh();
    if (isRunning())
        return false;
    if (m_json.isEmpty()) {
        setStatus(tr("This grid cannot run: %1").arg(m_error), true);
        return false;
    }
    const QString folder = QDir::cleanPath(m_outDir->text().trimmed()), file = sweepFilePath();
    std::string error =
        folder.isEmpty() ? tr("choose an output folder").toStdString() : reglab::makeFolders(folder.toStdString());
    if (error.empty())
        error = reglab::writeFileAtomically(file.toStdString(), m_json.toStdString());
    if (!error.empty()) {
        setStatus(tr("The sweep did not start: %1").arg(QString::fromStdString(error)), true);
        return false;
    }
    if (const QString problem = m_runner->start(file, folder, m_jobs->value()); !problem.isEmpty()) {
        setStatus(problem, true);
        return false;
    }
    m_store.write([this](QSettings &settings) { saveSettings(settings); });
    m_bar->setRange(0, std::max(1, m_runCount));
    m_bar->setValue(0);
    m_bar->setFormat(tr("%v of %m runs"));
    setStatus(tr("Starting %1: %2").arg(plural(m_runCount, tr("1 run"), tr("%1 runs")), m_runner->commandLine()),
              false);
    if (m_runs) // the path fills in as the records land
        SweepView::openFor(m_runs, folder);
    updateButtons();
    return true;
}

void SweepDialog::stop()
{
    if (!isRunning())
        return;
    m_runner->stop();
    setStatus(tr("Stopping: each run ends at its next step and keeps what it computed\u2026"), false);
    updateButtons();
}

void SweepDialog::showProgress(const SweepProgress &p)
{
    m_bar->setRange(0, std::max(1, p.total));
    m_bar->setValue(p.done);
    if (m_runner->isStopping())
        return;
    QString text =
        tr("%1 of %2 runs done, %3 running, %4 failed").arg(p.done).arg(p.total).arg(p.running).arg(p.failed);
    if (p.etaSeconds >= 0 && p.done < p.total)
        text += tr("; about %1 left").arg(sweepDuration(p.etaSeconds));
    setStatus(text, false);
}

void SweepDialog::onFinished(bool ok, const QString &message)
{
    setStatus(message, !ok && !m_runner->wasStopped());
    refresh(); // the folder's records now: what Run here would resume
    if (!ok && !m_runner->progress().total)
        m_bar->setValue(0);
}

void SweepDialog::reject()
{
    if (isRunning()) {
        QMessageBox ask(QMessageBox::Question, tr("The sweep is running"),
                        tr("The sweep is still running (%1 of %2 runs done). Keep it running while RegLab is open, "
                           "or stop it? Its runs keep what they computed, and Run here resumes it.")
                            .arg(m_runner->progress().done)
                            .arg(m_runner->progress().total),
                        QMessageBox::Cancel, this);
        QPushButton *keep = ask.addButton(tr("&Keep running"), QMessageBox::AcceptRole);
        QPushButton *stopIt = ask.addButton(tr("&Stop the sweep"), QMessageBox::DestructiveRole);
        ask.setDefaultButton(keep);
        ask.exec();
        if (ask.clickedButton() == stopIt)
            stop();
        else if (ask.clickedButton() != keep)
            return;
    }
    m_store.write([this](QSettings &settings) { saveSettings(settings); });
    QDialog::reject();
}

bool SweepDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Close && parentWidget() && watched == parentWidget()->window() && isRunning()) {
        const auto answer = QMessageBox::question(
            parentWidget()->window(), tr("A sweep is running"),
            tr("A sweep is running (%1 of %2 runs done). Quitting stops it; its runs keep what they computed, and "
               "running it again resumes it. Stop the sweep and quit?")
                .arg(m_runner->progress().done)
                .arg(m_runner->progress().total),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return true;
        }
        m_runner->stopAndWait(15000);
    }
    return QDialog::eventFilter(watched, event);
}

void SweepDialog::loadSettings(const QSettings &settings)
{
    m_grid->loadSettings(settings);
    auto readInt = [&](const char *key, QSpinBox *box) {
        bool ok = false;
        const int v = settings.value(QLatin1String(key)).toInt(&ok);
        if (ok && v >= box->minimum() && v <= box->maximum())
            box->setValue(v);
    };
    readInt("sweep/seeds", m_seeds);
    readInt("sweep/epochs", m_epochs);
    readInt("sweep/jobs", m_jobs);
    if (const QString name = settings.value(QStringLiteral("sweep/name")).toString(); !name.isEmpty())
        m_name->setText(name);
    const QString dir = settings.value(QStringLiteral("sweep/outDir")).toString();
    m_outDirFollowsName = dir.isEmpty();
    m_outDir->setText(dir.isEmpty() ? defaultOutDir() : dir);
    refresh();
}

void SweepDialog::saveSettings(QSettings &settings) const
{
    m_grid->saveSettings(settings);
    settings.setValue(QStringLiteral("sweep/seeds"), m_seeds->value());
    settings.setValue(QStringLiteral("sweep/epochs"), m_epochs->value());
    settings.setValue(QStringLiteral("sweep/jobs"), m_jobs->value());
    settings.setValue(QStringLiteral("sweep/name"), m_name->text());
    // A folder the user chose is kept; one that follows the name is not, so it follows it next time too.
    settings.setValue(QStringLiteral("sweep/outDir"), m_outDirFollowsName ? QString() : m_outDir->text());
}

} // namespace reglab::ui
