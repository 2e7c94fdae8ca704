// Checkpoints of a training run: parameters, Adam moments, the number of
// batches done and the curve so far, plus the settings that must not change
// on --resume. Written atomically, like every output.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "train/trainer.hpp"

namespace ctd {

// Settings a checkpoint must agree with to be resumed (name, value as text).
using RunSignature = std::vector<std::pair<std::string, std::string>>;

void write_checkpoint(const std::string& path, const TrainState& state, const RunSignature& signature);

// Reads a checkpoint and checks it against this run's signature: a difference
// is a usage error that names the setting and both values.
TrainState read_checkpoint(const std::string& path, const RunSignature& signature);

}  // namespace ctd
