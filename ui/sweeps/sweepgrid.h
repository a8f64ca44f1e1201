// The sweep dialog's grid: one row per swept setting, a range (from, to, points, log spacing) for a number or a
// tick per value for a choice (L1 method, optimizer). What it gives is the core's SweepAxisSpec, so the range is
// expanded and checked by the same code as a sweep file's.
#pragma once

#include "model/sweep.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QGridLayout;
class QLineEdit;
class QSettings;
class QSpinBox;
class QToolButton;

namespace reglab::ui {

class SweepGrid : public QWidget {
    Q_OBJECT
public:
    explicit SweepGrid(QWidget *parent = nullptr);

    // The settings a row can sweep, by config key, in the combo's order.
    static QStringList sweepableKeys();
    static QString title(const QString &key);

    // Adds a row for `key` ("" for the first setting not in the grid yet) with its usual range; returns its index.
    int addRow(const QString &key = {});
    void removeRow(int row);
    int rowCount() const { return int(m_rows.size()); }
    // Sets row `row` to a range or, for a choice, to the ticked values.
    void setRange(int row, double from, double to, int points, bool log);
    void setChoices(int row, const QStringList &values);

    // The grid as the core's axes; `hiddenLayers` gives a dropout rate to every layer. Throws RecordError (a
    // number that is not one, a setting twice, the core's message for a range it refuses).
    std::vector<reglab::SweepAxisSpec> axes(std::size_t hiddenLayers) const;
    // "L1 strength (5) × Optimizer (2)": what the rows multiply, for the run count's line.
    QString describe() const;

    void loadSettings(const QSettings &settings);
    void saveSettings(QSettings &settings) const;

    // For tests.
    QComboBox *paramBox(int row) const { return m_rows[row].param; }
    QLineEdit *fromEdit(int row) const { return m_rows[row].from; }
    QLineEdit *toEdit(int row) const { return m_rows[row].to; }
    QSpinBox *pointsBox(int row) const { return m_rows[row].points; }
    QCheckBox *logBox(int row) const { return m_rows[row].log; }
    QList<QCheckBox *> choiceBoxes(int row) const { return m_rows[row].choices; }

Q_SIGNALS:
    void changed();

private:
    struct Row {
        QComboBox *param = nullptr;
        QLineEdit *from = nullptr, *to = nullptr;
        QSpinBox *points = nullptr;
        QCheckBox *log = nullptr;
        QWidget *choiceBox = nullptr;
        QList<QCheckBox *> choices;
        QToolButton *remove = nullptr;
    };
    void setKey(int row, const QString &key);
    void relayout();
    int indexOf(const QComboBox *param) const;

    QGridLayout *m_layout;
    QList<QWidget *> m_header;
    QList<Row> m_rows;
};

} // namespace reglab::ui
