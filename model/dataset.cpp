// Loading a data source's four IDX files into normalized tensors.
#include "model/dataset.h"

#include "model/datasettensors.h"
#include "model/idx.h"
#include "model/runtime.h"

#include <sys/mman.h>

#include <cstdint>

namespace reglab {
namespace {

// Asks the kernel for 2 MB pages over the tensor's memory (where transparent huge pages are "madvise", as here):
// a training step gathers 50 rows scattered through the 188 MB training set, and with 4 KB pages nearly every row
// is a TLB miss and a page walk. Only advice: the numbers are the same either way.
void adviseHugePages(const torch::Tensor &t)
{
#if defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t huge = std::uintptr_t(2) << 20;
    const auto begin = reinterpret_cast<std::uintptr_t>(t.data_ptr());
    const std::uintptr_t end = begin + std::uintptr_t(t.nbytes());
    const std::uintptr_t first = (begin + huge - 1) & ~(huge - 1), last = end & ~(huge - 1);
    if (last > first)
        (void)::madvise(reinterpret_cast<void *>(first), last - first, MADV_HUGEPAGE);
#else
    (void)t;
#endif
}

} // namespace

std::shared_ptr<const Dataset> Dataset::load(const DataFiles &files)
{
    // An allocation that fails (a memory limit, a huge data set) is a message like any other fault, not an abort.
    try {
        IdxImages trainImages = readIdxImages(files.trainImages);
        IdxLabels trainLabels = readIdxLabels(files.trainLabels);
        IdxImages testImages = readIdxImages(files.testImages);
        IdxLabels testLabels = readIdxLabels(files.testLabels);
        if (trainImages.count != static_cast<std::int64_t>(trainLabels.labels.size()))
            throw DataError(files.folder + ": " + std::to_string(trainImages.count) + " training images but " +
                            std::to_string(trainLabels.labels.size()) +
                            " training labels; the files do not belong together");
        if (testImages.count != static_cast<std::int64_t>(testLabels.labels.size()))
            throw DataError(files.folder + ": " + std::to_string(testImages.count) + " test images but " +
                            std::to_string(testLabels.labels.size()) +
                            " test labels; the files do not belong together");

        auto normalized = [](const IdxImages &images) {
            torch::Tensor raw =
                torch::from_blob(const_cast<std::uint8_t *>(images.pixels.data()), {images.count, 784}, torch::kUInt8);
            // Same float32 arithmetic as torchvision's ToTensor() then Normalize((0.1307,), (0.3081,)), into memory
            // asked for in 2 MB pages before it is first written.
            torch::Tensor images32 = torch::empty({images.count, 784}, torch::kFloat32);
            adviseHugePages(images32);
            return images32.copy_(raw).div_(255.0f).sub_(float(kMean)).div_(float(kStd));
        };
        auto labels = [](const IdxLabels &l) {
            torch::Tensor raw = torch::from_blob(const_cast<std::uint8_t *>(l.labels.data()),
                                                 {static_cast<std::int64_t>(l.labels.size())}, torch::kUInt8);
            return raw.to(torch::kInt64);
        };

        std::shared_ptr<Dataset> d(new Dataset);
        d->m_files = files;
        d->m_trainCount = trainImages.count;
        d->m_testCount = testImages.count;
        d->m_tensors = std::make_unique<DatasetTensors>();
        d->m_tensors->trainImages = normalized(trainImages);
        d->m_tensors->trainLabels = labels(trainLabels);
        d->m_tensors->testImages = normalized(testImages);
        d->m_tensors->testLabels = labels(testLabels);
        d->m_testPixels = std::move(testImages.pixels);
        d->m_testLabels = std::move(testLabels.labels);
        return d;
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) {
        std::string message;
        if (describeAllocationFailure(e, "loading " + files.name, message))
            throw Error(ErrorKind::Memory, message);
        throw;
    }
}

Dataset::~Dataset() = default;

std::array<std::uint8_t, 784> Dataset::testPixels(std::int64_t index) const
{
    std::array<std::uint8_t, 784> out{};
    std::copy_n(m_testPixels.begin() + index * 784, 784, out.begin());
    return out;
}

} // namespace reglab
