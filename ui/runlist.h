// Every run of the session: its colour, name, configuration in short, status and final accuracies. Ticked runs
// are overlaid on the charts; runs can be renamed (double-click), removed, saved and opened.
#pragma once

#include "model/runrecord.h"

#include <QColor>
#include <QList>
#include <QWidget>

#include <map>

class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace reglab::ui {

class RunList : public QWidget {
    Q_OBJECT
public:
    explicit RunList(QWidget *parent = nullptr);

    // Adds a run and returns its id; it gets the next run colour and is ticked when `checked`.
    int addRun(const reglab::RunRecord &record, const QString &name = {}, bool checked = true);
    void updateRun(int id, const reglab::RunRecord &record);
    void removeRun(int id);
    void setName(int id, const QString &name);

    int count() const;
    QList<int> ids() const;
    QList<int> checkedIds() const;
    void setChecked(int id, bool checked);
    const reglab::RunRecord *record(int id) const;
    QString name(int id) const;
    QColor color(int id) const;
    int currentId() const; // the selected run, -1 when none

    // Reads a run record file; "" or a message naming the file and what is wrong.
    static QString loadFile(const QString &path, reglab::RunRecord &out);
    // Writes one atomically; "" or what went wrong.
    static QString saveFile(const QString &path, const reglab::RunRecord &record);

Q_SIGNALS:
    // A run was ticked, unticked, renamed, added, updated or removed: the overlays must be redrawn.
    void overlaysChanged();
    void openRequested();
    void saveRequested(int id);

private:
    struct Entry {
        reglab::RunRecord record;
        QColor color;
        QTreeWidgetItem *item = nullptr;
    };
    void refresh(int id);
    QTreeWidgetItem *itemFor(int id) const;

    QTreeWidget *m_tree;
    QPushButton *m_open, *m_save, *m_remove;
    std::map<int, Entry> m_runs;
    int m_nextId = 1;
    int m_colorIndex = 0;
    bool m_updating = false;
};

} // namespace reglab::ui
