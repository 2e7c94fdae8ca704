// The one training loop every trainer runs (train-rnn, fit-lfads): for each
// batch the model's loss and gradient, a divergence check naming the batch,
// the learning rate lr0·decay^step (times a scale that plateau rules may
// lower), global-norm clipping and Adam; and what a run carries besides its
// model — Adam's moments, the batches done, the rate's scale and the curve —
// which checkpoints save and --resume restores.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "nn/adam.hpp"

namespace ctd {

// A training curve: named columns, one row per recorded batch.
class Curve {
 public:
  explicit Curve(std::vector<std::string> names = {});
  const std::vector<std::string>& names() const { return names_; }
  void add(const std::vector<double>& row);  // one value per column
  const std::vector<double>& column(const std::string& name) const;
  size_t rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  // As array attributes curve_<name> (invisible to readers that load every dataset).
  void write_attributes(H5File& out) const;
  // As datasets <group>/<name>, and back (columns must agree in length).
  void write_datasets(H5File& out, const std::string& group) const;
  void read_datasets(const H5File& in, const std::string& group);

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<double>> columns_;
};

struct OptimizerProgress {
  AdamState adam;
  uint64_t step = 0;     // batches done
  double lr_scale = 1;   // times the scheduled rate (lowered by plateau rules; checkpoints keep it)
  Curve curve;
};

struct OptimizerStep {
  uint64_t step;  // batches done, after this one
  double loss, lr, grad_norm, ms_per_batch;
};

// Loss and gradient of batch `step` at `params` (gradient into `grad`, which
// arrives zeroed or not: the callee overwrites it). Returns the total loss.
using LossAndGradient = std::function<double(uint64_t step, float* grad)>;
// After each update; returning false stops (the progress stays resumable).
using AfterStep = std::function<bool(const OptimizerStep&)>;

// Runs batches until progress.step == s.batches or `after` says stop.
// Returns the mean milliseconds per batch of this call.
double run_optimizer(const OptimizerSettings& s, float* params, size_t n, OptimizerProgress& progress,
                     const LossAndGradient& loss_and_grad, const AfterStep& after);

}  // namespace ctd
