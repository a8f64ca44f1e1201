#include "ui/runs/runmodel.h"
#include "model/changes.h"
#include "model/runrecordbuilder.h"

#include "model/config.h"
#include "model/weightsfile.h"
#include "ui/charts/palette.h"

#include <QFile>
#include <QFileInfo>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

#include <algorithm>
#include <cmath>

namespace reglab::ui {
namespace {

QIcon swatch(const QColor &color)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(color);
    painter.setPen(color.darker(130));
    painter.drawRoundedRect(QRectF(1, 1, 12, 12), 3, 3);
    return QIcon(pixmap);
}

QString percent(double fraction)
{
    return std::isfinite(fraction) ? QStringLiteral("%1 %").arg(100 * fraction, 0, 'f', 2) : QStringLiteral("-");
}

} // namespace

RunModel::RunModel(QObject *parent) : QAbstractTableModel(parent) {}

void RunModel::compare()
{
    if (m_batchDepth > 0)
        m_comparePending = true;
    else
        Q_EMIT comparisonChanged();
}

void RunModel::snapshotsGained()
{
    if (m_batchDepth > 0)
        m_snapshotsPending = true;
    else
        Q_EMIT snapshotsChanged();
}

void RunModel::endBatch()
{
    if (--m_batchDepth > 0)
        return;
    if (m_snapshotsPending) {
        m_snapshotsPending = false;
        Q_EMIT snapshotsChanged();
    }
    if (m_comparePending) {
        m_comparePending = false;
        Q_EMIT comparisonChanged();
    }
}

int RunModel::addRun(const reglab::RunRecord &record, const QString &name, bool shown, bool live)
{
    const int row = int(m_runs.size());
    beginInsertRows({}, row, row);
    Entry e;
    e.id = m_nextId++;
    e.record = record;
    e.name = uniqueName(name.isEmpty() ? QString::fromStdString(reglab::shortLabel(record.config)) : name);
    // Its colour for good: the one its record keeps (it was listed before), or a new one from the palette. A kept
    // colour that a shown run wears already is given anew unless that run is this one again (the same start and
    // seed): two sessions' first runs, or a run brought back after its colour went to another, would otherwise look
    // the same, dash and marker included (runstyle.h).
    const QColor kept = reglab::isRunColor(record.color) ? QColor(QString::fromStdString(record.color)) : QColor();
    const bool taken = kept.isValid() && std::any_of(m_runs.begin(), m_runs.end(), [&](const Entry &other) {
                           return other.shown && other.color == kept && !sameRun(other.record, record);
                       });
    e.color = kept.isValid() && !taken ? kept : freeColor(-1);
    e.record.color = e.color.name().toStdString();
    e.shown = shown;
    m_runs.push_back(std::move(e));
    endInsertRows();
    if (live)
        setLive(m_runs.back().id);
    else
        compare();
    return m_runs.back().id;
}

void RunModel::removeRun(int id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_runs.erase(m_runs.begin() + row);
    endRemoveRows();
    if (id == m_liveId)
        m_liveId = -1;
    compare();
}

void RunModel::setRecord(int id, const reglab::RunRecord &record)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    Entry &e = m_runs[std::size_t(row)];
    e.record = record;
    e.record.color = e.color.name().toStdString(); // the run keeps its colour, whatever record replaces its own
    rowChanged(row);
    if (id != m_liveId)
        compare();
}

void RunModel::apply(int id, const reglab::TrainEvent &event)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    reglab::RunRecordBuilder(m_runs[std::size_t(row)].record).apply(event);
    if (std::holds_alternative<reglab::SettingChange>(event))
        rowChanged(row, ConfigColumn, ConfigColumn); // the configuration names the change
    else if (std::holds_alternative<reglab::EpochRecord>(event))
        rowChanged(row); // the accuracies, and the name's tooltip counts the epochs
}

void RunModel::onEvent(const reglab::TrainEvent &event)
{
    const int live = m_liveId;
    if (const auto *snapshot = std::get_if<reglab::WeightSnapshot>(&event))
        setSnapshot(live, std::make_shared<const reglab::WeightSnapshot>(*snapshot));
    else if (std::holds_alternative<reglab::StepRecord>(event) || std::holds_alternative<reglab::SettingChange>(event) ||
             std::holds_alternative<reglab::EpochRecord>(event))
        apply(live, event);
}

void RunModel::setName(int id, const QString &name)
{
    if (const int row = rowOf(id); row >= 0)
        setData(index(row, NameColumn), name, Qt::EditRole);
}

