#include "ui/metatypes.h"

namespace reglab::ui {

void registerMetaTypes()
{
    qRegisterMetaType<reglab::TrainConfig>();
    qRegisterMetaType<reglab::RunInfo>();
    qRegisterMetaType<reglab::StepRecord>();
    qRegisterMetaType<reglab::LambdaChange>();
    qRegisterMetaType<reglab::Progress>();
    qRegisterMetaType<reglab::EpochRecord>();
    qRegisterMetaType<reglab::Predictions>();
    qRegisterMetaType<reglab::RunRecord>();
    qRegisterMetaType<reglab::WeightSnapshot>();
    qRegisterMetaType<reglab::GradientBalance>();
    qRegisterMetaType<reglab::ValidationDetail>();
}

} // namespace reglab::ui
