#include "ui/controlpanel.h"
#include "ui/downloaddialog.h"
#include "ui/logslider.h"

#include "model/datasource.h"
#include "model/runtime.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <cmath>
#include <limits>

namespace reglab::ui {

namespace {
const QString kChooseFolder = QStringLiteral("<choose>");

// Shows 0.01 rather than 0.01000, and 5e-05; reads what it shows (the C locale, exponents) whatever the
// system locale, like the strength boxes.
class CompactSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    QString textFromValue(double value) const override { return QString::number(value, 'g', 6); }
    double valueFromText(const QString &text) const override
    {
        bool ok = false;
        const double v = parseNumber(text, &ok);
        return ok ? v : value();
    }
    QValidator::State validate(QString &text, int &) const override
    {
        return validateNumber(text, minimum(), maximum());
    }
};

// The dataset box changes only on an explicit choice: the wheel scrolls the panel instead of stepping onto
// "Folder..." (which opens a dialog).
class DataComboBox : public QComboBox {
public:
    using QComboBox::QComboBox;

protected:
    void wheelEvent(QWheelEvent *event) override { event->ignore(); }
};

// A stored setting, or `fallback` when it is missing, not a number or outside [lo, hi] (a damaged file).
double readDouble(const QSettings &s, const QString &key, double fallback, double lo, double hi)
{
    bool ok = false;
    const double v = s.value(key).toDouble(&ok);
    return ok && std::isfinite(v) && v >= lo && v <= hi ? v : fallback;
}

int readInt(const QSettings &s, const QString &key, int fallback, int lo, int hi)
{
    bool ok = false;
    const int v = s.value(key).toInt(&ok);
    return ok && v >= lo && v <= hi ? v : fallback;
}

QString withShortcut(const QString &text, const QAction *action)
{
    QStringList keys;
    for (const QKeySequence &k : action->shortcuts())
        keys << k.toString(QKeySequence::NativeText);
    return keys.isEmpty() ? text : QStringLiteral("%1 (%2)").arg(text, keys.join(QStringLiteral(", ")));
}
} // namespace

reglab::TrainConfig ControlPanel::defaultConfig()
{
    reglab::TrainConfig c; // the core's defaults are the forum's configuration
    c.data = "sample";
    c.device = "cpu";
    c.logEvery = 10; // a denser loss curve than the forum's 60 steps; logging costs little
    return c;
}

