#include "reservoir/reservoir_run.hpp"

#include <chrono>
#include <cmath>

#include "io/provenance.hpp"
#include "reservoir/drive.hpp"
#include "reservoir/fit.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, ReservoirRunSettings& s) {
  register_options(o, s.spec);
  o.group("Readout");
  o.add("readout", s.fit.readout, "ridge (offline ridge regression), rls (recursive least squares, online) or lms "
                              "(least mean squares, online)").one_of({"ridge", "rls", "lms"});
  o.add("ridge", s.fit.ridge, "Ridge penalty lambda on W_out (the intercept is not penalised)").non_negative();
  o.add("rls-alpha", s.fit.rls_alpha, "RLS: P starts at I/alpha, so that one pass ends at the ridge solution with "
                                  "lambda = alpha (the intercept penalised too)").positive();
  o.add("lms-rate", s.fit.lms_rate, "LMS: learning rate (too high diverges; LMS converges slowly on reservoir states)")
      .positive();
  o.add("passes", s.fit.passes, "rls, lms: passes over the training steps").range(1, 1e6);
  o.add("resume", s.fit.resume, "With -p: the readout learns on from its saved state (ridge: its sums; rls: P and "
                            "W_out; lms: W_out) instead of starting afresh");
  register_options(o, s.split, "no training, the -p model's readout runs");
  o.group("Forecast");
  o.add("generate", s.generate, "Closed loop: after --generate-from steps of the true series, run this many steps "
                                "on the model's own predictions (inputs and outputs of the same size)")
      .non_negative();
  o.add("generate-from", s.generate_from, "Closed loop from this step (teacher-forced before it)")
      .min(-1).shows("the end of training; with --test-input, --washout");
  o.add("valid-threshold", s.valid_threshold, "Valid prediction time: steps until the normalised error exceeds this")
      .positive();
  o.add("lyapunov-exponent", s.lyapunov_exponent, "Largest Lyapunov exponent per time unit, to state the valid "
                                                  "time in Lyapunov times").min(-1).shows("the input file's");
}

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

Array<float> target_steps(const Array<float>& targets, size_t first) {
  const size_t B = targets.dim(0), T = targets.dim(1), M = targets.dim(2);
  Array<float> out({B, T - first, M});
  for (size_t b = 0; b < B; ++b)
    std::copy_n(targets.ptr() + (b * T + first) * M, (T - first) * M, out.ptr() + b * (T - first) * M);
  return out;
}

// The reservoir and readout to start from: a fresh reservoir, or the saved one.
ReservoirModel starting_model(const ReservoirRunSettings& s, const OptionSet& options, const Sequences& d,
                              const std::string& params_file, uint64_t seed, std::string& history) {
  if (params_file.empty()) {
    if (s.fit.resume) throw UsageError("--resume needs -p FILE (a model written by run-reservoir)");
    ReservoirModel m;
    m.reservoir = make_reservoir(s.spec, d.U(), d.M(), seed);
    m.readout = s.fit.readout;
    return m;
  }
  for (const OptionSpec& o : options.all())
    if (o.group == "Reservoir" && o.set)
      throw UsageError("--" + o.name + " shapes a new reservoir; with -p the saved one runs as it is");
  const H5File in = H5File::open(params_file);
  ReservoirModel m = read_reservoir_model(in);
  history = read_history(in);
  if (m.reservoir.inputs != d.U() || m.reservoir.outputs != d.M())
    throw Error(params_file + " takes " + std::to_string(m.reservoir.inputs) + " inputs and gives " +
                std::to_string(m.reservoir.outputs) + " outputs, but " + d.name + " has " + std::to_string(d.U()) +
                " and " + std::to_string(d.M()));
  if (s.fit.resume) {
    if (s.fit.readout != m.readout)
      throw UsageError("--resume continues the saved " + m.readout + " readout; --readout " + s.fit.readout + " differs");
    if (s.fit.readout == "ridge" && m.ridge_zz.size() == 0) throw Error(params_file + ": no ridge sums to resume from");
    if (s.fit.readout == "rls" && m.rls_P.size() == 0) throw Error(params_file + ": no RLS state P to resume from");
    if (s.fit.readout == "lms" && m.W_out.size() == 0) throw Error(params_file + ": no W_out to resume from");
  }
  m.readout = s.fit.readout;
  return m;
}

}  // namespace

