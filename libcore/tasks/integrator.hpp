// The integrator and decision tasks of docs/methods.md §1. Both share one input
// generator; trial k always draws from random stream k of the task domain, so
// a trial is the same whatever the batch it is generated in.
#pragma once
#include <cstdint>
#include <string>

#include "tasks/task_data.hpp"

namespace ctd {

enum class IntegratorKind { Integrator, Decision };

IntegratorKind parse_integrator_kind(const std::string& name);  // throws UsageError
const char* integrator_kind_name(IntegratorKind kind);

struct IntegratorTask {
  IntegratorKind kind = IntegratorKind::Integrator;
  int steps = 25;          // ntimesteps
  double duration = 1.0;   // Tdur: dt = duration / steps
  double bias = 0.01;      // bval
  double noise = 0.025;    // sval
  int zero_steps = 0;      // extra steps with zero input after the `steps` (dt unchanged)
  int total_steps() const { return steps + zero_steps; }
};

class OptionSet;
// --steps, --duration, --bias, --noise, --zero-steps; `prefix` starts each help text.
void register_options(OptionSet& o, IntegratorTask& task, const std::string& prefix = "");

// Checks sizes and values; throws UsageError naming the offending option.
void validate(const IntegratorTask& task);

// Writes trials first_trial .. first_trial+count-1 into caller-owned buffers of
// [count, total_steps(), 1] floats each (so training can reuse its buffers).
void generate_integrator_trials(const IntegratorTask& task, uint64_t seed, uint64_t first_trial, size_t count,
                                float* inputs, float* targets, float* mask);


TaskData generate_integrator_task(const IntegratorTask& task, uint64_t seed, size_t trials,
                                  uint64_t first_trial = 0);

}  // namespace ctd
