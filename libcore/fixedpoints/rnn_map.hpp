// One step of a trained RNN with its input held fixed, F(h) = rnn_step(h, x*),
// as the fixed-point analysis needs it (docs/methods.md §3): the map on many states
// at once with the gradient of q, and, per state, the Jacobians ∂F/∂h and
// ∂F/∂x in closed form.
#pragma once
#include <Eigen/Core>

#include "nn/rnn_model.hpp"

namespace ctd {

template <class S>
class RnnMap {
 public:
  using Mat = Eigen::Matrix<S, -1, -1, Eigen::RowMajor>;
  using Vec = Eigen::Matrix<S, -1, 1>;

  RnnMap(const RnnModel& model, const Eigen::VectorXd& x_star);

  int N() const { return spec_.N; }
  int U() const { return spec_.U; }
  const RnnSpec& spec() const { return spec_; }

  // F for every row of H [K,N] (row k a state); into F [K,N].
  void map(const Mat& H, Mat& F) const;
  // q_k = mean_i (h − F(h))_i² per row, and the gradient of Σ_k w·q_k with
  // respect to every state, for a common weight w (the tutorial's objective
  // is the mean over points: w = 1/K).
  void q_and_grad(const Mat& H, S weight, Vec& q, Mat& G) const;

  Vec step(const Vec& h, const Vec& x) const;  // F(h) at another input
  Vec step(const Vec& h) const;                // F(h) at x*
  Mat dFdh(const Vec& h) const;                // J[i,j] = ∂F_i/∂h_j
  Mat dFdx(const Vec& h) const;                // [N,U]
  // The readout wO h + bO.
  Vec readout(const Vec& h) const;
  const Mat& wO() const { return wO_; }
  const Eigen::VectorXd& x_star() const { return x_star_; }

 private:
  // The GRU's gates at h and the factors both Jacobians share.
  struct GruDerivatives {
    Vec r, u;      // gates
    Vec du, dc, dr;  // (h−c)·u′, (1−u)(1−c²), h·r′
    Mat A;         // ∂F/∂(r∘h) through the candidate: diag(dc)·wCh
  };
  GruDerivatives derivatives(const Vec& h) const;

  RnnSpec spec_;
  Mat wR_, wI_, wO_;            // vanilla (wR [N,N], wI [N,U])
  Mat wRUh_, wRUx_, wCh_, wCx_; // GRU blocks of wRUHX and wCHX
  Vec bias_, bO_;               // vanilla: wI x* + bR; GRU: bRU + wRUx x* (ru) ...
  Vec cbias_;                   // GRU: bC + wCx x*
  Eigen::VectorXd x_star_;
  Vec bR_, bRU_, bC_;
};

}  // namespace ctd
