// PyTorch's cells (docs/methods.md §2) under their state_dict names —
// nn.RNN (tanh or relu), nn.GRU, nn.LSTM — and the leaky rate RNN
// h' = (1 − α)h + α·act(W_ih x + b_ih + W_hh h + b_hh). gi = x W_ihᵀ + b_ih.
#include <algorithm>
#include <limits>

#include "nn/cell.hpp"
#include "nn/eigen_maps.hpp"

namespace ctd {

namespace {
using namespace maps;

template <class S>
void activate(Activation act, const MMap<S>& pre, MMap<S> out) {
  switch (act) {
    case Activation::Tanh: out.array() = pre.array().tanh(); break;
    case Activation::Relu: out.array() = pre.array().max(S(0)); break;
    case Activation::Softplus:  // log(1 + e^p) without overflow
      out.array() = pre.array().max(S(0)) + (-pre.array().abs()).exp().log1p();
      break;
  }
}

// act'(pre) written in terms of a = act(pre).
template <class S>
auto activation_slope(Activation act, const CMap<S>& a) -> Eigen::Array<S, -1, -1, Eigen::RowMajor> {
  switch (act) {
    case Activation::Tanh: return S(1) - a.array().square();
    case Activation::Relu: return (a.array() > S(0)).template cast<S>();
    case Activation::Softplus: return -(-a.array()).expm1();  // σ(p) = 1 − e^{−a}
  }
  return {};
}

template <class S>
class TorchCell final : public RecurrentCell<S> {
 public:
  // Cache planes: gh = h W_hhᵀ + b_hh [G], the gates' values [G] (torch-rnn,
  // leaky: act(pre)), and (LSTM) tanh c' [N]. Work: dL/dgi [G], dL/d(W_hh h
  // + b_hh) [G], which differs from it in the GRU alone, and a scratch plane [N].
  TorchCell(const RnnSpec& spec, const S* params, std::vector<ParamEntry> layout)
      : RecurrentCell<S>(spec, std::move(layout), gate_rows(spec),
                         {gate_rows(spec), gate_rows(spec), spec.cell == Cell::Lstm ? spec.N : 0},
                         {gate_rows(spec), spec.cell == Cell::TorchGru ? gate_rows(spec) : 0, spec.N}),
        wih_(this->at(params, "rnn.weight_ih_l0")), whh_(this->at(params, "rnn.weight_hh_l0")),
        bih_(this->at(params, "rnn.bias_ih_l0")), bhh_(this->at(params, "rnn.bias_hh_l0")) {}

  // At a fixed point h = act(...) (torch-rnn, leaky), h = n = tanh(...) (the
  // GRU), h = o·tanh(c) with c unbounded (the LSTM).
  void fixed_point_bounds(S* lo, S* hi) const override {
    const RnnSpec& spec = this->spec();
    const S inf = std::numeric_limits<S>::infinity();
    const bool tanh = spec.cell == Cell::TorchGru || spec.cell == Cell::Lstm || spec.act == Activation::Tanh;
    std::fill(lo, lo + spec.N, tanh ? S(-1) : S(0));  // relu and softplus: [0, ∞)
    std::fill(hi, hi + spec.N, tanh ? S(1) : inf);
    std::fill(lo + spec.N, lo + this->state(), -inf);  // the LSTM's c
    std::fill(hi + spec.N, hi + this->state(), inf);
  }

  void project(int R, const S* x, S* gi) const override {
    const int G = this->gates(), U = this->spec().U;
    MMap<S> GI(gi, R, G);
    GI.noalias() = CMap<S>(x, R, U) * CMap<S>(wih_, G, U).transpose();
    GI.rowwise() += CRowMap<S>(bih_, G);
  }

  void input_vjp(int R, const Planes<const S>&, const Planes<const S>& work, S* dx) const override {
    const int G = this->gates(), U = this->spec().U;
    MMap<S>(dx, R, U).noalias() = CMap<S>(work.p[0], R, G) * CMap<S>(wih_, G, U);
  }

