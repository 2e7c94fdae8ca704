#include "fixedpoints/continuation.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <cmath>

#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, ContinuationSettings& s) {
  o.group("Continuation");
  o.add("step", s.step, "First arclength step in (h, lambda)").positive();
  o.add("max-step", s.max_step, "Largest arclength step (steps grow by 1.5 after an easy correction)").positive();
  o.add("min-step", s.min_step, "A failed correction halves the step; below this the branch ends").positive();
  o.add("max-points", s.max_points, "Most points per branch").min(2);
  o.add("max-iter", s.max_iter, "Newton iterations per correction").min(1);
  o.add("tol", s.tol, "A point of a branch: max |F(h, x(lambda)) - h| below this").positive();
  o.add("unique-tol", s.unique_tol,
        "A start this close (RMS per value) to where an earlier branch met lambda = 0 lies on that branch")
      .positive();
}

const char* bifurcation_name(Bifurcation b) {
  switch (b) {
    case Bifurcation::Fold: return "fold";
    case Bifurcation::BranchPoint: return "branch-point";
    case Bifurcation::Flip: return "flip";
    case Bifurcation::NeimarkSacker: return "neimark-sacker";
  }
  return "";
}

namespace {
using Vec = Eigen::VectorXd;
using Mat = RowMatD;

// Eigenvalues outside the unit circle, by where they cross it: +1, −1, or as a complex pair.
struct Stability {
  int above_one = 0, below_minus_one = 0, complex = 0;
  double max_modulus = 0;
  int unstable() const { return above_one + below_minus_one + complex; }
};

Stability stability(const Mat& J) {
  Stability s;
  const Eigen::VectorXcd mu = Eigen::EigenSolver<Mat>(J, false).eigenvalues();
  for (const std::complex<double>& m : mu) {
    s.max_modulus = std::max(s.max_modulus, std::abs(m));
    if (std::abs(m) <= 1) continue;
    if (std::fabs(m.imag()) > 1e-9 * std::abs(m)) ++s.complex;
    else if (m.real() > 0) ++s.above_one;
    else ++s.below_minus_one;
  }
  return s;
}

// G(y) = F(h, x(λ)) − h over y = (h, λ), and its Jacobian [dim, dim+1].
class Path {
 public:
  Path(const RnnMap<double>& map, const Vec& from, const Vec& to) : map_(map), from_(from), dir_(to - from) {}
  long n() const { return map_.dim(); }
  Vec x(double lambda) const { return from_ + lambda * dir_; }
  Vec residual(const Vec& y) const { return map_.step(y.head(n()), x(y(n()))) - y.head(n()); }
  void jacobian(const Vec& y, Mat& DG, Mat& J) const {
    Mat Jx;
    map_.jacobians_at(y.head(n()), x(y(n())), J, Jx);
    DG.resize(n(), n() + 1);
    DG.leftCols(n()) = J - Mat::Identity(n(), n());
    DG.col(n()) = Jx * dir_;
  }

