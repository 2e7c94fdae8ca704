// Checkpoints of a training run: parameters, Adam moments, the number of
// batches done and the curve so far, plus the settings that must not change
// on --resume. Written atomically, like every output.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "io/hdf5.hpp"
#include "util/options.hpp"
#include "train/trainer.hpp"

namespace ctd {

// Settings a checkpoint must agree with to be resumed (name, value as text).
using RunSignature = std::vector<std::pair<std::string, std::string>>;

// Every recorded option of the run but `free` ones (those a resumed run may
// change, such as --batches), with its value as it ran.
RunSignature run_signature(const OptionSet& options, const std::vector<std::string>& free);

// The signature as attributes run_<name>, and its check on reading.
void write_signature(H5File& out, const RunSignature& signature);
void check_signature(const H5File& in, const RunSignature& signature);

void write_checkpoint(const std::string& path, const TrainState& state, const RunSignature& signature);

// Reads a checkpoint and checks it against this run's signature: a difference
// is a usage error that names the setting and both values.
TrainState read_checkpoint(const std::string& path, const RunSignature& signature);

}  // namespace ctd