  void forward(int R, const S* gi, bool shared_gi, const S* hp, const Planes<S>& cache, S* hn) const override {
    const RnnSpec& spec = this->spec();
    const int N = spec.N, G = this->gates(), SN = this->state();
    Mat<S> shared;  // a held input's share, one row for every row
    if (shared_gi) shared = CRowMap<S>(gi, G).replicate(R, 1);
    CMap<S> whh(whh_, G, N), GI(shared_gi ? shared.data() : gi, R, G);
    CStrided<S> H(hp, R, N, Eigen::OuterStride<>(SN));
    MMap<S> GH(cache.p[0], R, G), A(cache.p[1], R, G);
    GH.noalias() = H * whh.transpose();
    GH.rowwise() += CRowMap<S>(bhh_, G);
    if (spec.cell == Cell::TorchGru) {
      A.leftCols(2 * N) = sigmoid((GI.leftCols(2 * N) + GH.leftCols(2 * N)).array()).matrix();
      auto r = A.leftCols(N).array(), z = A.middleCols(N, N).array();
      A.rightCols(N) = (GI.rightCols(N).array() + r * GH.rightCols(N).array()).tanh().matrix();
      MMap<S>(hn, R, N) = ((S(1) - z) * A.rightCols(N).array() + z * H.array()).matrix();
    } else if (spec.cell == Cell::Lstm) {
      A = GI + GH;
      A.leftCols(2 * N) = sigmoid(A.leftCols(2 * N).array()).matrix();         // i, f
      A.middleCols(2 * N, N) = A.middleCols(2 * N, N).array().tanh().matrix();  // g
      A.rightCols(N) = sigmoid(A.rightCols(N).array()).matrix();               // o
      CStrided<S> C(hp + N, R, N, Eigen::OuterStride<>(SN));
      MStrided<S> Hn(hn, R, N, Eigen::OuterStride<>(SN)), Cn(hn + N, R, N, Eigen::OuterStride<>(SN));
      MMap<S> TC(cache.p[2], R, N);
      Cn = (A.middleCols(N, N).array() * C.array() + A.leftCols(N).array() * A.middleCols(2 * N, N).array()).matrix();
      TC = Cn.array().tanh().matrix();
      Hn = (A.rightCols(N).array() * TC.array()).matrix();
    } else {  // torch-rnn, leaky
      GH += GI;  // the pre-activation; backward needs only its activation
      activate<S>(spec.act, GH, A);
      MMap<S> Hn(hn, R, N);
      if (spec.alpha == 1.0)
        Hn = A;
      else
        Hn = (S(1 - spec.alpha) * H.array() + S(spec.alpha) * A.array()).matrix();
    }
  }

