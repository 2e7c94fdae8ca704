// Checkpoints of a training run: the model, Adam moments, the number of
// batches done and the curve so far, plus the settings that must not change
// on --resume. Written atomically, like every output.
#pragma once
#include <functional>
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

// One checkpoint format for every trainer: the model as its own file holds it
// (written by `write_model`), adam/m and adam/v, curve/<column>, and the
// attributes batches_done, run_<key> (the signature), ctd_kind, ctd_version.
void write_training_checkpoint(const std::string& path, const std::string& kind,
                               const std::function<void(H5File&)>& write_model, const OptimizerProgress& progress,
                               const RunSignature& signature);
// The same, into any file (an in-memory one: a state sent between processes).
void write_training_state(H5File& f, const std::string& kind, const std::function<void(H5File&)>& write_model,
                          const OptimizerProgress& progress, const RunSignature& signature);
// Opens a checkpoint of `kind`, checks its signature (a difference is a usage
// error naming the setting and both values) and reads the progress (the
// curve's columns as `progress.curve` names them). The caller reads its model
// from the returned file and checks it against `progress.adam`.
H5File read_training_checkpoint(const std::string& path, const std::string& kind, const RunSignature& signature,
                                OptimizerProgress& progress);
// The same from an open file.
void read_training_state(const H5File& f, const std::string& kind, const RunSignature& signature,
                         OptimizerProgress& progress);

// train-rnn's checkpoints: the parameters as in an rnn-params file.
void write_checkpoint(const std::string& path, const TrainState& state, const RunSignature& signature);
TrainState read_checkpoint(const std::string& path, const RunSignature& signature);

}  // namespace ctd
