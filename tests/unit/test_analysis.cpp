// The analyses behind find-fixed-points and linearize, as library calls: the
// whole search with its filters and groups, the input-effect prediction and
// the deflections from the nearest fixed point, on a network solved by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "fixedpoints/input_effects.hpp"
#include "fixedpoints/search.hpp"

using namespace ctd;

namespace {
// h' = tanh(W h + wI x) with W = diag(2, 0.5), wI = (0.3, 0.3): fixed points at
// h = (0, 0) (a saddle) and (±h*, 0) with h* = tanh(2 h*) (attractors).
RnnModel diagonal_network() {
  RnnModel m = init_rnn({Cell::Vanilla, 2, 1, 1, 0.5}, RnnInit{}, 1);
  const float W[4] = {2.0f, 0.0f, 0.0f, 0.5f};
  for (int i = 0; i < 4; ++i) m.param("wR")[i] = W[i];
  for (int i = 0; i < 2; ++i) m.param("bR")[i] = 0.0f, m.param("wI")[i] = 0.3f;
  return m;
}

RowMatD grid() {
  RowMatD g(121, 2);
  for (int i = 0; i < 11; ++i)
    for (int j = 0; j < 11; ++j) g.row(i * 11 + j) << -1.5 + 0.3 * i, -1.5 + 0.3 * j;
  return g;
}
}  // namespace

TEST_CASE("the fixed-point search finds the saddle and both attractors, one group per tolerance") {
  RnnModel m = diagonal_network();
  FixedPointSearch s;
  s.tols = {1e-10, 1e-20};
  s.unique_tol = 1e-6;
  s.max_candidates = 100;
  FixedPointSearchResult r = find_fixed_points(m, Eigen::VectorXd::Zero(1), grid(), s, 7, 2);
  CHECK(r.candidates == 100);
  REQUIRE(r.groups.size() == 2);
  CHECK(r.groups[0].name == "tol_1e-10");
  CHECK(r.groups[1].name == "tol_1e-20");
  for (const FixedPointGroup& g : r.groups) {
    REQUIRE(g.set.points.rows() == 3);
    CHECK(g.below >= 3);
    std::vector<double> xs;
    for (int k = 0; k < 3; ++k) {
      CHECK(std::fabs(g.set.points(k, 1)) < 1e-12);
      CHECK(g.set.q(k) < g.tol);
      xs.push_back(g.set.points(k, 0));
      if (k) CHECK(g.set.q(k - 1) <= g.set.q(k));  // slowest first
    }
    std::sort(xs.begin(), xs.end());
    CHECK(xs[0] == doctest::Approx(-0.9575040240772687).epsilon(1e-10));
    CHECK(std::fabs(xs[1]) < 1e-12);
    CHECK(xs[2] == doctest::Approx(0.9575040240772687).epsilon(1e-10));
  }
}

TEST_CASE("input effects: the input Jacobian predicts small inputs' effects; deflections from the nearest point") {
  RnnModel m = diagonal_network();
  RnnMap<double> map(m, Eigen::VectorXd::Zero(1));
  RowMatD H(3, 2), X(2, 1);
  H << 0.1, 0.2, -0.5, 0.0, 0.9, -0.3;
  X << 1e-5, -2e-5;
  InputEffects e = input_effects(map, H, X, 2);
  REQUIRE(e.predicted_delta.size() == 3 * 2 * 2);
  for (size_t i = 0; i < e.predicted_delta.size(); ++i)
    CHECK(e.predicted_delta[i] == doctest::Approx(e.true_delta[i]).epsilon(1e-4));
  // By hand for state 0 and input 0: ∂F/∂x·x = (1 − F²)·wI·x with F = tanh(W h).
  const double f0 = std::tanh(2 * 0.1), f1 = std::tanh(0.5 * 0.2);
  CHECK(e.predicted_delta[0] == doctest::Approx((1 - f0 * f0) * 0.3 * 1e-5).epsilon(1e-9));
  CHECK(e.predicted_delta[1] == doctest::Approx((1 - f1 * f1) * 0.3 * 1e-5).epsilon(1e-9));
  CHECK(e.readout_correlation > 0.9999);

  RowMatD P(3, 2);
  P << -0.9575040240772687, 0, 0, 0, 0.9575040240772687, 0;
  Deflections d = deflections(map, H, P, EigSort::Real, 1e-4, 2);
  CHECK(d.nearest == std::vector<int64_t>{1, 0, 2});  // (-0.5, 0) is closer to -h* than to 0
  CHECK(d.deflection(2, 0) == doctest::Approx(0.9 - 0.9575040240772687));
  CHECK(d.deflection(2, 1) == doctest::Approx(-0.3));
  // At an attractor of the diagonal map the left eigenvectors are the axes:
  // the deflection (x, y) has cosines |x|/r and |y|/r with them.
  const double r = std::hypot(d.deflection(2, 0), d.deflection(2, 1));
  CHECK(d.cosines(2, 0) + d.cosines(2, 1) == doctest::Approx((std::fabs(d.deflection(2, 0)) + 0.3) / r));
}