void RunModel::setShown(int id, bool shown)
{
    if (const int row = rowOf(id); row >= 0)
        setData(index(row, NameColumn), shown ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
}

void RunModel::setSnapshot(int id, std::shared_ptr<const reglab::WeightSnapshot> snapshot)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const bool first = !hasSnapshot(id);
    Entry &e = m_runs[std::size_t(row)];
    if (snapshot)
        keepInHistory(e.history, *snapshot);
    e.snapshot = std::move(snapshot);
    if (first)
        snapshotsGained(); // a run the network views can now show
}

void RunModel::keepInHistory(std::vector<std::shared_ptr<const reglab::WeightSnapshot>> &history,
                             const reglab::WeightSnapshot &snapshot)
{
    // The layer the weight images show (784 inputs); the others and the histograms stay out of the history.
    auto first = std::find_if(snapshot.layers.begin(), snapshot.layers.end(),
                              [](const reglab::WeightSnapshot::Layer &l) { return l.cols == 784; });
    if (first == snapshot.layers.end())
        return;
    auto kept = std::make_shared<reglab::WeightSnapshot>();
    kept->epoch = snapshot.epoch;
    kept->step = snapshot.step;
    kept->layers.push_back(*first);
    if (!history.empty() && history.back()->epoch >= snapshot.epoch)
        history.back() = std::move(kept); // the same epoch again (a refresh, the best epoch restored): the newer
    else
        history.push_back(std::move(kept));
    const std::size_t each = first->weights.size() * sizeof(float);
    if (history.size() > 2 && history.size() * each > kHistoryBytes) {
        std::vector<std::shared_ptr<const reglab::WeightSnapshot>> thinned;
        for (std::size_t i = 0; i < history.size(); ++i)
            if (i % 2 == 0 || i + 1 == history.size())
                thinned.push_back(std::move(history[i]));
        history = std::move(thinned);
    }
}

const std::vector<std::shared_ptr<const reglab::WeightSnapshot>> &RunModel::weightHistory(int id) const
{
    static const std::vector<std::shared_ptr<const reglab::WeightSnapshot>> none;
    const int row = rowOf(id);
    return row < 0 ? none : m_runs[std::size_t(row)].history;
}

std::shared_ptr<const reglab::WeightSnapshot> RunModel::snapshot(int id) const
{
    const int row = rowOf(id);
    if (row < 0)
        return nullptr;
    const Entry &e = m_runs[std::size_t(row)];
    if (e.snapshot)
        return e.snapshot;
    if (e.weightsPath.isEmpty() || !e.weightsProblem.isEmpty())
        return nullptr;
    e.lastUse = ++m_uses;
    if (e.loaded)
        return e.loaded;
    try {
        auto read = std::make_shared<reglab::WeightSnapshot>(
            reglab::readWeightsFile(QFile::encodeName(e.weightsPath).toStdString(), reglab::weightsRunKey(e.record)));
        read->histograms = e.record.weightHistograms; // kept in the record, not beside it
        e.loaded = std::move(read);
    } catch (const std::exception &error) {
        e.weightsProblem = QString::fromStdString(error.what());
        return nullptr;
    }
    // The least recently used of the others go: a list of hundreds of reopened runs does not hold all their weights.
    std::vector<const Entry *> loaded;
    for (const Entry &other : m_runs)
        if (other.loaded)
            loaded.push_back(&other);
    if (loaded.size() > std::size_t(kLoadedSnapshots)) {
        std::sort(loaded.begin(), loaded.end(), [](const Entry *a, const Entry *b) { return a->lastUse < b->lastUse; });
        for (std::size_t i = 0; i + kLoadedSnapshots < loaded.size(); ++i)
            loaded[i]->loaded.reset();
    }
    return e.loaded;
}

bool RunModel::hasSnapshot(int id) const
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    const Entry &e = m_runs[std::size_t(row)];
    return e.snapshot || (!e.weightsPath.isEmpty() && e.weightsProblem.isEmpty());
}

QString RunModel::snapshotProblem(int id) const
{
    const int row = rowOf(id);
    return row < 0 || m_runs[std::size_t(row)].snapshot ? QString() : m_runs[std::size_t(row)].weightsProblem;
}

QString RunModel::weightsPathFor(const QString &recordPath)
{
    return QFile::decodeName(reglab::weightsPathFor(QFile::encodeName(recordPath).toStdString()).c_str());
}

