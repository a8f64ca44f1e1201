#include "ui/controls/controlpanel.h"
#include "ui/controls/downloaddialog.h"
#include "ui/controls/logslider.h"
#include "ui/controls/numberentry.h"
#include "ui/controls/settingcontrol.h"
#include "ui/controls/wheelguard.h"

#include "model/datasource.h"
#include "model/runtime.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <cmath>
#include <limits>

namespace reglab::ui {

namespace {
const QString kChooseFolder = QStringLiteral("<choose>");

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
    layout->addWidget(makeGroup(tr("Regularization (live)"), "regularization"));
    layout->addWidget(makeGroup(tr("Optimizer and network"), "optimizer"));
    QWidget *run = makeGroup(tr("Run"), "run");
    m_pace = new QSpinBox(run);
    m_pace->setRange(0, 1000);
    m_pace->setSingleStep(5);
    m_pace->setSpecialValueText(tr("full speed"));
    m_pace->setSuffix(tr(" steps/s"));
    m_pace->setKeyboardTracking(false);
    m_pace->setToolTip(tr("At most this many steps a second, so you can talk over a run and move a slider in "
                          "time (the sample's epoch is 160 steps); can be changed while training"));
    static_cast<QFormLayout *>(run->layout())->addRow(tr("Pace"), m_pace);
    layout->addWidget(run);

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

