// Finding the four IDX files of a data source: the bundled sample, Fashion-MNIST, or a folder.
#pragma once

#include <string>
#include <vector>

namespace reglab {

struct DataFiles {
    std::string name;   // "MNIST sample", "Fashion-MNIST", or the folder
    std::string folder; // where the files were found
    std::string trainImages, trainLabels, testImages, testLabels;
    std::vector<std::string> classNames; // ten names
};

// The folder holding the bundled MNIST sample, or "" when it cannot be found. Looks at
// $REGLAB_SAMPLE_DIR, beside the installed executable (../share/reglab/mnist-sample) and in the source tree.
std::string bundledSampleDir();

// Fashion-MNIST as Debian's dataset-fashion-mnist installs it.
constexpr const char *kFashionDir = "/usr/share/datasets/fashion-mnist";

// Where "mnist" (the full 60,000 + 10,000) is looked for, in order: $REGLAB_MNIST_DIR, the download folder
// (defaultMnistDir()), ./data, ~/.cache/mnist, ~/.cache/torchvision; each also with raw/ and MNIST/raw/.
std::vector<std::string> mnistSearchDirs();

// Resolves "sample", "mnist", "fashion" or a folder (the four standard files, .gz or not, directly in it or in
// raw/ or MNIST/raw/, torchvision's layout). Throws DataError saying what is missing and what to do.
DataFiles resolveDataSource(const std::string &spec);

// A folder RegLab ships: $envVariable, else <exe>/../share/reglab/<installed>, else <source tree>/<inSource>;
// the first that exists (and holds `probe`, when given), or "".
std::string findBundledDir(const char *envVariable, const std::string &installed, const std::string &inSource,
                           const std::string &probe = {});

// Path of the running executable, or "" where it cannot be told.
std::string executablePath();

} // namespace reglab
