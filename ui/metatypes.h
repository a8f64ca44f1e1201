// The model's plain value structs travel in queued signals between the training thread and the UI.
#pragma once

#include "model/config.h"
#include "model/records.h"
#include "model/runrecord.h"

#include <QMetaType>

Q_DECLARE_METATYPE(reglab::TrainConfig)
Q_DECLARE_METATYPE(reglab::RunInfo)
Q_DECLARE_METATYPE(reglab::StepRecord)
Q_DECLARE_METATYPE(reglab::LambdaChange)
Q_DECLARE_METATYPE(reglab::Progress)
Q_DECLARE_METATYPE(reglab::EpochRecord)
Q_DECLARE_METATYPE(reglab::Predictions)
Q_DECLARE_METATYPE(reglab::RunRecord)
Q_DECLARE_METATYPE(reglab::WeightSnapshot)
Q_DECLARE_METATYPE(reglab::GradientBalance)
Q_DECLARE_METATYPE(reglab::ValidationDetail)

namespace reglab::ui {
// Idempotent; call before the first queued connection carrying these types.
void registerMetaTypes();
} // namespace reglab::ui
