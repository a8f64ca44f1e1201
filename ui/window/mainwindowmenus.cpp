// The window's menu bar (MainWindow::buildMenus): File (runs, sweeps, the record, figures), Run, Presets, View
// and Help.
#include "ui/window/mainwindow.h"

#include "ui/controls/controlpanel.h"
#include "ui/figures/exportmenu.h"
#include "ui/live/liveview.h"
#include "ui/runs/runlist.h"
#include "ui/sweeps/sweepdialog.h"
#include "ui/sweeps/sweepview.h"
#include "ui/window/helpmenu.h"
#include "ui/window/presetmenu.h"
#include "ui/window/viewmenu.h"

#include <QAction>
#include <QMenuBar>

namespace reglab::ui {

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open runs (JSON)\u2026"), m_runList, &RunList::openDialog)->setShortcut(QKeySequence::Open);
    file->addAction(tr("New s&weep\u2026"), this, [this] {
        if (m_sweepJobs) // app/ gives the window its sweep runner
            SweepDialog::showIn(this, m_controls->config(), m_runList, m_sweepJobs, m_store);
        else
            showBanner(tr("Sweeps run through reglab-train, which this window was not given."));
    });
    file->addAction(tr("Open swee&p\u2026"), this, [this] { SweepView::openDialog(m_runList); });
    file->addAction(tr("&Save run record (JSON)\u2026"), this, &MainWindow::saveRecord)
        ->setShortcut(QKeySequence::Save);
    file->addSeparator();
    m_exports = new ExportMenu(this, m_live, file);
    m_exports->setRunModel(m_runs);
    file->addMenu(m_exports);
    report(m_exports);
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    for (QAction *a :
         {m_controls->startAction(), m_controls->pauseAction(), m_controls->stopAction(), m_controls->resetAction()}) {
        run->addAction(a);
        addAction(a); // shortcuts work wherever the focus is in the window
    }
    run->addSeparator();
    run->addAction(tr("Restore &default settings"), this, &MainWindow::restoreDefaults);

    m_presets = new PresetMenu(PresetMenu::presetDirs(), this);
    menuBar()->addMenu(m_presets);
    connect(m_presets, &PresetMenu::presetChosen, this, &MainWindow::startPreset);
    report(m_presets);

    m_view = new ViewMenu({m_controlDock, m_digitDock, m_runsDock, m_networkDock}, m_controlDock, m_presentation, this);
    menuBar()->addMenu(m_view);
    QAction *home = new QAction(tr("&Reset chart views"), m_view);
    home->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    home->setToolTip(tr("Both charts back to their whole ranges after a zoom or a pan (Ctrl+0)"));
    connect(home, &QAction::triggered, m_live, &LiveView::resetViews);
    m_view->insertAction(m_view->actions().value(2), home); // after the presentation mode and the controls
    addAction(home);
    addActions({m_view->presentationAction(), m_view->controlsAction()}); // they work with the menu bar hidden
    m_help = new HelpMenu(this);
    m_help->setLessons(m_presets->files());
    menuBar()->addMenu(m_help);
}

} // namespace reglab::ui
