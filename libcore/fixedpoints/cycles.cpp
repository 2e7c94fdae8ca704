#include "fixedpoints/cycles.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>

#include "util/error.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, CycleSettings& s) {
  o.group("Periodic orbits");
  o.add("max-period", s.max_period, "Search periods 1 to this (1: fixed points only)").min(1);
  o.add("starts", s.starts, "Random starts: the initial state plus Gaussian noise").min(1);
  o.add("init-sd", s.init_sd, "SD of the noise added to the initial state of each start").non_negative();
  o.add("transient", s.transient,
        "Each start also seeds a candidate after this many steps of the network (reaches stable orbits; 0: none)")
      .non_negative();
  o.add("max-iter", s.max_iter, "Levenberg-Marquardt iterations per candidate and period").min(1);
  o.add("tol", s.tol, "A cycle: mean squared residual of F^k(h) - h below this").positive();
  o.add("unique-tol", s.unique_tol, "Two orbits are one when a point of each lies this close (RMS per value)")
      .positive();
}

namespace {
using Vec = Eigen::VectorXd;
using Mat = Eigen::MatrixXd;

double mean_sq(const Vec& r) { return r.squaredNorm() / double(r.size()); }

// F^k(h) − h and, when M is given, its Jacobian M = J(h_{k−1})···J(h_0) − I.
Vec residual(const RnnMap<double>& map, const Vec& h, int k, Mat* M) {
  Vec x = h;
  if (M) M->setIdentity(h.size(), h.size());
  for (int j = 0; j < k; ++j) {
    if (M) *M = map.dFdh(x) * *M;
    x = map.step(x);
  }
  if (M) M->diagonal().array() -= 1.0;
  return x - h;
}

// Levenberg–Marquardt on ½‖F^k(h) − h‖² from h; returns the mean squared residual at the end.
double refine(const RnnMap<double>& map, Vec& h, int k, const CycleSettings& s) {
  Mat M;
  Vec r = residual(map, h, k, &M);
  double q = mean_sq(r), lambda = 1e-3;
  for (int it = 0; it < s.max_iter && q >= s.tol && std::isfinite(q); ++it) {
    const Mat A = M.transpose() * M;
    const Vec g = M.transpose() * r;
    bool better = false;
    while (!better && lambda < 1e12) {
      Mat damped = A;
      damped.diagonal().array() += lambda * (1.0 + A.diagonal().array());
      const Vec trial = h - damped.partialPivLu().solve(g);
      const Vec rt = residual(map, trial, k, nullptr);
      const double qt = mean_sq(rt);
      if (std::isfinite(qt) && qt < q) {
        h = trial;
        better = true;
        lambda = std::max(lambda / 10, 1e-12);
      } else {
        lambda *= 10;
      }
    }
    if (!better) break;  // no step lowers q: a local minimum that is not a cycle
    r = residual(map, h, k, &M);
    q = mean_sq(r);
  }
  return q;
}

bool same_orbit(const Cycle& a, const Cycle& b, double tol) {
  if (a.period != b.period) return false;
  for (long i = 0; i < b.points.rows(); ++i)
    if (std::sqrt((a.points.row(0) - b.points.row(i)).squaredNorm() / double(a.points.cols())) < tol) return true;
  return false;
}

// The orbit through h, of period k (its minimal one: the smallest divisor d of k with F^d(h) = h).
Cycle orbit(const RnnMap<double>& map, const Vec& h, int k, double q, double tol) {
  int d = k;
  for (int p = 1; p < k; ++p)
    if (k % p == 0 && mean_sq(residual(map, h, p, nullptr)) < tol) {
      d = p;
      break;
    }
  Cycle c;
  c.period = d;
  c.q = d == k ? q : mean_sq(residual(map, h, d, nullptr));
  c.points.resize(d, h.size());
  Mat mono = Mat::Identity(h.size(), h.size());
  Vec x = h;
  for (int j = 0; j < d; ++j) {
    c.points.row(j) = x.transpose();
    mono = map.dFdh(x) * mono;
    x = map.step(x);
  }
  const Eigen::VectorXcd mu = Eigen::EigenSolver<Mat>(mono, false).eigenvalues();
  c.floquet.assign(mu.data(), mu.data() + mu.size());
  std::sort(c.floquet.begin(), c.floquet.end(), [](auto a, auto b) { return std::abs(a) > std::abs(b); });
  for (const auto& m : c.floquet) c.unstable += std::abs(m) > 1.0;
  return c;
}
}  // namespace

