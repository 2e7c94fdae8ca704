#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <cmath>
#include <complex>

#include "compare/comparison.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace ctd;

namespace {
RowMatD gaussian(long rows, long cols, uint64_t stream) {
  RngStream r(7, RngDomain::Task, stream);
  RowMatD m(rows, cols);
  for (long i = 0; i < m.size(); ++i) m.data()[i] = r.normal();
  return m;
}

Eigen::MatrixXd random_orthogonal(long n, uint64_t stream) {
  return Eigen::MatrixXd(gaussian(n, n, stream)).householderQr().householderQ();
}

// Trials of x_{t+1} = M x_t from random starts, rows trial by trial.
RowMatD linear_trials(const Eigen::MatrixXd& M, long trials, long steps, uint64_t stream) {
  const long n = M.rows();
  const RowMatD starts = gaussian(trials, n, stream);
  RowMatD X(trials * steps, n);
  for (long b = 0; b < trials; ++b) {
    Eigen::VectorXd x = starts.row(b).transpose();
    for (long t = 0; t < steps; ++t, x = M * x) X.row(b * steps + t) = x.transpose();
  }
  return X;
}

// A slow rotation in the first two dimensions, a decay in the third.
Eigen::MatrixXd spiral(double angle, double radius, double decay) {
  Eigen::MatrixXd M = Eigen::MatrixXd::Zero(3, 3);
  M << radius * std::cos(angle), -radius * std::sin(angle), 0, radius * std::sin(angle), radius * std::cos(angle), 0,
      0, 0, decay;
  return M;
}
}  // namespace

TEST_CASE("ridge R2: an affine map of the data is recovered, noise lowers R2 by its share, unrelated data gives ~0") {
  const long trials = 40, steps = 10;
  const RowMatD X = gaussian(trials * steps, 4, 1);
  const RowMatD A = gaussian(4, 3, 2);
  const Eigen::RowVector3d b(1.0, -2.0, 0.5);
  const RowMatD Y = (X * A).rowwise() + b;
  RidgeSettings s;
  const RidgeScore exact = cross_validated_ridge(X, Y, steps, s, 1);
  CHECK(exact.r2 > 1 - 1e-9);
  CHECK((exact.W - A).cwiseAbs().maxCoeff() < 1e-5);
  CHECK((exact.b - b).cwiseAbs().maxCoeff() < 1e-5);
  // Noise of variance v on outputs of variance V: R2 ≈ V / (V + v).
  const RowMatD noisy = Y + 0.5 * gaussian(trials * steps, 3, 3);
  const RidgeScore n = cross_validated_ridge(X, noisy, steps, s, 1);
  const double V = (Y.rowwise() - Y.colwise().mean()).squaredNorm(), v = 0.25 * double(Y.size());
  CHECK(n.r2 == doctest::Approx(V / (V + v)).epsilon(0.05));
  const RidgeScore none = cross_validated_ridge(X, gaussian(trials * steps, 3, 4), steps, s, 1);
  CHECK(none.r2 < 0.05);
  CHECK(none.r2 > -0.2);
  CHECK_THROWS_AS(cross_validated_ridge(X.topRows(4 * steps), Y.topRows(4 * steps), steps, s, 1), Error);
}

