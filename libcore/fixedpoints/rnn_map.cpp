#include "fixedpoints/rnn_map.hpp"

#include "nn/eigen_maps.hpp"

namespace ctd {

using maps::sigmoid;

template <class S>
RnnMap<S>::RnnMap(const RnnModel& m, const Eigen::VectorXd& x_star) : spec_(m.spec), x_star_(x_star) {
  const int N = spec_.N, U = spec_.U, O = spec_.O;
  using FMat = Eigen::Matrix<float, -1, -1, Eigen::RowMajor>;
  auto mat = [&](const char* name, int rows, int cols) -> Mat {
    return Eigen::Map<const FMat>(m.param(name), rows, cols).template cast<S>();
  };
  auto vec = [&](const char* name, int n) -> Vec {
    return Eigen::Map<const Eigen::VectorXf>(m.param(name), n).template cast<S>();
  };
  const Vec x = x_star.cast<S>();
  const int D = dim();
  wO_ = Mat::Zero(O, D);
  bO_ = Vec::Zero(O);
  if (O > 0) {
    wO_.leftCols(N) = mat(readout_weight_name(spec_), O, N);
    bO_ = vec(readout_bias_name(spec_), O);
  }
  if (torch_layout(spec_.cell)) {
    const int G = gate_rows(spec_);
    wih_ = mat("rnn.weight_ih_l0", G, U);
    whh_ = mat("rnn.weight_hh_l0", G, N);
    bih_ = vec("rnn.bias_ih_l0", G);
    bhh_ = vec("rnn.bias_hh_l0", G);
    gi_star_ = torch_gi(x);
  } else if (spec_.cell == Cell::Vanilla) {
    wR_ = mat("wR", N, N);
    wI_ = mat("wI", N, U);
    bR_ = vec("bR", N);
    bias_ = wI_ * x + bR_;
  } else {
    Mat w = mat("wRUHX", 2 * N, N + U), wc = mat("wCHX", N, N + U);
    wRUh_ = w.leftCols(N);
    wRUx_ = w.rightCols(U);
    wCh_ = wc.leftCols(N);
    wCx_ = wc.rightCols(U);
    bRU_ = vec("bRU", 2 * N);
    bC_ = vec("bC", N);
    bias_ = wRUx_ * x + bRU_;
    bias_.tail(N).array() += S(spec_.bfg);
    cbias_ = wCx_ * x + bC_;
  }
}

template <class S>
typename RnnMap<S>::Vec RnnMap<S>::torch_gi(const Vec& x) const {
  return wih_ * x + bih_;
}

template <class S>
typename RnnMap<S>::TorchStep RnnMap<S>::torch_map(const Mat& H, const Vec& gi) const {
  const long K = H.rows(), G = gate_rows(spec_);
  TorchStep st{Mat(K, G), Mat(K, G), Mat(K, spec_.N), Mat(K, dim())};
  const Mat GI = gi.transpose().replicate(K, 1);
  TorchCell<S>(spec_, whh_.data(), bhh_.data())
      .forward(int(K), GI.data(), H.data(), st.gh.data(), st.gate.data(), st.aux.data(), st.F.data());
  return st;
}

template <class S>
void RnnMap<S>::torch_vjp(const Mat& H, const TorchStep& st, const Mat& V, Mat* dH, Mat* dGi) const {
  const long K = H.rows(), G = gate_rows(spec_);
  Mat dgi(K, G), dgh(spec_.cell == Cell::TorchGru ? K : 0, G), dh(K, dim());
  TorchCell<S>(spec_, whh_.data(), bhh_.data())
      .backward(int(K), V.data(), H.data(), st.gh.data(), st.gate.data(), st.aux.data(), dgi.data(),
                dgh.size() ? dgh.data() : nullptr, dh.data());
  if (dH) *dH = std::move(dh);
  if (dGi) *dGi = std::move(dgi);
}

template <class S>
void RnnMap<S>::map(const Mat& H, Mat& F) const {
  const int N = spec_.N;
  if (torch_layout(spec_.cell)) {
    F = torch_map(H, gi_star_).F;
    return;
  }
  if (spec_.cell == Cell::Vanilla) {
    F.noalias() = H * wR_.transpose();
    F.rowwise() += bias_.transpose();
    F.array() = F.array().tanh();
    return;
  }
  Mat RU = H * wRUh_.transpose();
  RU.rowwise() += bias_.transpose();
  Mat R = sigmoid(RU.leftCols(N).array()).matrix();
  Mat Ug = sigmoid(RU.rightCols(N).array()).matrix();
  Mat C = (R.array() * H.array()).matrix() * wCh_.transpose();
  C.rowwise() += cbias_.transpose();
  C.array() = C.array().tanh();
  F = (Ug.array() * H.array() + (S(1) - Ug.array()) * C.array()).matrix();
}

template <class S>
void RnnMap<S>::q_and_grad(const Mat& H, S weight, Vec& q, Mat& G) const {
  const int N = spec_.N;
  // r = h − F(h); q = mean r²; dq/dh = (2/N)(r − (∂F/∂h)ᵀ r): a vector-Jacobian product per row.
  if (torch_layout(spec_.cell)) {
    TorchStep st = torch_map(H, gi_star_);
    Mat Rr = H - st.F, vJ;
    q = Rr.rowwise().squaredNorm() / S(dim());
    torch_vjp(H, st, Rr, &vJ, nullptr);
    G = (weight * S(2) / S(dim())) * (Rr - vJ);
    return;
  }
  if (spec_.cell == Cell::Vanilla) {
    Mat F = H * wR_.transpose();
    F.rowwise() += bias_.transpose();
    F.array() = F.array().tanh();
    Mat Rr = H - F;
    q = Rr.rowwise().squaredNorm() / S(N);
    const S s = weight * S(2) / S(N);
    Mat D = (Rr.array() * (S(1) - F.array().square())).matrix();
    G.noalias() = D * wR_;
    G = s * (Rr - G);
    return;
  }
  Mat RU = H * wRUh_.transpose();
  RU.rowwise() += bias_.transpose();
  Mat R = sigmoid(RU.leftCols(N).array()).matrix();
  Mat Ug = sigmoid(RU.rightCols(N).array()).matrix();
  Mat RH = (R.array() * H.array()).matrix();
  Mat C = RH * wCh_.transpose();
  C.rowwise() += cbias_.transpose();
  C.array() = C.array().tanh();
  Mat Rr = H - (Ug.array() * H.array() + (S(1) - Ug.array()) * C.array()).matrix();
  q = Rr.rowwise().squaredNorm() / S(N);
  // Backpropagate v = r through F (as one GRU step backwards).
  const Mat& v = Rr;
  Mat dRU(H.rows(), 2 * N);
  dRU.rightCols(N) = (v.array() * (H.array() - C.array()) * Ug.array() * (S(1) - Ug.array())).matrix();
  Mat dC = (v.array() * (S(1) - Ug.array()) * (S(1) - C.array().square())).matrix();
  Mat dRH = dC * wCh_;
  dRU.leftCols(N) = (dRH.array() * H.array() * R.array() * (S(1) - R.array())).matrix();
  Mat vJ = (v.array() * Ug.array() + dRH.array() * R.array()).matrix();
  vJ.noalias() += dRU * wRUh_;
  const S s = weight * S(2) / S(N);
  G = s * (Rr - vJ);
}

template <class S>
typename RnnMap<S>::Vec RnnMap<S>::step(const Vec& h, const Vec& x) const {
  const int N = spec_.N;
  if (torch_layout(spec_.cell)) return torch_map(h.transpose(), torch_gi(x)).F.transpose();
  if (spec_.cell == Cell::Vanilla) return (wR_ * h + wI_ * x + bR_).array().tanh();
  Vec ru = wRUh_ * h + wRUx_ * x + bRU_;
  ru.tail(N).array() += S(spec_.bfg);
  Vec r = sigmoid(ru.head(N).array()), u = sigmoid(ru.tail(N).array());
  Vec c = (wCh_ * (r.array() * h.array()).matrix() + wCx_ * x + bC_).array().tanh();
  return u.array() * h.array() + (S(1) - u.array()) * c.array();
}

template <class S>
typename RnnMap<S>::Vec RnnMap<S>::step(const Vec& h) const {
  return step(h, x_star_.cast<S>());
}

template <class S>
typename RnnMap<S>::GruDerivatives RnnMap<S>::derivatives(const Vec& h) const {
  const int N = spec_.N;
  GruDerivatives d;
  Vec ru = wRUh_ * h + bias_;
  d.r = sigmoid(ru.head(N).array());
  d.u = sigmoid(ru.tail(N).array());
  Vec c = (wCh_ * (d.r.array() * h.array()).matrix() + cbias_).array().tanh();
  d.du = ((h - c).array() * d.u.array() * (S(1) - d.u.array())).matrix();
  d.dc = ((S(1) - d.u.array()) * (S(1) - c.array().square())).matrix();
  d.dr = (h.array() * d.r.array() * (S(1) - d.r.array())).matrix();
  d.A = d.dc.asDiagonal() * wCh_;
  return d;
}

template <class S>
typename RnnMap<S>::Mat RnnMap<S>::dFdh(const Vec& h) const {
  const int N = spec_.N;
  if (torch_layout(spec_.cell)) {  // row i of J = e_iᵀ J: one VJP per row, all at once
    const Mat H = h.transpose().replicate(dim(), 1);
    Mat J;
    torch_vjp(H, torch_map(H, gi_star_), Mat::Identity(dim(), dim()), &J, nullptr);
    return J;
  }
  if (spec_.cell == Cell::Vanilla) {
    Vec f = step(h);
    return (S(1) - f.array().square()).matrix().asDiagonal() * wR_;
  }
  GruDerivatives d = derivatives(h);
  Mat J = d.du.asDiagonal() * wRUh_.bottomRows(N);
  J += d.A * d.r.asDiagonal();
  J.noalias() += d.A * (d.dr.asDiagonal() * wRUh_.topRows(N));
  J.diagonal() += d.u;
  return J;
}

template <class S>
typename RnnMap<S>::Mat RnnMap<S>::dFdx(const Vec& h) const {
  const int N = spec_.N;
  if (torch_layout(spec_.cell)) {  // ∂F/∂x = ∂F/∂gi · W_ih
    const Mat H = h.transpose().replicate(dim(), 1);
    Mat dGi;
    torch_vjp(H, torch_map(H, gi_star_), Mat::Identity(dim(), dim()), nullptr, &dGi);
    return dGi * wih_;
  }
  if (spec_.cell == Cell::Vanilla) {
    Vec f = step(h);
    return (S(1) - f.array().square()).matrix().asDiagonal() * wI_;
  }
  GruDerivatives d = derivatives(h);
  Mat Jx = d.du.asDiagonal() * wRUx_.bottomRows(N);
  Jx.noalias() += d.A * (d.dr.asDiagonal() * wRUx_.topRows(N));
  Jx += d.dc.asDiagonal() * wCx_;
  return Jx;
}

template <class S>
typename RnnMap<S>::Vec RnnMap<S>::readout(const Vec& h) const {
  return wO_ * h + bO_;
}

template class RnnMap<float>;
template class RnnMap<double>;

}  // namespace ctd