Mat cycle_candidates(const RnnMap<double>& map, const Vec& h0, const CycleSettings& s, uint64_t seed) {
  const int R = s.starts;
  Mat out(s.transient > 0 ? 2 * R : R, h0.size());
  for (int r = 0; r < R; ++r) {
    RngStream rng(seed, RngDomain::Candidates, uint64_t(r));
    Vec h(h0.size());
    for (long i = 0; i < h.size(); ++i) h(i) = h0(i) + s.init_sd * rng.normal();
    out.row(r) = h.transpose();
    if (s.transient == 0) continue;
    for (int t = 0; t < s.transient; ++t) h = map.step(h);
    out.row(R + r) = h.transpose();
  }
  return out;
}

CycleSearch find_cycles(const RnnMap<double>& map, const Mat& candidates, const CycleSettings& s, int threads) {
  if (candidates.cols() != map.dim())
    throw Error("candidates of " + std::to_string(candidates.cols()) + " values for a state of " +
                std::to_string(map.dim()));
  Vec lo, hi;
  map.fixed_point_bounds(lo, hi);
  const long R = candidates.rows(), P = s.max_period;
  // Per candidate and period: the refined state and its q, in a fixed order (the result does not depend on threads).
  std::vector<Vec> found(size_t(R * P));
  std::vector<double> qs(size_t(R * P), INFINITY);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (long job = 0; job < R * P; ++job) {
    Vec h = candidates.row(job / P).transpose();
    qs[size_t(job)] = refine(map, h, int(job % P) + 1, s);
    found[size_t(job)] = h;
  }
  CycleSearch out;
  out.candidates = R * P;
  // Lowest q first, so that of two copies of one orbit the better refined one is kept.
  std::vector<long> order;
  for (long job = 0; job < R * P; ++job)
    if (qs[size_t(job)] < s.tol) order.push_back(job);
  out.converged = long(order.size());
  std::stable_sort(order.begin(), order.end(), [&](long a, long b) { return qs[size_t(a)] < qs[size_t(b)]; });
  std::vector<Cycle> dropped;  // orbits outside the cell's region, each counted once
  auto seen = [&](const std::vector<Cycle>& list, const Cycle& c) {
    return std::any_of(list.begin(), list.end(), [&](const Cycle& k) { return same_orbit(k, c, s.unique_tol); });
  };
  for (long job : order) {
    Cycle c = orbit(map, found[size_t(job)], int(job % P) + 1, qs[size_t(job)], s.tol);
    if (seen(out.cycles, c) || seen(dropped, c)) continue;
    const double slack = 1e-6;
    bool inside = true;
    for (long j = 0; j < c.points.rows(); ++j)
      inside = inside && (c.points.row(j).transpose().array() >= lo.array() - slack).all() &&
               (c.points.row(j).transpose().array() <= hi.array() + slack).all();
    if (!inside) {
      ++out.outside;
      dropped.push_back(std::move(c));
      continue;
    }
    out.cycles.push_back(std::move(c));
  }
  std::stable_sort(out.cycles.begin(), out.cycles.end(), [](const Cycle& a, const Cycle& b) {
    if (a.period != b.period) return a.period < b.period;
    return std::abs(a.floquet.front()) < std::abs(b.floquet.front());
  });
  return out;
}

}  // namespace ctd
