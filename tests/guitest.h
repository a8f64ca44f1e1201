// What the GUI tests share: the dashboard as the app wires it (window + training controller), on the forum's
// default settings, at the smallest supported size, shown offscreen.
#pragma once

#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "ui/controlpanel.h"
#include "ui/mainwindow.h"
#include "ui/metatypes.h"

#include <QSettings>
#include <QStandardPaths>

#include <memory>

namespace guitest {

// A test's settings (and Qt's standard paths) go to `dir`, never the user's; the run events' types are
// registered for queued signals and QSignalSpy.
inline void isolateSettings(const QString &dir)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
    reglab::ui::registerMetaTypes();
}

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
