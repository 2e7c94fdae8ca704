// The whole fixed-point search of find-fixed-points (docs/methods.md §3): pick
// candidates from a set of states, optimise them (Levenberg-Marquardt
// refinement, or the tutorial's joint Adam per tolerance), and apply the
// tutorial's filters — one group of points per tolerance.
#pragma once
#include <string>
#include <vector>

#include "fixedpoints/finder.hpp"
#include "fixedpoints/fp_file.hpp"

namespace ctd {

class OptionSet;

struct FixedPointSearch {
  std::string method = "newton";  // newton | adam
  std::vector<double> tols;       // empty: {1e-6}
  double opt_stop_tol = 0;        // adam: stop at this mean q (0: each tolerance, as the tutorial)
  double unique_tol = 0.025, noise_var = 0;
  std::string outlier_rule;  // relative | absolute ("": absolute with adam, as the tutorial; else relative)
  double outlier_tol = 1.0;    // absolute: drop points whose nearest other point is this far
  double outlier_scale = 10;   // relative: drop points this many spreads from every visited state (FixedPointFinder's scale)
  uint64_t max_candidates = 0;    // 0: every state
  uint64_t max_points = 0;        // keep at most this many, slowest first (0: all)
  // Points outside the cell's fixed-point range (RecurrentCell::fixed_point_bounds):
  // drop | keep ("": drop, but keep with adam, whose tutorial algorithm has no such rule).
  std::string out_of_range;
  int adam_steps_first = 0;       // newton: Adam steps before refining
  AdamFpSettings adam;
  NewtonSettings newton;
  std::vector<double> tolerances() const { return tols.empty() ? std::vector<double>{1e-6} : tols; }
};
// --method, --tol, --opt-stop-tol, --unique-tol, --outlier-rule,
// --outlier-tol, --outlier-scale, --noise-var, --max-candidates, the Adam
// and Newton settings.
void register_options(OptionSet& o, FixedPointSearch& s);

// Rows of `total` states to use as candidates: all, or `max` of them chosen at
// random (a partial Fisher-Yates shuffle from the seed's candidate stream).
std::vector<int64_t> choose_candidates(size_t total, uint64_t max, uint64_t seed);

// Group names for the tolerances: tol_1e-04, … with as many digits as it
// takes to tell them apart ("" for a single tolerance: the root).
std::vector<std::string> tolerance_groups(const std::vector<double>& tols);

struct FixedPointGroup {
  std::string name;  // "" = root
  double tol = 0;
  FixedPointSet set;
  size_t below = 0, in_range = 0, unique = 0;  // after the tolerance, range and uniqueness filters
  size_t outliers = 0;                         // dropped as outliers (then the cap on points: set.points)
  int adam_steps = -1;           // adam: steps taken; -1 for newton
  double seconds = 0;
};

struct FixedPointSearchResult {
  size_t candidates = 0;
  std::vector<FixedPointGroup> groups;
};

// Runs the search from `states` [K,N]. Progress, timing and what each filter
// dropped go to the log. Throws Error when a tolerance keeps no point.
FixedPointSearchResult find_fixed_points(const RnnModel& model, const Eigen::VectorXd& x_star, const RowMatD& states,
                                         const FixedPointSearch& s, uint64_t seed, int threads);

// The filters after optimisation: tolerance, uniqueness, outliers (relative
// to `visited`, the candidates before noise, or the tutorial's absolute
// rule), slowest first.
// The filters in order: q below tol, inside the cell's range [lo, hi] (with
// --out-of-range drop), unique, not an outlier; sorted slowest first and capped.
FixedPointGroup select_fixed_points(const RowMatD& pts, const Eigen::VectorXd& q, const std::vector<int64_t>& cand,
                                    double tol, const FixedPointSearch& s, const RowMatD& visited,
                                    const Eigen::VectorXd& lo, const Eigen::VectorXd& hi, int threads);

// Writes every group (fps, q, linearisation, tol, n_candidates, n_kept, …).
void write_search_result(H5File& out, const FixedPointSearchResult& r, const RnnMap<double>& map,
                         const Eigen::VectorXd& x_star, const LinearizationSettings& lin, int threads);

}  // namespace ctd