TEST_CASE("DSA: a rotated, scaled copy of a system is at distance ~0, a different system is not") {
  const long trials = 20, steps = 30;
  const RowMatD X = linear_trials(spiral(0.3, 0.97, 0.8), trials, steps, 5);
  DsaSettings s;
  s.delays = 2;
  s.rank = 4;
  const Eigen::MatrixXd Q = random_orthogonal(3, 6);
  const RowMatD rotated = 3.0 * X * Q;
  const Eigen::MatrixXd A = dmd_operator(X, steps, s, "x"), B = dmd_operator(rotated, steps, s, "rotated");
  const ProcrustesFit same = vector_field_procrustes(A, B, s, 1);
  CHECK(same.distance < 1e-6 * A.norm());
  CHECK((same.C.transpose() * same.C - Eigen::MatrixXd::Identity(4, 4)).cwiseAbs().maxCoeff() < 1e-10);
  const RowMatD other = linear_trials(spiral(0.9, 0.9, 0.3), trials, steps, 5);
  const ProcrustesFit apart = vector_field_procrustes(A, dmd_operator(other, steps, s, "other"), s, 1);
  CHECK(apart.distance > 0.2 * A.norm());
  // The operator's eigenvalues are the system's: 0.97·e^{±0.3i} and 0.8 among them (delays add none new here but 0).
  Eigen::EigenSolver<Eigen::MatrixXd> eig(A);
  double nearest = 1e9;
  for (long i = 0; i < 4; ++i)
    nearest = std::min(nearest, std::abs(eig.eigenvalues()(i) - std::polar(0.97, 0.3)));
  CHECK(nearest < 1e-6);
  // Whitened, any invertible linear image of the system is the same system; not whitened, only a rotation is.
  RowMatD L = gaussian(3, 3, 11);
  L(0, 0) += 3;
  const RowMatD sheared = X * L;
  CHECK(vector_field_procrustes(A, dmd_operator(sheared, steps, s, "sheared"), s, 1).distance < 1e-6 * A.norm());
  DsaSettings raw = s;
  raw.whiten = false;
  const Eigen::MatrixXd Araw = dmd_operator(X, steps, raw, "x");
  CHECK(vector_field_procrustes(Araw, dmd_operator(rotated, steps, raw, "rotated"), raw, 1).distance < 1e-6 * Araw.norm());
  CHECK(vector_field_procrustes(Araw, dmd_operator(sheared, steps, raw, "sheared"), raw, 1).distance > 1e-3 * Araw.norm());
  double explained = 0;
  dmd_operator(X, steps, s, "x", &explained);
  CHECK(explained == doctest::Approx(1.0).epsilon(1e-9));  // rank 4 of a 3-dimensional system's 2-delay embedding: all of it
  s.rank = 7;
  CHECK_THROWS_WITH_AS(dmd_operator(X, steps, s, "x"), doctest::Contains("--rank 7 must be in 1..6"), Error);
  s.rank = 4;
  s.delays = 30;
  CHECK_THROWS_WITH_AS(dmd_operator(X, steps, s, "x"), doctest::Contains("too short"), Error);
}

TEST_CASE("fixed points are paired one to one, closest first, and their stability compared") {
  RowMatD ref(3, 2), mapped(3, 2);
  ref << 0, 0, 1, 0, 0, 1;
  mapped << 0.95, 0.02, 0.01, 0.0, 0.6, 0.6;
  const FixedPointMatch m = match_fixed_points(ref, {0, 0, 2}, mapped, {0, 2, 2}, 0.2);
  CHECK(m.matched == 2);
  CHECK(m.partner == std::vector<int>{1, 0, -1});
  CHECK(m.stability_agrees == 1);  // (0,0) stable vs unstable; (1,0) stable vs stable
  CHECK(m.stable_pairs == 1);
  CHECK(m.distance[0] == doctest::Approx(0.01));
  CHECK(std::isnan(m.distance[2]));
}

TEST_CASE("compare_systems: one system against a linear image of itself, and systems of different trials") {
  const long trials = 30, steps = 20;
  System ref, fit;
  ref.states = linear_trials(spiral(0.2, 0.98, 0.7), trials, steps, 8);
  ref.trials = fit.trials = trials;
  ref.steps = fit.steps = steps;
  ref.where = "ref";
  fit.where = "fit";
  // A larger fitted system: the reference embedded in 5 dimensions, rotated, plus an offset.
  RowMatD embed = RowMatD::Zero(3, 5);
  embed.leftCols(3) = random_orthogonal(3, 9);
  fit.states = (ref.states * embed * random_orthogonal(5, 10)).rowwise() + Eigen::RowVectorXd::Constant(5, 2.0);
  ComparisonSettings s;
  s.dsa.rank = 3;
  s.dsa.delays = 1;
  const Comparison c = compare_systems(ref, fit, s, 1);
  CHECK(c.forward.r2 > 1 - 1e-9);
  CHECK(c.reverse.r2 > 1 - 1e-9);
  CHECK(c.dsa_relative < 1e-6);
  System short_fit = fit;
  short_fit.trials = trials - 1;
  short_fit.states = fit.states.topRows((trials - 1) * steps);
  CHECK_THROWS_WITH_AS(compare_systems(ref, short_fit, s, 1), doctest::Contains("different trials"), Error);
}