ControlPanel::ControlPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);

    // Regularization: the two strengths act on a running network.
    auto *reg = new QGroupBox(tr("Regularization (live)"), this);
    auto *regForm = new QFormLayout(reg);
    regForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_l1 = new LogSlider(reg);
    m_l1->setToolTip(tr("L1 penalty \u03bb\u2081\u00b7\u03a3|p| added to the loss; pushes weights to exactly zero.\n"
                        "Changes take effect at the next step of a running network."));
    m_l1Scope = new QComboBox(reg);
    m_l1Scope->addItem(tr("All parameters"), int(reglab::L1Scope::All));
    m_l1Scope->addItem(tr("Weights only (no biases)"), int(reglab::L1Scope::Weights));
    m_l2 = new LogSlider(reg);
    m_l2->setToolTip(tr("L2 strength \u03bb\u2082: shrinks every weight a little at each step.\n"
                        "Changes take effect at the next step of a running network."));
    m_l2Mode = new QComboBox(reg);
    m_l2Mode->addItem(tr("Weight decay (SGD)"), int(reglab::L2Mode::Decay));
    m_l2Mode->addItem(tr("Penalty \u03bb\u2082/2\u00b7\u03a3p\u00b2 in the loss"), int(reglab::L2Mode::Penalty));
    m_lr = new CompactSpinBox(reg);
    m_lr->setDecimals(6);
    // The learning rate's range is the core's (above 0): the box stops at its smallest step.
    m_lr->setRange(1e-6, reglab::field("learning_rate").hi);
    m_lr->setSingleStep(0.001);
    m_lr->setKeyboardTracking(false);
    m_lr->setToolTip(tr("SGD learning rate; can be changed while training"));
    regForm->addRow(tr("L1 strength"), m_l1);
    regForm->addRow(tr("L1 applies to"), m_l1Scope);
    regForm->addRow(tr("L2 strength"), m_l2);
    regForm->addRow(tr("L2 acts as"), m_l2Mode);
    regForm->addRow(tr("Learning rate"), m_lr);
    layout->addWidget(reg);

    // The rest is fixed when a run starts.
    auto *run = new QGroupBox(tr("Run"), this);
    auto *runForm = new QFormLayout(run);
    // Ranges from the core's fields, so the window allows exactly what reglab-train allows.
    auto spinFor = [run](const char *key) {
        auto *box = new QSpinBox(run);
        const reglab::ConfigField &f = reglab::field(key);
        box->setRange(int(f.lo), int(f.hi));
        box->setToolTip(QString::fromStdString(f.help));
        return box;
    };
    m_batch = spinFor("batch_size");
    m_epochs = spinFor("epochs");
    m_folds = spinFor("folds");
    m_folds->setToolTip(tr("k-fold split of the training set: epoch e trains on fold (e mod k)'s training part\n"
                           "and reports accuracy on its held-out part (validation)"));
    m_seed = new QSpinBox(run);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_device = new QComboBox(run);
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA (GPU)"), QStringLiteral("cuda"));
    if (!reglab::cudaAvailable()) {
        if (auto *model = qobject_cast<QStandardItemModel *>(m_device->model())) {
            QStandardItem *item = model->item(1);
            item->setEnabled(false);
            item->setToolTip(QString::fromStdString(reglab::cudaUnavailableReason()));
        }
        m_device->setToolTip(
            tr("CUDA is not available: %1").arg(QString::fromStdString(reglab::cudaUnavailableReason())));
    }
    m_data = new DataComboBox(run);
    m_data->setFocusPolicy(Qt::StrongFocus);
    m_data->addItem(tr("MNIST sample (bundled)"), QStringLiteral("sample"));
    m_data->setItemData(0, tr("10,000 training and 10,000 test digits shipped with RegLab"), Qt::ToolTipRole);
    m_data->addItem(tr("Full MNIST"), QStringLiteral("mnist"));
    m_data->setItemData(1, tr("60,000 training and 10,000 test digits; downloaded (11 MB) when first chosen"),
                        Qt::ToolTipRole);
    if (QFileInfo::exists(QString::fromLatin1(reglab::kFashionDir)))
        addFashionItem(true);
    m_data->addItem(tr("Folder\u2026"), kChooseFolder);
    m_data->setItemData(m_data->count() - 1, tr("A folder with the four MNIST-format IDX files"), Qt::ToolTipRole);
    m_data->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_data->setMinimumContentsLength(14);
    runForm->addRow(tr("Batch size"), m_batch);
    runForm->addRow(tr("Epochs"), m_epochs);
    runForm->addRow(tr("Folds"), m_folds);
    runForm->addRow(tr("Seed"), m_seed);
    runForm->addRow(tr("Device"), m_device);
    runForm->addRow(tr("Dataset"), m_data);
    m_pace = new QSpinBox(run);
    m_pace->setRange(0, 1000);
    m_pace->setSingleStep(5);
    m_pace->setSpecialValueText(tr("full speed"));
    m_pace->setSuffix(tr(" steps/s"));
    m_pace->setKeyboardTracking(false);
    m_pace->setToolTip(tr("At most this many steps a second, so you can talk over a run and move a slider in "
                          "time (the sample's epoch is 160 steps); can be changed while training"));
    runForm->addRow(tr("Pace"), m_pace);
    layout->addWidget(run);
    m_fixedWhileRunning = {m_l1Scope, m_l2Mode, m_batch, m_epochs, m_folds, m_seed, m_device, m_data};

    m_start = new QAction(tr("Start"), this);
    m_start->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_pause = new QAction(tr("Pause"), this);
    m_pause->setShortcuts({QKeySequence(Qt::Key_Space), QKeySequence(Qt::CTRL | Qt::Key_P)});
    m_stop = new QAction(tr("Stop"), this);
    m_stop->setShortcuts({QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_Period)});
    m_reset = new QAction(tr("Reset"), this);
    m_reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_start->setToolTip(withShortcut(tr("Train a new network with these settings"), m_start));
    m_pause->setToolTip(withShortcut(tr("Pause or resume training"), m_pause));
    m_stop->setToolTip(withShortcut(tr("Stop training; the curves stay"), m_stop));
    m_reset->setToolTip(withShortcut(
        tr("Stop and clear the charts, the predictions and the compared runs (they stay in Runs, unticked)"), m_reset));
    for (QAction *a : {m_start, m_pause, m_stop, m_reset})
        a->setShortcutContext(Qt::WindowShortcut);
    connect(m_start, &QAction::triggered, this, &ControlPanel::startRequested);
    connect(m_pause, &QAction::triggered, this, [this] {
        if (m_state == RunState::Idle)
            return;
        const bool pausing = m_state == RunState::Running;
        setRunState(pausing ? RunState::Paused : RunState::Running);
        if (pausing)
            Q_EMIT pauseRequested();
        else
            Q_EMIT resumeRequested();
    });
    connect(m_stop, &QAction::triggered, this, &ControlPanel::stopRequested);
    connect(m_reset, &QAction::triggered, this, &ControlPanel::resetRequested);

    auto *buttons = new QGridLayout();
    m_startButton = makeButton(m_start);
    m_pauseButton = makeButton(m_pause);
    m_stopButton = makeButton(m_stop);
    m_resetButton = makeButton(m_reset);
    QFont bold = m_startButton->font();
    bold.setBold(true);
    m_startButton->setFont(bold);
    buttons->addWidget(m_startButton, 0, 0);
    buttons->addWidget(m_pauseButton, 0, 1);
    buttons->addWidget(m_stopButton, 1, 0);
    buttons->addWidget(m_resetButton, 1, 1);
    layout->addLayout(buttons);
    layout->addStretch(1);

    connect(m_l1, &LogSlider::valueChanged, this, &ControlPanel::l1Changed);
    connect(m_l2, &LogSlider::valueChanged, this, &ControlPanel::l2Changed);
    connect(m_lr, &QDoubleSpinBox::valueChanged, this, &ControlPanel::learningRateChanged);
    connect(m_pace, &QSpinBox::valueChanged, this, [this](int value) { Q_EMIT paceChanged(value); });
    connect(m_data, &QComboBox::activated, this, [this](int index) {
        const QString spec = m_data->itemData(index).toString();
        if (spec == kChooseFolder)
            chooseFolder();
        else if (spec == QLatin1String("mnist") && !DownloadDialog::ensureMnist(this))
            m_data->setCurrentIndex(m_lastDataIndex); // not here and not downloaded: nothing changes
        else
            m_lastDataIndex = index;
    });

    setConfig(defaultConfig());
    setRunState(RunState::Idle);
}

