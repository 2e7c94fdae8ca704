#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "fixedpoints/finder.hpp"
#include "helpers.hpp"
#include "io/hdf5.hpp"
#include "util/rng.hpp"

using namespace ctd;
using test::spec_name;

namespace {
double h_star() {  // the positive root of h = tanh(2h)
  double h = 1;
  for (int i = 0; i < 100; ++i) h = std::tanh(2 * h);
  return h;
}
}  // namespace

TEST_CASE("1-D tanh network h = tanh(2h): three fixed points, their eigenvalues and stability") {
  RnnModel m = test::vanilla_network(Eigen::MatrixXd::Constant(1, 1, 2.0), Eigen::VectorXd::Zero(1), 0.3f);
  RnnMap<double> map(m, Eigen::VectorXd::Zero(1));
  RowMatD cand(41, 1);
  for (int i = 0; i < 41; ++i) cand(i, 0) = -2.0 + 0.1 * i;
  Eigen::VectorXd q = refine_newton(map, cand, NewtonSettings{}, 2);
  std::vector<int> keep = below_tolerance(q, 1e-20);
  CHECK(keep.size() >= 38);  // the candidates exactly at ±0 converge too
  keep = keep_unique(cand, keep, 1e-6);
  REQUIRE(keep.size() == 3);
  std::vector<double> found;
  for (int k : keep) found.push_back(cand(k, 0));
  std::sort(found.begin(), found.end());
  const double hs = h_star();
  CHECK(found[0] == doctest::Approx(-hs).epsilon(1e-12));
  CHECK(std::fabs(found[1]) < 1e-12);
  CHECK(found[2] == doctest::Approx(hs).epsilon(1e-12));
  RowMatD pts(3, 1);
  for (int i = 0; i < 3; ++i) pts(i, 0) = found[size_t(i)];
  Linearization lin = linearize_points(map, pts, EigSort::Real, true, 1e-4, 1);
  CHECK(lin.eigvals(0, 0).real() == doctest::Approx(2 * (1 - hs * hs)).epsilon(1e-9));
  CHECK(lin.eigvals(1, 0).real() == doctest::Approx(2.0));
  CHECK(lin.stability[0] == kStable);
  CHECK(lin.stability[1] == kUnstable);
  CHECK(lin.stability[2] == kStable);
}

TEST_CASE("2-D tanh network: a saddle and two attractors, found from a grid") {
  Eigen::MatrixXd W(2, 2);
  W << 2.0, 0.0, 0.0, 0.5;
  RnnModel m = test::vanilla_network(W, Eigen::VectorXd::Zero(2), 0.3f);
  RnnMap<double> map(m, Eigen::VectorXd::Zero(2 - 1));
  RowMatD cand(121, 2);
  for (int i = 0; i < 11; ++i)
    for (int j = 0; j < 11; ++j) cand.row(i * 11 + j) << -1.5 + 0.3 * i, -1.5 + 0.3 * j;
  Eigen::VectorXd q = refine_newton(map, cand, NewtonSettings{}, 2);
  std::vector<int> keep = keep_unique(cand, below_tolerance(q, 1e-20), 1e-6);
  REQUIRE(keep.size() == 3);
  RowMatD pts(3, 2);
  for (int i = 0; i < 3; ++i) pts.row(i) = cand.row(keep[size_t(i)]);
  Linearization lin = linearize_points(map, pts, EigSort::Magnitude, false, 1e-4, 1);
  int saddles = 0, attractors = 0;
  for (int i = 0; i < 3; ++i) {
    CHECK(std::fabs(pts(i, 1)) < 1e-12);
    if (std::fabs(pts(i, 0)) < 1e-12) {
      ++saddles;
      CHECK(lin.eigvals(i, 0).real() == doctest::Approx(2.0));
      CHECK(lin.eigvals(i, 1).real() == doctest::Approx(0.5));
      CHECK(lin.stability[size_t(i)] == kUnstable);
    } else {
      ++attractors;
      CHECK(std::fabs(pts(i, 0)) == doctest::Approx(h_star()).epsilon(1e-12));
      CHECK(lin.stability[size_t(i)] == kStable);
    }
  }
  CHECK(saddles == 1);
  CHECK(attractors == 2);
}

