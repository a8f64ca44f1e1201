// Training-batch augmentations (random shifts) and the overfitting regime's training set (subset, label noise).
#include "model/augment.h"

#include "model/mlp.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace reglab {

namespace {

constexpr int kSide = 28;

std::uint64_t nextRandom(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

void shiftImage(const float *in, float *out, int dx, int dy, float blank)
{
    for (int r = 0; r < kSide; ++r) {
        const int from = r - dy;
        float *row = out + r * kSide;
        if (from < 0 || from >= kSide) {
            std::fill(row, row + kSide, blank);
            continue;
        }
        const float *source = in + from * kSide;
        for (int c = 0; c < kSide; ++c) {
            const int col = c - dx;
            row[c] = col >= 0 && col < kSide ? source[col] : blank;
        }
    }
}

void shiftImages(torch::Tensor &images, int maxShift, std::uint64_t &state, float blank)
{
    if (maxShift <= 0 || images.numel() == 0)
        return;
    torch::Tensor host = images.is_cpu() && images.scalar_type() == torch::kFloat32 && images.is_contiguous()
                             ? images
                             : images.to(torch::kCPU, torch::kFloat32).contiguous();
    requireCpuFloat32(host, "the images to shift");
    const std::uint64_t span = static_cast<std::uint64_t>(2 * maxShift + 1);
    float moved[kSide * kSide];
    float *rows = host.data_ptr<float>();
    for (std::int64_t i = 0; i < host.size(0); ++i) {
        const std::uint64_t draw = nextRandom(state);
        const int dx = static_cast<int>((draw & 0xffffffffULL) % span) - maxShift;
        const int dy = static_cast<int>((draw >> 32) % span) - maxShift;
        if (dx == 0 && dy == 0)
            continue;
        float *image = rows + i * kSide * kSide;
        shiftImage(image, moved, dx, dy, blank);
        std::copy(moved, moved + kSide * kSide, image);
    }
    if (!host.is_same(images))
        images.copy_(host);
}

TrainingSet prepareTrainingSet(const torch::Tensor &images, const torch::Tensor &labels, std::int64_t count,
                               double noise, int classes, at::Generator &generator)
{
    TrainingSet set{images, labels, 0};
    const std::int64_t available = images.size(0);
    if (count > 0 && count < available) {
        // Ascending, so the subset keeps the file's order and the folds are made as for a file of that size.
        const torch::Tensor pick =
            std::get<0>(torch::randperm(available, generator, torch::kInt64).narrow(0, 0, count).sort());
        set.images = images.index_select(0, pick.to(images.device()));
        set.labels = labels.index_select(0, pick.to(labels.device()));
    }
    const std::int64_t n = set.labels.size(0);
    const std::int64_t flips = std::min<std::int64_t>(n, std::llround(noise * double(n)));
    if (flips > 0 && classes > 1) {
        const torch::Tensor who = torch::randperm(n, generator, torch::kInt64).narrow(0, 0, flips);
        // Another class, each of the other classes equally likely: the label plus 1..classes-1, modulo classes.
        const torch::Tensor offset = torch::randint(1, classes, {flips}, generator, torch::kInt64);
        torch::Tensor flipped = set.labels.to(torch::kCPU).clone();
        flipped.index_copy_(0, who, flipped.index_select(0, who).add(offset).remainder(classes));
        set.labels = flipped.to(labels.device());
        set.flipped = flips;
    }
    return set;
}

} // namespace reglab
