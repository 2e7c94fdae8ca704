// How well predictions match targets, accumulated row by row so that no
// prediction need be kept (docs/methods.md §11): per output the coefficient
// of determination R² = 1 − SSE/SST, the squared correlation r² (Jaeger's
// memory capacity sums it over delays), and pooled over outputs
// R² = 1 − ΣSSE/ΣSST and NRMSE = √(ΣSSE/ΣSST) (the RMSE over the targets'
// standard deviation, for one output).
#pragma once
#include <Eigen/Core>

namespace ctd {

class FitMetrics {
 public:
  explicit FitMetrics(int M);
  void add(const Eigen::VectorXd& target, const Eigen::VectorXd& prediction);
  double rows() const { return n_; }
  double r2() const;
  double nrmse() const;
  Eigen::VectorXd r2_per_output() const;
  Eigen::VectorXd squared_correlation() const;
  Eigen::VectorXd target_sd() const;  // per output, over the rows seen

 private:
  Eigen::VectorXd sst() const;
  double n_ = 0;
  Eigen::VectorXd sy_, syy_, sp_, spp_, syp_, see_;
};

}  // namespace ctd
