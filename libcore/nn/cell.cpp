#include "nn/cell.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <limits>

namespace ctd {

template <class S>
void RecurrentCell<S>::jacobians(const S* h, const S* gi, S* J, S* Jx) const {
  using Mat = Eigen::Matrix<S, -1, -1, Eigen::RowMajor>;
  const int D = state();
  // Row i of J is e_iᵀ ∂hn/∂h: D copies of h, and the identity as dL/dhn.
  const Mat H = Eigen::Map<const Eigen::Matrix<S, 1, -1>>(h, D).replicate(D, 1);
  Mat F(D, D);
  PlaneBuffer<S> cache, work;
  cache.resize(size_t(D), cache_widths());
  work.resize(size_t(D), work_widths());
  forward(D, gi, true, H.data(), cache.planes, F.data());
  const Mat I = Mat::Identity(D, D);
  backward(D, I.data(), nullptr, H.data(), F.data(), cache.planes, work.planes, J);
  if (Jx) input_vjp(D, cache.planes, work.planes, Jx);
}

template <class S>
void RecurrentCell<S>::fixed_point_bounds(S* lo, S* hi) const {
  std::fill(lo, lo + state(), -std::numeric_limits<S>::infinity());
  std::fill(hi, hi + state(), std::numeric_limits<S>::infinity());
}

template <class S>
std::unique_ptr<const RecurrentCell<S>> make_cell(const RnnSpec& spec, const S* params,
                                                  std::vector<ParamEntry> layout) {
  switch (spec.cell) {
    case Cell::Vanilla: return make_vanilla_cell<S>(spec, params, std::move(layout));
    case Cell::Gru: return make_gru_cell<S>(spec, params, std::move(layout));
    default: return make_torch_cell<S>(spec, params, std::move(layout));
  }
}

template <class S>
std::unique_ptr<const RecurrentCell<S>> make_cell(const RnnSpec& spec, const S* params) {
  return make_cell(spec, params, param_layout(spec));
}

template class RecurrentCell<float>;
template class RecurrentCell<double>;
template std::unique_ptr<const RecurrentCell<float>> make_cell(const RnnSpec&, const float*);
template std::unique_ptr<const RecurrentCell<double>> make_cell(const RnnSpec&, const double*);
template std::unique_ptr<const RecurrentCell<float>> make_cell(const RnnSpec&, const float*, std::vector<ParamEntry>);
template std::unique_ptr<const RecurrentCell<double>> make_cell(const RnnSpec&, const double*,
                                                                std::vector<ParamEntry>);

}  // namespace ctd
