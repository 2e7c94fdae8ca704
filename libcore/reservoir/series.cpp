#include "reservoir/series.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

const std::vector<std::string>& series_names() {
  static const std::vector<std::string> names = {"mackey-glass", "lorenz", "narma10", "memory-capacity"};
  return names;
}

void register_options(OptionSet& o, SeriesSpec& s) {
  o.group("Series");
  o.add("series", s.name, "mackey-glass | lorenz (forecasting: the target is the series --horizon steps ahead) | "
                          "narma10 | memory-capacity").one_of(series_names());
  o.add("steps", s.steps, "Steps per sequence (T)").range(1, 1e8);
  o.add("horizon", s.horizon, "Forecasting: predict this many steps ahead").range(1, 1e6);
  o.add("transient", s.transient, "Steps drawn and discarded before the first kept").range(0, 1e8);
  o.add("sample-step", s.sample_step, "Time units per step (0: Mackey-Glass 1, Lorenz 0.02)").non_negative();
  o.add("integration-step", s.integration_step, "RK4 step, dividing --sample-step (0: Mackey-Glass 0.1, Lorenz 0.01)")
      .non_negative();
  o.add("tau", s.mg_tau, "Mackey-Glass delay tau").positive();
  o.add("mg-beta", s.mg_beta, "Mackey-Glass beta").positive();
  o.add("mg-gamma", s.mg_gamma, "Mackey-Glass gamma").positive();
  o.add("mg-n", s.mg_n, "Mackey-Glass exponent n").positive();
  o.add("x0", s.mg_x0, "Mackey-Glass constant history of the first sequence").positive();
  o.add("sigma", s.lorenz_sigma, "Lorenz sigma").positive();
  o.add("rho", s.lorenz_rho, "Lorenz rho").positive();
  o.add("beta", s.lorenz_beta, "Lorenz beta").positive();
  o.add("delays", s.delays, "Memory capacity: targets u(t-1) ... u(t-delays)").range(1, 1e5);
  o.add("standardize", s.standardize, "Forecasting series: zero mean and unit SD per dimension (inputs and "
                                      "targets alike)");
  o.add("lyapunov-steps", s.lyapunov_steps, "Sample steps to estimate the largest Lyapunov exponent of "
                                            "mackey-glass and lorenz (0: do not)").range(0, 1e8);
}

