#include "fixedpoints/search.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <set>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, FixedPointSearch& s) {
  o.group("Search");
  o.add("method", s.method,
        "newton: Levenberg-Marquardt on h - F(h) in double (fast, converged to q ~ 1e-20 at true fixed points); "
        "adam: the tutorial's joint Adam on the mean q").one_of({"newton", "adam"});
  o.add("tol", s.tols, "Keep points with q below this; repeat (or comma-separate) to sweep several into groups "
                       "tol_<value>").min(0, true).shows("1e-6");
  o.add("opt-stop-tol", s.opt_stop_tol, "adam: stop when the mean q falls below this (0: each --tol, as the tutorial)")
      .non_negative();
  o.add("unique-tol", s.unique_tol, "Drop later points closer than this to an earlier one").non_negative();
  o.add("outlier-rule", s.outlier_rule,
        "relative: drop points more than --outlier-scale spreads from every candidate state (spread: the "
        "candidates' mean distance from their centroid); absolute: the tutorial's rule, drop points whose nearest "
        "other point is at least --outlier-tol away").one_of({"", "relative", "absolute"})
      .shows("relative; absolute with --method adam");
  o.add("outlier-tol", s.outlier_tol, "absolute rule: the distance").positive();
  o.add("outlier-scale", s.outlier_scale, "relative rule: the distance in spreads").positive();
  o.add("noise-var", s.noise_var, "Variance of Gaussian noise added to the candidates").range(0, 1e6);
  o.add("max-candidates", s.max_candidates, "Use a random subset of this many candidates (0: all)");
  o.add("max-points", s.max_points, "Keep at most this many points, the slowest (0: all)");
  o.add("out-of-range", s.out_of_range,
        "drop: drop points outside the range a fixed point of the cell can have (|h| <= 1 for tanh units and "
        "GRUs, h >= 0 for relu and softplus: outside it q ~ 0 marks a saturated slow point); keep: keep them")
      .one_of({"", "drop", "keep"}).shows("drop; keep with --method adam");
  o.group("Optimisers");
  o.add("max-steps", s.adam.max_steps, "adam: most steps").non_negative();
  o.add("adam-lr", s.adam.lr, "adam: learning rate (decays as lr*decay^step)").positive();
  o.add("adam-lr-decay", s.adam.lr_decay, "adam: learning-rate decay per step").range(0, 1).min(0, true);
  o.add("adam-b1", s.adam.b1, "adam: b1").range(0, 1).max(1, true);
  o.add("adam-b2", s.adam.b2, "adam: b2").range(0, 1).max(1, true);
  o.add("adam-eps", s.adam.eps, "adam: eps").positive();
  o.add("adam-steps", s.adam_steps_first, "newton: Adam steps before refining (0: refine the candidates directly)")
      .non_negative();
  o.add("newton-iterations", s.newton.max_iterations, "newton: most iterations per point").min(1);
}

std::vector<int64_t> choose_candidates(size_t total, uint64_t max, uint64_t seed) {
  std::vector<int64_t> index(total);
  std::iota(index.begin(), index.end(), 0);
  if (max == 0 || max >= total) return index;
  RngStream rng(seed, RngDomain::Candidates, 1ull << 40);
  partial_shuffle(index, max, rng);
  return index;
}

std::vector<std::string> tolerance_groups(const std::vector<double>& tols) {
  if (tols.size() == 1) return {""};
  for (int digits = 0;; ++digits) {
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (double t : tols) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "tol_%.*e", digits, t);
      names.push_back(buf);
      seen.insert(buf);
    }
    if (seen.size() == names.size() || digits >= 16) return names;
  }
}

