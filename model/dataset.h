// A data source loaded once into normalized float tensors. The header hides torch so that Qt code can hold one.
#pragma once

#include "model/datasource.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace reglab {

struct DatasetTensors; // torch tensors, see model/datasettensors.h

class Dataset {
public:
    // Reads and checks the four files; throws DataError naming the file and the fault.
    static std::shared_ptr<const Dataset> load(const DataFiles &files);
    ~Dataset();

    const std::string &name() const { return m_files.name; }
    const DataFiles &files() const { return m_files; }
    const std::vector<std::string> &classNames() const { return m_files.classNames; }
    std::int64_t trainCount() const { return m_trainCount; }
    std::int64_t testCount() const { return m_testCount; }
    // The raw 28x28 pixels and label of a test image.
    std::array<std::uint8_t, 784> testPixels(std::int64_t index) const;
    int testLabel(std::int64_t index) const { return m_testLabels[static_cast<std::size_t>(index)]; }
    const std::vector<std::uint8_t> &testLabels() const { return m_testLabels; }

    const DatasetTensors &tensors() const { return *m_tensors; }

private:
    Dataset() = default;
    DataFiles m_files;
    std::int64_t m_trainCount = 0, m_testCount = 0;
    std::vector<std::uint8_t> m_testPixels, m_testLabels;
    std::unique_ptr<DatasetTensors> m_tensors;
};

} // namespace reglab
