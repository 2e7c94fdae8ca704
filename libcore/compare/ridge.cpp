#include "compare/ridge.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <limits>
#include <numeric>

#include "util/error.hpp"
#include "util/rng.hpp"

namespace ctd {

namespace {
// Sums over a fold's rows (of globally centred data), enough to fit on any
// union of folds and to score a fit on any fold without touching the rows again.
struct FoldStats {
  double n = 0;
  Eigen::RowVectorXd sx, sy, syy;  // Σx, Σy, Σy² per output
  Eigen::MatrixXd xx, xy;          // ΣxᵀX, ΣxᵀY
  FoldStats(long M, long N)
      : sx(Eigen::RowVectorXd::Zero(M)), sy(Eigen::RowVectorXd::Zero(N)), syy(Eigen::RowVectorXd::Zero(N)),
        xx(Eigen::MatrixXd::Zero(M, M)), xy(Eigen::MatrixXd::Zero(M, N)) {}
  FoldStats& operator+=(const FoldStats& o) {
    n += o.n;
    sx += o.sx;
    sy += o.sy;
    syy += o.syy;
    xx += o.xx;
    xy += o.xy;
    return *this;
  }
};

struct Fit {
  Eigen::MatrixXd W;
  Eigen::RowVectorXd b;
};

// The ridge fit on `t` with penalty alpha·trace(C)/M, C the centred Gram matrix.
Fit fit(const FoldStats& t, double alpha) {
  const Eigen::RowVectorXd mx = t.sx / t.n, my = t.sy / t.n;
  Eigen::MatrixXd C = t.xx - t.n * mx.transpose() * mx;
  const Eigen::MatrixXd Cxy = t.xy - t.n * mx.transpose() * my;
  const double lambda = alpha * std::max(C.trace(), 1e-300) / double(C.rows());
  C.diagonal().array() += lambda;
  Fit f;
  f.W = C.ldlt().solve(Cxy);
  f.b = my - mx * f.W;
  return f;
}

// Σ over the fold's rows of (y − xW − b)², per output, from its sums.
Eigen::RowVectorXd sse(const FoldStats& v, const Fit& f) {
  const Eigen::MatrixXd WtXY = f.W.transpose() * v.xy, WtXXW = f.W.transpose() * v.xx * f.W;
  const Eigen::RowVectorXd xW = v.sx * f.W;
  Eigen::RowVectorXd e(f.b.size());
  for (long d = 0; d < e.size(); ++d)
    e(d) = v.syy(d) - 2 * WtXY(d, d) - 2 * f.b(d) * v.sy(d) + WtXXW(d, d) + 2 * f.b(d) * xW(d) + v.n * f.b(d) * f.b(d);
  return e.cwiseMax(0.0);
}

FoldStats sum_except(const std::vector<FoldStats>& folds, const std::vector<int>& skip) {
  FoldStats t(folds[0].sx.size(), folds[0].sy.size());
  for (size_t k = 0; k < folds.size(); ++k)
    if (std::find(skip.begin(), skip.end(), int(k)) == skip.end()) t += folds[k];
  return t;
}

// The alpha with the lowest total held-out error over `use` (each held out in turn).
double choose_alpha(const std::vector<FoldStats>& folds, const std::vector<int>& use, const std::vector<int>& exclude,
                    const std::vector<double>& alphas) {
  double best = alphas.front(), best_err = std::numeric_limits<double>::infinity();
  for (double a : alphas) {
    double err = 0;
    for (int k : use) {
      std::vector<int> skip = exclude;
      skip.push_back(k);
      err += sse(folds[size_t(k)], fit(sum_except(folds, skip), a)).sum();
    }
    if (err < best_err) best_err = err, best = a;
  }
  return best;
}
}  // namespace

RidgeScore cross_validated_ridge(const RowMatD& X, const RowMatD& Y, long steps, const RidgeSettings& s,
                                 uint64_t seed) {
  if (X.rows() != Y.rows() || steps < 1 || X.rows() % steps != 0)
    throw std::logic_error("cross_validated_ridge: rows do not form whole trials");
  const long trials = X.rows() / steps, M = X.cols(), N = Y.cols();
  if (s.folds < 3) throw UsageError("--folds must be at least 3, not " + std::to_string(s.folds));
  if (trials < s.folds)
    throw Error(std::to_string(trials) + " trials cannot make " + std::to_string(s.folds) +
                " cross-validation folds (--folds)");
  // Centred globally first, so the sums hold no large common offsets.
  const Eigen::RowVectorXd mx = X.colwise().mean(), my = Y.colwise().mean();
  const Eigen::MatrixXd Xc = X.rowwise() - mx, Yc = Y.rowwise() - my;
  std::vector<int64_t> order(static_cast<size_t>(trials));
  std::iota(order.begin(), order.end(), int64_t(0));
  RngStream rng(seed, RngDomain::Analysis, 0);
  shuffle(order, rng);
  std::vector<FoldStats> folds(size_t(s.folds), FoldStats(M, N));
  for (long j = 0; j < trials; ++j) {
    FoldStats& f = folds[size_t(j % s.folds)];
    const auto x = Xc.middleRows(order[size_t(j)] * steps, steps);
    const auto y = Yc.middleRows(order[size_t(j)] * steps, steps);
    f.n += double(steps);
    f.sx += x.colwise().sum();
    f.sy += y.colwise().sum();
    f.syy += y.array().square().colwise().sum().matrix();
    f.xx += x.transpose() * x;
    f.xy += x.transpose() * y;
  }
  Eigen::RowVectorXd err = Eigen::RowVectorXd::Zero(N);
  for (int o = 0; o < s.folds; ++o) {
    std::vector<int> inner;
    for (int k = 0; k < s.folds; ++k)
      if (k != o) inner.push_back(k);
    const double a = choose_alpha(folds, inner, {o}, s.alphas);
    err += sse(folds[size_t(o)], fit(sum_except(folds, {o}), a));
  }
  const Eigen::RowVectorXd total = Yc.array().square().colwise().sum();
  RidgeScore r;
  r.r2_per_dim = (1.0 - err.array() / total.array().max(1e-300)).transpose();
  r.r2 = 1.0 - err.sum() / std::max(total.sum(), 1e-300);
  std::vector<int> all(size_t(s.folds));
  std::iota(all.begin(), all.end(), 0);
  r.alpha = choose_alpha(folds, all, {}, s.alphas);
  const Fit f = fit(sum_except(folds, {}), r.alpha);
  r.W = f.W;
  r.b = my + f.b - mx * f.W;  // back to the uncentred data
  return r;
}

}  // namespace ctd
