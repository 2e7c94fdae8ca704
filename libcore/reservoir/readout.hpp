// The reservoir's linear readout y = W_out [1; x] and the three ways to learn
// it (docs/methods.md §11): offline ridge regression over every training row
// of every sequence, recursive least squares (online, as FORCE) and the
// least-mean-squares rule (online, gradient steps).
#pragma once
#include <Eigen/Core>

#include "reservoir/reservoir.hpp"

namespace ctd {

// y [M,B] = W.col(0) + W.rightCols(N) · x [N,B].
Eigen::MatrixXd read_out(const RowMatD& W, const Eigen::MatrixXd& x);

// Ridge regression from the sums of the normal equations, so that rows can
// come in any number of blocks and sequences (and a saved model can take
// more): W_out = Y Zᵀ (Z Zᵀ + λ D)⁻¹ with Z = [1; x] over the rows and D the
// identity without its bias entry (the intercept is not penalised).
class RidgeAccumulator {
 public:
  RidgeAccumulator(int N, int M);
  RidgeAccumulator(Eigen::MatrixXd zz, RowMatD yz);  // saved sums
  // Adds rows: states [K,N] and targets [K,M].
  void add(const RowMatD& states, const RowMatD& targets);
  // Solved by Cholesky; a singular system (λ = 0 on collinear states) falls
  // back to the minimum-norm least-squares solution.
  RowMatD solve(double ridge) const;
  const Eigen::MatrixXd& zz() const { return zz_; }  // Σ z zᵀ [(1+N),(1+N)], full
  const RowMatD& yz() const { return yz_; }       // Σ y zᵀ [M,(1+N)]
  double rows() const { return zz_(0, 0); }

 private:
  Eigen::MatrixXd zz_;
  RowMatD yz_;
};

// Recursive least squares on every output at once (they share z, so they
// share P): k = P z, c = 1/(1 + zᵀk), P ← P − c k kᵀ, W ← W − c (W z − y) kᵀ;
// P starts at I/α.
struct RlsReadout {
  RowMatD W;       // [M,1+N]
  Eigen::MatrixXd P;  // [(1+N),(1+N)]
  RlsReadout(int N, int M, double alpha);
  RlsReadout(RowMatD W, Eigen::MatrixXd P) : W(std::move(W)), P(std::move(P)) {}
  void update(const Eigen::VectorXd& x, const Eigen::VectorXd& y);
};

// LMS: W ← W + η (y − W z) zᵀ.
void lms_update(RowMatD& W, const Eigen::VectorXd& x, const Eigen::VectorXd& y, double rate);

}  // namespace ctd
