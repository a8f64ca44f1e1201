// Connects the window (ui/, no threads) to the training controller (app/, owns the thread).
#pragma once

namespace reglab::ui {
class MainWindow;
}

namespace reglab::app {

class TrainingController;

void connectWindow(reglab::ui::MainWindow &window, TrainingController &controller);

} // namespace reglab::app