ReservoirRunResult run_reservoir(const ReservoirRunSettings& s, const OptionSet& options, const std::string& input,
                                 const std::string& params_file, uint64_t seed) {
  if (input.empty()) throw UsageError("-i FILE is required: a task file of sequences (e.g. from gen-series)");
  const Sequences d = read_sequences(input);
  const bool held_out = s.split.held_out();
  const size_t washout = size_t(s.split.washout);
  const size_t S = training_steps(s.split, d);
  ReservoirRunResult r;
  r.model = starting_model(s, options, d, params_file, seed, r.history);
  const auto t_train = std::chrono::steady_clock::now();
  if (S > 0) {
    train_readout(s.fit, d, washout, S, r.model);
    r.trained = true;
  } else if (r.model.W_out.size() == 0) {
    throw UsageError(params_file.empty() ? "--train-steps 0 leaves a fresh reservoir without a readout: train one"
                                         : params_file + " has no trained readout: train one (--train-steps)");
  }
  r.ms_train = ms_since(t_train);
  // Scores: training steps teacher-forced, then the test from where they end
  // (or the held-out file from its start), outputs fed back as predicted.
  const auto t_test = std::chrono::steady_clock::now();
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(r.model.reservoir.N(), long(d.B())),
                  fb = Eigen::MatrixXd::Zero(d.M(), long(d.B()));
  Eigen::VectorXd sd;
  if (S > 0) {
    const FitMetrics m = score_readout(r.model, d, 0, S, washout, x, fb, true, nullptr);
    r.train_r2 = m.r2();
    r.train_nrmse = m.nrmse();
    sd = m.target_sd();
  }
  Sequences held;
  if (held_out) {
    held = read_sequences(s.split.test_input);
    if (held.U() != d.U() || held.M() != d.M())
      throw Error(s.split.test_input + " has " + std::to_string(held.U()) + " inputs and " + std::to_string(held.M()) +
                  " targets, but " + input + " has " + std::to_string(d.U()) + " and " + std::to_string(d.M()));
    if (held.T() <= washout)
      throw Error(s.split.test_input + ": the sequences have " + std::to_string(held.T()) + " steps, no more than --washout " +
                  std::to_string(washout));
    x = Eigen::MatrixXd::Zero(r.model.reservoir.N(), long(held.B()));
    fb = Eigen::MatrixXd::Zero(d.M(), long(held.B()));
  }
  const Sequences& test = held_out ? held : d;
  const size_t test_from = held_out ? 0 : (S == 0 ? 0 : S), first_scored = held_out || S == 0 ? washout : S;
  if (first_scored < test.T()) {
    const FitMetrics m = score_readout(r.model, test, test_from, test.T(), first_scored, x, fb, false, &r.predictions);
    r.tested = m.rows() > 0;
    r.test_r2 = m.r2();
    r.test_nrmse = m.nrmse();
    r.test_r2_per_output = m.r2_per_output();
    r.test_squared_correlation = m.squared_correlation();
    r.test_targets = target_steps(test.data.targets, first_scored);
    r.test_first_step = first_scored;
    if (test.kind == "memory-capacity") r.memory_capacity = r.test_squared_correlation.sum();
    if (sd.size() == 0) sd = m.target_sd();
  } else {
    log_warning("no steps are left to test on (--train-steps is the whole sequence)");
  }
  r.ms_test = ms_since(t_test);
  r.dt = test.dt;
  r.lyapunov_exponent = s.lyapunov_exponent >= 0 ? s.lyapunov_exponent : test.lyapunov;
  if (s.generate > 0) {
    if (test.U() != test.M())
      throw UsageError("--generate feeds the outputs back as inputs: " + test.name + " has " + std::to_string(test.U()) +
                       " inputs but " + std::to_string(test.M()) + " targets");
    if (test.horizon != 1)
      throw UsageError("--generate needs one-step-ahead targets; " + test.name + " forecasts " +
                       std::to_string(test.horizon) + " steps ahead");
    const size_t from = s.generate_from >= 0 ? size_t(s.generate_from) : (held_out || S == 0 ? washout : S);
    if (from < 1 || from > test.T())
      throw UsageError("--generate-from must be in [1, " + std::to_string(test.T()) + "], the steps of " + test.name);
    if (sd.size() == 0 || !(sd.minCoeff() > 0)) throw Error(test.name + ": the targets do not vary: no normalised error");
    r.forecast = closed_loop(r.model.reservoir, r.model.W_out, test.data, from, size_t(s.generate), sd, s.valid_threshold);
    r.generated = true;
  }
  if (r.trained)
    log_info("training (" + s.fit.readout + "): R2 " + fmt("%.6f", r.train_r2) + ", NRMSE " + fmt("%.4g", r.train_nrmse) +
             ", " + fmt("%.0f", r.ms_train) + " ms");
  if (r.tested)
    log_info("test: R2 " + fmt("%.6f", r.test_r2) + ", NRMSE " + fmt("%.4g", r.test_nrmse) +
             (r.memory_capacity >= 0 ? ", memory capacity " + fmt("%.2f", r.memory_capacity) : ""));
  if (r.generated) {
    double mean = 0;
    for (double v : r.forecast.valid_steps) mean += v / double(r.forecast.valid_steps.size());
    log_info("closed loop: " + std::to_string(s.generate) + " steps, valid for " + fmt("%.1f", mean) + " steps" +
             (r.lyapunov_exponent > 0 ? " (" + fmt("%.2f", mean * r.dt * r.lyapunov_exponent) + " Lyapunov times)" : "") +
             " on average, NRMSE " + fmt("%.4g", r.forecast.nrmse));
  }
  return r;
}