QScrollArea *ControlPanel::inScrollArea()
{
    auto *scroll = new QScrollArea();
    scroll->setWidget(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(sizeHint().width() + 20);
    return scroll;
}

QToolButton *ControlPanel::makeButton(QAction *action)
{
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    button->setMinimumHeight(34);
    return button;
}

reglab::TrainConfig ControlPanel::config() const
{
    // A value still being typed (the boxes commit on Return or focus loss) counts, as the user sees it.
    m_lr->interpretText();
    m_l1->spinBox()->interpretText();
    m_l2->spinBox()->interpretText();
    reglab::TrainConfig c = defaultConfig();
    c.l1 = m_l1->value();
    c.l1Scope = reglab::L1Scope(m_l1Scope->currentData().toInt());
    c.l2 = m_l2->value();
    c.l2Mode = reglab::L2Mode(m_l2Mode->currentData().toInt());
    c.learningRate = m_lr->value();
    c.batchSize = m_batch->value();
    c.epochs = m_epochs->value();
    c.folds = m_folds->value();
    c.seed = std::uint64_t(m_seed->value());
    c.device = m_device->currentData().toString().toStdString();
    c.data = dataSource().toStdString();
    return c;
}

void ControlPanel::setConfig(const reglab::TrainConfig &c)
{
    m_l1->setValue(c.l1);
    m_l1Scope->setCurrentIndex(std::max(0, m_l1Scope->findData(int(c.l1Scope))));
    m_l2->setValue(c.l2);
    m_l2Mode->setCurrentIndex(std::max(0, m_l2Mode->findData(int(c.l2Mode))));
    const QSignalBlocker block(m_lr);
    m_lr->setValue(c.learningRate);
    m_batch->setValue(c.batchSize);
    m_epochs->setValue(c.epochs);
    m_folds->setValue(c.folds);
    m_seed->setValue(int(std::min<std::uint64_t>(c.seed, std::uint64_t(std::numeric_limits<int>::max()))));
    const int device = m_device->findData(QString::fromStdString(c.device));
    const bool cuda = reglab::cudaAvailable();
    m_device->setCurrentIndex(device == 1 && !cuda ? 0 : std::max(0, device));
    setDataSource(QString::fromStdString(c.data));
}

void ControlPanel::loadSettings(QSettings &s)
{
    // Each value is checked: a damaged or hand-edited file gives the default, never a range end or NaN.
    reglab::TrainConfig c = defaultConfig();
    s.beginGroup(QStringLiteral("controls"));
    c.l1 = readDouble(s, QStringLiteral("l1"), c.l1, 0.0, LogSlider::kMax);
    c.l1Scope = reglab::L1Scope(readInt(s, QStringLiteral("l1Scope"), int(c.l1Scope), int(reglab::L1Scope::All),
                                        int(reglab::L1Scope::Weights)));
    c.l2 = readDouble(s, QStringLiteral("l2"), c.l2, 0.0, LogSlider::kMax);
    c.l2Mode = reglab::L2Mode(
        readInt(s, QStringLiteral("l2Mode"), int(c.l2Mode), int(reglab::L2Mode::Decay), int(reglab::L2Mode::Penalty)));
    c.learningRate = readDouble(s, QStringLiteral("learningRate"), c.learningRate, m_lr->minimum(), m_lr->maximum());
    c.batchSize = readInt(s, QStringLiteral("batchSize"), c.batchSize, m_batch->minimum(), m_batch->maximum());
    c.epochs = readInt(s, QStringLiteral("epochs"), c.epochs, m_epochs->minimum(), m_epochs->maximum());
    c.folds = readInt(s, QStringLiteral("folds"), c.folds, m_folds->minimum(), m_folds->maximum());
    c.seed = std::uint64_t(readInt(s, QStringLiteral("seed"), int(c.seed), m_seed->minimum(), m_seed->maximum()));
    const QString device = s.value(QStringLiteral("device")).toString();
    if (m_device->findData(device) >= 0)
        c.device = device.toStdString();
    const QString source = s.value(QStringLiteral("data")).toString();
    if (!source.isEmpty())
        c.data = source.toStdString();
    m_pace->setValue(readInt(s, QStringLiteral("pace"), 0, m_pace->minimum(), m_pace->maximum()));
    s.endGroup();
    setConfig(c);
}

void ControlPanel::saveSettings(QSettings &s) const
{
    const reglab::TrainConfig c = config();
    s.beginGroup(QStringLiteral("controls"));
    s.setValue(QStringLiteral("l1"), c.l1);
    s.setValue(QStringLiteral("l1Scope"), int(c.l1Scope));
    s.setValue(QStringLiteral("l2"), c.l2);
    s.setValue(QStringLiteral("l2Mode"), int(c.l2Mode));
    s.setValue(QStringLiteral("learningRate"), c.learningRate);
    s.setValue(QStringLiteral("batchSize"), c.batchSize);
    s.setValue(QStringLiteral("epochs"), c.epochs);
    s.setValue(QStringLiteral("folds"), c.folds);
    s.setValue(QStringLiteral("seed"), qulonglong(c.seed));
    s.setValue(QStringLiteral("device"), QString::fromStdString(c.device));
    s.setValue(QStringLiteral("data"), QString::fromStdString(c.data));
    s.setValue(QStringLiteral("pace"), m_pace->value());
    s.endGroup();
}

void ControlPanel::setRunState(RunState state)
{
    m_state = state;
    const bool idle = state == RunState::Idle;
    for (QWidget *w : m_fixedWhileRunning)
        w->setEnabled(idle);
    m_start->setEnabled(idle);
    m_pause->setEnabled(!idle);
    m_stop->setEnabled(!idle);
    m_pause->setText(state == RunState::Paused ? tr("Resume") : tr("Pause"));
}

int ControlPanel::addFolderItem(const QString &folder)
{
    const int existing = m_data->findData(folder);
    if (existing >= 0)
        return existing;
    const int at = m_data->count() - 1; // before "Folder..."
    m_data->insertItem(at, QDir(folder).dirName().isEmpty() ? folder : QDir(folder).dirName(), folder);
    m_data->setItemData(at, folder, Qt::ToolTipRole);
    return at;
}

int ControlPanel::addFashionItem(bool installed)
{
    const int mnist = m_data->findData(QStringLiteral("mnist"));
    const int at = mnist >= 0 ? mnist + 1 : (m_data->findData(kChooseFolder) >= 0 ? 1 : m_data->count());
    m_data->insertItem(at, installed ? tr("Fashion-MNIST") : tr("Fashion-MNIST (not installed)"),
                       QStringLiteral("fashion"));
    m_data->setItemData(
        at,
        installed ? QString::fromLatin1(reglab::kFashionDir)
                  : tr("Not found at %1: install dataset-fashion-mnist").arg(QString::fromLatin1(reglab::kFashionDir)),
        Qt::ToolTipRole);
    return at;
}

void ControlPanel::setDataSource(const QString &spec)
{
    // "<choose>" (stored by an older version) is no source: the sample, as dataSource() would report.
    const QString source = spec.isEmpty() || spec == kChooseFolder ? QStringLiteral("sample") : spec;
    int index = m_data->findData(source);
    if (index < 0) // Fashion-MNIST that is not installed stays chosen, so a run says how to install it
        index = source == QLatin1String("fashion") ? addFashionItem(false) : addFolderItem(source);
    m_data->setCurrentIndex(index);
    m_lastDataIndex = index;
}

QString ControlPanel::dataSource() const
{
    const QString spec = m_data->currentData().toString();
    return spec == kChooseFolder ? m_data->itemData(m_lastDataIndex).toString() : spec;
}

void ControlPanel::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder with the four IDX files"));
    if (folder.isEmpty()) {
        m_data->setCurrentIndex(m_lastDataIndex);
        return;
    }
    setDataSource(folder);
}

} // namespace reglab::ui
