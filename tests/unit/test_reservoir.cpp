#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>

#include "helpers.hpp"
#include "io/output.hpp"
#include "reservoir/drive.hpp"
#include "reservoir/fit_metrics.hpp"
#include "reservoir/forecast.hpp"
#include "reservoir/reservoir_file.hpp"
#include "reservoir/series.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace ctd;

namespace {

RowMatD random_rows(int rows, int cols, uint64_t seed) {
  RngStream r(seed, RngDomain::Task, 0);
  RowMatD m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = r.normal();
  return m;
}

// A dense, fully connected spec (tiny reservoirs need every entry).
ReservoirSpec dense_spec(int N, double radius, const std::string& activation) {
  ReservoirSpec s;
  s.units = N;
  s.spectral_radius = radius;
  s.connectivity = 1;
  s.input_connectivity = 1;
  s.activation = activation;
  return s;
}

// One-sequence task data from a [T] input and a [T] target.
TaskData one_sequence(const std::vector<double>& u, const std::vector<double>& y) {
  TaskData d;
  const size_t T = u.size();
  d.inputs = Array<float>({1, T, 1});
  d.targets = Array<float>({1, T, 1});
  d.target_mask = Array<float>({1, T, 1}, 1.0f);
  for (size_t t = 0; t < T; ++t) d.inputs[t] = float(u[t]), d.targets[t] = float(y[t]);
  return d;
}

// Ridge over steps [washout, S) of every sequence, teacher-forced.
RowMatD fit_ridge(const Reservoir& r, const TaskData& d, size_t washout, size_t S, double ridge) {
  RidgeAccumulator acc(r.N(), r.outputs);
  const long B = long(d.inputs.dim(0));
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(r.N(), B), fb = Eigen::MatrixXd::Zero(r.outputs, B);
  drive(r, nullptr, d, 0, S, x, fb, true, [&](size_t t, const Eigen::MatrixXd& xt, const Eigen::MatrixXd&) {
    if (t < washout) return;
    const Eigen::MatrixXd y = step_columns(d.targets, t);
    acc.add(RowMatD(xt.transpose()), RowMatD(y.transpose()));
  });
  return acc.solve(ridge);
}

}  // namespace

TEST_CASE("ridge readout: the sums over blocks solve the penalised least squares exactly") {
  const RowMatD X = random_rows(200, 5, 1), Y = random_rows(200, 2, 2);
  for (double lambda : {0.0, 0.3, 10.0}) {
    RidgeAccumulator acc(5, 2);
    acc.add(X.topRows(70), Y.topRows(70));
    acc.add(X.middleRows(70, 100), Y.middleRows(70, 100));
    acc.add(X.bottomRows(30), Y.bottomRows(30));
    CHECK(acc.rows() == 200);
    const RowMatD W = acc.solve(lambda);
    // The same problem as one least-squares system: [Z; √λ·(0 I)] W' ≈ [Y; 0].
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(200 + 5, 6), b = Eigen::MatrixXd::Zero(200 + 5, 2);
    A.topRows(200).col(0).setOnes();
    A.topRows(200).rightCols(5) = X;
    A.bottomRightCorner(5, 5) = std::sqrt(lambda) * Eigen::MatrixXd::Identity(5, 5);
    b.topRows(200) = Y;
    const Eigen::MatrixXd expected = A.householderQr().solve(b).transpose();
    CHECK((W - expected).norm() < 1e-10 * expected.norm());
  }
}

TEST_CASE("ridge readout with λ = 0 on collinear states falls back to the minimum-norm solution") {
  RowMatD X = random_rows(50, 3, 3);
  X.col(2) = X.col(0);  // a repeated state
  const RowMatD Y = X.col(0) * 2.0;
  RidgeAccumulator acc(3, 1);
  acc.add(X, Y);
  const RowMatD W = acc.solve(0);
  REQUIRE(W.allFinite());
  CHECK(std::abs(W(0, 1) - 1.0) < 1e-9);  // the weight splits evenly between the copies
  CHECK(std::abs(W(0, 3) - 1.0) < 1e-9);
  CHECK(std::abs(W(0, 0)) < 1e-9);
}