TEST_CASE("Jacobians dF/dh and dF/dx match finite differences for every cell") {
  for (const RnnSpec& spec : test::every_cell(9, 3, 2)) {
    RnnModel m = init_rnn(spec, RnnInit{1.2, 1.0, 0.1}, 3);
    RngStream r(4, RngDomain::Task, 0);
    for (auto& p : m.params) p += float(0.05 * r.normal());
    const int D = state_size(spec);
    Eigen::VectorXd x(3), h(D);
    for (int i = 0; i < 3; ++i) x(i) = r.normal();
    for (int i = 0; i < D; ++i) h(i) = 0.5 * r.normal();
    RnnMap<double> map(m, x);
    REQUIRE(map.dim() == D);
    Eigen::MatrixXd J = map.dFdh(h), Jx = map.dFdx(h), fdJ(D, D), fdJx(D, 3);
    const double eps = 1e-6;
    for (int j = 0; j < D; ++j) {
      Eigen::VectorXd e = Eigen::VectorXd::Unit(D, j) * eps;
      fdJ.col(j) = (map.step(h + e, x) - map.step(h - e, x)) / (2 * eps);
    }
    for (int j = 0; j < 3; ++j) {
      Eigen::VectorXd e = Eigen::VectorXd::Unit(3, j) * eps;
      fdJx.col(j) = (map.step(h, x + e) - map.step(h, x - e)) / (2 * eps);
    }
    CAPTURE(spec_name(spec));
    CHECK((J - fdJ).cwiseAbs().maxCoeff() < 1e-8);
    CHECK((Jx - fdJx).cwiseAbs().maxCoeff() < 1e-8);
    // The batched q gradient against finite differences of q.
    RnnMap<double>::Mat H = RnnMap<double>::Mat::Random(4, D) * 0.5, G(4, D);
    Eigen::VectorXd q;
    map.q_and_grad(H, 0.25, q, G);
    for (int k = 0; k < 4; ++k)
      for (int i = 0; i < D; ++i) {
        RnnMap<double>::Mat Hp = H, Hm = H;
        Hp(k, i) += eps;
        Hm(k, i) -= eps;
        Eigen::VectorXd qp, qm;
        RnnMap<double>::Mat dummy(4, D);
        map.q_and_grad(Hp, 0.25, qp, dummy);
        map.q_and_grad(Hm, 0.25, qm, dummy);
        CHECK(G(k, i) == doctest::Approx(0.25 * (qp(k) - qm(k)) / (2 * eps)).epsilon(1e-6));
      }
  }
}

TEST_CASE("uniqueness: in index order a dropped point still drops later ones (the tutorial), or in q order it does not; outliers") {
  RowMatD p(5, 1);
  p << 0.0, 0.02, 0.04, 1.0, 1.5;
  std::vector<int> all{0, 1, 2, 3, 4};
  // 0 drops 0.02; 0.02, though dropped, drops 0.04.
  CHECK(keep_unique(p, all, 0.025) == std::vector<int>{0, 3, 4});
  // In another order the survivors change with it.
  CHECK(keep_unique(p, {2, 1, 0, 3, 4}, 0.025) == std::vector<int>{2, 3, 4});
  // keep_distinct, in q order with 0.02 first: it drops 0.0 and 0.04, both within 0.025 of it. In index
  // order 0.0 drops 0.02, and 0.04 (0.04 from 0.0, the only point kept so far) stays: a dropped point
  // drops nothing, unlike the chained rule above.
  CHECK(keep_distinct(p, {1, 0, 2, 3, 4}, 0.025) == std::vector<int>{1, 3, 4});
  CHECK(keep_distinct(p, {0, 1, 2, 3, 4}, 0.025) == std::vector<int>{0, 2, 3, 4});  // 0.04 is 0.04 from 0: kept
  // 1.0 and 1.5 are 0.5 apart; 0 is 1.0 from its nearest: an outlier at tol 1.0.
  CHECK(drop_outliers(p, {0, 3, 4}, 1.0) == std::vector<int>{3, 4});
  CHECK(drop_outliers(p, {0}, 1.0) == std::vector<int>{0});
  Eigen::VectorXd q(5);
  q << 3e-5, 1e-7, 2e-6, 1e-9, 5e-4;
  CHECK(below_tolerance(q, 1e-5) == std::vector<int>{1, 2, 3});
  std::vector<int> order{0, 1, 2, 3, 4};
  sort_by_q(order, q);
  CHECK(order == std::vector<int>{3, 1, 2, 0, 4});
}

TEST_CASE("the relative outlier rule keeps separated points near visited states, drops far ones") {
  // Three fixed points 5 apart, each visited by a cloud of states; one point far from every state.
  RowMatD pts(4, 2), states(30, 2);
  pts << 0, 0, 5, 0, 0, 5, 100, 100;
  RngStream r(2, RngDomain::Task, 0);
  for (int k = 0; k < 30; ++k)
    for (int i = 0; i < 2; ++i) states(k, i) = pts(k % 3, i) + 0.3 * r.normal();
  // The tutorial's absolute rule at its default keeps none of the three.
  CHECK(drop_outliers(pts, {0, 1, 2}, 1.0).empty());
  CHECK(drop_far_from_states(pts, {0, 1, 2, 3}, states, 10.0, 2) == std::vector<int>{0, 1, 2});
  // Scale-free: the same picture 1000 times smaller or larger keeps the same points.
  for (double zoom : {1e-3, 1e3})
    CHECK(drop_far_from_states(RowMatD(pts * zoom), {0, 1, 2, 3}, RowMatD(states * zoom), 10.0, 1) ==
          std::vector<int>{0, 1, 2});
}

