// One step of a trained RNN with its input held fixed, F(h) = rnn_step(h, x*),
// as the fixed-point analysis needs it (docs/methods.md §3): the map on many states
// at once with the gradient of q, and, per state, the Jacobians ∂F/∂h and
// ∂F/∂x — in closed form for the tutorials' cells, and through the torch
// cells' vector-Jacobian product (nn/torch_cell.hpp) for the others.
//
// A state is what the network carries from step to step: N values, or 2N for
// the LSTM ([h, c]); every matrix here is over that state.
#pragma once
#include <Eigen/Core>

#include "nn/rnn_model.hpp"
#include "nn/torch_cell.hpp"

namespace ctd {

template <class S>
class RnnMap {
 public:
  using Mat = Eigen::Matrix<S, -1, -1, Eigen::RowMajor>;
  using Vec = Eigen::Matrix<S, -1, 1>;

  RnnMap(const RnnModel& model, const Eigen::VectorXd& x_star);

  int dim() const { return state_size(spec_); }  // values per state
  int U() const { return spec_.U; }
  const RnnSpec& spec() const { return spec_; }

  // F for every row of H [K,dim] (row k a state); into F [K,dim].
  void map(const Mat& H, Mat& F) const;
  // q_k = mean_i (h − F(h))_i² per row, and the gradient of Σ_k w·q_k with
  // respect to every state, for a common weight w (the tutorial's objective
  // is the mean over points: w = 1/K).
  void q_and_grad(const Mat& H, S weight, Vec& q, Mat& G) const;

  Vec step(const Vec& h, const Vec& x) const;  // F(h) at another input
  Vec step(const Vec& h) const;                // F(h) at x*
  Mat dFdh(const Vec& h) const;                // J[i,j] = ∂F_i/∂h_j
  Mat dFdx(const Vec& h) const;                // [dim,U]
  // The readout wO h + bO.
  Vec readout(const Vec& h) const;
  const Mat& wO() const { return wO_; }        // [O,dim] (zero on an LSTM's c)
  const Eigen::VectorXd& x_star() const { return x_star_; }

 private:
  // The GRU's gates at h and the factors both Jacobians share.
  struct GruDerivatives {
    Vec r, u;      // gates
    Vec du, dc, dr;  // (h−c)·u′, (1−u)(1−c²), h·r′
    Mat A;         // ∂F/∂(r∘h) through the candidate: diag(dc)·wCh
  };
  GruDerivatives derivatives(const Vec& h) const;

  // The torch-layout cells: one step of K states at x (gi: x's share of the
  // pre-activations), and its vector-Jacobian product for the rows of V.
  struct TorchStep {
    Mat gh, gate, aux, F;
  };
  Vec torch_gi(const Vec& x) const;
  TorchStep torch_map(const Mat& H, const Vec& gi) const;
  void torch_vjp(const Mat& H, const TorchStep& st, const Mat& V, Mat* dH, Mat* dGi) const;
  Mat wih_, whh_;               // torch layout: rnn.weight_ih_l0, rnn.weight_hh_l0
  Vec bih_, bhh_, gi_star_;     // gi_star_ = W_ih x* + b_ih

  RnnSpec spec_;
  Mat wR_, wI_, wO_;            // vanilla (wR [N,N], wI [N,U])
  Mat wRUh_, wRUx_, wCh_, wCx_; // GRU blocks of wRUHX and wCHX
  Vec bias_, bO_;               // vanilla: wI x* + bR; GRU: bRU + wRUx x* (ru) ...
  Vec cbias_;                   // GRU: bC + wCx x*
  Eigen::VectorXd x_star_;
  Vec bR_, bRU_, bC_;
};

}  // namespace ctd