TEST_CASE("RLS with P0 = I/α ends at the least-squares solution (α → 0), LMS approaches it") {
  const RowMatD X = random_rows(400, 4, 4);
  const Eigen::Vector4d w(0.5, -1.0, 2.0, 0.25);
  RowMatD Y = X * w;
  Y.array() += 0.3;
  RlsReadout rls(4, 1, 1e-8);
  RowMatD lms = RowMatD::Zero(1, 5);
  for (int pass = 0; pass < 20; ++pass)
    for (int i = 0; i < 400; ++i) {
      if (pass == 0) rls.update(X.row(i).transpose(), Y.row(i).transpose());
      lms_update(lms, X.row(i).transpose(), Y.row(i).transpose(), 0.01);
    }
  Eigen::VectorXd expected(5);
  expected << 0.3, w;
  CHECK((rls.W.row(0).transpose() - expected).norm() < 1e-6);
  CHECK((lms.row(0).transpose() - expected).norm() < 1e-3);
}

TEST_CASE("the recurrent matrix is rescaled to the requested spectral radius") {
  for (double radius : {0.5, 0.9, 1.25}) {
    ReservoirSpec s;
    s.units = 80;
    s.spectral_radius = radius;
    const Reservoir r = make_reservoir(s, 2, 1, 7);
    CHECK(std::abs(spectral_radius(Eigen::MatrixXd(r.W)) - radius) < 1e-9);
    CHECK(std::abs(r.measured_radius - radius) < 1e-9);
    CHECK(double(r.W.nonZeros()) / (80.0 * 80.0) == doctest::Approx(0.1).epsilon(0.25));
  }
  ReservoirSpec bad;
  bad.spectral_radius = 0;
  CHECK_THROWS_WITH_AS(make_reservoir(bad, 1, 1, 1), doctest::Contains("--spectral-radius must be a positive"),
                       UsageError);
  bad.spectral_radius = std::nan("");
  CHECK_THROWS_AS(make_reservoir(bad, 1, 1, 1), UsageError);
}

TEST_CASE("a ring reservoir is a cycle of equal weights at the requested radius") {
  ReservoirSpec s;
  s.units = 7;
  s.topology = "ring";
  s.spectral_radius = 0.8;
  const Reservoir r = make_reservoir(s, 1, 1, 3);
  const Eigen::MatrixXd W(r.W);
  CHECK(r.W.nonZeros() == 7);
  for (int i = 0; i < 7; ++i) CHECK(W((i + 1) % 7, i) == doctest::Approx(0.8).epsilon(1e-12));
  CHECK(spectral_radius(W) == doctest::Approx(0.8).epsilon(1e-12));
}

TEST_CASE("a step: leak 1 without feedback is the standard ESN; a leak mixes the old state in") {
  ReservoirSpec s = dense_spec(6, 0.9, "tanh");
  const Reservoir full = make_reservoir(s, 2, 1, 3);
  s.leak = 0.3;
  const Reservoir leaky = make_reservoir(s, 2, 1, 3);  // same seed: the same weights
  const Eigen::MatrixXd x0 = random_rows(6, 1, 5), u = random_rows(2, 1, 6), none;
  const Eigen::MatrixXd W = Eigen::MatrixXd(full.W);
  const Eigen::VectorXd standard = (full.W_in.col(0) + full.W_in.rightCols(2) * u + W * x0).array().tanh();
  Eigen::MatrixXd x = x0;
  full.step(x, u, none);
  CHECK((x - standard).norm() < 1e-14);
  x = x0;
  leaky.step(x, u, none);
  CHECK((x - (0.7 * x0 + 0.3 * standard)).norm() < 1e-14);
}

