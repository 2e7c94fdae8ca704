#include "nn/adam.hpp"

#include <cmath>
#include <string>

#include "util/error.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, AdamSettings& s) {
  o.add("adam-b1", s.b1, "Adam b1").range(0, 1).max(1, true);
  o.add("adam-b2", s.b2, "Adam b2").range(0, 1).max(1, true);
  o.add("adam-eps", s.eps, "Adam eps (the tutorials use 0.1)").positive();
}

void register_options(OptionSet& o, OptimizerSettings& s) {
  o.group("Optimisation");
  o.add("batches", s.batches, "Training batches").min(1);
  o.add("batch-size", s.batch_size, "Trials per batch").min(1);
  o.add("lr", s.lr, "Initial learning rate lr0: lr = lr0*decay^batch").positive();
  o.add("lr-decay", s.lr_decay, "Learning-rate decay per batch").range(0, 1).min(0, true);
  o.add("l2", s.l2, "L2 weight over every parameter").non_negative();
  o.add("max-grad-norm", s.max_grad_norm, "Clip the gradient's global L2 norm to this").positive();
  register_options(o, s.adam);
}

void require_finite_loss(double loss, uint64_t step) {
  if (!std::isfinite(loss))
    throw Error("training diverged at batch " + std::to_string(step) + ": the loss is " +
                (std::isnan(loss) ? "NaN" : "Inf") + " (try a smaller --lr or --max-grad-norm)");
}

double decayed_learning_rate(double lr0, double decay, uint64_t step) {
  return lr0 * std::pow(decay, double(step));
}

double clip_global_norm(float* g, size_t n, double max_norm) {
  double sq = 0;
  for (size_t i = 0; i < n; ++i) sq += double(g[i]) * double(g[i]);
  double norm = std::sqrt(sq);
  if (norm > max_norm) {
    float f = float(max_norm / norm);
    for (size_t i = 0; i < n; ++i) g[i] *= f;
  }
  return norm;
}

void adam_update(float* p, const float* g, size_t n, AdamState& st, const AdamSettings& s, double lr,
                 uint64_t step) {
  const double c1 = 1.0 - std::pow(s.b1, double(step + 1));
  const double c2 = 1.0 - std::pow(s.b2, double(step + 1));
  const float b1 = float(s.b1), b2 = float(s.b2), eps = float(s.eps);
  const float a = float(lr / c1), inv_c2 = float(1.0 / c2);
  for (size_t i = 0; i < n; ++i) {
    float m = st.m[i] = b1 * st.m[i] + (1.0f - b1) * g[i];
    float v = st.v[i] = b2 * st.v[i] + (1.0f - b2) * g[i] * g[i];
    p[i] -= a * m / (std::sqrt(v * inv_c2) + eps);
  }
}

}  // namespace ctd
