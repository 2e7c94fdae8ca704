#include "scoring/smoothing_baseline.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cmath>

#include "scoring/bits_per_spike.hpp"
#include "scoring/psth.hpp"
#include "util/error.hpp"

namespace ctd {

namespace {
using RowMat = Eigen::Matrix<double, -1, -1, Eigen::RowMajor>;

double glm_loss(const RowMat& X, const Eigen::VectorXd& y, const Eigen::VectorXd& theta, double alpha) {
  const Eigen::VectorXd eta = X * theta;
  const long p = theta.size() - 1;
  return (eta.array().exp() - y.array() * eta.array()).mean() + 0.5 * alpha * theta.head(p).squaredNorm();
}
}  // namespace

std::vector<double> fit_poisson_glm(const std::vector<double>& x, const std::vector<double>& y, size_t p, double alpha) {
  const long n = long(y.size()), P = long(p) + 1;
  RowMat X(n, P);
  for (long i = 0; i < n; ++i) {
    for (long k = 0; k < long(p); ++k) X(i, k) = x[size_t(i) * p + size_t(k)];
    X(i, long(p)) = 1;  // the intercept
  }
  const Eigen::Map<const Eigen::VectorXd> Y(y.data(), n);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(P);
  theta(long(p)) = std::log(std::max(Y.mean(), 1e-9));  // start at the mean rate
  double loss = glm_loss(X, Y, theta, alpha);
  for (int iter = 0; iter < 100; ++iter) {
    const Eigen::VectorXd mu = (X * theta).array().exp();
    Eigen::VectorXd grad = X.transpose() * (mu - Y) / double(n);
    grad.head(long(p)) += alpha * theta.head(long(p));
    Eigen::MatrixXd H = X.transpose() * mu.asDiagonal() * X / double(n);
    H.diagonal().head(long(p)).array() += alpha;
    H.diagonal().array() += 1e-12;
    const Eigen::VectorXd step = H.ldlt().solve(grad);
    double t = 1, next = glm_loss(X, Y, theta - step, alpha);
    while (!(next <= loss) && t > 1e-10) next = glm_loss(X, Y, theta - (t *= 0.5) * step, alpha);
    if (!(next <= loss)) break;
    theta -= t * step;
    const double change = loss - next;
    loss = next;
    if (change < 1e-12 * std::max(1.0, std::fabs(loss))) break;
  }
  return {theta.data(), theta.data() + P};
}

namespace {
// log(smoothed held-in + 1e-4) as regressors [B·T, Din]; the smoothed held-in rates themselves.
std::vector<double> regressors(const Array<double>& smoothed) {
  std::vector<double> x(smoothed.size());
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::log(smoothed[i] + 1e-4);
  return x;
}

Array<double> join_units(const Array<double>& a, const Array<double>& b) { return last_axis_concat(a, b); }
}  // namespace

SmoothedRates smoothing_baseline(const Array<double>& train_in, const Array<double>& train_out,
                                 const Array<double>& eval_in, const Array<double>& eval_out,
                                 const std::vector<double>& sds, const std::vector<double>& alphas) {
  const size_t Din = train_in.dim(2), Dout = train_out.dim(2);
  SmoothedRates best;
  double best_bps = -INFINITY;
  for (double sd : sds) {
    const Array<double> st = smooth_in_time(train_in, sd), se = smooth_in_time(eval_in, sd);
    const std::vector<double> xt = regressors(st), xe = regressors(se);
    const size_t nt = st.size() / Din, ne = se.size() / Din;
    for (double alpha : alphas) {
      Array<double> rt({train_out.dim(0), train_out.dim(1), Dout}), re({eval_out.dim(0), eval_out.dim(1), Dout});
      for (size_t j = 0; j < Dout; ++j) {
        std::vector<double> y(nt);
        for (size_t i = 0; i < nt; ++i) y[i] = train_out[i * Dout + j];
        const std::vector<double> th = fit_poisson_glm(xt, y, Din, alpha);
        auto predict = [&](const std::vector<double>& x, size_t i) {
          double eta = th[Din];
          for (size_t k = 0; k < Din; ++k) eta += th[k] * x[i * Din + k];
          return std::clamp(std::exp(eta), 1e-9, 1e20);
        };
        for (size_t i = 0; i < nt; ++i) rt[i * Dout + j] = predict(xt, i);
        for (size_t i = 0; i < ne; ++i) re[i * Dout + j] = predict(xe, i);
      }
      const double bps = bits_per_spike(re, eval_out, "the smoothing baseline");
      if (bps > best_bps) {
        best_bps = bps;
        best.train = join_units(st, rt);
        best.eval = join_units(se, re);
        best.sd = sd, best.alpha = alpha;
      }
    }
  }
  if (best.eval.size() == 0) throw Error("the smoothing baseline: no spike in the held-out units to choose by");
  return best;
}

}  // namespace ctd
