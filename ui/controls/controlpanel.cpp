#include "ui/controls/controlpanel.h"
#include "ui/controls/downloaddialog.h"
#include "ui/controls/logslider.h"
#include "ui/controls/numberentry.h"

#include "model/datasource.h"
#include "model/runtime.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
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
    m_l1Method = new QComboBox(reg);
    m_l1Method->addItem(tr("Subgradient (in the loss)"), int(reglab::L1Method::Subgradient));
    m_l1Method->addItem(tr("Proximal (exact zeros)"), int(reglab::L1Method::Proximal));
    m_l1Method->setToolTip(
        tr("Subgradient: \u03bb\u2081\u00b7sign(w) added to the gradient, as loss += \u03bb\u2081\u00b7\u03a3|w| "
           "does;\nweights oscillate around zero but hardly ever reach it.\n"
           "Proximal: after each step w \u2190 sign(w)\u00b7max(|w| \u2212 lr\u00b7\u03bb\u2081, 0), "
           "which leaves exact zeros."));
    m_l2 = new LogSlider(reg);
    m_l2->setToolTip(tr("L2 strength \u03bb\u2082: shrinks every weight a little at each step.\n"
                        "Changes take effect at the next step of a running network."));
    m_l2Mode = new QComboBox(reg);
    m_l2Mode->addItem(tr("Weight decay"), int(reglab::L2Mode::Decay));
    m_l2Mode->setItemData(0,
                          tr("The optimizer's weight_decay: SGD and Adam add \u03bb\u2082\u00b7w to the gradient "
                             "(the same as the penalty);\nAdamW shrinks the weights by lr\u00b7\u03bb\u2082\u00b7w "
                             "outside its adaptive scaling"),
                          Qt::ToolTipRole);
    m_l2Mode->addItem(tr("Penalty \u03bb\u2082/2\u00b7\u03a3p\u00b2 in the loss"), int(reglab::L2Mode::Penalty));
    m_lr = new CompactSpinBox(reg);
    m_lr->setDecimals(6);
    // The learning rate's range is the core's (above 0): the box stops at its smallest step.
    m_lr->setRange(1e-6, reglab::field("learning_rate").hi);
    m_lr->setSingleStep(0.001);
    m_lr->setKeyboardTracking(false);
    m_lr->setToolTip(tr("Learning rate; can be changed while training"));
    // Dropout: one rate per hidden layer, live like the strengths.
    m_dropoutRow = new QWidget(reg);
    auto *dropoutLayout = new QHBoxLayout(m_dropoutRow);
    dropoutLayout->setContentsMargins(0, 0, 0, 0);
    const reglab::ConfigField &dropoutField = reglab::field("dropout");
    for (int i = 0; i < kMaxHidden; ++i) {
        auto *box = new CompactSpinBox(m_dropoutRow);
        box->setDecimals(4);
        box->setRange(dropoutField.lo, dropoutField.hi);
        box->setSingleStep(0.05);
        box->setKeyboardTracking(false);
        box->setToolTip(
            tr("Dropout rate of hidden layer %1 (0 turns it off); can be changed while training").arg(i + 1));
        dropoutLayout->addWidget(box);
        m_dropout << box;
    }
    regForm->addRow(tr("L1 strength"), m_l1);
    regForm->addRow(tr("L1 applies to"), m_l1Scope);
    regForm->addRow(tr("L1 acts as"), m_l1Method);
    regForm->addRow(tr("L2 strength"), m_l2);
    regForm->addRow(tr("L2 acts as"), m_l2Mode);
    regForm->addRow(tr("Dropout"), m_dropoutRow);
    regForm->addRow(tr("Learning rate"), m_lr);
    layout->addWidget(reg);

    // The optimizer and the network's shape are fixed when a run starts.
    auto *opt = new QGroupBox(tr("Optimizer and network"), this);
    m_optimizerForm = new QFormLayout(opt);
    m_optimizerForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    auto realFor = [opt](const char *key, int decimals, double step) {
        const reglab::ConfigField &f = reglab::field(key);
        auto *box = new CompactSpinBox(opt);
        box->setDecimals(decimals);
        // An open lower end (epsilon > 0) stops at the box's smallest step.
        box->setRange(f.openLow ? std::pow(10.0, -decimals) : f.lo, f.hi);
        box->setSingleStep(step);
        box->setToolTip(QString::fromStdString(f.help));
        return box;
    };
    m_optimizer = new QComboBox(opt);
    m_optimizer->addItem(tr("SGD"), int(reglab::Optimizer::Sgd));
    m_optimizer->addItem(tr("Adam"), int(reglab::Optimizer::Adam));
    m_optimizer->addItem(tr("AdamW (decoupled decay)"), int(reglab::Optimizer::AdamW));
    m_optimizer->setToolTip(QString::fromStdString(reglab::field("optimizer").help));
    m_momentum = realFor("momentum", 6, 0.1);
    m_nesterov = new QCheckBox(tr("Nesterov"), opt);
    m_nesterov->setToolTip(QString::fromStdString(reglab::field("nesterov").help));
    auto *momentumRow = new QWidget(opt);
    auto *momentumLayout = new QHBoxLayout(momentumRow);
    momentumLayout->setContentsMargins(0, 0, 0, 0);
    momentumLayout->addWidget(m_momentum, 1);
    momentumLayout->addWidget(m_nesterov);
    m_beta1 = realFor("adam_beta1", 6, 0.01);
    m_beta2 = realFor("adam_beta2", 6, 0.001);
    m_eps = realFor("adam_eps", 12, 1e-8);
    m_slope = realFor("leaky_slope", 4, 0.01);
    auto *hiddenRow = new QWidget(opt);
    auto *hiddenLayout = new QHBoxLayout(hiddenRow);
    hiddenLayout->setContentsMargins(0, 0, 0, 0);
    const reglab::ConfigField &hiddenField = reglab::field("hidden");
    for (int i = 0; i < kMaxHidden; ++i) {
        auto *box = new QSpinBox(hiddenRow);
        box->setRange(i == 0 ? int(hiddenField.lo) : 0, int(hiddenField.hi));
        if (i > 0)
            box->setSpecialValueText(tr("none"));
        box->setToolTip(i == 0 ? tr("Units in hidden layer 1")
                               : tr("Units in hidden layer %1 (none: no such layer)").arg(i + 1));
        hiddenLayout->addWidget(box);
        m_hidden << box;
        connect(box, &QSpinBox::valueChanged, this, &ControlPanel::updateVisibility);
    }
    m_optimizerForm->addRow(tr("Optimizer"), m_optimizer);
    m_optimizerForm->addRow(tr("Momentum"), momentumRow);
    m_optimizerForm->addRow(tr("Adam \u03b2\u2081"), m_beta1);
    m_optimizerForm->addRow(tr("Adam \u03b2\u2082"), m_beta2);
    m_optimizerForm->addRow(tr("Adam \u03b5"), m_eps);
    m_optimizerForm->addRow(tr("Hidden units"), hiddenRow);
    m_optimizerForm->addRow(tr("LeakyReLU slope"), m_slope);
    layout->addWidget(opt);
    connect(m_optimizer, &QComboBox::currentIndexChanged, this, &ControlPanel::updateVisibility);
    connect(m_momentum, &QDoubleSpinBox::valueChanged, this, &ControlPanel::updateVisibility);

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
    m_fixedWhileRunning = {m_l1Scope, m_l1Method, m_l2Mode, m_optimizer, m_momentum, m_nesterov, m_beta1,  m_beta2,
                           m_eps,     m_slope,    m_batch,  m_epochs,    m_folds,    m_seed,     m_device, m_data};
    for (QSpinBox *box : m_hidden)
        m_fixedWhileRunning << box;

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
    for (QDoubleSpinBox *box : m_dropout)
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] { Q_EMIT dropoutChanged(dropoutRates()); });
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
    for (QAbstractSpinBox *box :
         std::initializer_list<QAbstractSpinBox *>{m_momentum, m_beta1, m_beta2, m_eps, m_slope})
        box->interpretText();
    for (QDoubleSpinBox *box : m_dropout)
        box->interpretText();
    for (QSpinBox *box : m_hidden)
        box->interpretText();
    reglab::TrainConfig c = defaultConfig();
    c.l1 = m_l1->value();
    c.l1Scope = reglab::L1Scope(m_l1Scope->currentData().toInt());
    c.l1Method = reglab::L1Method(m_l1Method->currentData().toInt());
    c.optimizer = reglab::Optimizer(m_optimizer->currentData().toInt());
    c.momentum = m_momentum->value();
    c.nesterov = m_nesterov->isChecked() && c.momentum > 0; // PyTorch's Nesterov needs momentum
    c.adamBeta1 = m_beta1->value();
    c.adamBeta2 = m_beta2->value();
    c.adamEps = m_eps->value();
    c.hidden = hiddenSizes();
    c.dropout = dropoutRates();
    c.leakySlope = m_slope->value();
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
    m_l1Method->setCurrentIndex(std::max(0, m_l1Method->findData(int(c.l1Method))));
    m_optimizer->setCurrentIndex(std::max(0, m_optimizer->findData(int(c.optimizer))));
    m_momentum->setValue(c.momentum);
    m_nesterov->setChecked(c.nesterov);
    m_beta1->setValue(c.adamBeta1);
    m_beta2->setValue(c.adamBeta2);
    m_eps->setValue(c.adamEps);
    m_slope->setValue(c.leakySlope);
    // The window shows up to three hidden layers: a deeper network from a run record keeps its first three.
    for (int i = 0; i < kMaxHidden; ++i)
        m_hidden[i]->setValue(std::size_t(i) < c.hidden.size() ? c.hidden[std::size_t(i)] : 0);
    for (int i = 0; i < kMaxHidden; ++i) {
        const QSignalBlocker blockDropout(m_dropout[i]);
        m_dropout[i]->setValue(std::size_t(i) < c.dropout.size() ? c.dropout[std::size_t(i)] : 0.0);
    }
    updateVisibility();
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

