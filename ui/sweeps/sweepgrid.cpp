#include "ui/sweeps/sweepgrid.h"

#include "model/safefile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>

#include <algorithm>
#include <set>

namespace reglab::ui {

namespace {

// A setting a row can sweep and the range a new row starts with (where a first sweep of it usually looks).
struct Param {
    const char *key;
    const char *title;
    bool numeric;
    double from, to;
    int points;
    bool log;
};

constexpr Param kParams[] = {
    {"l1", QT_TRANSLATE_NOOP("SweepGrid", "L1 strength"), true, 1e-5, 0.1, 5, true},
    {"l2", QT_TRANSLATE_NOOP("SweepGrid", "L2 strength"), true, 1e-5, 0.1, 5, true},
    {"learning_rate", QT_TRANSLATE_NOOP("SweepGrid", "Learning rate"), true, 0.001, 0.1, 3, true},
    {"batch_size", QT_TRANSLATE_NOOP("SweepGrid", "Batch size"), true, 16, 256, 5, true},
    {"dropout", QT_TRANSLATE_NOOP("SweepGrid", "Dropout (every layer)"), true, 0, 0.5, 6, false},
    {"momentum", QT_TRANSLATE_NOOP("SweepGrid", "SGD momentum"), true, 0, 0.9, 4, false},
    {"l1_method", QT_TRANSLATE_NOOP("SweepGrid", "L1 method"), false, 0, 0, 0, false},
    {"optimizer", QT_TRANSLATE_NOOP("SweepGrid", "Optimizer"), false, 0, 0, 0, false},
    {"l1_scope", QT_TRANSLATE_NOOP("SweepGrid", "L1 scope"), false, 0, 0, 0, false},
    {"l2_mode", QT_TRANSLATE_NOOP("SweepGrid", "L2 mode"), false, 0, 0, 0, false},
};

const Param &param(const QString &key)
{
    for (const Param &p : kParams)
        if (key == QLatin1String(p.key))
            return p;
    return kParams[0];
}

QString number(double v)
{
    return QString::fromStdString(reglab::formatNumber(v));
}

// A number box's value; RecordError naming the row and the box when it is not a number.
double numberIn(const QLineEdit *edit, const QString &row, const QString &what)
{
    bool ok = false;
    const double v = QLocale::c().toDouble(edit->text().trimmed(), &ok);
    if (!ok)
        throw reglab::RecordError(
            QStringLiteral("%1: %2 \"%3\" is not a number").arg(row, what, edit->text().trimmed()).toStdString());
    return v;
}

} // namespace

SweepGrid::SweepGrid(QWidget *parent) : QWidget(parent)
{
    m_layout = new QGridLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    for (const QString &text : {tr("Setting"), tr("From"), tr("To"), tr("Points"), tr("Spacing")}) {
        auto *label = new QLabel(text, this);
        label->setStyleSheet(QStringLiteral("font-weight: bold"));
        m_header << label;
    }
    m_layout->setColumnStretch(1, 1);
    m_layout->setColumnStretch(2, 1);
}

QStringList SweepGrid::sweepableKeys()
{
    QStringList keys;
    for (const Param &p : kParams)
        keys << QLatin1String(p.key);
    return keys;
}

QString SweepGrid::title(const QString &key)
{
    return tr(param(key).title);
}

int SweepGrid::addRow(const QString &key)
{
    QString chosen = key;
    if (chosen.isEmpty()) { // the first setting the grid does not vary yet
        std::set<QString> used;
        for (const Row &r : m_rows)
            used.insert(r.param->currentData().toString());
        for (const QString &k : sweepableKeys())
            if (!used.count(k)) {
                chosen = k;
                break;
            }
        if (chosen.isEmpty())
            chosen = sweepableKeys().first();
    }
    Row r;
    r.param = new QComboBox(this);
    for (const QString &k : sweepableKeys())
        r.param->addItem(title(k), k);
    r.param->setToolTip(tr("The setting this row varies; the others come from the window's settings"));
    r.from = new QLineEdit(this);
    r.to = new QLineEdit(this);
    r.from->setToolTip(tr("The first value (1e-5 and 0.00001 both work)"));
    r.to->setToolTip(tr("The last value"));
    r.param->setAccessibleName(tr("Setting varied"));
    r.from->setAccessibleName(tr("First value"));
    r.to->setAccessibleName(tr("Last value"));
    r.points = new QSpinBox(this);
    r.points->setRange(1, 10000);
    r.points->setToolTip(tr("How many values from the first to the last, both included"));
    r.points->setAccessibleName(tr("Number of values"));
    r.log = new QCheckBox(tr("log"), this);
    r.log->setToolTip(tr("Evenly spaced on a log scale (1e-5, 1e-4, 1e-3, ...), as strengths are usually swept"));
    r.choiceBox = new QWidget(this);
    auto *choices = new QHBoxLayout(r.choiceBox);
    choices->setContentsMargins(0, 0, 0, 0);
    choices->addStretch(1); // the values side by side from the left
    r.remove = new QToolButton(this);
    r.remove->setText(QStringLiteral("\u2715"));
    r.remove->setToolTip(tr("Remove this row"));
    r.remove->setAccessibleName(r.remove->toolTip()); // read as words, not as "multiplication x"
    r.remove->setAutoRaise(true);
    connect(r.param, &QComboBox::currentIndexChanged, this, [this, box = r.param] {
        const int row = indexOf(box);
        setKey(row, box->currentData().toString());
        Q_EMIT changed();
    });
    connect(r.from, &QLineEdit::textChanged, this, &SweepGrid::changed);
    connect(r.to, &QLineEdit::textChanged, this, &SweepGrid::changed);
    connect(r.points, &QSpinBox::valueChanged, this, &SweepGrid::changed);
    connect(r.log, &QCheckBox::toggled, this, &SweepGrid::changed);
    connect(r.remove, &QToolButton::clicked, this, [this, box = r.param] { removeRow(indexOf(box)); });
    m_rows << r;
    const int row = rowCount() - 1;
    setKey(row, chosen);
    relayout();
    Q_EMIT changed();
    return row;
}

void SweepGrid::removeRow(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    const Row r = m_rows.takeAt(row);
    for (QWidget *w : std::initializer_list<QWidget *>{r.param, r.from, r.to, r.points, r.log, r.choiceBox, r.remove}) {
        w->hide(); // out of the layout, it would stay where it was until deleted
        w->deleteLater();
    }
    relayout();
    Q_EMIT changed();
}

void SweepGrid::setRange(int row, double from, double to, int points, bool log)
{
    Row &r = m_rows[row];
    const QSignalBlocker b1(r.from), b2(r.to), b3(r.points), b4(r.log);
    r.from->setText(number(from));
    r.to->setText(number(to));
    r.points->setValue(points);
    r.log->setChecked(log);
    Q_EMIT changed();
}

void SweepGrid::setChoices(int row, const QStringList &values)
{
    for (QCheckBox *box : m_rows[row].choices) {
        const QSignalBlocker block(box);
        box->setChecked(values.contains(box->text().remove(QLatin1Char('&'))));
    }
    Q_EMIT changed();
}

void SweepGrid::setKey(int row, const QString &key)
{
    Row &r = m_rows[row];
    const Param &p = param(key);
    {
        const QSignalBlocker block(r.param);
        r.param->setCurrentIndex(r.param->findData(key));
    }
    for (QWidget *w : std::initializer_list<QWidget *>{r.from, r.to, r.points, r.log})
        w->setVisible(p.numeric);
    r.choiceBox->setVisible(!p.numeric);
    qDeleteAll(r.choices);
    r.choices.clear();
    if (p.numeric) {
        setRange(row, p.from, p.to, p.points, p.log);
        return;
    }
    for (const std::string &choice : reglab::field(key.toStdString()).choices) {
        auto *box = new QCheckBox(QString::fromStdString(choice), r.choiceBox);
        box->setChecked(true);
        connect(box, &QCheckBox::toggled, this, &SweepGrid::changed);
        auto *choices = static_cast<QHBoxLayout *>(r.choiceBox->layout());
        choices->insertWidget(choices->count() - 1, box);
        r.choices << box;
    }
}

void SweepGrid::relayout()
{
    while (m_layout->count() > 0)
        delete m_layout->takeAt(0); // the widgets stay; only their places go
    for (int c = 0; c < m_header.size(); ++c)
        m_layout->addWidget(m_header[c], 0, c);
    for (int i = 0; i < rowCount(); ++i) {
        const Row &r = m_rows[i];
        const int row = i + 1;
        m_layout->addWidget(r.param, row, 0);
        m_layout->addWidget(r.from, row, 1);
        m_layout->addWidget(r.to, row, 2);
        m_layout->addWidget(r.points, row, 3);
        m_layout->addWidget(r.log, row, 4);
        m_layout->addWidget(r.choiceBox, row, 1, 1, 4);
        m_layout->addWidget(r.remove, row, 5);
        r.remove->setEnabled(rowCount() > 1); // a sweep varies something
    }
}

int SweepGrid::indexOf(const QComboBox *param) const
{
    for (int i = 0; i < rowCount(); ++i)
        if (m_rows[i].param == param)
            return i;
    return -1;
}

std::vector<reglab::SweepAxisSpec> SweepGrid::axes(std::size_t hiddenLayers) const
{
    std::vector<reglab::SweepAxisSpec> out;
    std::set<QString> seen;
    for (const Row &r : m_rows) {
        const QString key = r.param->currentData().toString(), name = title(key);
        if (!seen.insert(key).second)
            throw reglab::RecordError(tr("%1 is in the grid twice: remove one of its rows").arg(name).toStdString());
        reglab::SweepAxisSpec axis;
        axis.key = key.toStdString();
        if (!param(key).numeric) {
            for (const QCheckBox *box : r.choices)
                if (box->isChecked())
                    axis.values.push_back(box->text().remove(QLatin1Char('&')).toStdString());
            if (axis.values.empty())
                throw reglab::RecordError(tr("%1: tick at least one value").arg(name).toStdString());
            out.push_back(std::move(axis));
            continue;
        }
        axis.from = numberIn(r.from, name, tr("from"));
        axis.to = numberIn(r.to, name, tr("to"));
        axis.points = r.points->value();
        axis.log = r.log->isChecked();
        if (key == QLatin1String("dropout")) {
            // A rate for every hidden layer: the file lists them ([0.1, 0.1]), as the network has one per layer.
            for (const std::string &v : reglab::sweepRangeValues(axis.key, axis.from, axis.to, axis.points, axis.log)) {
                std::string rates;
                for (std::size_t layer = 0; layer < std::max<std::size_t>(1, hiddenLayers); ++layer)
                    rates += (rates.empty() ? "" : ",") + v;
                axis.values.push_back(rates);
            }
        } else {
            axis.range = true;
        }
        out.push_back(std::move(axis));
    }
    return out;
}

QString SweepGrid::describe() const
{
    QStringList parts;
    for (const Row &r : m_rows) {
        const QString key = r.param->currentData().toString();
        qsizetype count = 0;
        if (param(key).numeric) {
            count = r.points->value();
            try { // whole-number settings can give fewer values than points (16 to 20 in 10 points)
                count =
                    qsizetype(reglab::sweepRangeValues(key.toStdString(), numberIn(r.from, {}, {}),
                                                       numberIn(r.to, {}, {}), r.points->value(), r.log->isChecked())
                                  .size());
            } catch (const std::exception &) { // the run count's line says what is wrong
            }
        } else {
            for (const QCheckBox *box : r.choices)
                count += box->isChecked() ? 1 : 0;
        }
        parts << QStringLiteral("%1 (%2)").arg(title(key)).arg(count);
    }
    return parts.join(QStringLiteral(" \u00d7 "));
}

void SweepGrid::loadSettings(const QSettings &settings)
{
    const QStringList rows = settings.value(QStringLiteral("sweep/grid")).toStringList();
    while (rowCount() > 0)
        removeRow(0);
    // Each row as "key;from;to;points;log;value|value"; a damaged row is skipped.
    for (const QString &text : rows) {
        const QStringList f = text.split(QLatin1Char(';'));
        if (f.size() != 6 || !sweepableKeys().contains(f[0]))
            continue;
        const int row = addRow(f[0]);
        bool okFrom = false, okTo = false, okPoints = false;
        const double from = QLocale::c().toDouble(f[1], &okFrom), to = QLocale::c().toDouble(f[2], &okTo);
        const int points = f[3].toInt(&okPoints);
        if (param(f[0]).numeric && okFrom && okTo && okPoints && points >= 1 && points <= 10000)
            setRange(row, from, to, points, f[4] == QLatin1String("true"));
        else if (!param(f[0]).numeric && !f[5].isEmpty())
            setChoices(row, f[5].split(QLatin1Char('|')));
    }
    if (rowCount() == 0)
        addRow(QStringLiteral("l1"));
}

void SweepGrid::saveSettings(QSettings &settings) const
{
    QStringList rows;
    for (const Row &r : m_rows) {
        QStringList ticked;
        for (const QCheckBox *box : r.choices)
            if (box->isChecked())
                ticked << box->text().remove(QLatin1Char('&'));
        rows << QStringList{r.param->currentData().toString(),
                            r.from->text().trimmed(),
                            r.to->text().trimmed(),
                            QString::number(r.points->value()),
                            r.log->isChecked() ? QStringLiteral("true") : QStringLiteral("false"),
                            ticked.join(QLatin1Char('|'))}
                    .join(QLatin1Char(';'));
    }
    settings.setValue(QStringLiteral("sweep/grid"), rows);
}

} // namespace reglab::ui
