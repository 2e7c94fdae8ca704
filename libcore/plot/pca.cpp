#include "plot/pca.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>

#include "util/error.hpp"

namespace ctd {

Projection principal_axes(const RowMatD& X, int k) {
  const long n = X.rows(), D = X.cols(), step = std::max<long>(1, n / 20000);
  RowMatD S(std::max<long>(1, (n + step - 1) / step), D);
  for (long i = 0, r = 0; i < n; i += step, ++r) S.row(r) = X.row(i);
  Projection p;
  p.mean = S.colwise().mean();
  S.rowwise() -= p.mean;
  Eigen::MatrixXd C = (S.transpose() * S) / double(std::max<long>(1, S.rows() - 1));
  if (!C.allFinite()) throw Error("the states' spread overflows double precision (values near 1e154 or more): cannot project them");
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C);
  k = int(std::min<long>(k, D));
  p.axes.resize(D, k);
  p.share.resize(k);
  const double total = std::max(1e-300, eig.eigenvalues().sum());
  for (int j = 0; j < k; ++j) {  // eigenvalues ascend: take them from the end
    p.axes.col(j) = eig.eigenvectors().col(D - 1 - j);
    p.share(j) = std::max(0.0, eig.eigenvalues()(D - 1 - j)) / total;
  }
  return p;
}

RowMatD project(const Projection& p, const RowMatD& X) { return (X.rowwise() - p.mean) * p.axes; }

}  // namespace ctd
