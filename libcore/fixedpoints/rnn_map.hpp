// One step of a trained RNN with its input held fixed, F(h) = rnn_step(h, x*),
// as the fixed-point analysis needs it (docs/methods.md §3): the map on many states
// at once with the gradient of q, and, per state, the Jacobians ∂F/∂h and
// ∂F/∂x — all through the cell's forward step and vector-Jacobian product
// (nn/cell.hpp), whatever the cell.
//
// A state is what the network carries from step to step: N values, or 2N for
// the LSTM ([h, c]); every matrix here is over that state.
#pragma once
#include <Eigen/Core>
#include <memory>

#include "nn/cell.hpp"
#include "nn/rnn_model.hpp"

namespace ctd {

template <class S>
class RnnMap {
 public:
  using Mat = Eigen::Matrix<S, -1, -1, Eigen::RowMajor>;
  using Vec = Eigen::Matrix<S, -1, 1>;

  RnnMap(const RnnModel& model, const Eigen::VectorXd& x_star);

  int dim() const { return cell_->state(); }  // values per state
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
  // Both at another input x: J = ∂F/∂h [dim,dim], Jx = ∂F/∂x [dim,U].
  void jacobians_at(const Vec& h, const Vec& x, Mat& J, Mat& Jx) const;
  // The box a fixed point of the cell lies in (RecurrentCell::fixed_point_bounds).
  void fixed_point_bounds(Eigen::VectorXd& lo, Eigen::VectorXd& hi) const;
  // The readout wO h + bO.
  Vec readout(const Vec& h) const;
  const Mat& wO() const { return wO_; }        // [O,dim] (zero on an LSTM's c)
  const Eigen::VectorXd& x_star() const { return x_star_; }

 private:
  // The input's share of the pre-activations at x (one row).
  Vec input_share(const Vec& x) const;

  RnnSpec spec_;
  std::vector<S> params_;                        // the model's parameters, in S
  std::unique_ptr<const RecurrentCell<S>> cell_;  // over params_
  Vec gi_star_;                                  // the share of x*
  Mat wO_;
  Vec bO_;
  Eigen::VectorXd x_star_;
};

// The model's initial state as `dim` values (zeros past what it stores: an LSTM's c).
Eigen::VectorXd initial_state(const RnnModel& model, int dim);

}  // namespace ctd