TEST_CASE("closed loop: a perfect readout of a linear system reproduces the series") {
  // A sinusoid is a linear filter's fixed pattern: after the transient a
  // linear reservoir's 2 states hold u(t) and u(t-1), from which u(t+1)
  // follows exactly; run on its own the reservoir then continues the sine.
  const double w = 0.3;
  std::vector<double> u(600), y(600);
  for (size_t t = 0; t < u.size(); ++t) u[t] = std::sin(w * double(t)), y[t] = std::sin(w * double(t + 1));
  const TaskData d = one_sequence(u, y);
  const Reservoir r = make_reservoir(dense_spec(2, 0.5, "identity"), 1, 1, 11);
  const RowMatD W_out = fit_ridge(r, d, 100, 400, 0);
  const Forecast f = closed_loop(r, W_out, d, 400, 150, Eigen::VectorXd::Ones(1), 0.5);
  REQUIRE(f.truth.dim(1) == 150);
  double worst = 0;
  for (size_t j = 0; j < 150; ++j) worst = std::max(worst, double(std::abs(f.values[j] - f.truth[j])));
  CHECK(worst < 1e-5);  // the truth is stored in float32
  CHECK(f.valid_steps[0] == 150);
  CHECK(f.nrmse < 1e-5);
}

TEST_CASE("memory capacity of a tiny linear reservoir matches its analytic value") {
  // x_t = W x_{t-1} + w u_t, u i.i.d. of variance σ²: the state covariance is
  // C = σ² Σ_j W^j w wᵀ W^jᵀ and the capacity for delay k is σ² (W^k w)ᵀ C⁻¹ W^k w.
  const int N = 3;
  ReservoirSpec s = dense_spec(N, 0.6, "identity");
  s.bias_scaling = 0;
  const Reservoir r = make_reservoir(s, 1, 12, 21);
  const Eigen::MatrixXd W = Eigen::MatrixXd(r.W);
  const Eigen::VectorXd win = r.W_in.col(1);
  const double var = 1.0 / 12;  // U[-0.5, 0.5]
  Eigen::MatrixXd C = Eigen::MatrixXd::Zero(N, N);
  Eigen::VectorXd v = win;
  for (int j = 0; j < 400; ++j, v = W * v) C += var * v * v.transpose();
  const Eigen::MatrixXd Cinv = C.inverse();
  SeriesSpec spec;
  spec.name = "memory-capacity";
  spec.steps = 60000;
  spec.delays = 12;
  const Series data = generate_series(spec, 5, 1);
  const RowMatD W_out = fit_ridge(r, data.data, 100, 40000, 1e-12);
  // Scored on the rest, continuing from the end of training.
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(N, 1), fb = Eigen::MatrixXd::Zero(12, 1);
  drive(r, nullptr, data.data, 0, 40000, x, fb, true, [](size_t, const Eigen::MatrixXd&, const Eigen::MatrixXd&) {});
  FitMetrics m(12);
  drive(r, &W_out, data.data, 40000, 60000, x, fb, false,
        [&](size_t t, const Eigen::MatrixXd&, const Eigen::MatrixXd& p) {
          m.add(step_columns(data.data.targets, t).col(0), p.col(0));
        });
  const Eigen::VectorXd measured = m.squared_correlation();
  double total = 0, analytic_total = 0;
  v = W * win;
  for (int k = 1; k <= 12; ++k, v = W * v) {
    const double analytic = var * v.dot(Cinv * v);
    CAPTURE(k);
    CHECK(measured[k - 1] == doctest::Approx(analytic).epsilon(0.02).scale(1));
    total += measured[k - 1];
    analytic_total += analytic;
  }
  // Delays 0, 1, 2, … add up to N; without delay 0 a little less.
  CHECK(analytic_total < N);
  CHECK(analytic_total > N - 1);
  CHECK(total == doctest::Approx(analytic_total).epsilon(0.01));
}

TEST_CASE("fit metrics: R², NRMSE and the squared correlation by their definitions") {
  FitMetrics m(2);
  const double y[4][2] = {{1, 0}, {2, 1}, {3, 0}, {4, 1}}, p[4][2] = {{1.5, 0}, {2, 1}, {3, 0}, {3.5, 0.5}};
  for (int i = 0; i < 4; ++i) m.add(Eigen::Vector2d(y[i][0], y[i][1]), Eigen::Vector2d(p[i][0], p[i][1]));
  // Output 0: SSE 0.5, SST 5, covariance 3.5, prediction variance 2.5; output 1: SSE 0.25, SST 1.
  CHECK(m.r2_per_output()[0] == doctest::Approx(0.9));
  CHECK(m.r2_per_output()[1] == doctest::Approx(0.75));
  CHECK(m.r2() == doctest::Approx(1 - 0.75 / 6));
  CHECK(m.nrmse() == doctest::Approx(std::sqrt(0.75 / 6)));
  CHECK(m.squared_correlation()[0] == doctest::Approx(3.5 * 3.5 / (5 * 2.5)).epsilon(1e-9));
  CHECK(m.target_sd()[1] == doctest::Approx(0.5));
}