void ControlPanel::setRunState(RunState state)
{
    m_state = state;
    const bool idle = state == RunState::Idle;
    for (QWidget *w : m_fixedWhileRunning)
        w->setEnabled(idle);
    updateVisibility(); // the boxes that depend on others
    m_start->setEnabled(idle);
    m_pause->setEnabled(!idle);
    m_stop->setEnabled(!idle);
    m_pause->setText(state == RunState::Paused ? tr("Resume") : tr("Pause"));
}

std::vector<int> ControlPanel::hiddenSizes() const
{
    std::vector<int> sizes{m_hidden[0]->value()};
    for (int i = 1; i < kMaxHidden && m_hidden[i]->value() > 0; ++i)
        sizes.push_back(m_hidden[i]->value());
    return sizes;
}

std::vector<double> ControlPanel::dropoutRates() const
{
    std::vector<double> rates;
    for (std::size_t i = 0; i < hiddenSizes().size(); ++i)
        rates.push_back(m_dropout[int(i)]->value());
    return rates;
}

void ControlPanel::updateVisibility()
{
    const auto kind = reglab::Optimizer(m_optimizer->currentData().toInt());
    const bool sgd = kind == reglab::Optimizer::Sgd;
    m_optimizerForm->setRowVisible(1, sgd);
    for (int row = 2; row <= 4; ++row)
        m_optimizerForm->setRowVisible(row, !sgd);
    m_nesterov->setEnabled(m_state == RunState::Idle && m_momentum->value() > 0);
    // A layer exists while every one before it does: a box after a "none" is off.
    const int layers = int(hiddenSizes().size());
    for (int i = 1; i < kMaxHidden; ++i)
        m_hidden[i]->setEnabled(m_state == RunState::Idle && i <= layers);
    for (int i = 0; i < kMaxHidden; ++i)
        m_dropout[i]->setVisible(i < layers);
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
