// `reglab plot`: a chart of finished runs with no window, for scripts and papers.
#pragma once

#include <QStringList>

namespace reglab::app {

// args: everything after "plot". Prints what it wrote, or why not, and returns the exit status:
// 0 written, 1 could not write, 2 bad arguments, 3 a run file that cannot be read.
int runPlotCommand(const QStringList &args);

} // namespace reglab::app
