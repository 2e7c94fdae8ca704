// Forward and backward passes of the vanilla RNN and the GRU (docs/methods.md §2).
// Per time step: one product for the recurrence (two for the GRU); weight
// gradients: one product per weight over all T·B rows at the end.
#include <Eigen/Core>
#include <algorithm>

#include "nn/eigen_maps.hpp"
#include "nn/rnn.hpp"

namespace ctd {

namespace {
using namespace maps;

// Parameter pointers by name, resolved once per call.
template <class S, class P>
struct Views {
  P h0{}, wI{}, wR{}, wO{}, bR{}, bO{}, wRUHX{}, wCHX{}, bRU{}, bC{};
  Views(const RnnSpec& spec, P base) {
    for (const auto& e : param_layout(spec)) {
      P p = base + e.offset;
      if (e.name == "h0") h0 = p;
      else if (e.name == "wI") wI = p;
      else if (e.name == "wR") wR = p;
      else if (e.name == "wO") wO = p;
      else if (e.name == "bR") bR = p;
      else if (e.name == "bO") bO = p;
      else if (e.name == "wRUHX") wRUHX = p;
      else if (e.name == "wCHX") wCHX = p;
      else if (e.name == "bRU") bRU = p;
      else if (e.name == "bC") bC = p;
    }
  }
};

// Inputs to time-major, and the initial states into slice 0 of H.
template <class S>
void load_batch(const RnnSpec& spec, const S* h0, const RnnBatch<S>& batch, RnnWorkspace<S>& ws) {
  const int B = batch.B, T = batch.T, U = spec.U, N = spec.N;
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b)
      std::copy_n(batch.x + (size_t(b) * T + t) * U, U, ws.X.data() + (size_t(t) * B + b) * U);
  for (int b = 0; b < B; ++b)
    std::copy_n(batch.h0s ? batch.h0s + size_t(b) * N : h0, N, ws.H.data() + size_t(b) * N);
}

template <class S>
void add_noise(const RnnBatch<S>& batch, int t, int N, S* Ht) {
  if (!batch.noise) return;
  for (int b = 0; b < batch.B; ++b) {
    const S* src = batch.noise + (size_t(b) * batch.T + t) * N;
    S* dst = Ht + size_t(b) * N;
    for (int i = 0; i < N; ++i) dst[i] += src[i];
  }
}

template <class S>
void readout(const RnnSpec& spec, const S* wO_, const S* bO_, RnnWorkspace<S>& ws, int B, int T) {
  const size_t TB = size_t(B) * T;
  CMap<S> Hall(ws.H.data() + size_t(B) * spec.N, TB, spec.N);
  CMap<S> wO(wO_, spec.O, spec.N);
  MMap<S> Oall(ws.O.data(), TB, spec.O);
  Oall.noalias() = Hall * wO.transpose();
  Oall.rowwise() += CRowMap<S>(bO_, spec.O);
}

// ---- vanilla ------------------------------------------------------------------

template <class S>
void vanilla_forward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws) {
  const int B = batch.B, T = batch.T, N = spec.N, U = spec.U;
  Views<S, const S*> p(spec, params);
  load_batch(spec, p.h0, batch, ws);
  CMap<S> wI(p.wI, N, U), wR(p.wR, N, N);
  CRowMap<S> bR(p.bR, N);
  for (int t = 0; t < T; ++t) {
    CMap<S> Hp(ws.H.data() + size_t(t) * B * N, B, N);
    MMap<S> Hn(ws.H.data() + size_t(t + 1) * B * N, B, N);
    CMap<S> Xt(ws.X.data() + size_t(t) * B * U, B, U);
    Hn.noalias() = Hp * wR.transpose();
    Hn.noalias() += Xt * wI.transpose();
    Hn.rowwise() += bR;
    Hn.array() = Hn.array().tanh();  // on a plain map: the vectorised tanh
    add_noise(batch, t, N, Hn.data());
  }
  readout(spec, p.wO, p.bO, ws, B, T);
}

