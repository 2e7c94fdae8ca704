// The benchmark series of reservoir computing (docs/methods.md §11), as task
// files (inputs [B,T,U], targets [B,T,M]) that run-reservoir and train-rnn
// read: Mackey–Glass (Mackey & Glass 1977, τ = 17 as Jaeger & Haas 2004),
// the Lorenz system (Lorenz 1963), NARMA-10 (Atiya & Parlos 2000) and the
// memory-capacity test (Jaeger 2001).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tasks/task_data.hpp"

namespace ctd {

class OptionSet;

struct SeriesSpec {
  std::string name = "mackey-glass";  // mackey-glass | lorenz | narma10 | memory-capacity
  int steps = 2000;                   // T
  int horizon = 1;                    // forecasting: the target is the series `horizon` steps ahead
  int transient = 1000;               // steps drawn and discarded before the first one kept
  double sample_step = 0;             // time units per step (0: the system's default: MG 1, Lorenz 0.02)
  double integration_step = 0;        // RK4 step (0: MG 0.1, Lorenz 0.01); must divide sample_step
  // Mackey–Glass: dx/dt = β x(t−τ)/(1 + x(t−τ)^n) − γ x(t), history x0.
  double mg_tau = 17, mg_beta = 0.2, mg_gamma = 0.1, mg_n = 10, mg_x0 = 1.2;
  // Lorenz: σ, ρ, β.
  double lorenz_sigma = 10, lorenz_rho = 28, lorenz_beta = 8.0 / 3.0;
  int delays = 100;                   // memory capacity: targets u(t−1) … u(t−delays)
  bool standardize = false;           // inputs and targets to zero mean and unit SD per dimension
  int lyapunov_steps = 20000;         // sample steps to estimate the largest Lyapunov exponent (0: none)
};
void register_options(OptionSet& o, SeriesSpec& s);
// Fills in the system's sample and integration steps left at 0.
void apply_series_defaults(SeriesSpec& s);
const std::vector<std::string>& series_names();

struct Series {
  TaskData data;            // target_mask all ones
  double dt = 1;            // time units per step
  double lyapunov_exponent = 0;  // largest, per time unit, estimated (0: not a chaotic system or not estimated)
  std::vector<double> mean, sd;  // of the inputs' dimensions, when standardized (targets use the same for
                                 // forecasting; memory capacity and NARMA keep their own)
};

// B sequences from `seed`: sequence b starts from its own initial condition
// (sequence 0 from the documented one).
Series generate_series(const SeriesSpec& s, uint64_t seed, size_t B);

// The largest Lyapunov exponent (per time unit) of the chosen chaotic system,
// by Benettin's method: a copy perturbed by 1e-8 and renormalised every
// sample step, over `steps` sample steps after the transient.
double largest_lyapunov_exponent(const SeriesSpec& s, int steps);

}  // namespace ctd
