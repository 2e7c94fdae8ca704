// Continuation on one-unit networks whose bifurcations are known by hand:
// h' = tanh(w·h + x). Its fixed points satisfy x = atanh(h) − w·h and its
// eigenvalue is μ = w(1 − h²). For w = 2 the branch folds twice (μ = +1 at
// h² = 1/2, x = ±(√2 − atanh(1/√2))): the hysteresis of a bistable unit; for
// w = −2 the fixed point flips (μ = −1 at h = 1/√2, x = atanh(1/√2) + √2).
#include <doctest/doctest.h>

#include <cmath>

#include "fixedpoints/continuation.hpp"
#include "helpers.hpp"

using namespace ctd;

namespace {
RnnMap<double> unit(double w) {
  return RnnMap<double>(test::vanilla_network(Eigen::MatrixXd::Constant(1, 1, w), Eigen::VectorXd::Zero(1), 1.0f),
                        Eigen::VectorXd::Zero(1));
}
Eigen::VectorXd value(double v) { return Eigen::VectorXd::Constant(1, v); }
const double kAtanh = std::atanh(1 / std::sqrt(2.0));  // 0.881374
}  // namespace

TEST_CASE("continuation follows a bistable unit through both folds of its hysteresis") {
  const RnnMap<double> map = unit(2.0);
  // From x = −1, where the low state is the only fixed point, to x = 1.
  RowMatD start(1, 1);
  start(0, 0) = -0.9;  // Newton takes it to the fixed point first
  const ContinuationResult r = continue_fixed_points(map, value(-1), value(1), start, ContinuationSettings{});
  REQUIRE(r.branches.size() == 1);
  const Branch& b = r.branches[0];
  CHECK(b.end == "reached lambda = 1");
  CHECK(b.lambda.back() == 1.0);
  REQUIRE(b.bifurcations.size() == 2);
  const double x_fold = std::sqrt(2.0) - kAtanh;  // 0.532840
  // λ maps to x = −1 + 2λ: the first fold at x = +x_fold (low branch ends), then at −x_fold.
  for (int k = 0; k < 2; ++k) {
    const BifurcationPoint& f = b.bifurcations[size_t(k)];
    CAPTURE(k);
    CHECK(f.kind == Bifurcation::Fold);
    const double x = -1 + 2 * f.lambda, h = f.h(0);
    CHECK(x == doctest::Approx(k == 0 ? x_fold : -x_fold).epsilon(1e-7));
    CHECK(h == doctest::Approx(k == 0 ? -std::sqrt(0.5) : std::sqrt(0.5)).epsilon(1e-4));
  }
  // Every point is a fixed point; the middle branch (between the folds) is the unstable one.
  for (size_t i = 0; i < b.lambda.size(); ++i) {
    const double h = b.states(long(i), 0), x = -1 + 2 * b.lambda[i];
    CHECK(std::fabs(std::tanh(2 * h + x) - h) < 1e-9);
    CHECK(b.unstable[i] == (2 * (1 - h * h) > 1 ? 1 : 0));
  }
  CHECK(b.states(long(b.lambda.size()) - 1, 0) > 0.9);  // it ends on the high branch
}

TEST_CASE("continuation finds the flip of a self-inhibiting unit, and starts on one branch are followed once") {
  const RnnMap<double> map = unit(-2.0);
  RowMatD starts(3, 1);
  starts << 0.0, 0.01, 0.5;  // all three converge to the one fixed point h = 0 at x = 0
  const ContinuationResult r = continue_fixed_points(map, value(0), value(3), starts, ContinuationSettings{});
  REQUIRE(r.branches.size() == 1);
  CHECK(r.on_branch == 2);
  const Branch& b = r.branches[0];
  CHECK(b.unstable.front() == 1);  // μ = −2 at h = 0
  CHECK(b.unstable.back() == 0);
  REQUIRE(b.bifurcations.size() == 1);
  CHECK(b.bifurcations[0].kind == Bifurcation::Flip);
  CHECK(3 * b.bifurcations[0].lambda == doctest::Approx(kAtanh + std::sqrt(2.0)).epsilon(1e-7));
  CHECK(std::string(bifurcation_name(Bifurcation::Flip)) == "flip");
}

TEST_CASE("a start that is not a fixed point is counted, not followed") {
  // A NaN start (a damaged file), and a start that Newton cannot bring to a fixed point in one iteration.
  const RnnMap<double> map = unit(2.0);
  RowMatD starts(2, 1);
  starts << std::nan(""), -3.0;
  ContinuationSettings s;
  s.max_iter = 1;
  const ContinuationResult r = continue_fixed_points(map, value(5), value(6), starts, s);
  CHECK(r.branches.empty());
  CHECK(r.not_fixed == 2);
}
