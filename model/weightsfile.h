// A run's last weight snapshot in a file beside its record (RUN.weights beside RUN.json), so a run reopened after a
// restart shows its network views as they looked: little-endian float32 with a small header, saved atomically,
// read with every size checked against the file and against caps, so a damaged or hostile file is refused with a
// message and never crashes or exhausts memory.
#pragma once

#include "model/runrecord.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace reglab {

// The most weights a file keeps (128 MiB of float32): the default network has 199,210; a layer that would pass
// the cap is left out, so a huge network still keeps its first layer's pictures.
inline constexpr std::int64_t kMaxSavedWeights = std::int64_t(1) << 25;
inline constexpr int kMaxSavedLayers = 16;
inline constexpr int kMaxSavedDimension = 1 << 20; // rows or columns of one layer
// Largest weights file read: the weights at their cap and room for the header.
inline constexpr std::size_t kMaxWeightsFileBytes = std::size_t(kMaxSavedWeights) * 4 + (std::size_t(1) << 16);

// Where a record's weights go: "run.json" -> "run.weights", any other name gets ".weights" added.
std::string weightsPathFor(const std::string &recordPath);
// What ties a weights file to its record (its start time): a file left beside a record of another run is refused.
std::string weightsRunKey(const RunRecord &record);

// The file's bytes: the snapshot's epoch, step and layers (histograms stay in the record).
std::string weightsFileBytes(const WeightSnapshot &snapshot, const std::string &runKey);
// Parses bytes written by weightsFileBytes; throws RecordError saying what is wrong ("not a RegLab weights file",
// "truncated: ...", "layer 2 is 70000 x 70000 weights, more than ..."). `runKey` is what the file says.
WeightSnapshot weightsFromBytes(const std::string &bytes, std::string &runKey);

// Saves atomically (writeFileAtomically); "" or what went wrong.
std::string writeWeightsFile(const std::string &path, const WeightSnapshot &snapshot, const std::string &runKey);
// Reads and checks a file for the run `runKey`; throws RecordError naming the file and the fault, or saying it
// belongs to another run.
WeightSnapshot readWeightsFile(const std::string &path, const std::string &runKey);

} // namespace reglab
