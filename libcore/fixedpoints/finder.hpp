// Finding fixed and slow points of F(h) = rnn_step(h, x*) (docs/methods.md §3).
//  - adam_minimize_q: the tutorial's optimiser, exactly: all candidates
//    jointly, Adam on the mean of q, stop checks every 200 steps.
//  - refine_newton: Levenberg–Marquardt on r(h) = h − F(h) with the analytic
//    Jacobian in double precision, each point on its own: points converge to
//    the nearest true fixed point (q → 1e-20) or the bottom of a slow valley.
//  - the filters: tolerance, uniqueness in index order (a dropped point still
//    drops later ones), outliers (the tutorial's absolute rule, or relative
//    to the spread of the visited states), slowest first.
#pragma once
#include <Eigen/Core>
#include <complex>
#include <cstdint>
#include <functional>
#include <vector>

#include "fixedpoints/rnn_map.hpp"
#include "io/dataset_ref.hpp"

namespace ctd {


struct AdamFpSettings {
  int max_steps = 10000;
  double lr = 0.2, lr_decay = 0.9999;
  double b1 = 0.9, b2 = 0.999, eps = 1e-5;
  double opt_stop_tol = 1e-6;  // stop when the mean q falls below (checked every 200 steps)
};

struct AdamFpResult {
  RowMatD points;
  Eigen::VectorXd q;
  int steps = 0;
  double mean_q = 0;
};

// Progress callback: (step, mean q).
using FpProgress = std::function<void(int, double)>;

AdamFpResult adam_minimize_q(const RnnMap<float>& map, const RowMatD& candidates, const AdamFpSettings& s,
                             const FpProgress& progress = nullptr, int threads = 1);

struct NewtonSettings {
  int max_iterations = 100;
  double q_target = 1e-24;  // stop a point once its q is below this
  // Stop a point after this many steps in a row that did not halve q: it sits
  // in a slow valley (a slow point), where further steps only creep.
  int stall_steps = 3;
};

// Refines every row of `points` in place; returns q per point.
Eigen::VectorXd refine_newton(const RnnMap<double>& map, RowMatD& points, const NewtonSettings& s, int threads);

// q of every row, in double.
Eigen::VectorXd q_values(const RnnMap<double>& map, const RowMatD& points);

// Indices (into `order`) that the tutorial's filters keep.
std::vector<int> below_tolerance(const Eigen::VectorXd& q, double tol);
// In the given order, every point drops all later points closer than tol —
// whether or not it was itself dropped (the tutorial's rule).
std::vector<int> keep_unique(const RowMatD& points, const std::vector<int>& order, double tol);
// In the given order (lowest q first), each point is kept unless it lies
// closer than tol to a point already kept: of near-duplicates the first stays,
// and a dropped point drops nothing.
std::vector<int> keep_distinct(const RowMatD& points, const std::vector<int>& order, double tol);
// Keeps the points inside the box [lo − margin, hi + margin] in every value
// (the cell's fixed-point range: outside it q ≈ 0 marks a saturated slow point).
std::vector<int> within_bounds(const RowMatD& points, const std::vector<int>& order, const Eigen::VectorXd& lo,
                               const Eigen::VectorXd& hi, double margin);
// The tutorial's rule: drops points whose nearest other point is at least tol
// away (with one point there is no other: it is kept).
std::vector<int> drop_outliers(const RowMatD& points, const std::vector<int>& order, double tol);
// The scale-relative rule: drops points farther than scale·spread from the
// nearest visited state, where spread is the states' mean distance from
// their centroid (FixedPointFinder's yardstick). Does not depend on how many
// points there are or how far apart they lie.
std::vector<int> drop_far_from_states(const RowMatD& points, const std::vector<int>& order, const RowMatD& states,
                                      double scale, int threads);
void sort_by_q(std::vector<int>& order, const Eigen::VectorXd& q);

// Gaussian noise of variance `var` on every candidate, from its own stream.
void add_candidate_noise(RowMatD& candidates, double var, uint64_t seed);

// ---- linear analysis ---------------------------------------------------------
enum class EigSort { Real, Magnitude };
enum Stability : int8_t { kStable = 0, kMarginal = 1, kUnstable = 2 };

struct Linearization {
  Eigen::MatrixXcd eigvals;                 // [K,N], sorted descending
  std::vector<Eigen::MatrixXcd> right, left;  // per point [N,N], columns; left = pinv(right)ᵀ
  std::vector<int8_t> stability;            // by the largest |λ|: < 1−tol, within 1±tol, > 1+tol
};

Linearization linearize_points(const RnnMap<double>& map, const RowMatD& points, EigSort sort, bool eigvecs,
                               double stability_tol, int threads);

}  // namespace ctd
