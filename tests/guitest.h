// What the GUI tests share: the dashboard as the app wires it (window + training controller), on the forum's
// default settings, at the smallest supported size, shown offscreen.
#pragma once

#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "ui/controlpanel.h"
#include "ui/mainwindow.h"

#include <memory>

namespace guitest {

struct Dashboard {
    std::unique_ptr<reglab::ui::MainWindow> window;
    std::unique_ptr<reglab::app::TrainingController> controller;

    explicit Dashboard(bool persist = false)
        : window(std::make_unique<reglab::ui::MainWindow>(persist)),
          controller(std::make_unique<reglab::app::TrainingController>())
    {
        reglab::app::connectWindow(*window, *controller);
        window->controls()->setConfig(reglab::ui::ControlPanel::defaultConfig());
        window->resize(1280, 720);
        window->show();
    }
    ~Dashboard()
    {
        controller->shutdown(2000);
        controller.reset(); // waits for a thread still ending
        window.reset();
    }
    reglab::ui::ControlPanel *controls() const { return window->controls(); }
};

} // namespace guitest
