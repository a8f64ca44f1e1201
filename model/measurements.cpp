// What the trainer measures about the network (torch): evaluation, weight snapshots and histograms, layer
// statistics, the gradient balance, the digit panel's predictions and the validation errors.
#include "model/measurements.h"

#include "model/cpupasses.h"
#include "model/dataset.h"
#include "model/datasettensors.h"
#include "model/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace reglab {

Evaluation evaluate(Mlp &net, const torch::Tensor &images, const torch::Tensor &labels, const torch::Tensor &indices,
                    bool keepPredictions)
{
    torch::NoGradGuard noGrad;
    net->eval();
    const std::int64_t count = indices.defined() ? indices.size(0) : images.size(0);
    if (count == 0)
        return {};
    // On the CPU, chunks of 2,048 keep the activations in cache (0.059 -> 0.048 s per Fashion-MNIST epoch);
    // a GPU wants them large.
    const std::int64_t kChunk = images.is_cpu() ? 2048 : 16384;
    torch::Tensor lossSum = torch::zeros({}, images.options());
    torch::Tensor correct = torch::zeros({}, labels.options());
    std::vector<torch::Tensor> predicted;
    // Rows of CPU images copied by hand into one buffer for all chunks (gatherRows), as the training batches are.
    const bool copyRows = indices.defined() && images.is_cpu() && images.scalar_type() == torch::kFloat32 &&
                          images.is_contiguous() && images.dim() == 2 && indices.is_cpu() &&
                          indices.scalar_type() == torch::kInt64 && indices.is_contiguous() && indices.dim() == 1;
    torch::Tensor rows;
    if (copyRows) {
        const std::int64_t *index = indices.data_ptr<std::int64_t>();
        for (std::int64_t k = 0; k < count; ++k)
            if (index[k] < 0 || index[k] >= images.size(0))
                throw Error(ErrorKind::Internal, "an evaluation index outside the data set; this is a bug in RegLab");
        rows = torch::empty({std::min(kChunk, count), images.size(1)}, images.options());
    }
    for (std::int64_t start = 0; start < count; start += kChunk) {
        const std::int64_t n = std::min(kChunk, count - start);
        torch::Tensor x, y;
        if (indices.defined()) {
            torch::Tensor idx = indices.narrow(0, start, n);
            if (copyRows) {
                x = rows.narrow(0, 0, n);
                gatherRows(x.data_ptr<float>(), images.data_ptr<float>(), idx.data_ptr<std::int64_t>(), n,
                           images.size(1));
            } else {
                x = images.index_select(0, idx);
            }
            y = labels.index_select(0, idx);
        } else {
            x = images.narrow(0, start, n);
            y = labels.narrow(0, start, n);
        }
        const torch::Tensor logits = net->inferenceLogits(x); // valid until the next chunk's
        lossSum += torch::nn::functional::cross_entropy(
            logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        const torch::Tensor guess = logits.argmax(1);
        correct += guess.eq(y).sum();
        if (keepPredictions)
            predicted.push_back(guess);
    }
    return {lossSum.item<double>() / double(count), double(correct.item<std::int64_t>()) / double(count),
            keepPredictions ? torch::cat(predicted) : torch::Tensor()};
}

WeightHistogram histogramOf(const std::string &name, const std::vector<float> &weights)
{
    WeightHistogram h;
    h.name = name;
    h.counts.assign(kHistogramBins, 0);
    const double width = (h.high - h.low) / kHistogramBins;
    for (float w : weights) {
        if (w == 0.0f)
            ++h.zeros;
        if (w < h.low)
            ++h.below;
        else if (w >= h.high)
            ++h.above;
        else
            ++h.counts[static_cast<std::size_t>(std::min<double>(kHistogramBins - 1, (w - h.low) / width))];
    }
    return h;
}

WeightSnapshot weightSnapshot(const Mlp &net, int epoch, std::int64_t step)
{
    torch::NoGradGuard noGrad;
    WeightSnapshot snapshot;
    snapshot.epoch = epoch;
    snapshot.step = step;
    for (std::size_t i = 0; i < net->layers.size(); ++i) {
        const torch::Tensor w = net->layers[i]->weight.detach().to(torch::kCPU, torch::kFloat32).contiguous();
        WeightSnapshot::Layer layer;
        layer.name = layerName(i);
        layer.rows = static_cast<int>(w.size(0));
        layer.cols = static_cast<int>(w.size(1));
        layer.weights.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
        snapshot.histograms.push_back(histogramOf(layer.name, layer.weights));
        snapshot.layers.push_back(std::move(layer));
    }
    return snapshot;
}

std::vector<LayerStats> layerStats(const Mlp &net, double sparsityThreshold)
{
    torch::NoGradGuard noGrad;
    std::vector<LayerStats> stats;
    for (std::size_t i = 0; i < net->layers.size(); ++i) {
        const torch::Tensor w = net->layers[i]->weight.detach();
        const torch::Tensor a = w.abs();
        LayerStats l;
        l.name = layerName(i);
        l.smallFraction = a.lt(sparsityThreshold).to(torch::kFloat64).mean().item<double>();
        l.zeroFraction = w.eq(0).to(torch::kFloat64).mean().item<double>();
        l.l1Norm = a.sum().item<double>();
        l.l2Norm = w.norm().item<double>();
        stats.push_back(l);
    }
    return stats;
}

BalanceWork prepareBalance(const Mlp &net, double l1, double l2, bool penaltyInGradient, std::int64_t step, int epoch)
{
    torch::NoGradGuard noGrad;
    BalanceWork work;
    work.balance.step = step;
    work.balance.epoch = epoch;
    work.l1 = l1;
    work.l2 = l2;
    for (std::size_t i = 0; i < net->layers.size(); ++i) {
        const torch::Tensor w = net->layers[i]->weight.detach();
        torch::Tensor g = net->layers[i]->weight.grad();
        if (!g.defined())
            continue;
        if (penaltyInGradient) // autograd added lambda2 * w; take it out to show the data's share
            g = g - l2 * w;
        GradientBalance::Layer layer;
        layer.name = layerName(i);
        if (w.is_cpu() && w.scalar_type() == torch::kFloat32 && w.is_contiguous() && g.is_contiguous() &&
            g.scalar_type() == torch::kFloat32) {
            // One pass on the host instead of nine reductions: this runs every logging point (every 10 steps in
            // the dashboard), and the reductions' overhead cost training 7 %.
            work.pending.push_back({work.balance.layers.size(), w.data_ptr<float>(), g.data_ptr<float>(), w.numel()});
            work.held.push_back(w);
            work.held.push_back(g);
        } else {
            layer.dataGradient = g.abs().mean().item<double>();
            layer.l1Push = l1 * w.ne(0).to(torch::kFloat32).mean().item<double>();
            layer.l2Push = l2 * w.abs().mean().item<double>();
        }
        work.balance.layers.push_back(layer);
    }
    return work;
}

void finishBalance(BalanceWork &work) noexcept
{
    for (const BalanceWork::Pending &p : work.pending) {
        double gradientSum = 0, weightSum = 0;
        std::int64_t nonZero = 0;
        for (std::int64_t k = 0; k < p.count; ++k) {
            gradientSum += std::fabs(p.gradients[k]);
            weightSum += std::fabs(p.weights[k]);
            nonZero += p.weights[k] != 0.0f;
        }
        GradientBalance::Layer &layer = work.balance.layers[p.layer];
        const auto n = static_cast<double>(p.count);
        layer.dataGradient = gradientSum / n;
        layer.l1Push = work.l1 * double(nonZero) / n; // |sign(w)| is 1 unless w == 0
        layer.l2Push = work.l2 * weightSum / n;
    }
    work.pending.clear();
}

GradientBalance gradientBalance(const Mlp &net, double l1, double l2, bool penaltyInGradient, std::int64_t step,
                                int epoch)
{
    BalanceWork work = prepareBalance(net, l1, l2, penaltyInGradient, step, epoch);
    finishBalance(work);
    return work.balance;
}

std::vector<int> choosePanel(const Dataset &data, int count, std::uint64_t seed)
{
    std::vector<int> order(static_cast<std::size_t>(data.testCount()));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed ^ 0xd161751ULL);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<std::vector<int>> byClass(10);
    for (int i : order)
        byClass[static_cast<std::size_t>(data.testLabel(i))].push_back(i);
    std::vector<int> panel;
    std::vector<std::size_t> next(10, 0);
    while (static_cast<int>(panel.size()) < count) {
        bool any = false;
        for (std::size_t c = 0; c < 10 && static_cast<int>(panel.size()) < count; ++c) {
            if (next[c] < byClass[c].size()) {
                panel.push_back(byClass[c][next[c]++]);
                any = true;
            }
        }
        if (!any)
            break;
    }
    return panel;
}