FixedPointGroup select_fixed_points(const RowMatD& pts, const Eigen::VectorXd& q, const std::vector<int64_t>& cand,
                                    double tol, const FixedPointSearch& s, const RowMatD& visited,
                                    const Eigen::VectorXd& lo, const Eigen::VectorXd& hi, int threads) {
  FixedPointGroup g;
  g.tol = tol;
  std::vector<int> keep = below_tolerance(q, tol);
  g.below = keep.size();
  // Rounding may put a point a hair past the range's edge (a saturated unit at ±1).
  if (s.out_of_range != "keep") keep = within_bounds(pts, keep, lo, hi, 1e-6);
  g.in_range = keep.size();
  // Of near-duplicates the lowest q stays; the tutorial's Adam keeps its rule (candidate order, chained).
  if (s.method == "adam") {
    keep = keep_unique(pts, keep, s.unique_tol);
  } else {
    sort_by_q(keep, q);
    keep = keep_distinct(pts, keep, s.unique_tol);
  }
  g.unique = keep.size();
  keep = s.outlier_rule == "absolute" ? drop_outliers(pts, keep, s.outlier_tol)
                                      : drop_far_from_states(pts, keep, visited, s.outlier_scale, threads);
  g.outliers = g.unique - keep.size();
  sort_by_q(keep, q);
  if (s.max_points > 0 && keep.size() > s.max_points) keep.resize(size_t(s.max_points));
  FixedPointSet& set = g.set;
  set.points.resize(long(keep.size()), pts.cols());
  set.q.resize(long(keep.size()));
  for (size_t i = 0; i < keep.size(); ++i) {
    set.points.row(long(i)) = pts.row(keep[i]);
    set.q(long(i)) = q(keep[i]);
    set.candidate.push_back(cand[size_t(keep[i])]);
  }
  return g;
}

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median(const Eigen::VectorXd& q) {
  std::vector<double> v(q.data(), q.data() + q.size());
  std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
  return v[v.size() / 2];
}
}  // namespace

