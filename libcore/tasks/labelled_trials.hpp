// Trials made of named epochs (fixation, stimulus, delay, response, ...), as
// the tasks of systems neuroscience are, with the conditions of each trial
// (coherences, context, direction, interval) beside the task's three arrays,
// so that an analysis can group trials by them (docs/formats.md, task).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "tasks/task_data.hpp"

namespace ctd {

class RngStream;

struct LabelledTrials {
  TaskData data;
  std::vector<std::string> epoch_names;
  Array<int32_t> epoch_starts;  // [B,E]: the first step of each epoch (an epoch ends where the next starts)
  std::vector<std::string> condition_names;
  std::vector<std::vector<float>> conditions;  // one [B] vector per name

  // Zeroed arrays of [trials, steps, inputs] and [trials, steps, outputs].
  LabelledTrials(size_t trials, size_t steps, size_t inputs, size_t outputs, std::vector<std::string> epochs,
                 std::vector<std::string> condition_names);
  size_t trials() const { return data.inputs.dim(0); }
  size_t steps() const { return data.inputs.dim(1); }

  float& input(size_t b, size_t t, size_t u) { return data.inputs[in_index(b, t, u)]; }
  float& target(size_t b, size_t t, size_t o) { return data.targets[out_index(b, t, o)]; }
  float& mask(size_t b, size_t t, size_t o) { return data.target_mask[out_index(b, t, o)]; }
  float input(size_t b, size_t t, size_t u) const { return data.inputs[in_index(b, t, u)]; }
  float target(size_t b, size_t t, size_t o) const { return data.targets[out_index(b, t, o)]; }
  float mask(size_t b, size_t t, size_t o) const { return data.target_mask[out_index(b, t, o)]; }
  // input u (or target o, with the mask set to 1) equal to v on steps [t0, t1).
  void set_input(size_t b, size_t t0, size_t t1, size_t u, float v);
  void set_target(size_t b, size_t t0, size_t t1, size_t o, float v);
  // Every output's mask over [t0, t1) (e.g. 0 for a grace period after a go cue).
  void set_mask(size_t b, size_t t0, size_t t1, float m);
  // Gaussian noise of SD `sd` on every input of trial b at every step (nothing drawn when sd is 0).
  void add_input_noise(size_t b, double sd, RngStream& rng);
  // The starts of trial b's epochs, in the order of epoch_names.
  void set_epochs(size_t b, const std::vector<size_t>& starts);
  void set_condition(size_t b, const std::string& name, double v);

 private:
  size_t in_index(size_t b, size_t t, size_t u) const { return (b * steps() + t) * data.inputs.dim(2) + u; }
  size_t out_index(size_t b, size_t t, size_t o) const { return (b * steps() + t) * data.targets.dim(2) + o; }
};

// The task's arrays (write_task_datasets), `epoch_starts` with the attribute
// `epoch_names`, and one [B] dataset per condition in the group `conditions`.
void write_labelled_trials(H5File& out, const LabelledTrials& trials, const std::string& kind);

// From such a file: the (trial, step) pairs of the trials whose condition
// `condition` equals `value`, from the start of epoch `from` up to the start
// of epoch `to` — e.g. the stimulus and delay steps of one context. Errors
// name a missing condition or epoch, or shapes that disagree with B and T.
std::vector<std::pair<size_t, size_t>> epoch_steps(const H5File& in, size_t B, size_t T, const std::string& condition,
                                                   double value, const std::string& from, const std::string& to);

}  // namespace ctd
