#include "ui/sweeps/sweepview.h"
#include "ui/sweeps/labelledrow.h"

#include "model/runfiles.h"
#include "ui/controls/settingsstore.h"
#include "ui/runs/runlist.h"
#include "ui/sweeps/pathchart.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QMouseEvent>
#include <QSettings>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>
#include <set>

namespace reglab::ui {

SweepView::SweepView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    m_metric = new QComboBox(this);
    for (const std::string &m : reglab::pathMetrics())
        m_metric->addItem(pathMetricName(m), QString::fromStdString(m));
    m_x = new QComboBox(this);
    m_group = new QComboBox(this);
    addLabelled(row, tr("&Metric:"), m_metric);
    addLabelled(row, tr("&Against:"), m_x);
    addLabelled(row, tr("&Curves:"), m_group);
    row->addStretch(1);
    layout->addLayout(row);
    m_view = new QChartView(this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->viewport()->installEventFilter(this);
    m_view->setToolTip(tr("Click a point to open its runs in the comparison"));
    layout->addWidget(m_view, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    for (QComboBox *box : {m_metric, m_x, m_group})
        connect(box, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
    // A sweep writes a record per run: read the folder once the burst of changes is over.
    m_watcher = new QFileSystemWatcher(this);
    m_reloadSoon = new QTimer(this);
    m_reloadSoon->setSingleShot(true);
    m_reloadSoon->setInterval(500);
    connect(m_reloadSoon, &QTimer::timeout, this, &SweepView::reload);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_reloadSoon, qOverload<>(&QTimer::start));
    redraw();
}

void SweepView::setFolder(const QString &folder)
{
    if (!m_folder.isEmpty())
        m_watcher->removePath(m_folder);
    m_folder = folder;
    if (!folder.isEmpty())
        m_watcher->addPath(folder);
    reload();
}

void SweepView::reload()
{
    m_loaded = m_folder.isEmpty() ? reglab::LoadedRuns{} : reglab::keptRuns(m_folder.toStdString());
    // The settings that differ between the records are what can go on the x axis or make the curves.
    std::vector<std::string> varied;
    for (const reglab::ConfigField &f : reglab::configFields()) {
        std::set<std::string> values;
        for (const reglab::LoadedRun &run : m_loaded.runs)
            values.insert(f.get(run.record.config));
        if (values.size() > 1 && f.key != "data")
            varied.push_back(f.key);
    }
    const auto has = [&](const char *key) { return std::find(varied.begin(), varied.end(), key) != varied.end(); };
    const QString x = m_x->currentData().toString(), group = m_group->currentData().toString();
    QSignalBlocker blockX(m_x), blockGroup(m_group);
    m_x->clear();
    if (has("l1") && has("l2"))
        m_x->addItem(tr("L1 and L2 strength"), QStringLiteral("l1,l2"));
    for (const std::string &key : varied)
        if (key != "seed")
            m_x->addItem(pathXTitle(key), QString::fromStdString(key));
    m_group->clear();
    m_group->addItem(tr("by the swept setting"), QString());
    for (const std::string &key : varied)
        if (key != "seed")
            m_group->addItem(pathXTitle(key), QString::fromStdString(key));
    if (const int i = m_x->findData(x); i >= 0)
        m_x->setCurrentIndex(i);
    if (const int i = m_group->findData(group); i >= 0)
        m_group->setCurrentIndex(i);
    redraw();
}

QString SweepView::summary() const
{
    return m_status->text();
}

void SweepView::redraw()
{
    std::vector<reglab::RunRecord> records;
    for (const reglab::LoadedRun &run : m_loaded.runs)
        records.push_back(run.record);
    QString problem;
    m_path = {};
    if (m_x->count() > 0) {
        try {
            m_path = reglab::sweepPath(records, m_x->currentData().toString().toStdString(),
                                       m_metric->currentData().toString().toStdString(),
                                       m_group->currentData().toString().toStdString());
        } catch (const std::exception &e) {
            problem = QString::fromStdString(e.what());
        }
    }
    QChart *old = m_view->chart();
    m_view->setChart(makePathChart(m_path, m_folder.isEmpty() ? QString() : QStringLiteral("The regularization path")));
    delete old;
    QString text = m_folder.isEmpty()
                       ? tr("Open a sweep's folder (File > Open sweep) to see its runs here.")
                       : tr("%n run record(s) in %1", nullptr, int(m_loaded.runs.size())).arg(m_folder);
    if (m_path.skipped > 0)
        text += tr("; %n failed, diverged or without an epoch (left out)", nullptr, m_path.skipped);
    if (!m_loaded.problems.empty())
        text += tr("; %n file(s) could not be read: %1", nullptr, int(m_loaded.problems.size()))
                    .arg(QString::fromStdString(m_loaded.problems.front()));
    if (!m_folder.isEmpty() && m_x->count() == 0 && !m_loaded.runs.empty())
        text += tr("; no setting differs between them yet");
    if (!problem.isEmpty())
        text += QStringLiteral("; ") + problem;
    m_status->setText(text);
}

QStringList SweepView::runsAt(const QPoint &pos) const
{
    QChart *chart = m_view->chart();
    double best = 12; // pixels
    const reglab::PathPoint *nearest = nullptr;
    for (QAbstractSeries *series : chart->series()) {
        const QVariant curve = series->property("reglabCurve"); // set on each curve's mean line
        auto *line = qobject_cast<QLineSeries *>(series);
        if (!line || !curve.isValid() || curve.toInt() >= int(m_path.curves.size()))
            continue;
        const std::vector<reglab::PathPoint> &points = m_path.curves[std::size_t(curve.toInt())].points;
        for (const QPointF &q : line->points())
            for (const reglab::PathPoint &p : points)
                if (p.x == q.x()) {
                    const QPointF at = m_view->mapFromScene(chart->mapToScene(chart->mapToPosition(q, line)));
                    const double d = std::hypot(at.x() - pos.x(), at.y() - pos.y());
                    if (d < best) {
                        best = d;
                        nearest = &p;
                    }
                }
    }
    QStringList paths;
    if (nearest)
        for (std::size_t i : nearest->of)
            paths << QString::fromStdString(m_loaded.runs[i].path);
    return paths;
}

bool SweepView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::MouseButtonRelease) {
        const QStringList paths = runsAt(static_cast<QMouseEvent *>(event)->position().toPoint());
        if (!paths.isEmpty())
            Q_EMIT openRuns(paths);
    }
    return QWidget::eventFilter(watched, event);
}

