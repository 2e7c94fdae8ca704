#include "nn/adam.hpp"

#include <cmath>
#include <string>

#include "util/error.hpp"

namespace ctd {

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
