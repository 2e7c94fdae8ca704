#include "reservoir/fit.hpp"

#include "reservoir/drive.hpp"
#include "tasks/task_file.hpp"
#include "util/error.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, DataSplit& s, const std::string& no_training) {
  o.group("Data");
  o.add("washout", s.washout, "Steps at the start of each sequence that are neither learnt from nor scored")
      .non_negative();
  o.add("train-steps", s.train_steps, "Steps of each sequence to learn from (the rest are the test)" +
                                          (no_training.empty() ? std::string() : "; 0: " + no_training))
      .min(-1).shows("4/5 of T");
  o.add("test-input", s.test_input, "Held-out sequences to test on (a task file); every step of -i then trains")
      .reads_file();
}

size_t training_steps(const DataSplit& s, const Sequences& d) {
  const size_t T = d.T(), washout = size_t(s.washout);
  const size_t S = s.train_steps < 0 ? (s.held_out() ? T : T * 4 / 5) : size_t(s.train_steps);
  if (S > T) throw UsageError("--train-steps " + std::to_string(S) + " exceeds the " + std::to_string(T) + " steps of " + d.name);
  if (s.held_out() && s.train_steps > 0 && S != T)
    throw UsageError("with --test-input every step of -i trains: leave --train-steps out");
  if (S > 0 && S <= washout)
    throw Error(d.name + ": the sequences have " + std::to_string(S) + " training steps, no more than --washout " +
                std::to_string(washout) + ": nothing is left to learn from (lower --washout)");
  return S;
}

Sequences read_sequences(const std::string& path) {
  const H5File in = H5File::open(path);
  Sequences s;
  s.data = read_task_file(in).data;
  s.name = path;
  s.kind = in.has_attribute("task_kind") ? in.read_attribute_string("task_kind") : "";
  if (in.has_attribute("dt")) s.dt = in.read_attribute_in("dt", 1e-300, 1e300);
  if (in.has_attribute("lyapunov_exponent")) s.lyapunov = in.read_attribute_in("lyapunov_exponent", -1e300, 1e300);
  if (in.has_attribute("horizon")) s.horizon = int(in.read_attribute_in("horizon", 1, 1e9));
  return s;
}

void train_readout(const ReadoutSettings& s, const Sequences& d, size_t washout, size_t S, ReservoirModel& m) {
  const Reservoir& r = m.reservoir;
  const int N = r.N(), M = r.outputs;
  const long B = long(d.B());
  auto fresh_state = [&] { return std::make_pair(Eigen::MatrixXd::Zero(N, B).eval(), Eigen::MatrixXd::Zero(M, B).eval()); };
  if (s.readout == "ridge") {
    RidgeAccumulator acc = s.resume ? RidgeAccumulator(m.ridge_zz, m.ridge_yz) : RidgeAccumulator(N, M);
    const long block = 2048;  // rows per update of the normal equations
    RowMatD states(block, N), targets(block, M);
    long rows = 0;
    auto [x, fb] = fresh_state();
    drive(r, nullptr, d.data, 0, S, x, fb, true, [&](size_t t, const Eigen::MatrixXd& xt, const Eigen::MatrixXd&) {
      if (t < washout) return;
      const Eigen::MatrixXd y = step_columns(d.data.targets, t);
      for (long b = 0; b < B; ++b) {
        if (!step_counts(d.data.target_mask, size_t(b), t)) continue;
        states.row(rows) = xt.col(b).transpose();
        targets.row(rows) = y.col(b).transpose();
        if (++rows == block) acc.add(states, targets), rows = 0;
      }
    });
    if (rows) acc.add(states.topRows(rows), targets.topRows(rows));
    if (acc.rows() == 0) throw Error(d.name + ": no training step counts (every one is masked)");
    m.W_out = acc.solve(s.ridge);
    m.ridge_zz = acc.zz().selfadjointView<Eigen::Lower>();
    m.ridge_yz = acc.yz();
    m.rls_P.resize(0, 0);
    return;
  }
  const bool rls = s.readout == "rls";
  RlsReadout learner = s.resume && rls ? RlsReadout(m.W_out, m.rls_P) : RlsReadout(N, M, s.rls_alpha);
  if (s.resume && !rls) learner.W = m.W_out;
  for (int p = 0; p < s.passes; ++p) {
    auto [x, fb] = fresh_state();
    drive(r, &learner.W, d.data, 0, S, x, fb, true, [&](size_t t, const Eigen::MatrixXd& xt, const Eigen::MatrixXd&) {
      if (t < washout) return;
      const Eigen::MatrixXd y = step_columns(d.data.targets, t);
      for (long b = 0; b < B; ++b) {
        if (!step_counts(d.data.target_mask, size_t(b), t)) continue;
        if (rls) learner.update(xt.col(b), y.col(b));
        else lms_update(learner.W, xt.col(b), y.col(b), s.lms_rate);
      }
    });
  }
  if (!learner.W.allFinite())
    throw Error("the " + s.readout + " readout diverged: " + (rls ? "raise --rls-alpha" : "lower --lms-rate"));
  m.W_out = learner.W;
  m.rls_P = rls ? Eigen::MatrixXd(learner.P.selfadjointView<Eigen::Lower>()) : Eigen::MatrixXd();
  m.ridge_zz.resize(0, 0);
  m.ridge_yz.resize(0, 0);
}

FitMetrics score_readout(const ReservoirModel& m, const Sequences& d, size_t t0, size_t t1, size_t first_scored,
                 Eigen::MatrixXd& x, Eigen::MatrixXd& fb, bool teacher, Array<float>* predictions) {
  const size_t M = size_t(m.reservoir.outputs), B = d.B(), kept = t1 - first_scored;
  FitMetrics metrics{int(M)};
  if (predictions) *predictions = Array<float>({B, kept, M});
  drive(m.reservoir, &m.W_out, d.data, t0, t1, x, fb, teacher,
        [&](size_t t, const Eigen::MatrixXd&, const Eigen::MatrixXd& p) {
          if (t < first_scored) return;
          const Eigen::MatrixXd y = step_columns(d.data.targets, t);
          for (size_t b = 0; b < B; ++b) {
            if (predictions)
              for (size_t k = 0; k < M; ++k) (*predictions)[(b * kept + t - first_scored) * M + k] = float(p(long(k), long(b)));
            if (step_counts(d.data.target_mask, b, t)) metrics.add(y.col(long(b)), p.col(long(b)));
          }
        });
  return metrics;
}

}  // namespace ctd