FixedPointSearchResult find_fixed_points(const RnnModel& model, const Eigen::VectorXd& x_star, const RowMatD& states,
                                         const FixedPointSearch& search, uint64_t seed, int threads) {
  FixedPointSearch s = search;
  if (s.outlier_rule.empty()) s.outlier_rule = s.method == "adam" ? "absolute" : "relative";
  if (s.out_of_range.empty()) s.out_of_range = s.method == "adam" ? "keep" : "drop";
  const std::vector<int64_t> index = choose_candidates(size_t(states.rows()), s.max_candidates, seed);
  RowMatD cand(long(index.size()), states.cols());
  for (size_t i = 0; i < index.size(); ++i) cand.row(long(i)) = states.row(long(index[i]));
  const RowMatD visited = cand;
  add_candidate_noise(cand, s.noise_var, seed);
  log_info(std::to_string(cand.rows()) + " candidates, method " + s.method);

  RnnMap<float> map_f(model, x_star);
  RnnMap<double> map_d(model, x_star);
  Eigen::VectorXd lo, hi;
  map_d.fixed_point_bounds(lo, hi);
  Progress progress;
  auto adam_progress = [&](int step, double mean_q) {
    progress.update("adam step " + std::to_string(step) + "  mean q " + fmt("%.3e", mean_q), uint64_t(step),
                    uint64_t(s.adam.max_steps));
  };
  // newton: one refinement serves every tolerance.
  RowMatD refined;
  Eigen::VectorXd refined_q;
  if (s.method == "newton") {
    auto t0 = Clock::now();
    refined = cand;
    if (s.adam_steps_first > 0) {
      AdamFpSettings a = s.adam;
      a.max_steps = s.adam_steps_first;
      a.opt_stop_tol = 0;
      refined = adam_minimize_q(map_f, cand, a, adam_progress, threads).points;
    }
    refined_q = refine_newton(map_d, refined, s.newton, threads);
    log_info("refined " + std::to_string(refined.rows()) + " points in " + fmt("%.2f", seconds_since(t0)) +
             " s; median q " + fmt("%.2e", median(refined_q)));
  }
  FixedPointSearchResult result;
  result.candidates = size_t(cand.rows());
  const std::vector<double> tols = s.tolerances();
  const std::vector<std::string> names = tolerance_groups(tols);
  for (size_t i = 0; i < tols.size(); ++i) {
    auto t0 = Clock::now();
    const double tol = tols[i];
    int steps = -1;
    if (s.method == "adam") {
      AdamFpSettings a = s.adam;
      a.opt_stop_tol = s.opt_stop_tol > 0 ? s.opt_stop_tol : tol;
      AdamFpResult r = adam_minimize_q(map_f, cand, a, adam_progress, threads);
      refined = r.points;
      refined_q = q_values(map_d, refined);
      steps = r.steps;
    }
    FixedPointGroup g = select_fixed_points(refined, refined_q, index, tol, s, visited, lo, hi, threads);
    g.name = names[i];
    g.adam_steps = steps;
    g.seconds = seconds_since(t0);
    const size_t kept = size_t(g.set.points.rows());
    const size_t capped = g.unique - g.outliers - kept;
    const std::string counts = std::to_string(result.candidates) + " candidates: " +
                               std::to_string(result.candidates - g.below) + " dropped by q >= " + fmt("%g", tol) +
                               ", " + std::to_string(g.below - g.in_range) + " outside the cell's range, " +
                               std::to_string(g.in_range - g.unique) + " as duplicates, " +
                               std::to_string(g.outliers) + " as " + s.outlier_rule + " outliers" +
                               (capped ? ", " + std::to_string(capped) + " beyond --max-points" : "");
    log_info((g.name.empty() ? "" : g.name + ": ") + std::to_string(kept) + " kept of " + counts +
             (steps >= 0 ? " after " + std::to_string(steps) + " Adam steps" : "") + " (" + fmt("%.2f", g.seconds) +
             " s)");
    if (kept == 0)
      throw Error("no fixed point kept" + (g.name.empty() ? "" : " in " + g.name) + " (" + counts +
                  "); try a larger --tol, more candidates, " +
                  (g.below > 0 && g.in_range == 0 ? std::string("--out-of-range keep (to see the slow points), ") : "") +
                  "or " +
                  (s.outlier_rule == "absolute"
                       ? "a larger --outlier-tol, or --outlier-rule relative (distance to the candidate states, not "
                         "between the points: points far apart, as a flip-flop's memories, are no outliers)"
                       : "a larger --outlier-scale"));
    if (s.outlier_rule == "absolute" && 2 * g.outliers > g.unique)
      log_warning((g.name.empty() ? "" : g.name + ": ") + "the absolute outlier rule dropped " +
                  std::to_string(g.outliers) + " of " + std::to_string(g.unique) + " unique points (each more than " +
                  fmt("%g", s.outlier_tol) + " from every other point); if they are real, --outlier-rule relative keeps them");
    result.groups.push_back(std::move(g));
  }
  return result;
}

void write_search_result(H5File& out, const FixedPointSearchResult& r, const RnnMap<double>& map,
                         const Eigen::VectorXd& x_star, const LinearizationSettings& lin, int threads) {
  for (const FixedPointGroup& g : r.groups) {
    write_fixed_points(out, g.name, g.set, map, x_star, lin, threads);
    const std::string obj = g.name.empty() ? "/" : g.name;
    out.write_attribute("tol", g.tol, obj);
    out.write_attribute("n_candidates", int64_t(r.candidates), obj);
    out.write_attribute("n_below_tol", int64_t(g.below), obj);
    out.write_attribute("n_in_range", int64_t(g.in_range), obj);
    out.write_attribute("n_unique", int64_t(g.unique), obj);
    out.write_attribute("n_kept", int64_t(g.set.points.rows()), obj);
    if (g.adam_steps >= 0) out.write_attribute("adam_steps_taken", int64_t(g.adam_steps), obj);
  }
}

}  // namespace ctd