void RunModel::setPath(int id, const QString &path)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    Entry &e = m_runs[std::size_t(row)];
    const bool had = hasSnapshot(id);
    e.path = path;
    const QString weights = path.isEmpty() ? QString() : weightsPathFor(path);
    e.weightsPath = !weights.isEmpty() && QFileInfo(weights).isFile() ? weights : QString();
    e.loaded.reset();
    e.weightsProblem.clear();
    if (!had && hasSnapshot(id))
        snapshotsGained();
}

QString RunModel::path(int id) const
{
    const int row = rowOf(id);
    return row < 0 ? QString() : m_runs[std::size_t(row)].path;
}

void RunModel::setLive(int id)
{
    const int old = rowOf(m_liveId);
    m_liveId = contains(id) ? id : -1;
    if (old >= 0)
        rowChanged(old);
    if (const int row = rowOf(m_liveId); row >= 0)
        rowChanged(row);
    compare(); // the run that was live is now compared like the others, and the new one is not
}

QList<int> RunModel::ids() const
{
    QList<int> out;
    for (const Entry &e : m_runs)
        out << e.id;
    return out;
}

QList<int> RunModel::shownIds() const
{
    QList<int> out;
    for (const Entry &e : m_runs)
        if (e.shown)
            out << e.id;
    return out;
}

const reglab::RunRecord *RunModel::record(int id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_runs[std::size_t(row)].record;
}

QString RunModel::name(int id) const
{
    const int row = rowOf(id);
    return row < 0 ? QString() : m_runs[std::size_t(row)].name;
}

QString RunModel::givenName(int id) const
{
    const int row = rowOf(id);
    if (row < 0)
        return {};
    const Entry &e = m_runs[std::size_t(row)];
    // "label" or "label (2)": the automatic names, as the list makes them unique.
    const auto namedAfter = [&](const QString &automatic) {
        return !automatic.isEmpty() &&
               (e.name == automatic || (e.name.startsWith(automatic + QStringLiteral(" (")) && e.name.endsWith(')')));
    };
    if (namedAfter(QString::fromStdString(reglab::shortLabel(e.record.config))) ||
        (e.record.name.empty() && !e.path.isEmpty() && namedAfter(QFileInfo(e.path).completeBaseName())))
        return {};
    return e.name;
}

QColor RunModel::color(int id) const
{
    const int row = rowOf(id);
    return row < 0 ? QColor() : m_runs[std::size_t(row)].color;
}

bool RunModel::isShown(int id) const
{
    const int row = rowOf(id);
    return row >= 0 && m_runs[std::size_t(row)].shown;
}

int RunModel::rowOf(int id) const
{
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id)
            return int(i);
    return -1;
}

int RunModel::idAt(int row) const
{
    return row >= 0 && row < count() ? m_runs[std::size_t(row)].id : -1;
}

int RunModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

int RunModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_runs[std::size_t(index.row())];
    const reglab::RunRecord &r = e.record;
    const QString label = QString::fromStdString(reglab::shortLabel(r.config));
    switch (role) {
    case IdRole:
        return e.id;
    case ColorRole:
        return e.color;
    case LiveRole:
        return e.id == m_liveId;
    case Qt::CheckStateRole:
        return index.column() == NameColumn ? QVariant(e.shown ? Qt::Checked : Qt::Unchecked) : QVariant();
    case Qt::DecorationRole:
        return index.column() == NameColumn ? QVariant(swatch(e.color)) : QVariant();
    case Qt::EditRole:
        return index.column() == NameColumn ? QVariant(e.name) : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn)
            return QString::fromStdString(r.message);
        if (index.column() == NameColumn)
            return tr("%1 on %2, %3 epoch(s), seed %4; double-click to rename")
                .arg(label,
                     r.dataName.empty() ? QString::fromStdString(r.config.data) : QString::fromStdString(r.dataName))
                .arg(r.epochs.size())
                .arg(qulonglong(r.config.seed));
        return {};
    case Qt::AccessibleTextRole: // what a screen reader says of a cell: its value with what it is
        switch (index.column()) {
        case ValColumn:
            return tr("validation %1").arg(data(index).toString());
        case TestColumn:
            return tr("test %1").arg(data(index).toString());
        default:
            return data(index);
        }
    case Qt::AccessibleDescriptionRole: // and of its row, on any cell: the run's name, status and accuracies
        return r.epochs.empty()
                   ? tr("%1: %2, no epoch yet%3")
                         .arg(e.name, QString::fromStdString(reglab::toString(r.status)),
                              e.shown ? tr(", shown on the charts") : QString())
                   : tr("%1: %2 after %3, validation accuracy %4, test accuracy %5%6")
                         .arg(e.name, QString::fromStdString(reglab::toString(r.status)),
                              r.epochs.size() == 1 ? tr("1 epoch") : tr("%1 epochs").arg(r.epochs.size()),
                              percent(reglab::finalEpoch(r)->valAccuracy),
                              percent(reglab::finalEpoch(r)->testAccuracy),
                              e.shown ? tr(", shown on the charts") : QString());
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return e.name;
        case ConfigColumn:
            return configurationText(r);
        case StatusColumn:
            return QString::fromStdString(reglab::toString(r.status));
        case ValColumn:
            return r.epochs.empty() ? QStringLiteral("-") : percent(reglab::finalEpoch(r)->valAccuracy);
        case TestColumn:
            return r.epochs.empty() ? QStringLiteral("-") : percent(reglab::finalEpoch(r)->testAccuracy);
        default:
            return {};
        }
    default:
        return {};
    }
}

