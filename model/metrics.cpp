// The table of measurements: epochs' losses, accuracies and sparsity, and the logging points' loss parts.
#include "model/metrics.h"

#include <limits>

namespace reglab {

namespace {

Metric epochMetric(const char *key, const char *label, const char *unit, double EpochRecord::*member,
                   bool higherIsBetter = false)
{
    Metric m;
    m.key = key;
    m.label = label;
    m.unit = unit;
    m.higherIsBetter = higherIsBetter;
    m.read = [member](const EpochRecord &e) { return e.*member; };
    m.write = [member](EpochRecord &e, double v) { e.*member = v; };
    return m;
}

Metric stepMetric(const char *key, const char *label, double StepRecord::*member)
{
    Metric m;
    m.key = key;
    m.label = label;
    m.per = Metric::Per::Step;
    m.readStep = [member](const StepRecord &s) { return s.*member; };
    return m;
}

// The first layer's share of small or exactly-zero weights: what L1 does to it.
Metric firstLayer(const char *key, const char *label, double LayerStats::*member)
{
    Metric m;
    m.key = key;
    m.label = label;
    m.unit = "%";
    // A record without the layers has no value (NaN), not 0.
    m.read = [member](const EpochRecord &e) {
        return e.layers.empty() ? std::numeric_limits<double>::quiet_NaN() : e.layers.front().*member;
    };
    return m;
}

std::vector<Metric> makeMetrics()
{
    std::vector<Metric> table;
    table.push_back(epochMetric("test_accuracy", "Test accuracy", "%", &EpochRecord::testAccuracy, true));
    table.push_back(epochMetric("val_accuracy", "Validation accuracy", "%", &EpochRecord::valAccuracy, true));
    Metric trainAccuracy =
        epochMetric("train_accuracy", "Training accuracy (eval mode)", "%", &EpochRecord::trainAccuracy, true);
    trainAccuracy.optional = true;
    table.push_back(trainAccuracy);
    // Training minus test accuracy: what the network memorized that does not carry over to new images.
    Metric gap;
    gap.key = "gap";
    gap.label = "Generalization gap (training \u2212 test accuracy)";
    gap.unit = "%";
    gap.read = [](const EpochRecord &e) { return e.trainAccuracy - e.testAccuracy; };
    table.push_back(gap);
    table.push_back(epochMetric("train_loss", "Training loss (mean cross-entropy)", "", &EpochRecord::trainLoss));
    Metric trainEvalLoss =
        epochMetric("train_eval_loss", "Loss on the training images (eval mode)", "", &EpochRecord::trainEvalLoss);
    trainEvalLoss.optional = true;
    table.push_back(trainEvalLoss);
    table.push_back(epochMetric("val_loss", "Validation loss", "", &EpochRecord::valLoss));
    table.push_back(epochMetric("test_loss", "Test loss", "", &EpochRecord::testLoss));
    Metric small = firstLayer("small_fraction", "First-layer weights below the threshold", &LayerStats::smallFraction);
    small.aliases = {"sparsity"};
    table.push_back(small);
    table.push_back(firstLayer("zero_fraction", "First-layer weights exactly zero", &LayerStats::zeroFraction));
    table.push_back(stepMetric("loss", "Training loss (cross-entropy + L1 + L2)", &StepRecord::loss));
    table.push_back(stepMetric("data_loss", "Data loss (cross-entropy)", &StepRecord::dataLoss));
    table.push_back(stepMetric("l1_term", "L1 term", &StepRecord::l1Term));
    table.push_back(stepMetric("l2_term", "L2 term", &StepRecord::l2Term));
    for (Metric &m : table) // a run's summary: every epoch metric's final value, the accuracies' best too
        if (m.per == Metric::Per::Epoch) {
            m.summaryFinal = true;
            m.summaryBest = m.higherIsBetter;
        }
    for (const char *key : {"train_seconds", "eval_seconds"}) {
        Metric t = epochMetric(key, key[0] == 't' ? "Training time per epoch" : "Evaluation time per epoch", "s",
                               key[0] == 't' ? &EpochRecord::trainSeconds : &EpochRecord::evalSeconds);
        t.plotted = false;
        table.push_back(t);
    }
    return table;
}

} // namespace

const std::vector<Metric> &metrics()
{
    static const std::vector<Metric> table = makeMetrics();
    return table;
}

const Metric *findMetric(const std::string &keyOrAlias)
{
    for (const Metric &m : metrics()) {
        if (m.key == keyOrAlias)
            return &m;
        for (const std::string &alias : m.aliases)
            if (alias == keyOrAlias)
                return &m;
    }
    return nullptr;
}

std::string metricKeys(const std::string &separator, bool epochOnly)
{
    std::string out;
    for (const Metric &m : metrics())
        if (m.plotted && (!epochOnly || m.per == Metric::Per::Epoch))
            out += (out.empty() ? "" : separator) + m.key;
    return out;
}

} // namespace reglab
