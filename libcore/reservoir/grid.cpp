#include "reservoir/grid.hpp"

#include <chrono>
#include <cmath>

#include "reservoir/drive.hpp"
#include "reservoir/forecast.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/options.hpp"
#include "util/threads.hpp"

namespace ctd {

void register_options(OptionSet& o, ReservoirGrid& g) {
  register_options(o, g.spec, true);
  o.group("Grid");
  o.add("radii", g.radii, "Spectral radii to try (comma-separated)");
  o.add("leaks", g.leaks, "Leak rates to try, each in (0, 1]");
  o.add("input-scalings", g.input_scalings, "Input scalings to try");
  o.add("ridges", g.ridges, "Ridge penalties to try (one reservoir run serves them all)");
  o.add("score", g.score, "nrmse: one-step NRMSE on the test steps (lower is better); valid-time: the closed-loop "
                          "valid prediction time from the end of training (higher is better)")
      .one_of({"nrmse", "valid-time"});
  o.add("generate", g.generate, "valid-time: closed-loop steps").min(1);
  o.add("valid-threshold", g.valid_threshold, "valid-time: the normalised error that ends the valid time").positive();
  register_options(o, g.split, "");
}

namespace {

void check_axis(const std::vector<double>& v, const char* option, double lo, bool lo_open, double hi) {
  if (v.empty()) throw UsageError(std::string("--") + option + " needs at least one value");
  for (double x : v)
    if (!std::isfinite(x) || x < lo || (lo_open && x == lo) || x > hi)
      throw UsageError(std::string("--") + option + ": " + shortest_text(x) + " is outside " + (lo_open ? "(" : "[") +
                       shortest_text(lo) + ", " + shortest_text(hi) + "]");
}

}  // namespace

GridResult search_grid(const ReservoirGrid& g, const std::string& input, uint64_t seed) {
  check_axis(g.radii, "radii", 0, true, 100);
  check_axis(g.leaks, "leaks", 0, true, 1);
  check_axis(g.input_scalings, "input-scalings", 0, false, 1e6);
  check_axis(g.ridges, "ridges", 0, false, 1e300);
  if (input.empty()) throw UsageError("-i FILE is required: a task file of sequences (e.g. from gen-series)");
  const auto t0 = std::chrono::steady_clock::now();
  const Sequences d = read_sequences(input);
  const size_t S = training_steps(g.split, d), washout = size_t(g.split.washout);
  if (S == 0) throw UsageError("--train-steps 0: every point of the grid must learn its readout");
  const Sequences held = g.split.held_out() ? read_sequences(g.split.test_input) : Sequences();
  const Sequences& test = g.split.held_out() ? held : d;
  if (held.name.size() && (held.U() != d.U() || held.M() != d.M()))
    throw Error(held.name + " has " + std::to_string(held.U()) + " inputs and " + std::to_string(held.M()) +
                " targets, but " + input + " has " + std::to_string(d.U()) + " and " + std::to_string(d.M()));
  const size_t first_scored = g.split.held_out() ? washout : S;
  if (first_scored >= test.T())
    throw UsageError(test.name + ": no steps are left to score on after " + std::to_string(first_scored) +
                     ": lower --train-steps or give --test-input");
  const bool closed = g.score == "valid-time";
  if (closed && (test.U() != test.M() || test.horizon != 1))
    throw UsageError("--score valid-time forecasts in closed loop: " + test.name +
                     " must have as many inputs as targets, one step ahead");
  const size_t R = g.radii.size(), A = g.leaks.size(), C = g.input_scalings.size(), L = g.ridges.size();
  GridResult res;
  res.scores.assign(R * A * C * L, NAN);
  RegionErrors errors;
#pragma omp parallel for schedule(dynamic, 1) num_threads(thread_count())
  for (long point = 0; point < long(R * A * C); ++point) {
    errors.guard([&] {
      const size_t ri = size_t(point) / (A * C), ai = size_t(point) / C % A, ci = size_t(point) % C;
      ReservoirSpec spec = g.spec;
      spec.spectral_radius = g.radii[ri];
      spec.leak = g.leaks[ai];
      spec.input_scaling = g.input_scalings[ci];
      ReservoirModel m;
      m.reservoir = make_reservoir(spec, d.U(), d.M(), seed);
      ReadoutSettings fit;
      fit.ridge = g.ridges[0];
      train_readout(fit, d, washout, S, m);
      const RidgeAccumulator sums(m.ridge_zz, m.ridge_yz);
      // The state where the test starts, and the training targets' SD (the
      // closed loop's error scale), from one teacher-forced run.
      const long N = m.reservoir.N(), M = d.M();
      Eigen::MatrixXd x_end = Eigen::MatrixXd::Zero(N, long(d.B())), fb_end = Eigen::MatrixXd::Zero(M, long(d.B()));
      const Eigen::VectorXd sd = score_readout(m, d, 0, S, washout, x_end, fb_end, true, nullptr).target_sd();
      for (size_t li = 0; li < L; ++li) {
        m.W_out = sums.solve(g.ridges[li]);
        double value;
        if (closed) {
          const Forecast f = closed_loop(m.reservoir, m.W_out, test.data, first_scored, size_t(g.generate), sd,
                                         g.valid_threshold);
          value = 0;
          for (double v : f.valid_steps) value += v / double(f.valid_steps.size());
        } else {
          Eigen::MatrixXd x = g.split.held_out() ? Eigen::MatrixXd::Zero(N, long(test.B())) : x_end;
          Eigen::MatrixXd fb = g.split.held_out() ? Eigen::MatrixXd::Zero(M, long(test.B())) : fb_end;
          value = score_readout(m, test, g.split.held_out() ? 0 : S, test.T(), first_scored, x, fb, false, nullptr).nrmse();
        }
        res.scores[size_t(point) * L + li] = std::isfinite(value) ? value : NAN;
      }
    });
  }
  errors.rethrow();
  bool found = false;
  for (size_t i = 0; i < res.scores.size(); ++i) {
    const double v = res.scores[i];
    if (std::isnan(v)) continue;
    if (!found || (closed ? v > res.scores[res.best] : v < res.scores[res.best])) res.best = i, found = true;
  }
  if (!found) throw Error("no point of the grid gave a finite score");
  res.best_radius = g.radii[res.best / (A * C * L)];
  res.best_leak = g.leaks[res.best / (C * L) % A];
  res.best_input_scaling = g.input_scalings[res.best / L % C];
  res.best_ridge = g.ridges[res.best % L];
  res.best_score = res.scores[res.best];
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  log_info("best of " + std::to_string(res.scores.size()) + " points: --spectral-radius " +
           shortest_text(res.best_radius) + " --leak " + shortest_text(res.best_leak) + " --input-scaling " +
           shortest_text(res.best_input_scaling) + " --ridge " + shortest_text(res.best_ridge) + ", " + g.score + " " +
           fmt("%.6g", res.best_score) + (closed ? " steps" : "") + " (" + fmt("%.1f", res.seconds) + " s)");
  return res;
}

void write_grid(H5File& out, const ReservoirGrid& g, const GridResult& r) {
  out.write("score", Shape{g.radii.size(), g.leaks.size(), g.input_scalings.size(), g.ridges.size()}, r.scores.data());
  out.write_attribute("spectral_radius_values", g.radii);
  out.write_attribute("leak_values", g.leaks);
  out.write_attribute("input_scaling_values", g.input_scalings);
  out.write_attribute("ridge_values", g.ridges);
  out.write_attribute("score_name", g.score);
  out.write_attribute("best_spectral_radius", r.best_radius);
  out.write_attribute("best_leak", r.best_leak);
  out.write_attribute("best_input_scaling", r.best_input_scaling);
  out.write_attribute("best_ridge", r.best_ridge);
  out.write_attribute("best_score", r.best_score);
  out.write_attribute("seconds", r.seconds);
}

}  // namespace ctd
