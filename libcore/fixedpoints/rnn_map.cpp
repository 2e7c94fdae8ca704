#include "fixedpoints/rnn_map.hpp"

namespace ctd {

namespace {
template <class E>
auto sigmoid(const E& x) {
  using T = typename E::Scalar;
  return T(0.5) * ((T(0.5) * x).tanh() + T(1));
}
}  // namespace

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
  wO_ = mat("wO", O, N);
  bO_ = vec("bO", O);
  if (spec_.cell == Cell::Vanilla) {
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
void RnnMap<S>::map(const Mat& H, Mat& F) const {
  const int N = spec_.N;
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
