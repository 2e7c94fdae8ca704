// find-fixed-points: fixed and slow points of a trained RNN with its input
// held fixed, and their linearisation (SPEC.md §3, "Opening the black box").
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "cli/tool.hpp"
#include "fixedpoints/fp_file.hpp"
#include "io/output.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/rng.hpp"
#include "util/threads.hpp"

namespace {

using ctd::fmt;

// The tutorial's filters after optimisation: tolerance, uniqueness, outliers, slowest first.
ctd::FixedPointSet select(const ctd::RowMatD& pts, const Eigen::VectorXd& q, const std::vector<int64_t>& cand,
                          double tol, double unique_tol, double outlier_tol, std::string& summary) {
  std::vector<int> keep = ctd::below_tolerance(q, tol);
  const size_t below = keep.size();
  keep = ctd::keep_unique(pts, keep, unique_tol);
  const size_t unique = keep.size();
  keep = ctd::drop_outliers(pts, keep, outlier_tol);
  ctd::sort_by_q(keep, q);
  summary = std::to_string(below) + " with q < " + fmt("%g", tol) + ", " + std::to_string(unique) + " unique, " +
            std::to_string(keep.size()) + " kept";
  ctd::FixedPointSet s;
  s.points.resize(long(keep.size()), pts.cols());
  s.q.resize(long(keep.size()));
  for (size_t i = 0; i < keep.size(); ++i) {
    s.points.row(long(i)) = pts.row(keep[i]);
    s.q(long(i)) = q(keep[i]);
    s.candidate.push_back(cand[size_t(keep[i])]);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  ctd::Tool tool("find-fixed-points",
                 "Find the fixed and slow points of a trained RNN (input held at x*) from candidate states, and "
                 "linearise the map there. Default method: Levenberg-Marquardt refinement in double precision; "
                 "--method adam is the tutorial's algorithm exactly.",
                 "find-fixed-points -p decision_params.h5 -i states.h5 --max-candidates 10000 -o fps.h5");
  auto& app = tool.app();
  std::vector<double> tols;
  double opt_stop_tol = -1, unique_tol = 0.025, outlier_tol = 1.0, noise_var = 0, stability_tol = 1e-4;
  std::string x_star_text, method = "newton", sort = "real";
  size_t max_candidates = 0;
  ctd::AdamFpSettings adam;
  ctd::NewtonSettings newton;
  int adam_steps_first = 0;
  ctd::LinearOutputs lo;
  tool.add_params("Parameter file of the network")->required();
  tool.add_input("Candidates: a states file (its hiddens) or FILE:DATASET ([K,N] or [B,T,N])")->required();
  tool.add_output("Output fixed-points file")->required();
  app.add_option("--method", method,
                 "newton: Levenberg-Marquardt on h - F(h) in double (fast, converged to q ~ 1e-20 at true fixed "
                 "points); adam: the tutorial's joint Adam on the mean q")
      ->check(CLI::IsMember({"newton", "adam"}));
  app.add_option("--tol", tols, "Keep points with q below this; repeat to sweep several into groups tol_<value> (default 1e-6)");
  app.add_option("--opt-stop-tol", opt_stop_tol, "Adam stops when the mean q falls below this (default: each --tol, as the tutorial)");
  app.add_option("--unique-tol", unique_tol, "Drop later points closer than this to an earlier one")->check(CLI::NonNegativeNumber);
  app.add_option("--outlier-tol", outlier_tol, "Drop points whose nearest other point is at least this far")
      ->check(CLI::PositiveNumber);
  app.add_option("--noise-var", noise_var, "Variance of Gaussian noise added to the candidates")->check(CLI::NonNegativeNumber);
  app.add_option("--x-star", x_star_text, "The held input, comma-separated U values (default zeros)");
  app.add_option("--max-candidates", max_candidates, "Use a random subset of this many candidates (0: all)");
  app.add_option("--max-steps", adam.max_steps, "Adam: most steps")->check(CLI::NonNegativeNumber);
  app.add_option("--adam-lr", adam.lr, "Adam: learning rate (decays as lr*decay^step)")->check(CLI::PositiveNumber);
  app.add_option("--adam-lr-decay", adam.lr_decay, "Adam: learning-rate decay per step")->check(CLI::Range(0.0, 1.0));
  app.add_option("--adam-b1", adam.b1, "Adam: b1")->check(CLI::Range(0.0, 1.0));
  app.add_option("--adam-b2", adam.b2, "Adam: b2")->check(CLI::Range(0.0, 1.0));
  app.add_option("--adam-eps", adam.eps, "Adam: eps")->check(CLI::PositiveNumber);
  app.add_option("--adam-steps", adam_steps_first, "newton: Adam steps before refining (0: refine the candidates directly)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--newton-iterations", newton.max_iterations, "newton: most iterations per point")->check(CLI::PositiveNumber);
  app.add_option("--eig-sort", sort, "Sort eigenvalues by real part or magnitude (descending)")
      ->check(CLI::IsMember({"real", "magnitude"}));
  app.add_option("--stability-tol", stability_tol, "Largest |eigenvalue| within 1 +- this is 'marginal'")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--jacobians", lo.jacobians, "Also write dF/dh [K,N,N] and dF/dx [K,N,U]");
  app.add_flag("--eigvecs", lo.eigvecs, "Also write right and left eigenvectors [K,N,N] (left = pinv(right)^T)");

  return tool.run(argc, argv, [&] {
    if (tols.empty()) tols = {1e-6};
    for (double t : tols)
      if (!(t > 0)) throw ctd::UsageError("--tol must be positive");
    ctd::OutputFile out(tool.output);
    ctd::RnnModel model = ctd::read_rnn_params(ctd::H5File::open(tool.params));
    const int N = model.spec.N;
    Eigen::VectorXd x_star = ctd::parse_vector(x_star_text, model.spec.U, "--x-star");
    std::string history;
    ctd::RowMatD all = ctd::read_states(tool.input, N, &history);

    // Candidates: all, or a random subset (partial Fisher-Yates, seeded).
    std::vector<int64_t> index(size_t(all.rows()));
    std::iota(index.begin(), index.end(), 0);
    if (max_candidates > 0 && max_candidates < index.size()) {
      ctd::RngStream rng(tool.seed, ctd::RngDomain::Candidates, 1ull << 40);
      for (size_t i = 0; i < max_candidates; ++i) {
        size_t j = i + std::min(index.size() - i - 1, size_t(rng.uniform() * double(index.size() - i)));
        std::swap(index[i], index[j]);
      }
      index.resize(max_candidates);
    }
    ctd::RowMatD cand(long(index.size()), N);
    for (size_t i = 0; i < index.size(); ++i) cand.row(long(i)) = all.row(long(index[i]));
    ctd::add_candidate_noise(cand, noise_var, tool.seed);
    ctd::log_info(std::to_string(cand.rows()) + " candidates, method " + method);

    ctd::RnnMap<float> map_f(model, x_star);
    ctd::RnnMap<double> map_d(model, x_star);
    lo.sort = sort == "real" ? ctd::EigSort::Real : ctd::EigSort::Magnitude;
    lo.stability_tol = stability_tol;
    lo.threads = ctd::thread_count();
    ctd::H5File& h5 = out.h5();
    ctd::Progress progress;
    auto adam_progress = [&](int step, double mean_q) {
      progress.update("adam step " + std::to_string(step) + "  mean q " + fmt("%.3e", mean_q));
    };
    using Clock = std::chrono::steady_clock;

    // newton: one refinement serves every tolerance.
    ctd::RowMatD refined;
    Eigen::VectorXd refined_q;
    if (method == "newton") {
      auto t0 = Clock::now();
      refined = cand;
      if (adam_steps_first > 0) {
        ctd::AdamFpSettings a = adam;
        a.max_steps = adam_steps_first;
        a.opt_stop_tol = 0;
        refined = ctd::adam_minimize_q(map_f, cand, a, adam_progress, lo.threads).points;
      }
      refined_q = ctd::refine_newton(map_d, refined, newton, lo.threads);
      ctd::log_info("refined " + std::to_string(refined.rows()) + " points in " +
                    fmt("%.2f", std::chrono::duration<double>(Clock::now() - t0).count()) + " s; median q " +
                    [&] {
                      std::vector<double> v(refined_q.data(), refined_q.data() + refined_q.size());
                      std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
                      return fmt("%.2e", v[v.size() / 2]);
                    }());
    }
    for (double tol : tols) {
      auto t0 = Clock::now();
      ctd::RowMatD pts;
      Eigen::VectorXd q;
      int steps = 0;
      if (method == "adam") {
        ctd::AdamFpSettings a = adam;
        a.opt_stop_tol = opt_stop_tol > 0 ? opt_stop_tol : tol;
        ctd::AdamFpResult r = ctd::adam_minimize_q(map_f, cand, a, adam_progress, lo.threads);
        pts = r.points;
        q = ctd::q_values(map_d, pts);
        steps = r.steps;
      } else {
        pts = refined;
        q = refined_q;
      }
      std::string summary;
      ctd::FixedPointSet set = select(pts, q, index, tol, unique_tol, outlier_tol, summary);
      const std::string group = tols.size() == 1 ? "" : "tol_" + fmt("%.0e", tol);
      ctd::write_fixed_points(h5, group, set, map_d, x_star, lo);
      const std::string obj = group.empty() ? "/" : group;
      h5.write_attribute("tol", tol, obj);
      h5.write_attribute("n_candidates", int64_t(cand.rows()), obj);
      h5.write_attribute("n_kept", int64_t(set.points.rows()), obj);
      if (method == "adam") h5.write_attribute("adam_steps_taken", int64_t(steps), obj);
      ctd::log_info((group.empty() ? "" : group + ": ") + summary +
                    (method == "adam" ? " after " + std::to_string(steps) + " Adam steps" : "") + " (" +
                    fmt("%.2f", std::chrono::duration<double>(Clock::now() - t0).count()) + " s)");
    }
    ctd::write_provenance(h5, "fixed-points", tool.run_info(), history);
    h5.write_attribute("params_file", tool.params);
    out.commit();
  });
}
