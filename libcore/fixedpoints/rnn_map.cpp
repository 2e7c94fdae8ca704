#include "fixedpoints/rnn_map.hpp"

namespace ctd {

template <class S>
RnnMap<S>::RnnMap(const RnnModel& m, const Eigen::VectorXd& x_star)
    : spec_(m.spec), params_(m.params.begin(), m.params.end()), cell_(make_cell<S>(spec_, params_.data())),
      x_star_(x_star) {
  const int N = spec_.N, O = spec_.O;
  using FMat = Eigen::Matrix<float, -1, -1, Eigen::RowMajor>;
  wO_ = Mat::Zero(O, dim());
  bO_ = Vec::Zero(O);
  if (O > 0) {
    wO_.leftCols(N) = Eigen::Map<const FMat>(m.param(readout_weight_name(spec_)), O, N).template cast<S>();
    bO_ = Eigen::Map<const Eigen::VectorXf>(m.param(readout_bias_name(spec_)), O).template cast<S>();
  }
  gi_star_ = input_share(x_star.cast<S>());
}

template <class S>
typename RnnMap<S>::Vec RnnMap<S>::input_share(const Vec& x) const {
  Vec gi(cell_->gates());
  cell_->project(1, x.data(), gi.data());
  return gi;
}

template <class S>
void RnnMap<S>::map(const Mat& H, Mat& F) const {
  const long K = H.rows();
  PlaneBuffer<S> cache;
  cache.resize(size_t(K), cell_->cache_widths());
  F.resize(K, dim());
  cell_->forward(int(K), gi_star_.data(), true, H.data(), cache.planes, F.data());
}

template <class S>
void RnnMap<S>::q_and_grad(const Mat& H, S weight, Vec& q, Mat& G) const {
  // r = h − F(h); q = mean r²; dq/dh = (2/D)(r − (∂F/∂h)ᵀ r): one vector-Jacobian product per row.
  const long K = H.rows();
  PlaneBuffer<S> cache, work;
  cache.resize(size_t(K), cell_->cache_widths());
  work.resize(size_t(K), cell_->work_widths());
  Mat F(K, dim()), vJ(K, dim());
  cell_->forward(int(K), gi_star_.data(), true, H.data(), cache.planes, F.data());
  const Mat Rr = H - F;
  q = Rr.rowwise().squaredNorm() / S(dim());
  cell_->backward(int(K), Rr.data(), nullptr, H.data(), F.data(), cache.planes, work.planes, vJ.data());
  G = (weight * S(2) / S(dim())) * (Rr - vJ);
}

template <class S>
typename RnnMap<S>::Vec RnnMap<S>::step(const Vec& h, const Vec& x) const {
  PlaneBuffer<S> cache;
  cache.resize(1, cell_->cache_widths());
  const Vec gi = input_share(x);
  Vec f(dim());
  cell_->forward(1, gi.data(), true, h.data(), cache.planes, f.data());
  return f;
}

template <class S>
typename RnnMap<S>::Vec RnnMap<S>::step(const Vec& h) const {
  return step(h, x_star_.cast<S>());
}

template <class S>
typename RnnMap<S>::Mat RnnMap<S>::dFdh(const Vec& h) const {
  Mat J(dim(), dim());
  cell_->jacobians(h.data(), gi_star_.data(), J.data(), nullptr);
  return J;
}

template <class S>
typename RnnMap<S>::Mat RnnMap<S>::dFdx(const Vec& h) const {
  Mat J(dim(), dim()), Jx(dim(), spec_.U);
  cell_->jacobians(h.data(), gi_star_.data(), J.data(), Jx.data());
  return Jx;
}

template <class S>
void RnnMap<S>::jacobians_at(const Vec& h, const Vec& x, Mat& J, Mat& Jx) const {
  const Vec gi = input_share(x);
  J.resize(dim(), dim());
  Jx.resize(dim(), spec_.U);
  cell_->jacobians(h.data(), gi.data(), J.data(), Jx.data());
}

template <class S>
void RnnMap<S>::fixed_point_bounds(Eigen::VectorXd& lo, Eigen::VectorXd& hi) const {
  Vec l(dim()), h(dim());
  cell_->fixed_point_bounds(l.data(), h.data());
  lo = l.template cast<double>();
  hi = h.template cast<double>();
}

template <class S>
typename RnnMap<S>::Vec RnnMap<S>::readout(const Vec& h) const {
  return wO_ * h + bO_;
}

Eigen::VectorXd initial_state(const RnnModel& model, int dim) {
  Eigen::VectorXd h0 = Eigen::VectorXd::Zero(dim);
  const std::vector<float> start = model.initial_state();
  for (size_t i = 0; i < start.size() && long(i) < dim; ++i) h0(long(i)) = start[i];
  return h0;
}

template class RnnMap<float>;
template class RnnMap<double>;

}  // namespace ctd
