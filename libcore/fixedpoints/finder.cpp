#include "fixedpoints/finder.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "util/cpu_room.hpp"
#include "util/rng.hpp"

namespace ctd {

AdamFpResult adam_minimize_q(const RnnMap<float>& map, const RowMatD& candidates, const AdamFpSettings& s,
                             const FpProgress& progress, int threads) {
  using Mat = RnnMap<float>::Mat;
  const long K = candidates.rows(), N = candidates.cols();
  Mat H = candidates.cast<float>(), m = Mat::Zero(K, N), v = Mat::Zero(K, N);
  Eigen::VectorXf q(K);
  const float b1 = float(s.b1), b2 = float(s.b2), eps = float(s.eps), weight = 1.0f / float(K);
  // Each thread owns a block of candidates: the objective is a sum over them.
  const int nt = int(std::max<long>(1, std::min<long>(threads, K)));
  const long rows = (K + nt - 1) / nt;
  LoopTeam team;  // fewer threads on a busy node, the same blocks and result
  auto q_blocks = [&](bool update, int step) {
    const double lr = s.lr * std::pow(s.lr_decay, double(step));
    const float c1 = float(1.0 - std::pow(s.b1, step + 1)), c2 = float(1.0 - std::pow(s.b2, step + 1));
#pragma omp parallel for num_threads(team.start(nt)) schedule(static, 1)
    for (int b = 0; b < nt; ++b) {
      const LoopTeam::Part timed(team);
      const long r0 = b * rows, nr = std::min(K, r0 + rows) - r0;
      if (nr <= 0) continue;
      Mat Hb = H.middleRows(r0, nr), G(nr, N);
      Eigen::VectorXf qb;
      map.q_and_grad(Hb, weight, qb, G);
      q.segment(r0, nr) = qb;
      if (!update) continue;
      auto mb = m.middleRows(r0, nr);
      auto vb = v.middleRows(r0, nr);
      mb = b1 * mb + (1 - b1) * G;
      vb = b2 * vb + (1 - b2) * G.cwiseAbs2();
      H.middleRows(r0, nr).array() -= float(lr) * (mb.array() / c1) / ((vb.array() / c2).sqrt() + eps);
    }
  };
  AdamFpResult r;
  int step = 0;
  for (; step < s.max_steps; ++step) {
    // The stop check looks at q before the step, every 200 steps (the tutorial's order).
    if (step % 200 == 0) {
      q_blocks(false, step);
      const double mean_q = q.cast<double>().mean();
      if (progress) progress(step, mean_q);
      if (mean_q < s.opt_stop_tol) break;
    }
    q_blocks(true, step);
  }
  q_blocks(false, step);
  r.points = H.cast<double>();
  r.q = q.cast<double>();
  r.steps = step;
  r.mean_q = r.q.mean();
  return r;
}

Eigen::VectorXd q_values(const RnnMap<double>& map, const RowMatD& points) {
  RowMatD F(points.rows(), points.cols());
  map.map(points, F);
  return (points - F).rowwise().squaredNorm() / double(points.cols());
}

Eigen::VectorXd refine_newton(const RnnMap<double>& map, RowMatD& points, const NewtonSettings& s, int threads) {
  const long K = points.rows(), N = points.cols();
  Eigen::VectorXd q(K);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 8)
  for (long k = 0; k < K; ++k) {
    Eigen::VectorXd h = points.row(k).transpose();
    Eigen::VectorXd r = h - map.step(h);
    double qk = r.squaredNorm() / double(N);
    double lambda = 1e-3;
    int slow = 0;  // consecutive steps that did not halve q: creeping along a slow valley
    for (int it = 0; it < s.max_iterations && qk > s.q_target && slow < s.stall_steps; ++it) {
      // Levenberg–Marquardt on r(h) = h − F(h): (AᵀA + λ·diag(AᵀA)) δ = −Aᵀr, A = I − J.
      Eigen::MatrixXd A = -map.dFdh(h);
      A.diagonal().array() += 1.0;
      Eigen::MatrixXd AtA = A.transpose() * A;
      Eigen::VectorXd Atr = A.transpose() * r;
      bool improved = false;
      for (int tries = 0; tries < 12 && !improved; ++tries) {
        Eigen::MatrixXd M = AtA;
        M.diagonal().array() += lambda * (AtA.diagonal().array() + 1e-12);
        Eigen::VectorXd delta = M.ldlt().solve(-Atr);
        Eigen::VectorXd h_new = h + delta;
        Eigen::VectorXd r_new = h_new - map.step(h_new);
        double q_new = r_new.squaredNorm() / double(N);
        if (q_new < qk) {
          slow = q_new > 0.5 * qk ? slow + 1 : 0;
          h = h_new;
          r = r_new;
          qk = q_new;
          lambda = std::max(lambda / 10, 1e-12);
          improved = true;
        } else {
          lambda *= 10;
        }
      }
      if (!improved) break;  // the bottom of a slow valley: no step lowers q
    }
    points.row(k) = h.transpose();
    q(k) = qk;
  }
  return q;
}

std::vector<int> below_tolerance(const Eigen::VectorXd& q, double tol) {
  std::vector<int> keep;
  for (int i = 0; i < q.size(); ++i)
    if (q(i) < tol) keep.push_back(i);
  return keep;
}

