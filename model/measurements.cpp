#include "model/measurements.h"

#include "model/dataset.h"
#include "model/datasettensors.h"

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
    for (std::int64_t start = 0; start < count; start += kChunk) {
        const std::int64_t n = std::min(kChunk, count - start);
        torch::Tensor x, y;
        if (indices.defined()) {
            torch::Tensor idx = indices.narrow(0, start, n);
            x = images.index_select(0, idx);
            y = labels.index_select(0, idx);
        } else {
            x = images.narrow(0, start, n);
            y = labels.narrow(0, start, n);
        }
        torch::Tensor logits = net->forward(x);
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

GradientBalance gradientBalance(const Mlp &net, double l1, double l2, bool penaltyInGradient, std::int64_t step,
                                int epoch)
{
    torch::NoGradGuard noGrad;
    GradientBalance balance;
    balance.step = step;
    balance.epoch = epoch;
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
            const float *wp = w.data_ptr<float>(), *gp = g.data_ptr<float>();
            double gradientSum = 0, weightSum = 0;
            std::int64_t nonZero = 0;
            const std::int64_t n = w.numel();
            for (std::int64_t k = 0; k < n; ++k) {
                gradientSum += std::fabs(gp[k]);
                weightSum += std::fabs(wp[k]);
                nonZero += wp[k] != 0.0f;
            }
            layer.dataGradient = gradientSum / double(n);
            layer.l1Push = l1 * double(nonZero) / double(n); // |sign(w)| is 1 unless w == 0
            layer.l2Push = l2 * weightSum / double(n);
        } else {
            layer.dataGradient = g.abs().mean().item<double>();
            layer.l1Push = l1 * w.ne(0).to(torch::kFloat32).mean().item<double>();
            layer.l2Push = l2 * w.abs().mean().item<double>();
        }
        balance.layers.push_back(layer);
    }
    return balance;
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
