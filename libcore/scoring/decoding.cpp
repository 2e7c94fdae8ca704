#include "scoring/decoding.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <stdexcept>

namespace ctd {

double r2_score(const Eigen::MatrixXd& y, const Eigen::MatrixXd& pred) {
  double sum = 0;
  for (long j = 0; j < y.cols(); ++j) {
    const double mean = y.col(j).mean();
    const double res = (y.col(j) - pred.col(j)).squaredNorm(), tot = (y.col(j).array() - mean).matrix().squaredNorm();
    sum += tot > 0 ? 1 - res / tot : res == 0 ? 1.0 : 0.0;
  }
  return y.cols() ? sum / double(y.cols()) : std::nan("");
}

namespace {
struct Ridge {
  Eigen::MatrixXd w;        // [p, q]
  Eigen::RowVectorXd b;     // [q]
  Eigen::MatrixXd predict(const Eigen::MatrixXd& x) const { return (x * w).rowwise() + b; }
};

// Centred normal equations: (Xcᵀ Xc + αI) w = Xcᵀ Yc, b = ȳ − x̄ w.
Ridge fit_ridge(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, double alpha) {
  const Eigen::RowVectorXd mx = x.colwise().mean(), my = y.colwise().mean();
  const Eigen::MatrixXd xc = x.rowwise() - mx, yc = y.rowwise() - my;
  Eigen::MatrixXd gram = xc.transpose() * xc;
  gram.diagonal().array() += alpha;
  Ridge r;
  r.w = gram.ldlt().solve(xc.transpose() * yc);
  r.b = my - mx * r.w;
  return r;
}
}  // namespace

std::vector<double> nlb_ridge_alphas() {
  std::vector<double> a;
  for (int i = 0; i < 9; ++i) a.push_back(std::pow(10.0, -4.0 + 0.5 * i));
  return a;
}

RidgeDecoding ridge_decode(const Eigen::MatrixXd& train_x, const Eigen::MatrixXd& train_y,
                           const Eigen::MatrixXd& eval_x, const Eigen::MatrixXd& eval_y,
                           const std::vector<double>& alphas, int folds) {
  const long n = train_x.rows();
  if (n < folds || folds < 2) throw std::invalid_argument("ridge_decode: fewer training samples than folds");
  RidgeDecoding out;
  double best = -INFINITY;
  for (double alpha : alphas) {
    double score = 0;
    for (long k = 0, start = 0; k < folds; ++k) {
      const long len = n / folds + (k < n % folds ? 1 : 0);
      Eigen::MatrixXd fx(n - len, train_x.cols()), fy(n - len, train_y.cols());
      fx << train_x.topRows(start), train_x.bottomRows(n - start - len);
      fy << train_y.topRows(start), train_y.bottomRows(n - start - len);
      const Ridge r = fit_ridge(fx, fy, alpha);
      score += r2_score(train_y.middleRows(start, len), r.predict(train_x.middleRows(start, len)));
      start += len;
    }
    out.cv_r2.push_back(score / folds);
    if (out.cv_r2.back() > best) best = out.cv_r2.back(), out.alpha = alpha;
  }
  out.r2 = r2_score(eval_y, fit_ridge(train_x, train_y, out.alpha).predict(eval_x));
  return out;
}

}  // namespace ctd