Predictions panelPredictions(Mlp &net, const torch::Tensor &testImages, const torch::Tensor &panelRows,
                             const std::vector<int> &panel, const std::vector<int> &panelLabels, int epoch,
                             std::int64_t step)
{
    torch::NoGradGuard noGrad;
    net->eval();
    const torch::Tensor probs = torch::softmax(net->forward(testImages.index_select(0, panelRows)), 1)
                                    .to(torch::kCPU, torch::kFloat32)
                                    .contiguous();
    Predictions preds;
    preds.epoch = epoch;
    preds.step = step;
    const float *p = probs.data_ptr<float>();
    const int classes = static_cast<int>(probs.size(1));
    for (std::size_t i = 0; i < panel.size(); ++i) {
        DigitPrediction d;
        d.index = panel[i];
        d.label = panelLabels[i];
        const float *row = p + i * static_cast<std::size_t>(classes);
        for (int c = 0; c < classes && c < 10; ++c)
            d.probabilities[static_cast<std::size_t>(c)] = row[c];
        d.predicted = static_cast<int>(std::max_element(row, row + classes) - row);
        preds.digits.push_back(d);
    }
    return preds;
}

ValidationDetail validationDetail(Mlp &net, const torch::Tensor &trainImages, const torch::Tensor &trainLabels,
                                  const torch::Tensor &valIdx, const torch::Tensor &predicted, int epoch,
                                  std::int64_t step)
{
    torch::NoGradGuard noGrad;
    ValidationDetail detail;
    detail.epoch = epoch;
    detail.step = step;
    const torch::Tensor labels = trainLabels.index_select(0, valIdx);
    const torch::Tensor cells = torch::bincount(labels * 10 + predicted, {}, 100).to(torch::kCPU).contiguous();
    const std::int64_t *c = cells.data_ptr<std::int64_t>();
    for (int t = 0; t < 10; ++t)
        for (int p = 0; p < 10; ++p)
            detail.confusion[static_cast<std::size_t>(t)][static_cast<std::size_t>(p)] = c[t * 10 + p];

    const torch::Tensor all = predicted.ne(labels).nonzero().flatten();
    const torch::Tensor first = all.narrow(0, 0, std::min<std::int64_t>(kMaxMisses, all.size(0)));
    if (first.numel() == 0)
        return detail;
    net->eval();
    const torch::Tensor rows = valIdx.index_select(0, first);
    const torch::Tensor x = trainImages.index_select(0, rows);
    const torch::Tensor probs = torch::softmax(net->forward(x), 1).to(torch::kCPU, torch::kFloat32).contiguous();
    // The normalized pixels back to bytes: (x * std + mean) * 255.
    const torch::Tensor pixels =
        x.mul(kStd).add(kMean).mul(255).round().clamp(0, 255).to(torch::kCPU, torch::kUInt8).contiguous();
    const torch::Tensor rowsCpu = rows.to(torch::kCPU), labelsCpu = labels.index_select(0, first).to(torch::kCPU),
                        guessCpu = predicted.index_select(0, first).to(torch::kCPU);
    for (std::int64_t i = 0; i < first.size(0); ++i) {
        ValidationDetail::Miss miss;
        miss.index = static_cast<int>(rowsCpu[i].item<std::int64_t>());
        miss.label = static_cast<int>(labelsCpu[i].item<std::int64_t>());
        miss.predicted = static_cast<int>(guessCpu[i].item<std::int64_t>());
        std::copy_n(probs.data_ptr<float>() + i * probs.size(1), std::min<std::int64_t>(10, probs.size(1)),
                    miss.probabilities.begin());
        std::copy_n(pixels.data_ptr<std::uint8_t>() + i * 784, 784, miss.pixels.begin());
        detail.misclassified.push_back(miss);
    }
    return detail;
}

} // namespace reglab
