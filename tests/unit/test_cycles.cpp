// Periodic orbits on networks whose orbits are known by hand: h' = tanh(−2h)
// has the unstable fixed point 0 and one stable 2-cycle {a, −a} with
// a = tanh(2a); tanh(2·R h), R a quarter turn, has a 4-cycle on the axes.
#include <doctest/doctest.h>

#include <cmath>

#include "fixedpoints/cycles.hpp"
#include "helpers.hpp"
#include "nn/rnn_model.hpp"

using namespace ctd;

namespace {
double root() {  // the positive root of a = tanh(2a)
  double a = 1;
  for (int i = 0; i < 200; ++i) a = std::tanh(2 * a);
  return a;
}
}  // namespace

TEST_CASE("find-cycles: h' = tanh(-2h) has an unstable fixed point at 0 and one stable 2-cycle {a, -a}") {
  const RnnMap<double> map(test::vanilla_network(Eigen::MatrixXd::Constant(1, 1, -2.0), Eigen::VectorXd::Zero(1)), Eigen::VectorXd::Zero(1));
  CycleSettings s;
  s.max_period = 4;  // the 2-cycle is also a solution of period 4: it must be reported once, as period 2
  s.starts = 16;
  s.transient = 50;
  const Eigen::MatrixXd cand = cycle_candidates(map, Eigen::VectorXd::Zero(1), s, 7);
  CHECK(cand.rows() == 32);
  const CycleSearch found = find_cycles(map, cand, s, 2);
  REQUIRE(found.cycles.size() == 2);
  const Cycle &fixed = found.cycles[0], &two = found.cycles[1];
  CHECK(fixed.period == 1);
  CHECK(std::fabs(fixed.points(0, 0)) < 1e-9);
  CHECK(fixed.floquet[0].real() == doctest::Approx(-2.0).epsilon(1e-9));
  CHECK(fixed.unstable == 1);
  REQUIRE(two.period == 2);
  const double a = root();
  CHECK(std::fabs(two.points(0, 0)) == doctest::Approx(a).epsilon(1e-9));
  CHECK(two.points(1, 0) == doctest::Approx(-two.points(0, 0)).epsilon(1e-9));
  // The multiplier: F'(a)·F'(−a) = 4(1 − a²)².
  CHECK(two.floquet[0].real() == doctest::Approx(4 * std::pow(1 - a * a, 2)).epsilon(1e-8));
  CHECK(std::fabs(two.floquet[0].imag()) < 1e-12);
  CHECK(two.unstable == 0);
  CHECK(two.q < s.tol);
  // The same orbits on one thread.
  const CycleSearch one = find_cycles(map, cand, s, 1);
  REQUIRE(one.cycles.size() == 2);
  CHECK(one.cycles[1].points == two.points);
}

TEST_CASE("find-cycles: a quarter turn through tanh has a 4-cycle on the axes, of period 4 only") {
  Eigen::MatrixXd W(2, 2);
  W << 0, -2, 2, 0;
  const RnnMap<double> map(test::vanilla_network(W, Eigen::VectorXd::Zero(2)), Eigen::VectorXd::Zero(2));
  CycleSettings s;
  s.max_period = 3;
  s.starts = 32;
  const CycleSearch none = find_cycles(map, cycle_candidates(map, Eigen::VectorXd::Zero(2), s, 3), s, 2);
  for (const Cycle& c : none.cycles) CHECK(c.period == 1);  // no orbit of period 2 or 3
  s.max_period = 4;
  const CycleSearch found = find_cycles(map, cycle_candidates(map, Eigen::VectorXd::Zero(2), s, 3), s, 2);
  const double a = root();
  int on_axes = 0;
  for (const Cycle& c : found.cycles) {
    if (c.period != 4) continue;
    const double x = std::fabs(c.points(0, 0)), y = std::fabs(c.points(0, 1));
    if (std::min(x, y) < 1e-9 && std::fabs(std::max(x, y) - a) < 1e-9) ++on_axes;
  }
  CHECK(on_axes == 1);
}

TEST_CASE("find-cycles: candidates of another size are refused") {
  const RnnMap<double> map(test::vanilla_network(Eigen::MatrixXd::Constant(1, 1, -2.0), Eigen::VectorXd::Zero(1)), Eigen::VectorXd::Zero(1));
  CHECK_THROWS_WITH(find_cycles(map, Eigen::MatrixXd::Zero(3, 2), CycleSettings{}, 1),
                    doctest::Contains("candidates of 2 values for a state of 1"));
}
