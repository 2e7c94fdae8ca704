// Where training batches come from: fresh synthetic trials every batch (as the
// tutorials do), or trials sampled from a task file. Either way the batch of
// step k depends only on the seed and k, so a resumed run sees the same data.
#pragma once
#include <cstdint>
#include <memory>

#include "tasks/task_file.hpp"

namespace ctd {

class TrialSource {
 public:
  virtual ~TrialSource() = default;
  virtual int steps() const = 0;
  virtual int inputs() const = 0;
  virtual int outputs() const = 0;
  virtual bool has_h0s() const { return false; }
  virtual size_t h0_width() const { return 0; }  // values per initial state, when has_h0s()
  // Fills the batch of training step `step` ([B,T,U], [B,T,O], [B,T,O], [B,S]).
  virtual void batch(uint64_t step, int B, float* x, float* y, float* mask, float* h0s) = 0;
  // Held-out trials for the final evaluation.
  virtual TaskFile evaluation_set(int trials) = 0;
  // What the trials are: "integrator", "decision", or "" when unknown.
  virtual std::string task_name() const = 0;
};

// Fresh trials of the integrator/decision task: trial b of step k is stream
// k·B + b; evaluation trials come from streams far beyond any training trial.
std::unique_ptr<TrialSource> synthetic_integrator_source(const IntegratorTask& task, uint64_t seed);

// Trials drawn uniformly with replacement from a task file; the evaluation set
// is the file's first trials.
std::unique_ptr<TrialSource> file_source(TaskFile file, std::string task_name, uint64_t seed);

}  // namespace ctd