    // Start, Pause, Stop and Reset in one row that the window places where it is always in view (the charts'
    // header); until then it heads the panel.
    m_runBar = new QWidget(this);
    m_runBar->setObjectName(QStringLiteral("runBar"));
    auto *buttons = new QHBoxLayout(m_runBar);
    buttons->setContentsMargins(0, 0, 0, 0);
    m_startButton = makeButton(m_start);
    m_pauseButton = makeButton(m_pause);
    m_stopButton = makeButton(m_stop);
    m_resetButton = makeButton(m_reset);
    QFont bold = m_startButton->font();
    bold.setBold(true);
    m_startButton->setFont(bold);
    for (QToolButton *b : {m_startButton, m_pauseButton, m_stopButton, m_resetButton})
        buttons->addWidget(b);
    layout->insertWidget(0, m_runBar);
    layout->addStretch(1);

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
    WheelGuard::protect(this); // the wheel scrolls the panel; a box takes it once chosen
}

QScrollArea *ControlPanel::inScrollArea()
{
    auto *scroll = new QScrollArea();
    scroll->setWidget(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // As narrow as the panel can be with its scroll bar: the sidebar leaves the rest to the charts.
    scroll->setMinimumWidth(minimumSizeHint().width() + scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4);
    return scroll;
}

QToolButton *ControlPanel::makeButton(QAction *action)
{
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);
    button->setMinimumHeight(30);
    return button;
}

QWidget *ControlPanel::makeGroup(const QString &title, const char *group)
{
    auto *box = new QGroupBox(title, this);
    auto *form = new QFormLayout(box);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    QHBoxLayout *lastRow = nullptr;
    for (const reglab::ConfigField &field : reglab::configFields()) {
        if (field.group != group)
            continue;
        const QString label = QString::fromStdString(field.label);
        QWidget *widget = nullptr;
        if (field.control == reglab::ConfigField::Control::Device)
            widget = m_device = makeDeviceBox(box);
        else if (field.control == reglab::ConfigField::Control::Data)
            widget = m_data = makeDataBox(box);
        if (widget) {
            form->addRow(label, widget);
            // Named like the controls made from the table (a reader reads a combo's buddy label on Linux).
            widget->setAccessibleName(label);
            if (widget == m_data) { // the words the box shows, not the command line's keys
                QStringList items;
                for (int i = 0; i < m_data->count(); ++i)
                    items << m_data->itemText(i);
                widget->setAccessibleDescription(tr("The images the network trains and is tested on: %1")
                                                     .arg(items.join(QStringLiteral(", "))));
            } else if (widget->accessibleDescription().isEmpty()) {
                widget->setAccessibleDescription(QString::fromStdString(field.help));
            }
            continue;
        }
        SettingControl *control = SettingControl::create(field, box);
        if (!control)
            continue;
        m_controls << control;
        connect(control, &SettingControl::committed, this, [this, control] { committed(control); });
        if (field.control == reglab::ConfigField::Control::Check && lastRow) {
            // A switch sits beside the setting before it (Nesterov beside Momentum) and shows with it.
            lastRow->addWidget(control->widget());
            m_rows.append({control, lastRow});
            continue;
        }
        // A row is a layout, not a widget: the control stays a sibling of its label, the only place where Qt
        // looks for the label a screen reader reads it by ("labelled by"; on Linux a choice's name is its value).
        auto *row = new QHBoxLayout();
        row->addWidget(control->widget(), 1);
        form->addRow(label, row);
        if (auto *formLabel = qobject_cast<QLabel *>(form->labelForField(row)))
            formLabel->setBuddy(control->widget());
        m_rows.append({control, row});
        lastRow = row;
    }
    return box;
}

QComboBox *ControlPanel::makeDeviceBox(QWidget *parent)
{
    auto *device = new QComboBox(parent);
    device->setObjectName(QStringLiteral("device"));
    device->addItem(tr("CPU"), QStringLiteral("cpu"));
    device->addItem(tr("CUDA (GPU)"), QStringLiteral("cuda"));
    device->setToolTip(QString::fromStdString(reglab::field("device").help));
    if (!reglab::cudaAvailable()) {
        if (auto *model = qobject_cast<QStandardItemModel *>(device->model())) {
            QStandardItem *item = model->item(1);
            item->setEnabled(false);
            item->setToolTip(QString::fromStdString(reglab::cudaUnavailableReason()));
        }
        device->setToolTip(
            tr("CUDA is not available: %1").arg(QString::fromStdString(reglab::cudaUnavailableReason())));
    }
    return device;
}

QComboBox *ControlPanel::makeDataBox(QWidget *parent)
{
    auto *box = new DataComboBox(parent);
    box->setObjectName(QStringLiteral("data"));
    box->setFocusPolicy(Qt::StrongFocus);
    box->addItem(tr("MNIST sample (bundled)"), QStringLiteral("sample"));
    box->setItemData(0, tr("10,000 training and 10,000 test digits shipped with RegLab"), Qt::ToolTipRole);
    box->addItem(tr("Full MNIST"), QStringLiteral("mnist"));
    box->setItemData(1, tr("60,000 training and 10,000 test digits; downloaded (11 MB) when first chosen"),
                      Qt::ToolTipRole);
    m_data = box;
    if (QFileInfo::exists(QString::fromLatin1(reglab::kFashionDir)))
        addFashionItem(true);
    box->addItem(tr("Folder\u2026"), kChooseFolder);
    box->setItemData(box->count() - 1, tr("A folder with the four MNIST-format IDX files"), Qt::ToolTipRole);
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(14);
    return box;
}

void ControlPanel::committed(SettingControl *control)
{
    updateVisibility();
    if (control->field().live)
        Q_EMIT settingChanged(control->key(), control->text());
}

SettingControl *ControlPanel::control(const std::string &key) const
{
    for (SettingControl *c : m_controls)
        if (c->key() == key)
            return c;
    return nullptr;
}

const QList<QDoubleSpinBox *> &ControlPanel::dropoutBoxes() const
{
    return static_cast<RatesControl *>(control("dropout"))->boxes();
}
const QList<QSpinBox *> &ControlPanel::hiddenBoxes() const
{
    return static_cast<UnitsControl *>(control("hidden"))->boxes();
}

reglab::TrainConfig ControlPanel::config() const
{
    // Each control's value through its field's parser, as the flags read it; a value still being typed (the
    // boxes commit on Return or focus loss) counts, as the user sees it.
    reglab::TrainConfig c = defaultConfig();
    for (SettingControl *control : m_controls)
        control->field().set(c, control->text());
    c.dropout.resize(c.hidden.size(), 0.0);
    c.nesterov = c.nesterov && c.momentum > 0; // PyTorch's Nesterov needs momentum
    c.device = m_device->currentData().toString().toStdString();
    c.data = dataSource().toStdString();
    return c;
}

void ControlPanel::setConfig(const reglab::TrainConfig &c)
{
    for (SettingControl *control : m_controls)
        control->setText(control->field().get(c));
    updateVisibility();
    const int device = m_device->findData(QString::fromStdString(c.device));
    const bool cuda = reglab::cudaAvailable();
    m_device->setCurrentIndex(device == 1 && !cuda ? 0 : std::max(0, device));
    setDataSource(QString::fromStdString(c.data));
}

void ControlPanel::setRunState(RunState state)
{
    m_state = state;
    const bool idle = state == RunState::Idle;
    for (SettingControl *control : m_controls)
        control->widget()->setEnabled(idle || control->field().live);
    m_device->setEnabled(idle);
    m_data->setEnabled(idle);
    updateVisibility(); // the boxes that depend on others
    m_start->setEnabled(idle);
    m_pause->setEnabled(!idle);
    m_stop->setEnabled(!idle);
    m_pause->setText(state == RunState::Paused ? tr("Resume") : tr("Pause"));
}

std::vector<int> ControlPanel::hiddenSizes() const
{
    return config().hidden;
}

std::vector<double> ControlPanel::dropoutRates() const
{
    return config().dropout;
}

void ControlPanel::updateVisibility()
{
    const reglab::TrainConfig c = config();
    for (const auto &[control, row] : m_rows)
        if (control->field().relevant) {
            const bool shown = control->field().relevant(c);
            if (row->indexOf(control->widget()) > 0)
                control->widget()->setVisible(shown); // beside another setting: only itself
            else if (auto *form = qobject_cast<QFormLayout *>(control->widget()->parentWidget()->layout()))
                form->setRowVisible(row, shown);
        }
    if (QCheckBox *nesterov = widget<QCheckBox>("nesterov"))
        nesterov->setEnabled(m_state == RunState::Idle && c.momentum > 0);
    auto *units = static_cast<UnitsControl *>(control("hidden"));
    auto *rates = static_cast<RatesControl *>(control("dropout"));
    if (units && rates)
        rates->setLayers(units->layers());
    if (units)
        for (int i = 1; i < units->boxes().size(); ++i)
            units->boxes()[i]->setEnabled(m_state == RunState::Idle && i <= units->layers());
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