template <class S>
void vanilla_backward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws,
                      S* grad) {
  const int B = batch.B, T = batch.T, N = spec.N, U = spec.U, O = spec.O;
  const size_t TB = size_t(B) * T;
  Views<S, const S*> p(spec, params);
  Views<S, S*> g(spec, grad);
  CMap<S> wR(p.wR, N, N), wO(p.wO, O, N);
  CMap<S> dOall(ws.dO.data(), TB, O);
  MMap<S> dA(ws.dpre.data(), TB, N);
  MMap<S> dH(ws.dh.data(), B, N);
  dA.noalias() = dOall * wO;  // the readout's share of dL/dh_t, for all t at once
  dH.setZero();
  for (int t = T - 1; t >= 0; --t) {
    auto dAt = dA.middleRows(size_t(t) * B, B);
    CMap<S> Ht(ws.H.data() + size_t(t + 1) * B * N, B, N);
    dAt = ((dAt + dH).array() * (S(1) - Ht.array().square())).matrix();
    dH.noalias() = dAt * wR;
  }
  CMap<S> Hprev(ws.H.data(), TB, N), Hall(ws.H.data() + size_t(B) * N, TB, N);
  CMap<S> Xall(ws.X.data(), TB, U);
  MMap<S>(g.wR, N, N).noalias() += dA.transpose() * Hprev;
  MMap<S>(g.wI, N, U).noalias() += dA.transpose() * Xall;
  RowMap<S>(g.bR, N) += dA.colwise().sum();
  MMap<S>(g.wO, O, N).noalias() += dOall.transpose() * Hall;
  RowMap<S>(g.bO, O) += dOall.colwise().sum();
  if (!batch.h0s) RowMap<S>(g.h0, N) += dH.colwise().sum();
}

// ---- GRU --------------------------------------------------------------------------

template <class S>
void gru_forward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws) {
  const int B = batch.B, T = batch.T, N = spec.N, U = spec.U;
  Views<S, const S*> p(spec, params);
  load_batch(spec, p.h0, batch, ws);
  CMap<S> W(p.wRUHX, 2 * N, N + U), Wc(p.wCHX, N, N + U);
  CRowMap<S> bRU(p.bRU, 2 * N), bC(p.bC, N);
  const S bfg = S(spec.bfg);
  for (int t = 0; t < T; ++t) {
    const size_t off = size_t(t) * B * N;
    CMap<S> Hp(ws.H.data() + off, B, N);
    MMap<S> Hn(ws.H.data() + off + size_t(B) * N, B, N);
    CMap<S> Xt(ws.X.data() + size_t(t) * B * U, B, U);
    MMap<S> RU(ws.dru.data() + 2 * off, B, 2 * N);  // pre-activations; the backward pass reuses it
    MMap<S> R(ws.gate_r.data() + off, B, N), Ug(ws.gate_u.data() + off, B, N);
    MMap<S> C(ws.cand.data() + off, B, N), RH(ws.rh.data() + off, B, N);
    RU.noalias() = Hp * W.leftCols(N).transpose();
    RU.noalias() += Xt * W.rightCols(U).transpose();
    RU.rowwise() += bRU;
    R = sigmoid(RU.leftCols(N).array()).matrix();
    Ug = sigmoid((RU.rightCols(N).array() + bfg)).matrix();
    RH = (R.array() * Hp.array()).matrix();
    C.noalias() = RH * Wc.leftCols(N).transpose();
    C.noalias() += Xt * Wc.rightCols(U).transpose();
    C.rowwise() += bC;
    C.array() = C.array().tanh();
    Hn = (Ug.array() * Hp.array() + (S(1) - Ug.array()) * C.array()).matrix();
    add_noise(batch, t, N, Hn.data());
  }
  readout(spec, p.wO, p.bO, ws, B, T);
}

