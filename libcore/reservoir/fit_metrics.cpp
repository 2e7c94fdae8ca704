#include "reservoir/fit_metrics.hpp"

#include <cmath>

namespace ctd {

FitMetrics::FitMetrics(int M)
    : sy_(Eigen::VectorXd::Zero(M)), syy_(sy_), sp_(sy_), spp_(sy_), syp_(sy_), see_(sy_) {}

void FitMetrics::add(const Eigen::VectorXd& y, const Eigen::VectorXd& p) {
  n_ += 1;
  sy_ += y;
  syy_ += y.cwiseProduct(y);
  sp_ += p;
  spp_ += p.cwiseProduct(p);
  syp_ += y.cwiseProduct(p);
  see_ += (y - p).cwiseAbs2();
}

Eigen::VectorXd FitMetrics::sst() const { return syy_ - sy_.cwiseAbs2() / n_; }

double FitMetrics::r2() const { return 1.0 - see_.sum() / sst().sum(); }

double FitMetrics::nrmse() const { return std::sqrt(see_.sum() / sst().sum()); }

Eigen::VectorXd FitMetrics::r2_per_output() const {
  return Eigen::VectorXd::Ones(see_.size()) - see_.cwiseQuotient(sst());
}

Eigen::VectorXd FitMetrics::squared_correlation() const {
  const Eigen::VectorXd cov = syp_ - sy_.cwiseProduct(sp_) / n_;
  const Eigen::VectorXd vp = spp_ - sp_.cwiseAbs2() / n_;
  Eigen::VectorXd r2 = cov.cwiseAbs2().cwiseQuotient(sst().cwiseProduct(vp));
  for (Eigen::Index i = 0; i < r2.size(); ++i)
    if (!std::isfinite(r2[i])) r2[i] = 0;  // a constant prediction correlates with nothing
  return r2;
}

Eigen::VectorXd FitMetrics::target_sd() const { return (sst() / n_).cwiseSqrt(); }

}  // namespace ctd
