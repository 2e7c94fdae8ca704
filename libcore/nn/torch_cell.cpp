#include "nn/torch_cell.hpp"

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
}  // namespace

template <class S>
void TorchCell<S>::forward(int R, const S* gi, const S* hp, S* gh, S* gate, S* aux, S* hn) const {
  const int N = spec_.N, G = gate_rows(spec_), SN = state_size(spec_);
  CMap<S> whh(whh_, G, N), GI(gi, R, G);
  CStrided<S> H(hp, R, N, Eigen::OuterStride<>(SN));
  MMap<S> GH(gh, R, G), A(gate, R, G);
  GH.noalias() = H * whh.transpose();
  GH.rowwise() += Eigen::Map<const Eigen::Matrix<S, 1, -1>>(bhh_, G);
  if (spec_.cell == Cell::TorchGru) {
    A.leftCols(2 * N) = sigmoid((GI.leftCols(2 * N) + GH.leftCols(2 * N)).array()).matrix();
    auto r = A.leftCols(N).array(), z = A.middleCols(N, N).array();
    A.rightCols(N) = (GI.rightCols(N).array() + r * GH.rightCols(N).array()).tanh().matrix();
    MMap<S>(hn, R, N) = ((S(1) - z) * A.rightCols(N).array() + z * H.array()).matrix();
  } else if (spec_.cell == Cell::Lstm) {
    A = GI + GH;
    A.leftCols(2 * N) = sigmoid(A.leftCols(2 * N).array()).matrix();   // i, f
    A.middleCols(2 * N, N) = A.middleCols(2 * N, N).array().tanh().matrix();  // g
    A.rightCols(N) = sigmoid(A.rightCols(N).array()).matrix();         // o
    CStrided<S> C(hp + N, R, N, Eigen::OuterStride<>(SN));
    MStrided<S> Hn(hn, R, N, Eigen::OuterStride<>(SN)), Cn(hn + N, R, N, Eigen::OuterStride<>(SN));
    MMap<S> TC(aux, R, N);
    Cn = (A.middleCols(N, N).array() * C.array() + A.leftCols(N).array() * A.middleCols(2 * N, N).array()).matrix();
    TC = Cn.array().tanh().matrix();
    Hn = (A.rightCols(N).array() * TC.array()).matrix();
  } else {  // torch-rnn, leaky
    GH += GI;  // the pre-activation; backward needs only its activation
    activate<S>(spec_.act, GH, A);
    MMap<S> Hn(hn, R, N);
    if (spec_.alpha == 1.0)
      Hn = A;
    else
      Hn = (S(1 - spec_.alpha) * H.array() + S(spec_.alpha) * A.array()).matrix();
  }
}

template <class S>
void TorchCell<S>::backward(int R, const S* dhn, const S* hp, const S* gh, const S* gate, const S* aux, S* dgi,
                            S* dgh, S* dhp) const {
  const int N = spec_.N, G = gate_rows(spec_), SN = state_size(spec_);
  CMap<S> whh(whh_, G, N), A(gate, R, G);
  CStrided<S> H(hp, R, N, Eigen::OuterStride<>(SN)), dHn(dhn, R, N, Eigen::OuterStride<>(SN));
  MMap<S> dGI(dgi, R, G);
  MStrided<S> dH(dhp, R, N, Eigen::OuterStride<>(SN));
  if (spec_.cell == Cell::TorchGru) {
    CMap<S> GH(gh, R, G);
    MMap<S> dGH(dgh, R, G);
    auto r = A.leftCols(N).array(), z = A.middleCols(N, N).array(), n = A.rightCols(N).array();
    dGI.rightCols(N) = (dHn.array() * (S(1) - z) * (S(1) - n.square())).matrix();              // d n-pre
    dGI.middleCols(N, N) = (dHn.array() * (H.array() - n) * z * (S(1) - z)).matrix();           // d z-pre
    dGI.leftCols(N) = (dGI.rightCols(N).array() * GH.rightCols(N).array() * r * (S(1) - r)).matrix();  // d r-pre
    dGH.leftCols(2 * N) = dGI.leftCols(2 * N);
    dGH.rightCols(N) = (dGI.rightCols(N).array() * r).matrix();
    dH = (dHn.array() * z).matrix();
    dH.noalias() += dGH * whh;
  } else if (spec_.cell == Cell::Lstm) {
    CStrided<S> dCn(dhn + N, R, N, Eigen::OuterStride<>(SN)), C(hp + N, R, N, Eigen::OuterStride<>(SN));
    MStrided<S> dC(dhp + N, R, N, Eigen::OuterStride<>(SN));
    CMap<S> TC(aux, R, N);
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
    dGI = (S(spec_.alpha) * dHn.array() * activation_slope<S>(spec_.act, A)).matrix();
    if (spec_.alpha == 1.0)
      dH.noalias() = dGI * whh;
    else {
      dH = (S(1 - spec_.alpha) * dHn.array()).matrix();
      dH.noalias() += dGI * whh;
    }
  }
}

template class TorchCell<float>;
template class TorchCell<double>;

}  // namespace ctd
