// Forward and backward passes (BPTT) of the torch-layout cells over a batch:
// the input projection of every time step in one product, one TorchCell step
// per time step, and the weight gradients in one product per weight at the end.
#include <algorithm>

#include "nn/eigen_maps.hpp"
#include "nn/rnn.hpp"
#include "nn/torch_cell.hpp"

namespace ctd {

namespace {
using namespace maps;

// Parameter pointers in param_layout order.
template <class P>
struct TorchViews {
  P wih, whh, bih, bhh, wo = nullptr, bo = nullptr;
  TorchViews(const RnnSpec& spec, P base) {
    auto layout = param_layout(spec);
    wih = base + layout[0].offset;
    whh = base + layout[1].offset;
    bih = base + layout[2].offset;
    bhh = base + layout[3].offset;
    if (layout.size() > 4) {
      wo = base + layout[4].offset;
      bo = base + layout[5].offset;
    }
  }
};
}  // namespace

template <class S>
void torch_forward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws) {
  const int B = batch.B, T = batch.T, N = spec.N, U = spec.U, O = spec.O, G = gate_rows(spec), SN = state_size(spec);
  const size_t TB = size_t(B) * T;
  TorchViews<const S*> p(spec, params);
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b)
      std::copy_n(batch.x + (size_t(b) * T + t) * U, U, ws.X.data() + (size_t(t) * B + b) * U);
  if (batch.h0s)
    std::copy_n(batch.h0s, size_t(B) * SN, ws.H.data());
  else
    std::fill_n(ws.H.data(), size_t(B) * SN, S(0));
  MMap<S> GI(ws.gi.data(), TB, G);
  GI.noalias() = CMap<S>(ws.X.data(), TB, U) * CMap<S>(p.wih, G, U).transpose();
  GI.rowwise() += CRowMap<S>(p.bih, G);
  TorchCell<S> cell(spec, p.whh, p.bhh);
  for (int t = 0; t < T; ++t) {
    const size_t g = size_t(t) * B * G;
    S* Hn = ws.H.data() + size_t(t + 1) * B * SN;
    cell.forward(B, ws.gi.data() + g, ws.H.data() + size_t(t) * B * SN, ws.gh.data() + g, ws.gate.data() + g,
                 ws.aux.empty() ? nullptr : ws.aux.data() + size_t(t) * B * N, Hn);
    if (batch.noise)
      for (int b = 0; b < B; ++b) {
        const S* src = batch.noise + (size_t(b) * T + t) * SN;
        for (int i = 0; i < SN; ++i) Hn[size_t(b) * SN + i] += src[i];
      }
  }
  if (O == 0) return;
  CStrided<S> Hall(ws.H.data() + size_t(B) * SN, TB, N, Eigen::OuterStride<>(SN));
  MMap<S> Oall(ws.O.data(), TB, O);
  Oall.noalias() = Hall * CMap<S>(p.wo, O, N).transpose();
  Oall.rowwise() += CRowMap<S>(p.bo, O);
}

template <class S>
void torch_backward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws, S* grad) {
  const int B = batch.B, T = batch.T, N = spec.N, U = spec.U, O = spec.O, G = gate_rows(spec), SN = state_size(spec);
  const size_t TB = size_t(B) * T;
  TorchViews<const S*> p(spec, params);
  TorchViews<S*> g(spec, grad);
  MMap<S> dR(ws.dpre.data(), TB, N);  // the readout's share of dL/dh_t, for all t at once
  if (O > 0)
    dR.noalias() = CMap<S>(ws.dO.data(), TB, O) * CMap<S>(p.wo, O, N);
  else
    dR.setZero();
  TorchCell<S> cell(spec, p.whh, p.bhh);
  MMap<S> dH(ws.dh.data(), B, SN), dHn(ws.tmp.data(), B, SN);
  dH.setZero();
  // In place: gi's slice of step t becomes dL/d(pre-activations) once step t is done.
  for (int t = T - 1; t >= 0; --t) {
    const size_t gofs = size_t(t) * B * G;
    dHn = dH;
    dHn.leftCols(N) += dR.middleRows(size_t(t) * B, B);
    cell.backward(B, dHn.data(), ws.H.data() + size_t(t) * B * SN, ws.gh.data() + gofs, ws.gate.data() + gofs,
                  ws.aux.empty() ? nullptr : ws.aux.data() + size_t(t) * B * N, ws.gi.data() + gofs,
                  ws.dgh.empty() ? nullptr : ws.dgh.data() + gofs, dH.data());
  }
  CMap<S> dGI(ws.gi.data(), TB, G), dGH(ws.dgh.empty() ? ws.gi.data() : ws.dgh.data(), TB, G);
  CStrided<S> Hprev(ws.H.data(), TB, N, Eigen::OuterStride<>(SN));
  MMap<S>(g.wih, G, U).noalias() += dGI.transpose() * CMap<S>(ws.X.data(), TB, U);
  RowMap<S>(g.bih, G) += dGI.colwise().sum();
  MMap<S>(g.whh, G, N).noalias() += dGH.transpose() * Hprev;
  RowMap<S>(g.bhh, G) += dGH.colwise().sum();
  if (O == 0) return;
  CMap<S> dOall(ws.dO.data(), TB, O);
  CStrided<S> Hall(ws.H.data() + size_t(B) * SN, TB, N, Eigen::OuterStride<>(SN));
  MMap<S>(g.wo, O, N).noalias() += dOall.transpose() * Hall;
  RowMap<S>(g.bo, O) += dOall.colwise().sum();
}

template void torch_forward<float>(const RnnSpec&, const float*, const RnnBatch<float>&, RnnWorkspace<float>&);
template void torch_forward<double>(const RnnSpec&, const double*, const RnnBatch<double>&, RnnWorkspace<double>&);
template void torch_backward<float>(const RnnSpec&, const float*, const RnnBatch<float>&, RnnWorkspace<float>&,
                                    float*);
template void torch_backward<double>(const RnnSpec&, const double*, const RnnBatch<double>&,
                                     RnnWorkspace<double>&, double*);

}  // namespace ctd