  void backward(int R, const S* dhn, const S* dout, const S* hp, const S*, const Planes<S>& cache,
                const Planes<S>& work, S* dhp) const override {
    const RnnSpec& spec = this->spec();
    const int N = spec.N, G = this->gates(), SN = this->state();
    CMap<S> whh(whh_, G, N), A(cache.p[1], R, G);
    CStrided<S> H(hp, R, N, Eigen::OuterStride<>(SN));
    MMap<S> dGI(work.p[0], R, G);
    MStrided<S> dH(dhp, R, N, Eigen::OuterStride<>(SN));
    // dL/dh' in total, read below as dHn: with the readout's share added (in
    // the scratch plane), or as given. An LSTM's c has no readout share.
    if (dout) MMap<S>(work.p[2], R, N) = CStrided<S>(dhn, R, N, Eigen::OuterStride<>(SN)) + CMap<S>(dout, R, N);
    CStrided<S> dHn(dout ? work.p[2] : dhn, R, N, Eigen::OuterStride<>(dout ? N : SN));
    if (spec.cell == Cell::TorchGru) {
      CMap<S> GH(cache.p[0], R, G);
      MMap<S> dGH(work.p[1], R, G);
      auto r = A.leftCols(N).array(), z = A.middleCols(N, N).array(), n = A.rightCols(N).array();
      dGI.rightCols(N) = (dHn.array() * (S(1) - z) * (S(1) - n.square())).matrix();                     // d n-pre
      dGI.middleCols(N, N) = (dHn.array() * (H.array() - n) * z * (S(1) - z)).matrix();                  // d z-pre
      dGI.leftCols(N) = (dGI.rightCols(N).array() * GH.rightCols(N).array() * r * (S(1) - r)).matrix();  // d r-pre
      dGH.leftCols(2 * N) = dGI.leftCols(2 * N);
      dGH.rightCols(N) = (dGI.rightCols(N).array() * r).matrix();
      dH = (dHn.array() * z).matrix();
      dH.noalias() += dGH * whh;
    } else if (spec.cell == Cell::Lstm) {
      CStrided<S> dCn(dhn + N, R, N, Eigen::OuterStride<>(SN)), C(hp + N, R, N, Eigen::OuterStride<>(SN));
      MStrided<S> dC(dhp + N, R, N, Eigen::OuterStride<>(SN));
      CMap<S> TC(cache.p[2], R, N);
      auto i = A.leftCols(N).array(), f = A.middleCols(N, N).array(), g = A.middleCols(2 * N, N).array(),
           o = A.rightCols(N).array();
      // dC first holds dL/dc' in total (through h' and directly), then dL/dc.
      dC = (dCn.array() + dHn.array() * o * (S(1) - TC.array().square())).matrix();
      dGI.leftCols(N) = (dC.array() * g * i * (S(1) - i)).matrix();
      dGI.middleCols(N, N) = (dC.array() * C.array() * f * (S(1) - f)).matrix();
      dGI.middleCols(2 * N, N) = (dC.array() * i * (S(1) - g.square())).matrix();
      dGI.rightCols(N) = (dHn.array() * TC.array() * o * (S(1) - o)).matrix();
      dC = (dC.array() * f).matrix();
      dH.noalias() = dGI * whh;
    } else {  // torch-rnn, leaky
      dGI = (S(spec.alpha) * dHn.array() * activation_slope<S>(spec.act, A)).matrix();
      if (spec.alpha == 1.0) {
        dH.noalias() = dGI * whh;
      } else {
        dH = (S(1 - spec.alpha) * dHn.array()).matrix();
        dH.noalias() += dGI * whh;
      }
    }
  }

  void add_weight_grads(int R, const S* x, const S* hp, const Planes<const S>&, const Planes<const S>& work,
                        S* grad) const override {
    const int N = this->spec().N, U = this->spec().U, G = this->gates(), SN = this->state();
    CMap<S> dGI(work.p[0], R, G), dGH(this->spec().cell == Cell::TorchGru ? work.p[1] : work.p[0], R, G);
    CStrided<S> Hprev(hp, R, N, Eigen::OuterStride<>(SN));
    MMap<S>(this->at(grad, "rnn.weight_ih_l0"), G, U).noalias() += dGI.transpose() * CMap<S>(x, R, U);
    RowMap<S>(this->at(grad, "rnn.bias_ih_l0"), G) += dGI.colwise().sum();
    MMap<S>(this->at(grad, "rnn.weight_hh_l0"), G, N).noalias() += dGH.transpose() * Hprev;
    RowMap<S>(this->at(grad, "rnn.bias_hh_l0"), G) += dGH.colwise().sum();
  }

 private:
  const S *wih_, *whh_, *bih_, *bhh_;
};
}  // namespace

template <class S>
std::unique_ptr<const RecurrentCell<S>> make_torch_cell(const RnnSpec& spec, const S* params,
                                                          std::vector<ParamEntry> layout) {
  return std::make_unique<TorchCell<S>>(spec, params, std::move(layout));
}
template std::unique_ptr<const RecurrentCell<float>> make_torch_cell(const RnnSpec&, const float*,
                                                                         std::vector<ParamEntry>);
template std::unique_ptr<const RecurrentCell<double>> make_torch_cell(const RnnSpec&, const double*,
                                                                          std::vector<ParamEntry>);

}  // namespace ctd