SweepView *SweepView::openFor(RunList *runs, const QString &folder)
{
    auto *view = runs->findChild<SweepView *>(QString(), Qt::FindDirectChildrenOnly);
    if (!view) {
        view = new SweepView(runs);
        view->setWindowFlag(Qt::Window); // beside the dashboard, not inside it
        view->resize(900, 600);
        connect(view, &SweepView::openRuns, runs, &RunList::openFiles);
    }
    view->setWindowTitle(tr("Sweep: %1").arg(QFileInfo(folder).fileName()));
    view->setFolder(folder);
    view->show();
    view->raise();
    return view;
}

QString SweepView::startFolder()
{
    // Where New sweep writes (beside the run library), or the folder above the last sweep's a person chose; the
    // first of them that exists, else the library's own folder, else home: never the current folder.
    const QString base = QFileInfo(QString::fromStdString(reglab::runLibraryDir())).path();
    QString chosen;
    SettingsStore().read([&](const QSettings &settings) { chosen = settings.value(QStringLiteral("sweep/outDir")).toString(); });
    QStringList candidates;
    if (!chosen.isEmpty())
        candidates << QFileInfo(QDir::cleanPath(chosen)).path();
    candidates << QDir(base).filePath(QStringLiteral("sweeps")) << base << QDir::homePath();
    for (const QString &folder : candidates)
        if (QFileInfo(folder).isDir())
            return QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    return QDir::homePath();
}

void SweepView::openDialog(RunList *runs)
{
    const QString folder =
        QFileDialog::getExistingDirectory(runs, tr("Open a sweep's folder of run records"), startFolder());
    if (!folder.isEmpty())
        openFor(runs, folder);
}

} // namespace reglab::ui
