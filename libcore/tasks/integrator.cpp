#include "tasks/integrator.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/memory.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

IntegratorKind parse_integrator_kind(const std::string& name) {
  if (name == "integrator") return IntegratorKind::Integrator;
  if (name == "decision") return IntegratorKind::Decision;
  throw UsageError("--task must be 'integrator' or 'decision', not '" + name + "'");
}

const char* integrator_kind_name(IntegratorKind kind) {
  return kind == IntegratorKind::Integrator ? "integrator" : "decision";
}

void register_options(OptionSet& o, IntegratorTask& task, const std::string& prefix) {
  o.group("Task");
  o.add("steps", task.steps, prefix + "Time steps per trial (T)").range(1, 1e8);
  o.add("duration", task.duration, prefix + "Trial duration; dt = duration/steps").positive();
  o.add("bias", task.bias, prefix + "Bias scale bval: bias = bval*2*(z0-0.5), z0 ~ N(0,1)").range(-1e6, 1e6);
  o.add("noise", task.noise, prefix + "Noise scale sval: x_t = bias + sval/sqrt(dt)*z_t").range(0, 1e6);
  o.add("zero-steps", task.zero_steps, prefix + "Extra steps with zero input after the --steps (the target holds its last value)")
      .range(0, 1e8);
}

void validate(const IntegratorTask& t) {
  if (t.steps <= 0) throw UsageError("--steps must be positive, not " + std::to_string(t.steps));
  if (t.zero_steps < 0) throw UsageError("--zero-steps must be >= 0, not " + std::to_string(t.zero_steps));
  if (!(t.duration > 0) || !std::isfinite(t.duration)) throw UsageError("--duration must be a positive number");
  if (!std::isfinite(t.bias)) throw UsageError("--bias must be a finite number");
  if (!(t.noise >= 0) || !std::isfinite(t.noise)) throw UsageError("--noise must be a finite number >= 0");
  if (double(t.steps) + t.zero_steps > 1e8) throw UsageError("--steps plus --zero-steps: at most 1e8 steps per trial");
  // Inputs and sums are float32: a dt so small that sval/sqrt(dt) (or the sum
  // of T steps of ten standard deviations) passes float's range would write Inf.
  const double scale = t.noise / std::sqrt(t.duration / t.steps);
  const double largest = double(t.steps) * (10 * scale + 20 * std::abs(t.bias));
  if (!(largest < 1e38))
    throw UsageError("--duration " + shortest_text(t.duration) + ": dt = duration/steps makes the inputs' noise sval/sqrt(dt) = " +
                     shortest_text(scale) + ", beyond float32's range over " + std::to_string(t.steps) + " steps");
}

void generate_integrator_trials(const IntegratorTask& task, uint64_t seed, uint64_t first_trial, size_t count,
                                float* inputs, float* targets, float* mask) {
  const int T = task.total_steps();
  const double dt = task.duration / task.steps;
  const double scale = task.noise / std::sqrt(dt);
  for (size_t b = 0; b < count; ++b) {
    RngStream rng(seed, RngDomain::Task, first_trial + b);
    // docs/methods.md §1: the bias is drawn from a normal, not a uniform.
    const double bias = task.bias * 2.0 * (rng.normal() - 0.5);
    float* x = inputs + b * T;
    float* y = targets + b * T;
    float* m = mask + b * T;
    double sum = 0.0;
    for (int t = 0; t < T; ++t) {
      // Zero-input steps draw nothing, so trial k's inputs do not depend on them.
      double xt = t < task.steps ? bias + scale * rng.normal() : 0.0;
      x[t] = float(xt);
      sum += xt;  // no dt: keeps the targets O(1)
      if (task.kind == IntegratorKind::Integrator) {
        y[t] = float(sum);
        m[t] = 1.0f;
      } else {
        y[t] = 0.0f;
        m[t] = 0.0f;
      }
    }
    if (task.kind == IntegratorKind::Decision) {
      y[T - 1] = sum > 0.0 ? 1.0f : -1.0f;
      m[T - 1] = 1.0f;
    }
  }
}

TaskData generate_integrator_task(const IntegratorTask& task, uint64_t seed, size_t trials, uint64_t first_trial) {
  validate(task);
  require_memory(3.0 * 4 * double(trials) * task.total_steps(), std::to_string(trials) + " trials");
  Shape shape{trials, size_t(task.total_steps()), 1};
  TaskData d{Array<float>(shape), Array<float>(shape), Array<float>(shape)};
  generate_integrator_trials(task, seed, first_trial, trials, d.inputs.ptr(), d.targets.ptr(),
                             d.target_mask.ptr());
  return d;
}

}  // namespace ctd
