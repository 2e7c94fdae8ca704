// The optimiser of the tutorials (docs/methods.md §2): Adam with Kingma & Ba's bias
// correction, an exponentially decaying learning rate, and clipping of the
// gradient by its global L2 norm.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ctd {

class OptionSet;

struct AdamSettings {
  double b1 = 0.9, b2 = 0.999, eps = 0.1;
};
// --adam-b1, --adam-b2, --adam-eps.
void register_options(OptionSet& o, AdamSettings& s);

// The schedule every trainer shares: batches, lr0·decay^step, L2, clipping, Adam.
struct OptimizerSettings {
  uint64_t batches = 10000;
  int batch_size = 128;
  double lr = 0.025, lr_decay = 0.99975;
  double l2 = 2e-4, max_grad_norm = 10.0;
  AdamSettings adam;
};
// --batches, --batch-size, --lr, --lr-decay, --l2, --max-grad-norm and Adam's.
void register_options(OptionSet& o, OptimizerSettings& s);

struct AdamState {
  std::vector<float> m, v;  // first and second moments
  explicit AdamState(size_t n = 0) : m(n, 0.0f), v(n, 0.0f) {}
};

// Stops a run whose loss became NaN or Inf, naming the batch (docs/conventions.md).
void require_finite_loss(double loss, uint64_t step);

// lr0 · decay^step, step counted from 0.
double decayed_learning_rate(double lr0, double decay, uint64_t step);

// If ‖g‖ > max_norm, scales g to norm max_norm. Returns the norm before clipping.
double clip_global_norm(float* g, size_t n, double max_norm);

// One Adam update at `step` (0-based): bias corrections 1 − b^(step+1).
void adam_update(float* params, const float* grad, size_t n, AdamState& state, const AdamSettings& s, double lr,
                 uint64_t step);

}  // namespace ctd