template <class S>
void gru_backward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws, S* grad) {
  const int B = batch.B, T = batch.T, N = spec.N, U = spec.U, O = spec.O;
  const size_t TB = size_t(B) * T;
  Views<S, const S*> p(spec, params);
  Views<S, S*> g(spec, grad);
  CMap<S> W(p.wRUHX, 2 * N, N + U), Wc(p.wCHX, N, N + U), wO(p.wO, O, N);
  CMap<S> dOall(ws.dO.data(), TB, O);
  MMap<S> dCpre(ws.dpre.data(), TB, N), dRU(ws.dru.data(), TB, 2 * N);
  MMap<S> dH(ws.dh.data(), B, N), dHt(ws.tmp.data(), B, N);
  dCpre.noalias() = dOall * wO;  // the readout's share of dL/dh_t, for all t at once
  dH.setZero();
  for (int t = T - 1; t >= 0; --t) {
    const size_t off = size_t(t) * B * N;
    CMap<S> Hp(ws.H.data() + off, B, N);
    CMap<S> R(ws.gate_r.data() + off, B, N), Ug(ws.gate_u.data() + off, B, N), C(ws.cand.data() + off, B, N);
    auto dCt = dCpre.middleRows(size_t(t) * B, B);
    auto dRUt = dRU.middleRows(size_t(t) * B, B);
    dHt = dCt + dH;  // total dL/dh_t
    auto u = Ug.array();
    dRUt.rightCols(N) = (dHt.array() * (Hp.array() - C.array()) * u * (S(1) - u)).matrix();
    dCt = (dHt.array() * (S(1) - u) * (S(1) - C.array().square())).matrix();
    dH = (dHt.array() * u).matrix();
    dHt.noalias() = dCt * Wc.leftCols(N);  // now dL/d(r*h)
    dRUt.leftCols(N) = (dHt.array() * Hp.array() * R.array() * (S(1) - R.array())).matrix();
    dH += (dHt.array() * R.array()).matrix();
    dH.noalias() += dRUt * W.leftCols(N);
  }
  CMap<S> Hprev(ws.H.data(), TB, N), Hall(ws.H.data() + size_t(B) * N, TB, N);
  CMap<S> Xall(ws.X.data(), TB, U), RHall(ws.rh.data(), TB, N);
  MMap<S> gW(g.wRUHX, 2 * N, N + U), gWc(g.wCHX, N, N + U);
  gW.leftCols(N).noalias() += dRU.transpose() * Hprev;
  gW.rightCols(U).noalias() += dRU.transpose() * Xall;
  RowMap<S>(g.bRU, 2 * N) += dRU.colwise().sum();
  gWc.leftCols(N).noalias() += dCpre.transpose() * RHall;
  gWc.rightCols(U).noalias() += dCpre.transpose() * Xall;
  RowMap<S>(g.bC, N) += dCpre.colwise().sum();
  MMap<S>(g.wO, O, N).noalias() += dOall.transpose() * Hall;
  RowMap<S>(g.bO, O) += dOall.colwise().sum();
  if (!batch.h0s) RowMap<S>(g.h0, N) += dH.colwise().sum();
}
}  // namespace

template <class S>
void rnn_forward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws) {
  if (ws.B < batch.B || ws.T != batch.T) ws.reserve(spec, batch.B, batch.T);
  ws.B = batch.B;
  if (spec.cell == Cell::Vanilla)
    vanilla_forward(spec, params, batch, ws);
  else if (spec.cell == Cell::Gru)
    gru_forward(spec, params, batch, ws);
  else
    torch_forward(spec, params, batch, ws);
}

template <class S>
void rnn_backward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws, S* grad) {
  if (spec.cell == Cell::Vanilla)
    vanilla_backward(spec, params, batch, ws, grad);
  else if (spec.cell == Cell::Gru)
    gru_backward(spec, params, batch, ws, grad);
  else
    torch_backward(spec, params, batch, ws, grad);
}

template void rnn_forward<float>(const RnnSpec&, const float*, const RnnBatch<float>&, RnnWorkspace<float>&);
template void rnn_forward<double>(const RnnSpec&, const double*, const RnnBatch<double>&, RnnWorkspace<double>&);
template void rnn_backward<float>(const RnnSpec&, const float*, const RnnBatch<float>&, RnnWorkspace<float>&,
                                  float*);
template void rnn_backward<double>(const RnnSpec&, const double*, const RnnBatch<double>&, RnnWorkspace<double>&,
                                   double*);

}  // namespace ctd
