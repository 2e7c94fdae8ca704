// Continuation of fixed points (docs/methods.md §3, "Continuation"): each
// fixed point of the network at the held input `from` is followed as the
// input moves along the straight path x(λ) = from + λ·(to − from), λ from 0
// to 1, by pseudo-arclength continuation of F(h, x(λ)) − h = 0 in (h, λ) —
// so a branch is followed through its folds, where λ turns back. Along each
// branch the Jacobian's eigenvalues μ give the stability, and an eigenvalue
// crossing the unit circle between two points is a bifurcation, located by
// bisection on the arclength: a fold (μ = +1 and λ turns), a branch point
// (μ = +1 without a turn: a pitchfork or transcritical point), a flip
// (μ = −1: period doubling) or a Neimark–Sacker point (a complex pair).
#pragma once
#include <Eigen/Core>
#include <string>
#include <vector>

#include "fixedpoints/rnn_map.hpp"
#include "io/matrix_io.hpp"

namespace ctd {

class OptionSet;

struct ContinuationSettings {
  double step = 0.02;        // the first arclength step in (h, λ)
  double max_step = 0.1;     // steps grow by 1.5 after an easy correction, up to this
  double min_step = 1e-8;    // a failed correction halves the step; below this the branch ends
  int max_points = 5000;     // points per branch
  int max_iter = 20;         // Newton iterations per correction
  double tol = 1e-10;        // a point: max |F(h, x(λ)) − h| below this
  double unique_tol = 1e-6;  // a start this close (RMS per value) to where an earlier branch met λ = 0 is on it
};
// --step, --max-step, --min-step, --max-points, --max-iter, --tol, --unique-tol.
void register_options(OptionSet& o, ContinuationSettings& s);

enum class Bifurcation { Fold = 1, BranchPoint = 2, Flip = 3, NeimarkSacker = 4 };
const char* bifurcation_name(Bifurcation b);

struct BifurcationPoint {
  Bifurcation kind = Bifurcation::Fold;
  double lambda = 0;
  Eigen::VectorXd h;
  long after = 0;  // the branch point it follows
};

struct Branch {
  long start = 0;                   // the row of the starting points
  std::vector<double> lambda;       // [S]
  RowMatD states;                   // [S,dim]
  std::vector<int> unstable;        // eigenvalues of modulus > 1, per point
  std::vector<double> max_modulus;  // the largest |μ|, per point
  std::vector<BifurcationPoint> bifurcations;
  std::string end;                  // why the branch ends
};

struct ContinuationResult {
  std::vector<Branch> branches;
  long not_fixed = 0;   // starts that are not fixed points at λ = 0 (Newton did not converge)
  long on_branch = 0;   // starts already on an earlier branch
};

ContinuationResult continue_fixed_points(const RnnMap<double>& map, const Eigen::VectorXd& from,
                                         const Eigen::VectorXd& to, const RowMatD& starts,
                                         const ContinuationSettings& s);

}  // namespace ctd
