// reglab --screenshot and --record: the window trains on its own, with no one at it and no display needed, then
// saves a still of the window (or of one view) or a video of the run as it went, and exits.
#pragma once

#include <QString>
#include <QStringList>

namespace reglab::ui {
class MainWindow;
}

namespace reglab::app {

class TrainingController;

// What the command line asked for, as given; runUnattended checks it.
struct UnattendedJob {
    QString shot;               // --screenshot FILE (.png, .pdf, .svg)
    QString record;             // --record FILE (.mp4, .webm, .gif)
    QString view;               // --view NAME; "" is the whole window
    QString fps, seconds, size; // "" when not given
    int waitEpochs = 0;         // the still (the video's end) comes after this many epochs
    int changeEpoch = 0;        // --change-l1 EPOCH:VALUE; 0 for none
    double changeValue = 0;
    QString preset;             // --preset NAME or file; "" for one run with the controls' settings
    QStringList runs;           // run records opened beside the run
    bool present = false;       // --present
    bool showNetwork = false;   // --show-network: its dock stays raised in the layout for --size
};

// The names --view takes, the whole window first: dashboard, loss, accuracy, weights, gap.
QStringList viewNames();
// Checks everything the job names before anything trains (a bad size, view, file type or target: exit 2 with a
// message saying what is wrong and what to give; an unreadable run record: 3), trains, saves, and returns the
// exit status: 0 saved, 1 not written, 3 the run failed, 128+N stopped by signal N (a video keeps what it got).
int runUnattended(reglab::ui::MainWindow &window, TrainingController &controller, const UnattendedJob &job);

} // namespace reglab::app
