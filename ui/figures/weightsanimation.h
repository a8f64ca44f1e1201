// The first layer's weight images of the shown runs trained in this session, epoch by epoch, as a video: the
// lecture's picture of L1 0.01 fading every stroke to white while L2 keeps them smooth. One panel per run, named
// and coloured as its legend, all on one colour scale fixed for every run and epoch (so a dying network fades
// instead of being stretched back to full colour); the last frame is the still of the runs' last snapshots.
#pragma once

#include "model/records.h"
#include "ui/charts/figureuse.h"
#include "ui/figures/runanimation.h"

#include <QColor>
#include <QImage>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace reglab::ui {

class RunModel;

struct WeightsRun {
    QString name;
    QColor color;
    std::vector<std::shared_ptr<const reglab::WeightSnapshot>> epochs; // oldest first
};

// The shown runs with weight images per epoch (those trained in this session), named as the legends name them.
QList<WeightsRun> shownWeightsRuns(const RunModel &runs);
// Why there is nothing to animate ("" when there is).
QString weightsAnimationProblem(const QList<WeightsRun> &runs);

// The frame that shows each run as it was after `epoch` (its latest snapshot then; its first before that), all
// on ±`scale`, at `use`'s size in pixels. Null when there is no memory for it.
QImage renderWeightsFrame(const QList<WeightsRun> &runs, int epoch, double scale, const FigureUse &use);
// The colour scale of the whole animation: the largest of the runs' first snapshots' robust maxima.
double weightsAnimationScale(const QList<WeightsRun> &runs);
// The last epoch any run reached.
int weightsAnimationEpochs(const QList<WeightsRun> &runs);

// Writes the animation to `path` (.mp4, .webm or .gif) as writeRunAnimation does: "" or what went wrong, in words.
QString writeWeightsAnimation(const QList<WeightsRun> &runs, const AnimationSettings &settings, const QString &path,
                              const AnimationProgress &progress = {}, bool *cancelled = nullptr);

} // namespace reglab::ui