 private:
  const RnnMap<double>& map_;
  Vec from_, dir_;
};

// The unit null vector of DG, oriented along `prev` (its dot product with prev is positive).
Vec tangent(const Mat& DG, const Vec& prev) {
  const long n = DG.rows();
  Mat A(n + 1, n + 1);
  A.topRows(n) = DG;
  A.row(n) = prev.transpose();
  Vec b = Vec::Zero(n + 1);
  b(n) = 1;
  const Vec t = A.fullPivLu().solve(b);
  return t / t.norm();
}

// Newton on G(y) = 0 within the hyperplane through `predicted` normal to t;
// iterations taken, or −1 when it does not converge.
int correct(const Path& p, Vec& y, const Vec& predicted, const Vec& t, const ContinuationSettings& s) {
  const long n = p.n();
  Mat DG, J, A(n + 1, n + 1);
  for (int it = 0; it <= s.max_iter; ++it) {
    const Vec G = p.residual(y);
    if (!G.allFinite()) return -1;
    if (G.cwiseAbs().maxCoeff() < s.tol) return it;
    if (it == s.max_iter) break;
    p.jacobian(y, DG, J);
    A.topRows(n) = DG;
    A.row(n) = t.transpose();
    Vec rhs(n + 1);
    rhs.head(n) = -G;
    rhs(n) = -t.dot(y - predicted);
    y += A.fullPivLu().solve(rhs);
  }
  return -1;
}

// Newton on h alone at a fixed λ (a start, and a branch's last point at λ = 0 or 1).
bool correct_at(const Path& p, Vec& y, const ContinuationSettings& s) {
  Mat DG, J;
  for (int it = 0; it <= s.max_iter; ++it) {
    const Vec G = p.residual(y);
    if (!G.allFinite()) return false;
    if (G.cwiseAbs().maxCoeff() < s.tol) return true;
    p.jacobian(y, DG, J);
    y.head(p.n()) += DG.leftCols(p.n()).fullPivLu().solve(-G);
  }
  return false;
}

// A point of the branch with what the detection needs.
struct Point {
  Vec y, t;
  Stability st;
};

// The quantity whose change marks a bifurcation of this kind between two points.
int indicator(Bifurcation kind, const Point& q) {
  switch (kind) {
    case Bifurcation::Fold: return q.t(q.t.size() - 1) > 0 ? 1 : -1;
    case Bifurcation::BranchPoint: return q.st.above_one;
    case Bifurcation::Flip: return q.st.below_minus_one;
    case Bifurcation::NeimarkSacker: return q.st.complex;
  }
  return 0;
}

bool corrected_point(const Path& p, const Point& from, double ds, const ContinuationSettings& s, Point& out, int* iters) {
  const Vec predicted = from.y + ds * from.t;
  out.y = predicted;
  const int it = correct(p, out.y, predicted, from.t, s);
  if (it < 0) return false;
  if (iters) *iters = it;
  Mat DG, J;
  p.jacobian(out.y, DG, J);
  out.t = tangent(DG, from.t);
  out.st = stability(J);
  return true;
}

// Bisection on the arclength from a (where the indicator has a's value) to ds
// (where it has changed): the point just past the change.
Point locate(const Path& p, const Point& a, const Point& b, double ds, Bifurcation kind, const ContinuationSettings& s) {
  const int before = indicator(kind, a);
  double lo = 0, hi = ds;
  Point past = b, mid;
  for (int k = 0; k < 60 && hi - lo > 1e-12 * std::max(1.0, ds); ++k) {
    const double m = 0.5 * (lo + hi);
    if (!corrected_point(p, a, m, s, mid, nullptr)) break;
    if (indicator(kind, mid) == before) lo = m;
    else hi = m, past = mid;
  }
  return past;
}

void detect(const Path& p, const Point& a, const Point& b, double ds, long after, const ContinuationSettings& s,
            Branch& branch) {
  const long n = p.n();
  auto add = [&](Bifurcation kind) {
    const Point at = locate(p, a, b, ds, kind, s);
    if (at.y(n) < 0 || at.y(n) > 1) return;
    branch.bifurcations.push_back({kind, at.y(n), at.y.head(n), after});
  };
  const bool turned = indicator(Bifurcation::Fold, a) != indicator(Bifurcation::Fold, b);
  if (turned) add(Bifurcation::Fold);
  else if (a.st.above_one != b.st.above_one) add(Bifurcation::BranchPoint);
  if (a.st.below_minus_one != b.st.below_minus_one) add(Bifurcation::Flip);
  if (a.st.complex != b.st.complex) add(Bifurcation::NeimarkSacker);
}

void append(Branch& b, const Vec& y, const Stability& st) {
  const long n = y.size() - 1;
  b.lambda.push_back(y(n));
  b.states.conservativeResize(b.states.rows() + 1, n);
  b.states.row(b.states.rows() - 1) = y.head(n).transpose();
  b.unstable.push_back(st.unstable());
  b.max_modulus.push_back(st.max_modulus);
}

// Follows one branch from a fixed point y at λ = 0.
Branch follow(const Path& p, const Vec& y0, const ContinuationSettings& s) {
  const long n = p.n();
  Branch branch;
  Point cur;
  cur.y = y0;
  Mat DG, J;
  p.jacobian(cur.y, DG, J);
  cur.t = tangent(DG, Vec::Unit(n + 1, n));  // towards growing λ
  cur.st = stability(J);
  append(branch, cur.y, cur.st);
  double ds = s.step;
  while (true) {
    if (long(branch.lambda.size()) >= s.max_points) {
      branch.end = "the most points (--max-points)";
      break;
    }
    Point next;
    int iters = 0;
    if (!corrected_point(p, cur, ds, s, next, &iters)) {
      ds /= 2;
      if (ds < s.min_step) {
        branch.end = "no correction converged above --min-step";
        break;
      }
      continue;
    }
    detect(p, cur, next, ds, long(branch.lambda.size()) - 1, s, branch);
    const double l0 = cur.y(n), l1 = next.y(n);
    if (l1 > 1 || l1 < 0) {  // the last point lands on the end of the path
      const double target = l1 > 1 ? 1 : 0;
      Vec y = cur.y + (target - l0) / (l1 - l0) * (next.y - cur.y);
      y(n) = target;
      if (correct_at(p, y, s)) {
        p.jacobian(y, DG, J);
        append(branch, y, stability(J));
      }
      branch.end = target == 1 ? "reached lambda = 1" : "returned to lambda = 0";
      break;
    }
    append(branch, next.y, next.st);
    cur = next;
    if (iters <= 3) ds = std::min(1.5 * ds, s.max_step);
  }
  return branch;
}
}  // namespace

ContinuationResult continue_fixed_points(const RnnMap<double>& map, const Eigen::VectorXd& from,
                                         const Eigen::VectorXd& to, const RowMatD& starts,
                                         const ContinuationSettings& s) {
  const Path p(map, from, to);
  const long n = p.n();
  ContinuationResult r;
  std::vector<Vec> at_zero;  // where earlier branches met λ = 0
  for (long k = 0; k < starts.rows(); ++k) {
    Vec y(n + 1);
    y.head(n) = starts.row(k).transpose();
    y(n) = 0;
    if (!correct_at(p, y, s)) {
      ++r.not_fixed;
      continue;
    }
    bool seen = false;
    for (const Vec& z : at_zero) seen = seen || (z - y.head(n)).norm() / std::sqrt(double(n)) < s.unique_tol;
    if (seen) {
      ++r.on_branch;
      continue;
    }
    Branch b = follow(p, y, s);
    b.start = k;
    at_zero.push_back(b.states.row(0).transpose());
    if (b.lambda.back() == 0 && b.lambda.size() > 1) at_zero.push_back(b.states.bottomRows(1).transpose());
    r.branches.push_back(std::move(b));
  }
  return r;
}

}  // namespace ctd
