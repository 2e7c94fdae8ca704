// Running a trained network over many trials (run-rnn): chunks of trials
// through the batched forward pass, so memory stays bounded for any B.
#pragma once
#include <string>

#include "io/array.hpp"
#include "nn/rnn_model.hpp"
#include "tasks/task_file.hpp"

namespace ctd {

struct RnnRun {
  Array<float> hiddens;  // [B,T,N]
  Array<float> outputs;  // [B,T,O]
  Array<float> h0s;      // [B,N] the initial states used
};

// Runs inputs [B,T,U] from per-trial initial states h0s [B,N] (empty: the
// model's trained h0 for every trial).
RnnRun run_rnn(const RnnModel& model, const Array<float>& inputs, const Array<float>& h0s, int threads);

// The readout o = wO h + bO of states [B,N]: [B,O].
Array<float> readout(const RnnModel& model, const Array<float>& states);

// Initial states from FILE[:DATASET]: a [B,N] dataset as it is, of a [B,T,N]
// one (a states file's hiddens) the last step; without DATASET the file's
// `hiddens`, else its `h0s`. N must match, and B unless `trials` is 0 (any);
// a [1,N] dataset (one learned initial state) starts every one of `trials`.
Array<float> read_initial_states(const std::string& spec, size_t trials, size_t N);

// Trials whose input is x at every one of T steps: [B,T,U].
Array<float> held_inputs(const std::vector<double>& x, size_t trials, size_t steps);

// run-rnn's whole job: checks the trials against the model (`source` names
// them in messages), runs them from `h0s` (empty: the file's h0s, else the
// trained h0), and with `offset_targets` adds each trial's readout of its
// initial state to its targets.
struct TaskRun {
  RnnRun run;
  Array<float> targets;  // the task's targets, offset if asked
};
TaskRun run_task(const RnnModel& model, const TaskFile& task, const Array<float>& h0s, bool offset_targets,
                 const std::string& source, int threads);

}  // namespace ctd
