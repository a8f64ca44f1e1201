#include "ui/runlist.h"

#include "ui/runplot.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace reglab::ui {
namespace {

enum Column { NameColumn, ConfigColumn, StatusColumn, ValColumn, TestColumn, ColumnCount };

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

RunList::RunList(QWidget *parent) : QWidget(parent)
{
    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Run"), tr("Configuration"), tr("Status"), tr("Val"), tr("Test")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_tree->setColumnWidth(NameColumn, 170);
    for (int column : {ConfigColumn, StatusColumn, ValColumn, TestColumn})
        m_tree->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_tree->setToolTip(tr("Tick runs to overlay them on the charts; double-click a name to rename it."));
    m_open = new QPushButton(tr("Open\u2026"), this);
    m_save = new QPushButton(tr("Save\u2026"), this);
    m_remove = new QPushButton(tr("Remove"), this);
    m_open->setToolTip(tr("Open run records (JSON) from reglab-train or an earlier session"));
    m_save->setToolTip(tr("Save the selected run's record as JSON"));
    m_remove->setToolTip(tr("Remove the selected run from the list"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_save);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_tree);
    layout->addLayout(buttons);

    connect(m_open, &QPushButton::clicked, this, &RunList::openRequested);
    connect(m_save, &QPushButton::clicked, this, [this] {
        if (currentId() >= 0)
            Q_EMIT saveRequested(currentId());
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (currentId() >= 0)
            removeRun(currentId());
    });
    connect(m_tree, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *, int) {
        if (!m_updating)
            Q_EMIT overlaysChanged(); // ticked, unticked or renamed
    });
    auto updateButtons = [this] {
        m_save->setEnabled(currentId() >= 0);
        m_remove->setEnabled(currentId() >= 0);
    };
    connect(m_tree, &QTreeWidget::currentItemChanged, this, updateButtons);
    updateButtons();
}

int RunList::addRun(const reglab::RunRecord &record, const QString &name, bool checked)
{
    const int id = m_nextId++;
    Entry entry;
    entry.record = record;
    entry.color = runColor(m_colorIndex++);
    m_updating = true;
    entry.item = new QTreeWidgetItem(m_tree);
    entry.item->setData(NameColumn, Qt::UserRole, id);
    entry.item->setFlags(entry.item->flags() | Qt::ItemIsEditable | Qt::ItemIsUserCheckable);
    entry.item->setCheckState(NameColumn, checked ? Qt::Checked : Qt::Unchecked);
    entry.item->setIcon(NameColumn, swatch(entry.color));
    entry.item->setText(NameColumn, name.isEmpty() ? QString::fromStdString(reglab::shortLabel(record.config)) : name);
    m_runs[id] = entry;
    m_updating = false;
    refresh(id);
    m_tree->setCurrentItem(entry.item);
    Q_EMIT overlaysChanged();
    return id;
}

void RunList::updateRun(int id, const reglab::RunRecord &record)
{
    const auto it = m_runs.find(id);
    if (it == m_runs.end())
        return;
    it->second.record = record;
    refresh(id);
    Q_EMIT overlaysChanged();
}

void RunList::removeRun(int id)
{
    const auto it = m_runs.find(id);
    if (it == m_runs.end())
        return;
    delete it->second.item;
    m_runs.erase(it);
    Q_EMIT overlaysChanged();
}

void RunList::setName(int id, const QString &name)
{
    if (QTreeWidgetItem *item = itemFor(id))
        item->setText(NameColumn, name); // emits itemChanged -> overlaysChanged
}

int RunList::count() const
{
    return int(m_runs.size());
}

QList<int> RunList::ids() const
{
    QList<int> out;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        out << m_tree->topLevelItem(i)->data(NameColumn, Qt::UserRole).toInt();
    return out;
}

QList<int> RunList::checkedIds() const
{
    QList<int> out;
    for (int id : ids())
        if (itemFor(id)->checkState(NameColumn) == Qt::Checked)
            out << id;
    return out;
}

void RunList::setChecked(int id, bool checked)
{
    if (QTreeWidgetItem *item = itemFor(id))
        item->setCheckState(NameColumn, checked ? Qt::Checked : Qt::Unchecked);
}

const reglab::RunRecord *RunList::record(int id) const
{
    const auto it = m_runs.find(id);
    return it == m_runs.end() ? nullptr : &it->second.record;
}

QString RunList::name(int id) const
{
    const QTreeWidgetItem *item = itemFor(id);
    return item ? item->text(NameColumn) : QString();
}

QColor RunList::color(int id) const
{
    const auto it = m_runs.find(id);
    return it == m_runs.end() ? QColor() : it->second.color;
}

int RunList::currentId() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    return item ? item->data(NameColumn, Qt::UserRole).toInt() : -1;
}

void RunList::refresh(int id)
{
    const Entry &entry = m_runs.at(id);
    const reglab::RunRecord &r = entry.record;
    m_updating = true;
    entry.item->setText(ConfigColumn, QString::fromStdString(reglab::shortLabel(r.config)));
    entry.item->setText(StatusColumn, QString::fromStdString(reglab::toString(r.status)));
    entry.item->setToolTip(StatusColumn, QString::fromStdString(r.message));
    entry.item->setText(ValColumn, r.epochs.empty() ? QStringLiteral("-") : percent(r.epochs.back().valAccuracy));
    entry.item->setText(TestColumn, r.epochs.empty() ? QStringLiteral("-") : percent(r.epochs.back().testAccuracy));
    entry.item->setToolTip(
        NameColumn, tr("%1 on %2, %3 epoch(s), seed %4")
                        .arg(QString::fromStdString(reglab::shortLabel(r.config)), QString::fromStdString(r.dataName))
                        .arg(r.epochs.size())
                        .arg(qulonglong(r.config.seed)));
    m_updating = false;
}

QTreeWidgetItem *RunList::itemFor(int id) const
{
    const auto it = m_runs.find(id);
    return it == m_runs.end() ? nullptr : it->second.item;
}

QString RunList::loadFile(const QString &path, reglab::RunRecord &out)
{
    try {
        out = reglab::runRecordFromJson(reglab::readTextFile(path.toStdString()));
        return {};
    } catch (const std::exception &e) {
        const QString what = QString::fromStdString(e.what());
        return what.startsWith(path) ? what : path + QStringLiteral(": ") + what;
    }
}

QString RunList::saveFile(const QString &path, const reglab::RunRecord &record)
{
    return QString::fromStdString(reglab::writeFileAtomically(path.toStdString(), reglab::toJson(record)));
}

} // namespace reglab::ui
