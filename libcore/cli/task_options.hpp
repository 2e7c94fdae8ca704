// The options of the integrator/decision task, the same in every program
// that makes its trials (gen-integrator, train-rnn, run-rnn).
#pragma once
#include <CLI/CLI.hpp>

#include "tasks/integrator.hpp"

namespace ctd {

// --steps, --duration, --bias, --noise, --zero-steps; `prefix` starts each
// help text (e.g. "--task: ").
inline void add_integrator_task_options(CLI::App& app, IntegratorTask& task, const std::string& prefix = "") {
  app.add_option("--steps", task.steps, prefix + "Time steps per trial (T)")->check(CLI::PositiveNumber);
  app.add_option("--duration", task.duration, prefix + "Trial duration; dt = duration/steps")
      ->check(CLI::PositiveNumber);
  app.add_option("--bias", task.bias, prefix + "Bias scale bval: bias = bval*2*(z0-0.5), z0 ~ N(0,1)");
  app.add_option("--noise", task.noise, prefix + "Noise scale sval: x_t = bias + sval/sqrt(dt)*z_t")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--zero-steps", task.zero_steps,
                 prefix + "Extra steps with zero input after the --steps (the target holds its last value)")
      ->check(CLI::NonNegativeNumber);
}

}  // namespace ctd
