#include "reservoir/readout.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include "linalg/syrk.hpp"

namespace ctd {

Eigen::MatrixXd read_out(const RowMatD& W, const Eigen::MatrixXd& x) {
  Eigen::MatrixXd y = W.rightCols(W.cols() - 1) * x;
  y.colwise() += W.col(0);
  return y;
}

RidgeAccumulator::RidgeAccumulator(int N, int M)
    : zz_(Eigen::MatrixXd::Zero(1 + N, 1 + N)), yz_(RowMatD::Zero(M, 1 + N)) {}

RidgeAccumulator::RidgeAccumulator(Eigen::MatrixXd zz, RowMatD yz)
    : zz_(std::move(zz)), yz_(std::move(yz)) {}

void RidgeAccumulator::add(const RowMatD& states, const RowMatD& targets) {
  const long K = states.rows(), N = states.cols();
  Eigen::MatrixXd z(1 + N, K);  // the rows as columns [1; x]
  z.row(0).setOnes();
  z.bottomRows(N) = states.transpose();
  // Σ z zᵀ on its lower triangle (mirrored when solved).
  syrk_lower_add(z.rows(), z.cols(), z.data(), z.rows(), zz_.data(), zz_.rows());
  yz_.noalias() += targets.transpose() * z.transpose();
}

RowMatD RidgeAccumulator::solve(double ridge) const {
  Eigen::MatrixXd A = zz_.selfadjointView<Eigen::Lower>();
  A.diagonal().tail(A.rows() - 1).array() += ridge;
  const Eigen::MatrixXd rhs = yz_.transpose();
  Eigen::LLT<Eigen::MatrixXd> llt(A);
  if (llt.info() == Eigen::Success) {
    Eigen::MatrixXd Wt = llt.solve(rhs);
    if (Wt.allFinite()) return Wt.transpose();
  }
  return Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd>(A).solve(rhs).transpose();
}

RlsReadout::RlsReadout(int N, int M, double alpha)
    : W(RowMatD::Zero(M, 1 + N)), P(Eigen::MatrixXd::Identity(1 + N, 1 + N) / alpha) {}

void RlsReadout::update(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  Eigen::VectorXd z(1 + x.size());
  z << 1.0, x;
  const Eigen::VectorXd k = P.selfadjointView<Eigen::Lower>() * z;
  const double c = 1.0 / (1.0 + z.dot(k));
  P.selfadjointView<Eigen::Lower>().rankUpdate(k, -c);
  const Eigen::VectorXd e = W * z - y;
  W.noalias() -= c * e * k.transpose();
}

void lms_update(RowMatD& W, const Eigen::VectorXd& x, const Eigen::VectorXd& y, double rate) {
  Eigen::VectorXd z(1 + x.size());
  z << 1.0, x;
  const Eigen::VectorXd e = y - W * z;
  W.noalias() += rate * e * z.transpose();
}

}  // namespace ctd