namespace {

bool forecasting(const SeriesSpec& s) { return s.name == "mackey-glass" || s.name == "lorenz"; }

// One RK4 step of h time units of the chosen flow. Mackey–Glass's state is
// its history on the integration grid, x(t−τ) … x(t) (τ/h + 1 values): the
// delayed value at the half step is the mean of its neighbours.
void advance(const SeriesSpec& s, std::vector<double>& x, double h) {
  if (s.name == "lorenz") {
    auto f = [&](const double* v, double* d) {
      d[0] = s.lorenz_sigma * (v[1] - v[0]);
      d[1] = v[0] * (s.lorenz_rho - v[2]) - v[1];
      d[2] = v[0] * v[1] - s.lorenz_beta * v[2];
    };
    double k1[3], k2[3], k3[3], k4[3], v[3];
    f(x.data(), k1);
    for (int i = 0; i < 3; ++i) v[i] = x[i] + 0.5 * h * k1[i];
    f(v, k2);
    for (int i = 0; i < 3; ++i) v[i] = x[i] + 0.5 * h * k2[i];
    f(v, k3);
    for (int i = 0; i < 3; ++i) v[i] = x[i] + h * k3[i];
    f(v, k4);
    for (int i = 0; i < 3; ++i) x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    return;
  }
  auto f = [&](double v, double d) { return s.mg_beta * d / (1 + std::pow(d, s.mg_n)) - s.mg_gamma * v; };
  const double now = x.back(), d0 = x[0], d1 = x[1], dm = 0.5 * (d0 + d1);
  const double k1 = f(now, d0), k2 = f(now + 0.5 * h * k1, dm), k3 = f(now + 0.5 * h * k2, dm),
               k4 = f(now + h * k3, d1);
  std::rotate(x.begin(), x.begin() + 1, x.end());
  x.back() = now + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
}

int substeps(const SeriesSpec& s) {
  const double k = s.sample_step / s.integration_step;
  if (std::abs(k - std::round(k)) > 1e-9 * k || k < 1)
    throw UsageError("--integration-step " + shortest_text(s.integration_step) + " must divide --sample-step " +
                     shortest_text(s.sample_step));
  return int(std::round(k));
}

std::vector<double> initial_state(const SeriesSpec& s, RngStream& rng, bool first) {
  if (s.name == "lorenz") {
    std::vector<double> x = {1, 1, 1};
    if (!first)
      for (double& v : x) v += 2 * rng.uniform() - 1;
    return x;
  }
  const double m = s.mg_tau / s.integration_step;
  if (std::abs(m - std::round(m)) > 1e-9 * m)
    throw UsageError("--integration-step " + shortest_text(s.integration_step) + " must divide --tau " +
                     shortest_text(s.mg_tau));
  const double x0 = first ? s.mg_x0 : s.mg_x0 * (0.75 + 0.5 * rng.uniform());
  return std::vector<double>(size_t(std::round(m)) + 1, x0);
}

// The observed values of a flow's state: Lorenz's x, y, z; Mackey–Glass's x(t).
void observe(const SeriesSpec& s, const std::vector<double>& x, float* out) {
  if (s.name == "lorenz")
    for (int i = 0; i < 3; ++i) out[i] = float(x[i]);
  else
    out[0] = float(x.back());
}

// A forecasting series: inputs x(t), targets x(t + horizon).
void flow_sequence(const SeriesSpec& s, RngStream& rng, size_t b, TaskData& d) {
  const size_t T = size_t(s.steps), D = d.inputs.dim(2), H = size_t(s.horizon);
  const int k = substeps(s);
  std::vector<double> x = initial_state(s, rng, b == 0);
  std::vector<float> values((T + H) * D);
  for (long t = -long(s.transient); t < long(T + H); ++t) {
    if (t >= 0) observe(s, x, &values[size_t(t) * D]);
    for (int i = 0; i < k; ++i) advance(s, x, s.integration_step);
  }
  for (float v : values)
    if (!std::isfinite(v)) throw Error(s.name + " diverged: lower --integration-step");
  std::copy_n(values.begin(), T * D, d.inputs.ptr() + b * T * D);
  std::copy_n(values.begin() + long(H * D), T * D, d.targets.ptr() + b * T * D);
}

// NARMA-10: y(t+1) = 0.3 y(t) + 0.05 y(t) Σ_{i<10} y(t−i) + 1.5 u(t−9) u(t) + 0.1,
// u ~ U[0, 0.5]; input u(t), target y(t+1).
void narma_sequence(const SeriesSpec& s, RngStream& rng, size_t b, TaskData& d) {
  const size_t T = size_t(s.steps);
  const long n = long(s.transient) + long(T);
  std::vector<double> u(static_cast<size_t>(n)), y(static_cast<size_t>(n) + 1, 0.0);
  for (double& v : u) v = 0.5 * rng.uniform();
  for (long t = 0; t < n; ++t) {
    double sum = 0;
    for (long i = 0; i < 10 && t - i >= 0; ++i) sum += y[size_t(t - i)];
    const double u9 = t >= 9 ? u[size_t(t - 9)] : 0.0;
    y[size_t(t) + 1] = 0.3 * y[size_t(t)] + 0.05 * y[size_t(t)] * sum + 1.5 * u9 * u[size_t(t)] + 0.1;
    if (!(std::abs(y[size_t(t) + 1]) < 1e3))
      throw Error("NARMA-10 diverged in sequence " + std::to_string(b) + " (it does for rare inputs): try another --seed");
  }
  for (size_t t = 0; t < T; ++t) {
    d.inputs[b * T + t] = float(u[size_t(s.transient) + t]);
    d.targets[b * T + t] = float(y[size_t(s.transient) + t + 1]);
  }
}

// Memory capacity: input u(t) ~ U[−0.5, 0.5]; targets u(t−k), k = 1 … delays
// (masked where t−k precedes the first value drawn).
void memory_sequence(const SeriesSpec& s, RngStream& rng, size_t b, TaskData& d) {
  const size_t T = size_t(s.steps), K = size_t(s.delays);
  const long n = long(s.transient) + long(T);
  std::vector<double> u(static_cast<size_t>(n));
  for (double& v : u) v = rng.uniform() - 0.5;
  for (size_t t = 0; t < T; ++t) {
    const long at = long(s.transient) + long(t);
    d.inputs[b * T + t] = float(u[size_t(at)]);
    for (size_t k = 1; k <= K; ++k) {
      const size_t i = (b * T + t) * K + k - 1;
      const bool known = at - long(k) >= 0;
      d.targets[i] = known ? float(u[size_t(at - long(k))]) : 0.0f;
      d.target_mask[i] = known ? 1.0f : 0.0f;
    }
  }
}

// Every dimension of inputs and targets to the inputs' mean and SD.
void standardize(Series& r) {
  Array<float>& in = r.data.inputs;
  const size_t D = in.dim(2), rows = in.size() / D;
  r.mean.assign(D, 0.0);
  r.sd.assign(D, 0.0);
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < D; ++j) r.mean[j] += in[i * D + j] / double(rows);
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < D; ++j) r.sd[j] += std::pow(in[i * D + j] - r.mean[j], 2) / double(rows);
  for (double& v : r.sd) v = std::sqrt(v);
  for (Array<float>* a : {&r.data.inputs, &r.data.targets})
    for (size_t i = 0; i < rows; ++i)
      for (size_t j = 0; j < D; ++j) (*a)[i * D + j] = float(((*a)[i * D + j] - r.mean[j]) / r.sd[j]);
}

}  // namespace

