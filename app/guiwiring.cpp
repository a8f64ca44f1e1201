#include "app/guiwiring.h"
#include "app/presetqueue.h"
#include "app/sweeprunner.h"
#include "app/trainingcontroller.h"

#include "ui/controls/controlpanel.h"
#include "ui/network/networkpanel.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presetmenu.h"

#include <QSpinBox>

namespace reglab::app {

void connectWindow(reglab::ui::MainWindow &window, TrainingController &controller)
{
    using reglab::ui::ControlPanel;
    using reglab::ui::MainWindow;
    QObject::connect(&window, &MainWindow::startRequested, &controller, &TrainingController::start);
    QObject::connect(&window, &MainWindow::stopRequested, &controller, &TrainingController::stop);
    QObject::connect(&window, &MainWindow::closing, &controller, [&controller] { controller.shutdown(1000); });
    // The live settings go straight from the controls to the trainer.
    ControlPanel *controls = window.controls();
    QObject::connect(controls, &ControlPanel::pauseRequested, &controller, &TrainingController::pause);
    QObject::connect(controls, &ControlPanel::resumeRequested, &controller, &TrainingController::resume);
    QObject::connect(controls, &ControlPanel::stopRequested, &controller, &TrainingController::stop);
    QObject::connect(controls, &ControlPanel::settingChanged, &controller, &TrainingController::setSetting);
    QObject::connect(controls, &ControlPanel::paceChanged, &controller, &TrainingController::setPace);
    controller.setPace(controls->paceBox()->value());
    QObject::connect(window.networkPanel(), &reglab::ui::NetworkPanel::refreshRequested, &controller,
                     &TrainingController::requestSnapshot);

    // The window shows a run as going exactly while the controller has one (or one is still ending).
    QObject::connect(&controller, &TrainingController::runningChanged, &window, &MainWindow::setRunning);
    window.setRunning(controller.isRunning());
    QObject::connect(&controller, &TrainingController::event, &window, &MainWindow::onEvent);

    // Presets: the queue starts each run; the window clears and names it first.
    auto *queue = new PresetQueue(controller, &window);
    QObject::connect(window.presetMenu(), &reglab::ui::PresetMenu::presetRequested, queue, &PresetQueue::start);
    QObject::connect(window.presetMenu(), &reglab::ui::PresetMenu::cancelRequested, queue, &PresetQueue::cancel);
    QObject::connect(queue, &PresetQueue::runStarting, &window, &MainWindow::onQueuedRunStarting);
    QObject::connect(queue, &PresetQueue::queueEnded, &window, &MainWindow::onQueueEnded);

    // File > New sweep runs its sweeps through reglab-train, next to this program.
    window.setSweepJobs([](QObject *parent) -> reglab::ui::SweepJob * { return new SweepRunner(parent); });
}

} // namespace reglab::app
