// One time step of the torch-layout cells (docs/methods.md §2) for R rows at
// once — PyTorch's nn.RNN, nn.GRU and nn.LSTM equations and the leaky rate
// RNN — forward and as a vector-Jacobian product. It is the one seam between
// these cells and the code that uses them: the training passes call it once
// per time step, the fixed-point map calls it on many states at once.
//
// The input's share of the pre-activations, gi = x W_ihᵀ + b_ih, is computed
// by the caller (for all time steps in one product while training; once for
// x* in the fixed-point map).
//
// All buffers are row-major and contiguous: R rows of G = gate_rows(spec),
// S = state_size(spec) or N values.
#pragma once
#include "nn/rnn.hpp"

namespace ctd {

template <class S>
class TorchCell {
 public:
  // whh [G,N] and bhh [G]: rnn.weight_hh_l0 and rnn.bias_hh_l0.
  TorchCell(const RnnSpec& spec, const S* whh, const S* bhh) : spec_(spec), whh_(whh), bhh_(bhh) {}

  // From gi [R,G] and the previous states hp [R,S] to the new states hn [R,S].
  // Keeps what backward needs: gh [R,G] = h W_hhᵀ + b_hh; gate [R,G] the
  // gates' values (torch-rnn, leaky: act(pre)); aux [R,N] (LSTM: tanh c').
  void forward(int R, const S* gi, const S* hp, S* gh, S* gate, S* aux, S* hn) const;

  // From dhn [R,S] = dL/d(new state) to dgi [R,G] = dL/d(input
  // pre-activations), dgh [R,G] = dL/d(W_hh h + b_hh) (torch-gru only, where
  // it differs from dgi; may be null otherwise) and dhp [R,S] = dL/d(previous
  // state). dhn must not alias dhp.
  void backward(int R, const S* dhn, const S* hp, const S* gh, const S* gate, const S* aux, S* dgi, S* dgh,
                S* dhp) const;

 private:
  RnnSpec spec_;
  const S* whh_;
  const S* bhh_;
};

}  // namespace ctd