void apply_series_defaults(SeriesSpec& s) {
  const bool lorenz = s.name == "lorenz";
  if (s.sample_step == 0) s.sample_step = lorenz ? 0.02 : 1.0;
  if (s.integration_step == 0) s.integration_step = lorenz ? 0.01 : 0.1;
}

Series generate_series(const SeriesSpec& spec, uint64_t seed, size_t B) {
  SeriesSpec s = spec;
  apply_series_defaults(s);
  if (s.standardize && !forecasting(s)) throw UsageError("--standardize is for the forecasting series (mackey-glass, lorenz)");
  const size_t T = size_t(s.steps);
  const size_t U = s.name == "lorenz" ? 3 : 1;
  const size_t M = s.name == "memory-capacity" ? size_t(s.delays) : U;
  Series r;
  r.data.inputs = Array<float>({B, T, U});
  r.data.targets = Array<float>({B, T, M});
  r.data.target_mask = Array<float>({B, T, M}, 1.0f);
  for (size_t b = 0; b < B; ++b) {
    RngStream rng(seed, RngDomain::Task, b);
    if (forecasting(s)) flow_sequence(s, rng, b, r.data);
    else if (s.name == "narma10") narma_sequence(s, rng, b, r.data);
    else memory_sequence(s, rng, b, r.data);
  }
  if (forecasting(s)) {
    r.dt = s.sample_step;
    if (s.lyapunov_steps > 0) r.lyapunov_exponent = largest_lyapunov_exponent(s, s.lyapunov_steps);
  }
  if (s.standardize) standardize(r);
  return r;
}

double largest_lyapunov_exponent(const SeriesSpec& spec, int steps) {
  SeriesSpec s = spec;
  apply_series_defaults(s);
  const int k = substeps(s);
  RngStream rng(0, RngDomain::Task, 0);
  std::vector<double> x = initial_state(s, rng, true);
  for (long t = 0; t < long(s.transient) * k; ++t) advance(s, x, s.integration_step);
  const double delta = 1e-8;
  std::vector<double> y = x;
  for (size_t i = 0; i < y.size(); ++i) y[i] += delta / std::sqrt(double(y.size()));
  double sum = 0;
  for (int t = 0; t < steps; ++t) {
    for (int i = 0; i < k; ++i) advance(s, x, s.integration_step), advance(s, y, s.integration_step);
    double d = 0;
    for (size_t i = 0; i < x.size(); ++i) d += (y[i] - x[i]) * (y[i] - x[i]);
    d = std::sqrt(d);
    sum += std::log(d / delta);
    for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] + (y[i] - x[i]) * delta / d;
  }
  return sum / (double(steps) * s.sample_step);
}

}  // namespace ctd
