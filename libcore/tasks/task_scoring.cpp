#include "tasks/task_scoring.hpp"

#include <cmath>

namespace ctd {

namespace {
// The view of one trial: outputs and targets at (t, o), and whether the loss counts there.
struct Trial {
  const TaskData& d;
  const float* out;
  size_t b, T, O;
  float y(size_t t, size_t o) const { return d.targets[(b * T + t) * O + o]; }
  float m(size_t t, size_t o) const { return d.target_mask[(b * T + t) * O + o]; }
  float z(size_t t, size_t o) const { return out[(b * T + t) * O + o]; }
  float x(size_t t, size_t u) const { return d.inputs[(b * T + t) * d.inputs.dim(2) + u]; }
  // Yang et al. 2019's reading of a response: at the last step, fixation broken (its output below 0.5).
  bool responded() const { return z(T - 1, 0) < 0.5f; }
  // Output o's mean over the counted steps from `from` on, and the target's.
  std::pair<double, double> response_mean(size_t o, size_t from) const {
    double sz = 0, sy = 0;
    int n = 0;
    for (size_t t = from; t < T; ++t)
      if (m(t, o) != 0) sz += z(t, o), sy += y(t, o), ++n;
    return {n ? sz / n : 0.0, n ? sy / n : 0.0};
  }
};

bool correct(const std::string& kind, const Trial& r) {
  if (kind == "context-dm") {
    const auto [z, y] = r.response_mean(0, 0);
    return (z > 0) == (y > 0);
  }
  if (kind == "memory-pro" || kind == "memory-anti") {
    // Yang et al. 2019: at the last step, fixation broken and the direction within 36 degrees of the target's.
    const double err = std::remainder(std::atan2(r.z(r.T - 1, 2), r.z(r.T - 1, 1)) -
                                          std::atan2(r.y(r.T - 1, 2), r.y(r.T - 1, 1)), 2 * M_PI);
    return r.responded() && std::fabs(err) < M_PI / 5;
  }
  if (kind == "dms") return r.responded() && (r.z(r.T - 1, 1) > 0) == (r.y(r.T - 1, 1) > 0);
  if (kind == "go-no-go") {
    // Respond (above 0.5) on go trials only, and never before the go.
    size_t go = 0;  // where the fixation input ends
    while (go < r.T && r.x(go, 0) > 0.5f) ++go;
    for (size_t t = 0; t < go; ++t)
      if (r.m(t, 0) != 0 && r.z(t, 0) > 0.5f) return false;
    const auto [z, y] = r.response_mean(0, go);
    return (z > 0.5) == (y > 0.5);
  }
  if (kind == "ready-set-go") {
    // The produced interval (set to the output's first crossing of 0.5) within 15 % of the sample interval.
    size_t pulse[2] = {0, 0}, k = 0;
    for (size_t t = 0; t < r.T && k < 2; ++t)
      if (r.x(t, 0) > 0.5f && (t == 0 || r.x(t - 1, 0) <= 0.5f)) pulse[k++] = t;
    size_t go = 0, produced = pulse[1];
    while (go < r.T && r.y(go, 0) < 0.5f) ++go;
    while (produced < r.T && r.z(produced, 0) <= 0.5f) ++produced;
    if (k < 2 || produced >= r.T) return false;
    for (size_t t = 0; t < pulse[1]; ++t)
      if (r.z(t, 0) > 0.5f) return false;  // went before set
    const double ts = double(go - pulse[1]), tp = double(produced - pulse[1]);
    return std::fabs(tp - ts) <= 0.15 * ts;
  }
  return false;
}
}  // namespace

std::string task_accuracy_rule(const std::string& kind) {
  if (kind == "context-dm") return "the sign of the mean response output";
  if (kind == "memory-pro" || kind == "memory-anti") return "at the end, fixation broken and the response within 36 degrees";
  if (kind == "dms") return "at the end, fixation broken and the match output's sign right";
  if (kind == "go-no-go") return "no response before the go, then a response (> 0.5) on go trials only";
  if (kind == "ready-set-go") return "the produced interval within 15 % of the sample interval";
  return "";
}

double task_accuracy(const std::string& kind, const TaskData& d, const float* outputs) {
  if (task_accuracy_rule(kind).empty()) return -1;
  const size_t B = d.inputs.dim(0), T = d.inputs.dim(1), O = d.targets.dim(2);
  size_t right = 0;
  for (size_t b = 0; b < B; ++b) right += correct(kind, Trial{d, outputs, b, T, O});
  return B ? double(right) / double(B) : -1;
}

}  // namespace ctd
