// The Eigen views the passes work through: row-major matrices over raw
// buffers (batch rows × units), and σ written as one vectorised tanh.
#pragma once
#include <Eigen/Core>

namespace ctd::maps {

template <class S>
using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class S>
using MMap = Eigen::Map<Mat<S>>;
template <class S>
using CMap = Eigen::Map<const Mat<S>>;
template <class S>
using RowMap = Eigen::Map<Eigen::Matrix<S, 1, Eigen::Dynamic>>;
template <class S>
using CRowMap = Eigen::Map<const Eigen::Matrix<S, 1, Eigen::Dynamic>>;
// The first columns of wider rows (an LSTM's h inside [h, c]).
template <class S>
using CStrided = Eigen::Map<const Mat<S>, 0, Eigen::OuterStride<>>;
template <class S>
using MStrided = Eigen::Map<Mat<S>, 0, Eigen::OuterStride<>>;

// σ(x) = ½(tanh(x/2) + 1), as docs/methods.md writes it: one vectorised tanh.
template <class E>
auto sigmoid(const E& x) {
  using T = typename E::Scalar;
  return T(0.5) * ((T(0.5) * x).tanh() + T(1));
}

}  // namespace ctd::maps
