#include "app/guiwiring.h"
#include "app/presetqueue.h"
#include "app/trainingcontroller.h"

#include "ui/mainwindow.h"

namespace reglab::app {

void connectWindow(reglab::ui::MainWindow &window, TrainingController &controller)
{
    using reglab::ui::MainWindow;
    QObject::connect(&window, &MainWindow::startRequested, &controller, &TrainingController::start);
    QObject::connect(&window, &MainWindow::pauseRequested, &controller, &TrainingController::pause);
    QObject::connect(&window, &MainWindow::resumeRequested, &controller, &TrainingController::resume);
    QObject::connect(&window, &MainWindow::stopRequested, &controller, &TrainingController::stop);
    QObject::connect(&window, &MainWindow::l1Changed, &controller, &TrainingController::setL1);
    QObject::connect(&window, &MainWindow::l2Changed, &controller, &TrainingController::setL2);
    QObject::connect(&window, &MainWindow::learningRateChanged, &controller, &TrainingController::setLearningRate);
    QObject::connect(&window, &MainWindow::closing, &controller, [&controller] { controller.shutdown(1000); });

    // The window shows a run as going exactly while the controller has one (or one is still ending).
    QObject::connect(&controller, &TrainingController::runningChanged, &window, &MainWindow::setRunning);
    window.setRunning(controller.isRunning());
    QObject::connect(&controller, &TrainingController::started, &window, &MainWindow::onRunStarted);
    QObject::connect(&controller, &TrainingController::step, &window, &MainWindow::onStep);
    QObject::connect(&controller, &TrainingController::lambdaChanged, &window, &MainWindow::onLambdaChange);
    QObject::connect(&controller, &TrainingController::progress, &window, &MainWindow::onProgress);
    QObject::connect(&controller, &TrainingController::epoch, &window, &MainWindow::onEpoch);
    QObject::connect(&controller, &TrainingController::predictions, &window, &MainWindow::onPredictions);
    QObject::connect(&controller, &TrainingController::weights, &window, &MainWindow::onWeights);
    QObject::connect(&controller, &TrainingController::gradientBalance, &window, &MainWindow::onGradientBalance);
    QObject::connect(&controller, &TrainingController::validationDetail, &window, &MainWindow::onValidationDetail);
    QObject::connect(&window, &MainWindow::snapshotRequested, &controller, &TrainingController::requestSnapshot);
    QObject::connect(&controller, &TrainingController::finished, &window, &MainWindow::onRunFinished);

    // Presets: the queue starts each run; the window clears and names it first.
    auto *queue = new PresetQueue(controller, &window);
    QObject::connect(&window, &MainWindow::presetRequested, queue, &PresetQueue::start);
    QObject::connect(&window, &MainWindow::presetCancelRequested, queue, &PresetQueue::cancel);
    QObject::connect(queue, &PresetQueue::runStarting, &window, &MainWindow::onQueuedRunStarting);
    QObject::connect(queue, &PresetQueue::queueEnded, &window, &MainWindow::onQueueEnded);
}

} // namespace reglab::app