std::vector<int> keep_unique(const RowMatD& points, const std::vector<int>& order, double tol) {
  const size_t n = order.size();
  std::vector<char> dropped(n, 0);
  const double tol2 = tol * tol;
  for (size_t a = 0; a < n; ++a)
    for (size_t b = a + 1; b < n; ++b)
      if (!dropped[b] && (points.row(order[a]) - points.row(order[b])).squaredNorm() < tol2) dropped[b] = 1;
  std::vector<int> keep;
  for (size_t a = 0; a < n; ++a)
    if (!dropped[a]) keep.push_back(order[a]);
  return keep;
}

std::vector<int> keep_distinct(const RowMatD& points, const std::vector<int>& order, double tol) {
  std::vector<int> keep;
  const double tol2 = tol * tol;
  for (int i : order) {
    bool near = false;
    for (int k : keep) near = near || (points.row(i) - points.row(k)).squaredNorm() < tol2;
    if (!near) keep.push_back(i);
  }
  return keep;
}

std::vector<int> within_bounds(const RowMatD& points, const std::vector<int>& order, const Eigen::VectorXd& lo,
                               const Eigen::VectorXd& hi, double margin) {
  std::vector<int> out;
  for (int i : order) {
    const auto p = points.row(i).transpose().array();
    if ((p >= lo.array() - margin).all() && (p <= hi.array() + margin).all()) out.push_back(i);
  }
  return out;
}

std::vector<int> drop_outliers(const RowMatD& points, const std::vector<int>& order, double tol) {
  if (order.size() < 2) return order;
  std::vector<int> keep;
  for (size_t a = 0; a < order.size(); ++a) {
    double nearest = std::numeric_limits<double>::infinity();
    for (size_t b = 0; b < order.size(); ++b)
      if (a != b) nearest = std::min(nearest, (points.row(order[a]) - points.row(order[b])).norm());
    if (nearest < tol) keep.push_back(order[a]);
  }
  return keep;
}

std::vector<int> drop_far_from_states(const RowMatD& points, const std::vector<int>& order, const RowMatD& states,
                                      double scale, int threads) {
  if (states.rows() == 0) return order;
  const Eigen::RowVectorXd centroid = states.colwise().mean();
  const double spread = (states.rowwise() - centroid).rowwise().norm().mean();
  const double limit2 = (scale * spread) * (scale * spread);
  std::vector<char> near(order.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 16)
  for (long a = 0; a < long(order.size()); ++a) {
    const auto p = points.row(order[size_t(a)]);
    double nearest2 = std::numeric_limits<double>::infinity();
    for (long k = 0; k < states.rows() && nearest2 > limit2; ++k)
      nearest2 = std::min(nearest2, (states.row(k) - p).squaredNorm());
    near[size_t(a)] = nearest2 <= limit2;
  }
  std::vector<int> keep;
  for (size_t a = 0; a < order.size(); ++a)
    if (near[a]) keep.push_back(order[a]);
  return keep;
}

void sort_by_q(std::vector<int>& order, const Eigen::VectorXd& q) {
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return q(a) < q(b); });
}

void add_candidate_noise(RowMatD& c, double var, uint64_t seed) {
  if (var <= 0) return;
  const double sd = std::sqrt(var);
  for (long k = 0; k < c.rows(); ++k) {
    RngStream rng(seed, RngDomain::Candidates, uint64_t(k));
    for (long i = 0; i < c.cols(); ++i) c(k, i) += sd * rng.normal();
  }
}

Linearization linearize_points(const RnnMap<double>& map, const RowMatD& points, EigSort sort, bool eigvecs,
                               double stability_tol, int threads) {
  const long K = points.rows(), N = points.cols();
  Linearization lin;
  lin.eigvals.resize(K, N);
  lin.stability.assign(size_t(K), kStable);
  if (eigvecs) {
    lin.right.resize(size_t(K));
    lin.left.resize(size_t(K));
  }
#pragma omp parallel for num_threads(threads) schedule(dynamic, 4)
  for (long k = 0; k < K; ++k) {
    Eigen::MatrixXd J = map.dFdh(points.row(k).transpose());
    Eigen::EigenSolver<Eigen::MatrixXd> es(J, eigvecs);
    Eigen::VectorXcd ev = es.eigenvalues();
    std::vector<int> idx(static_cast<size_t>(N));
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
      return sort == EigSort::Real ? ev(a).real() > ev(b).real() : std::abs(ev(a)) > std::abs(ev(b));
    });
    double top = 0;
    for (long i = 0; i < N; ++i) {
      lin.eigvals(k, i) = ev(idx[size_t(i)]);
      top = std::max(top, std::abs(ev(i)));
    }
    lin.stability[size_t(k)] = top < 1 - stability_tol ? kStable : top > 1 + stability_tol ? kUnstable : kMarginal;
    if (eigvecs) {
      Eigen::MatrixXcd vecs = es.eigenvectors(), R(N, N);
      for (long i = 0; i < N; ++i) R.col(i) = vecs.col(idx[size_t(i)]);
      lin.right[size_t(k)] = R;
      lin.left[size_t(k)] = R.completeOrthogonalDecomposition().pseudoInverse().transpose();
    }
  }
  return lin;
}

}  // namespace ctd
