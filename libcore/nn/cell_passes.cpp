// Forward and backward passes (BPTT) of every cell over a batch, through the
// cell seam (nn/cell.hpp): the input's share of every time step in one
// product, one cell step per time step (one matrix product over all trials
// for the recurrence), and the weight gradients in one product per weight
// over all T·B rows at the end.
#include <algorithm>

#include "nn/cell.hpp"
#include "nn/eigen_maps.hpp"
#include "nn/rnn.hpp"

namespace ctd {

namespace {
using namespace maps;

bool has_h0(const RnnSpec& spec) { return !torch_layout(spec.cell); }  // the tutorials' trained initial state
}  // namespace

template <class S>
void rnn_forward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws) {
  if (ws.B < batch.B || ws.T != batch.T) ws.reserve(spec, batch.B, batch.T);
  ws.B = batch.B;
  const int B = batch.B, T = batch.T, N = spec.N, U = spec.U, O = spec.O, SN = state_size(spec);
  const size_t TB = size_t(B) * T;
  const auto cell = make_cell(spec, params);
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b)
      std::copy_n(batch.x + (size_t(b) * T + t) * U, U, ws.X.data() + (size_t(t) * B + b) * U);
  // Slice 0 of H: the given initial states, else the trained h0 (the tutorials' cells) or zeros.
  const S* h0 = has_h0(spec) ? params + find_param(param_layout(spec), "h0").offset : nullptr;
  for (int b = 0; b < B; ++b) {
    S* dst = ws.H.data() + size_t(b) * SN;
    if (batch.h0s)
      std::copy_n(batch.h0s + size_t(b) * SN, SN, dst);
    else if (h0)
      std::copy_n(h0, SN, dst);
    else
      std::fill_n(dst, SN, S(0));
  }
  // The input's share step by step, in a buffer of one step that stays in
  // the cache (a buffer of every step would be written and read once more).
  S* gi = ws.step.data();
  for (int t = 0; t < T; ++t) {
    S* Hn = ws.H.data() + size_t(t + 1) * B * SN;
    cell->project(B, ws.X.data() + size_t(t) * B * U, gi);
    cell->forward(B, gi, false, ws.H.data() + size_t(t) * B * SN,
                  ws.cache.planes.at(size_t(t) * B, cell->cache_widths()), Hn);
    if (batch.noise)
      for (int b = 0; b < B; ++b) {
        const S* src = batch.noise + (size_t(b) * T + t) * SN;
        for (int i = 0; i < SN; ++i) Hn[size_t(b) * SN + i] += src[i];
      }
  }
  if (O == 0) return;
  const auto layout = param_layout(spec);
  CStrided<S> Hall(ws.H.data() + size_t(B) * SN, TB, N, Eigen::OuterStride<>(SN));
  MMap<S> Oall(ws.O.data(), TB, O);
  Oall.noalias() = Hall * CMap<S>(params + find_param(layout, readout_weight_name(spec)).offset, O, N).transpose();
  Oall.rowwise() += CRowMap<S>(params + find_param(layout, readout_bias_name(spec)).offset, O);
}

template <class S>
void rnn_backward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws, S* grad) {
  const int B = batch.B, T = batch.T, N = spec.N, O = spec.O, SN = state_size(spec);
  const size_t TB = size_t(B) * T;
  const auto cell = make_cell(spec, params);
  const auto layout = param_layout(spec);
  const S* wO = O > 0 ? params + find_param(layout, readout_weight_name(spec)).offset : nullptr;
  MMap<S> dR(ws.step.data(), B, N);  // the readout's share of dL/dh_t, step by step
  // dL/dh of the step after, and of this one: two buffers, swapped every step.
  S* dh_next = ws.dh.data();
  S* dh = ws.tmp.data();
  std::fill_n(dh_next, size_t(B) * SN, S(0));
  for (int t = T - 1; t >= 0; --t) {
    const size_t row = size_t(t) * B;
    if (O > 0) dR.noalias() = CMap<S>(ws.dO.data() + row * O, B, O) * CMap<S>(wO, O, N);
    cell->backward(B, dh_next, O > 0 ? dR.data() : nullptr, ws.H.data() + row * SN, ws.H.data() + (row + B) * SN,
                   ws.cache.planes.at(row, cell->cache_widths()), ws.work.planes.at(row, cell->work_widths()), dh);
    std::swap(dh, dh_next);
  }
  CMap<S> dH(dh_next, B, SN);  // dL/d(initial state)
  cell->add_weight_grads(int(TB), ws.X.data(), ws.H.data(), ws.cache.planes, ws.work.planes, grad);
  if (has_h0(spec) && !batch.h0s) RowMap<S>(grad + find_param(layout, "h0").offset, SN) += dH.colwise().sum();
  if (O == 0) return;
  CMap<S> dOall(ws.dO.data(), TB, O);
  CStrided<S> Hall(ws.H.data() + size_t(B) * SN, TB, N, Eigen::OuterStride<>(SN));
  MMap<S>(grad + find_param(layout, readout_weight_name(spec)).offset, O, N).noalias() += dOall.transpose() * Hall;
  RowMap<S>(grad + find_param(layout, readout_bias_name(spec)).offset, O) += dOall.colwise().sum();
}

template void rnn_forward<float>(const RnnSpec&, const float*, const RnnBatch<float>&, RnnWorkspace<float>&);
template void rnn_forward<double>(const RnnSpec&, const double*, const RnnBatch<double>&, RnnWorkspace<double>&);
template void rnn_backward<float>(const RnnSpec&, const float*, const RnnBatch<float>&, RnnWorkspace<float>&,
                                  float*);
template void rnn_backward<double>(const RnnSpec&, const double*, const RnnBatch<double>&, RnnWorkspace<double>&,
                                   double*);

}  // namespace ctd