TEST_CASE("benchmark series: NARMA-10 and memory capacity follow their definitions") {
  SeriesSpec s;
  s.name = "narma10";
  s.steps = 300;
  const TaskData n = generate_series(s, 3, 2).data;
  for (size_t b = 0; b < 2; ++b)
    for (size_t t = 10; t < 300; ++t) {
      const float* u = n.inputs.ptr() + b * 300;
      const float* y = n.targets.ptr() + b * 300;  // y[t] is y(t+1)
      double sum = 0;
      for (int i = 0; i < 10; ++i) sum += y[t - 1 - size_t(i)];
      const double expected = 0.3 * y[t - 1] + 0.05 * y[t - 1] * sum + 1.5 * u[t - 9] * u[t] + 0.1;
      CHECK(std::abs(y[t] - expected) < 1e-5);
      CHECK(u[t] >= 0);
      CHECK(u[t] <= 0.5);
    }
  s.name = "memory-capacity";
  s.delays = 5;
  s.transient = 2;
  const TaskData m = generate_series(s, 3, 1).data;
  for (size_t t = 0; t < 300; ++t)
    for (size_t k = 1; k <= 5; ++k) {
      const float mask = m.target_mask[t * 5 + k - 1];
      CHECK(mask == (t + 2 >= k ? 1.0f : 0.0f));
      if (t >= k) CHECK(m.targets[t * 5 + k - 1] == m.inputs[t - k]);
    }
}

TEST_CASE("benchmark series: the chaotic systems' largest Lyapunov exponents") {
  SeriesSpec s;
  s.name = "lorenz";
  // 0.9056 per time unit (Sprott 2003, Chaos and Time-Series Analysis).
  CHECK(largest_lyapunov_exponent(s, 20000) == doctest::Approx(0.9056).epsilon(0.05));
  s.name = "mackey-glass";
  // τ = 17: a Lyapunov time of about 197 time units (NeuroBench's Mackey-Glass data).
  CHECK(1 / largest_lyapunov_exponent(s, 20000) == doctest::Approx(197).epsilon(0.1));
  s.steps = 500;
  const Series mg = generate_series(s, 1, 1);
  for (size_t t = 0; t + 1 < 500; ++t) CHECK(mg.data.targets[t] == mg.data.inputs[t + 1]);  // horizon 1
  float lo = 10, hi = -10;
  for (float v : mg.data.inputs.data) lo = std::min(lo, v), hi = std::max(hi, v);
  CHECK(lo > 0.2f);
  CHECK(hi < 1.4f);
}

TEST_CASE("reservoir file: the model reads back as it was written") {
  test::TempDir dir;
  ReservoirSpec s;
  s.units = 30;
  s.leak = 0.4;
  s.feedback = true;
  ReservoirModel m;
  m.reservoir = make_reservoir(s, 2, 3, 9);
  m.readout = "rls";
  m.W_out = random_rows(3, 31, 2);
  m.rls_P = Eigen::MatrixXd::Identity(31, 31) * 2;
  {
    OutputFile out(dir.file("m.h5"));
    write_reservoir_model(out.h5(), m);
    out.commit();
  }
  const ReservoirModel back = read_reservoir_model(H5File::open(dir.file("m.h5")));
  CHECK((Eigen::MatrixXd(back.reservoir.W) - Eigen::MatrixXd(m.reservoir.W)).norm() == 0);
  CHECK((back.reservoir.W_in - m.reservoir.W_in).norm() == 0);
  CHECK((back.reservoir.W_fb - m.reservoir.W_fb).norm() == 0);
  CHECK((back.W_out - m.W_out).norm() == 0);
  CHECK((back.rls_P - m.rls_P).norm() == 0);
  CHECK(back.reservoir.spec.leak == 0.4);
  CHECK(back.reservoir.outputs == 3);
  CHECK(back.readout == "rls");
}