void write_reservoir_run(H5File& o, const ReservoirRunResult& r) {
  write_reservoir_model(o, r.model);
  if (r.trained) {
    o.write_attribute("train_r2", r.train_r2);
    o.write_attribute("train_nrmse", r.train_nrmse);
    o.write_attribute("ms_train", r.ms_train);
  }
  if (r.tested) {
    o.write("predictions", r.predictions);
    o.write("test_targets", r.test_targets);
    o.write_attribute("test_first_step", int64_t(r.test_first_step));
    o.write_attribute("test_r2", r.test_r2);
    o.write_attribute("test_nrmse", r.test_nrmse);
    auto vec = [](const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); };
    o.write_attribute("test_r2_per_output", vec(r.test_r2_per_output));
    o.write_attribute("test_squared_correlation", vec(r.test_squared_correlation));
    o.write_attribute("ms_test", r.ms_test);
    if (r.memory_capacity >= 0) o.write_attribute("memory_capacity", r.memory_capacity);
  }
  if (r.generated) {
    const Forecast& f = r.forecast;
    o.write("forecast", f.values);
    o.write("forecast_truth", f.truth);
    o.write("forecast_error", f.error);
    o.write_attribute("valid_steps", f.valid_steps);
    if (r.lyapunov_exponent > 0) {
      std::vector<double> lt;
      for (double v : f.valid_steps) lt.push_back(v * r.dt * r.lyapunov_exponent);
      o.write_attribute("valid_lyapunov_times", lt);
      o.write_attribute("forecast_lyapunov_exponent", r.lyapunov_exponent);
    }
    o.write_attribute("forecast_nrmse", f.nrmse);
    o.write_attribute("ms_per_generated_step", f.ms_per_step);
  }
}

}  // namespace ctd