TEST_CASE("fixed points of every cell: q < 1e-12 when the cell is evaluated at them in double") {
  for (RnnSpec spec : test::every_cell(8, 2, 1)) {
    CAPTURE(spec_name(spec));
    RnnInit init{0.9, 1.0, 0.1};
    RnnModel m = init_rnn(spec, init, 11);
    Eigen::VectorXd x(2);
    x << 0.4, -0.2;
    RnnMap<double> map(m, x);
    const int D = map.dim();
    RowMatD cand(40, D);
    RngStream r(5, RngDomain::Task, 0);
    for (long k = 0; k < cand.rows(); ++k)
      for (int i = 0; i < D; ++i) cand(k, i) = 0.5 * r.normal();
    RowMatD pts = cand;
    refine_newton(map, pts, NewtonSettings{}, 2);
    int converged = 0;
    for (long k = 0; k < pts.rows(); ++k) {
      Eigen::VectorXd h = pts.row(k).transpose();
      // Independently of q_and_grad: one step of the cell from h.
      double q = (h - map.step(h, x)).squaredNorm() / D;
      converged += q < 1e-12;
    }
    CHECK(converged == pts.rows());
    // Every true fixed point lies in the range the cell declares for them.
    Eigen::VectorXd lo, hi;
    map.fixed_point_bounds(lo, hi);
    std::vector<int> all(size_t(pts.rows()));
    std::iota(all.begin(), all.end(), 0);
    CHECK(within_bounds(pts, all, lo, hi, 1e-9).size() == size_t(pts.rows()));
  }
}

TEST_CASE("the fixed-point range of each cell, and the filter that keeps points inside it") {
  for (RnnSpec spec : test::every_cell(3, 1, 1)) {
    CAPTURE(spec_name(spec));
    RnnMap<double> map(init_rnn(spec, RnnInit{}, 1), Eigen::VectorXd::Zero(1));
    Eigen::VectorXd lo, hi;
    map.fixed_point_bounds(lo, hi);
    const bool positive = spec.act != Activation::Tanh && (spec.cell == Cell::TorchRnn || spec.cell == Cell::Leaky);
    CHECK(lo(0) == (positive ? 0.0 : -1.0));
    CHECK(hi(0) == (positive ? HUGE_VAL : 1.0));
    if (spec.cell == Cell::Lstm) CHECK(std::isinf(hi(3)));  // c is unbounded
  }
  RowMatD pts(4, 2);
  pts << 0.5, -0.9, 1.2, 0, -1.0000001, 0.3, 0.2, -3;
  const Eigen::VectorXd lo = Eigen::VectorXd::Constant(2, -1), hi = Eigen::VectorXd::Constant(2, 1);
  CHECK(within_bounds(pts, {0, 1, 2, 3}, lo, hi, 1e-6) == std::vector<int>{0, 2});
  CHECK(within_bounds(pts, {3, 2, 0}, lo, hi, 0) == std::vector<int>{0});
}

TEST_CASE("the tutorial's Adam, step by step on a tiny system") {
  RnnModel m = test::vanilla_network(Eigen::MatrixXd::Constant(1, 1, 0.5), Eigen::VectorXd::Constant(1, 0.2), 0.3f);
  RnnMap<float> map(m, Eigen::VectorXd::Zero(1));
  RowMatD cand(2, 1);
  cand << 1.0, -1.0;
  AdamFpSettings s;
  s.max_steps = 1;
  s.opt_stop_tol = 0;
  AdamFpResult r = adam_minimize_q(map, cand, s);
  CHECK(r.steps == 1);
  // First step: m̂ = g, v̂ = g², so h ← h − lr·g/(|g| + eps) with lr = 0.2.
  for (int k = 0; k < 2; ++k) {
    double h = cand(k, 0), f = std::tanh(0.5 * h + 0.2);
    double g = 0.5 * 2 * (h - f) * (1 - 0.5 * (1 - f * f));  // weight 1/K = 0.5
    CHECK(r.points(k, 0) == doctest::Approx(h - 0.2 * g / (std::fabs(g) + 1e-5)).epsilon(1e-5));
  }
  // Run to convergence: the single fixed point of h = tanh(0.5h + 0.2).
  s.max_steps = 10000;
  s.opt_stop_tol = 1e-12;
  r = adam_minimize_q(map, cand, s);
  double hs = 0;
  for (int i = 0; i < 200; ++i) hs = std::tanh(0.5 * hs + 0.2);
  CHECK(r.steps % 200 == 0);  // stops only at a check
  CHECK(r.mean_q < 1e-12);
  CHECK(r.points(0, 0) == doctest::Approx(hs).epsilon(1e-4));
}