bool RunModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        index.column() != NameColumn)
        return false;
    Entry &e = m_runs[std::size_t(index.row())];
    if (role == Qt::CheckStateRole) {
        const bool shown = value.toInt() == Qt::Checked;
        if (shown == e.shown)
            return true;
        e.shown = shown; // its colour stays: a run is known by it in every view and export
    } else if (role == Qt::EditRole) {
        const QString wanted = value.toString().trimmed();
        if (wanted.isEmpty() || wanted == e.name)
            return !wanted.isEmpty();
        const QString name = uniqueName(wanted, e.id);
        e.name = name;
    } else {
        return false;
    }
    if (role == Qt::CheckStateRole)
        rowChanged(index.row());
    else
        Q_EMIT dataChanged(index, index, {role, Qt::DisplayRole});
    if (e.id != m_liveId)
        compare();
    return true;
}

Qt::ItemFlags RunModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsEditable | Qt::ItemIsUserCheckable;
    return f;
}

QVariant RunModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::AccessibleTextRole) // "Val" read aloud says little
        return section == ValColumn    ? tr("Validation accuracy")
               : section == TestColumn ? tr("Test accuracy")
                                       : headerData(section, orientation, Qt::DisplayRole);
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Run");
    case ConfigColumn:
        return tr("Configuration");
    case StatusColumn:
        return tr("Status");
    case ValColumn:
        return tr("Val");
    case TestColumn:
        return tr("Test");
    default:
        return {};
    }
}

QString RunModel::uniqueName(const QString &name, int exceptId) const
{
    auto taken = [&](const QString &candidate) {
        return std::any_of(m_runs.begin(), m_runs.end(),
                           [&](const Entry &e) { return e.id != exceptId && e.name == candidate; });
    };
    if (!taken(name))
        return name;
    for (int n = 2;; ++n)
        if (const QString candidate = QStringLiteral("%1 (%2)").arg(name).arg(n); !taken(candidate))
            return candidate;
}

bool RunModel::sameRun(const reglab::RunRecord &a, const reglab::RunRecord &b)
{
    return !a.startedAt.empty() && a.startedAt == b.startedAt && a.config.seed == b.config.seed;
}

QColor RunModel::freeColor(int exceptId) const
{
    // A colour no shown run wears, the least worn by all runs (the first in the palette among equals), so that
    // runs shown together differ and colours repeat as late as they can.
    const QList<QColor> palette = runPalette();
    QColor best;
    int bestUses = 0;
    for (bool avoidShown : {true, false}) {
        for (const QColor &c : palette) {
            int uses = 0;
            bool wornByShown = false;
            for (const Entry &e : m_runs)
                if (e.id != exceptId && e.color == c) {
                    ++uses;
                    wornByShown = wornByShown || e.shown;
                }
            if ((!avoidShown || !wornByShown) && (!best.isValid() || uses < bestUses)) {
                best = c;
                bestUses = uses;
            }
        }
        if (best.isValid())
            return best;
    }
    return palette.first();
}

QString RunModel::configurationText(const reglab::RunRecord &record)
{
    const reglab::TrainConfig &c = record.config;
    QStringList parts{QString::fromStdString(reglab::shortLabel(c)), c.epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(c.epochs)};
    if (const std::string changes = reglab::describeChanges(record.settingChanges); !changes.empty())
        parts << QString::fromStdString(changes);
    return parts.join(QStringLiteral(", "));
}

void RunModel::rowChanged(int row, int firstColumn, int lastColumn)
{
    Q_EMIT dataChanged(index(row, firstColumn), index(row, lastColumn));
}

} // namespace reglab::ui
