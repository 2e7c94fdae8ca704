#include "compare/dsa.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <limits>

#include "util/error.hpp"
#include "util/rng.hpp"

namespace ctd {

Eigen::MatrixXd dmd_operator(const RowMatD& X, long steps, const DsaSettings& s, const std::string& what,
                             double* explained) {
  const long N = X.cols(), trials = X.rows() / steps, d = s.delays, width = N * d, rows = steps - d + 1;
  if (d < 1) throw UsageError("--delays must be at least 1, not " + std::to_string(d));
  if (rows < 2)
    throw Error(what + ": trials of " + std::to_string(steps) + " steps are too short for " + std::to_string(d) +
                " delays (at least delays + 1 steps are needed)");
  if (s.rank < 1 || s.rank > width)
    throw Error(what + ": --rank " + std::to_string(s.rank) + " must be in 1.." + std::to_string(width) +
                " (its " + std::to_string(N) + " dimensions × " + std::to_string(d) + " delays)");
  // Centred first: a constant offset between two systems' coordinates is no
  // difference in their dynamics (and would act as an input to the linear fit).
  const RowMatD Xc = X.rowwise() - X.colwise().mean();
  // The delay vectors, trial by trial: row t holds x_t, x_{t-1}, ..., x_{t-d+1}.
  RowMatD H(trials * rows, width);
  for (long b = 0; b < trials; ++b)
    for (long t = 0; t < rows; ++t)
      for (long k = 0; k < d; ++k) H.row(b * rows + t).segment(k * N, N) = Xc.row(b * steps + t + d - 1 - k);
  // Top principal directions (of HᵀH: the right singular vectors of H).
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(H.transpose() * H);
  const Eigen::MatrixXd V = eig.eigenvectors().rightCols(s.rank).rowwise().reverse();
  Eigen::MatrixXd Z = H * V;
  if (explained) *explained = eig.eigenvalues().tail(s.rank).sum() / std::max(eig.eigenvalues().sum(), 1e-300);
  if (s.whiten) {
    const Eigen::VectorXd var = eig.eigenvalues().tail(s.rank).reverse() / double(H.rows());
    if (var(s.rank - 1) <= 1e-12 * var(0))
      throw Error(what + ": its delay embedding spans fewer than --rank " + std::to_string(s.rank) +
                  " directions, which whitening cannot scale (lower --rank, or --no-whiten)");
    Z = Z * var.cwiseSqrt().cwiseInverse().asDiagonal();
  }
  Eigen::MatrixXd Z0(trials * (rows - 1), s.rank), Z1(trials * (rows - 1), s.rank);
  for (long b = 0; b < trials; ++b) {
    Z0.middleRows(b * (rows - 1), rows - 1) = Z.middleRows(b * rows, rows - 1);
    Z1.middleRows(b * (rows - 1), rows - 1) = Z.middleRows(b * rows + 1, rows - 1);
  }
  // Z1 ≈ Z0 Aᵀ, least squares.
  const Eigen::MatrixXd At = Z0.completeOrthogonalDecomposition().solve(Z1);
  return At.transpose();
}

namespace {
double objective(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const Eigen::MatrixXd& C) {
  return (A - C * B * C.transpose()).squaredNorm();
}

// The Cayley map of a skew matrix W: an orthogonal matrix.
Eigen::MatrixXd cayley(const Eigen::MatrixXd& W) {
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(W.rows(), W.cols());
  return (I - 0.5 * W).partialPivLu().solve(I + 0.5 * W);
}

Eigen::MatrixXd descend(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, Eigen::MatrixXd C, int iterations) {
  double f = objective(A, B, C), step = 1.0;
  for (int it = 0; it < iterations; ++it) {
    const Eigen::MatrixXd R = A - C * B * C.transpose();
    const Eigen::MatrixXd G = -2.0 * (R * C * B.transpose() + R.transpose() * C * B);
    // The gradient on O(n) at C is C·Ω with Ω the skew part of CᵀG.
    const Eigen::MatrixXd Omega = 0.5 * (C.transpose() * G - G.transpose() * C);
    const double g2 = Omega.squaredNorm();
    if (g2 < 1e-24 * (1.0 + f * f)) break;
    step = std::min(1.0, 2.0 * step);
    bool moved = false;
    while (step > 1e-14) {
      const Eigen::MatrixXd next = C * cayley(-step * Omega);
      const double fn = objective(A, B, next);
      if (fn <= f - 1e-4 * step * g2) {
        C = next;
        f = fn;
        moved = true;
        break;
      }
      step *= 0.5;
    }
    if (!moved) break;
  }
  // Cayley steps stay orthogonal up to rounding; project back once.
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(C, Eigen::ComputeFullU | Eigen::ComputeFullV);
  return svd.matrixU() * svd.matrixV().transpose();
}
// The best diagonal sign matrix S for ‖A − S B S‖: every one for small n,
// else greedy single flips from the identity. Both operators act on principal
// coordinates, which two rotated copies of a system share up to their signs,
// so this is where the search starts.
Eigen::MatrixXd best_signs(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) {
  const long n = A.rows();
  Eigen::VectorXd best = Eigen::VectorXd::Ones(n);
  auto cost = [&](const Eigen::VectorXd& v) { return objective(A, B, Eigen::MatrixXd(v.asDiagonal())); };
  double best_cost = cost(best);
  if (n <= 12) {
    for (unsigned long mask = 1; mask < (1UL << n); ++mask) {
      Eigen::VectorXd v(n);
      for (long i = 0; i < n; ++i) v(i) = (mask >> i) & 1 ? -1.0 : 1.0;
      const double c = cost(v);
      if (c < best_cost) best_cost = c, best = v;
    }
  } else {
    for (bool improved = true; improved;) {
      improved = false;
      for (long i = 0; i < n; ++i) {
        Eigen::VectorXd v = best;
        v(i) = -v(i);
        const double c = cost(v);
        if (c < best_cost) best_cost = c, best = v, improved = true;
      }
    }
  }
  return best.asDiagonal();
}
}  // namespace

ProcrustesFit vector_field_procrustes(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const DsaSettings& s,
                                      uint64_t seed) {
  if (A.rows() != B.rows() || A.cols() != B.cols() || A.rows() != A.cols())
    throw std::logic_error("vector_field_procrustes: operators of different sizes");
  const long n = A.rows();
  RngStream rng(seed, RngDomain::Analysis, 1);
  ProcrustesFit best;
  best.distance = std::numeric_limits<double>::infinity();
  for (int r = 0; r < std::max(1, s.restarts); ++r) {
    // The best sign flip, the identity and a reflection (both components of O(n)), then random.
    Eigen::MatrixXd C0 = r == 0 ? best_signs(A, B) : Eigen::MatrixXd::Identity(n, n);
    if (r == 2) C0(0, 0) = -1;
    if (r >= 3) {
      Eigen::MatrixXd g(n, n);
      for (long i = 0; i < g.size(); ++i) g.data()[i] = rng.normal();
      C0 = g.householderQr().householderQ();
    }
    const Eigen::MatrixXd C = descend(A, B, C0, s.iterations);
    const double d = std::sqrt(objective(A, B, C));
    if (d < best.distance) best = {d, C};
  }
  return best;
}

}  // namespace ctd
