#include "fixedpoints/input_effects.hpp"

#include <algorithm>
#include <cmath>

namespace ctd {

InputEffects input_effects(const RnnMap<double>& map, const RowMatD& H, const RowMatD& X, int threads) {
  const long K = H.rows(), V = X.rows(), N = map.dim(), O = map.wO().rows();
  InputEffects e;
  e.inputs = X;
  e.predicted_delta.resize(size_t(K * V * N));
  e.true_delta.resize(e.predicted_delta.size());
  e.predicted_readout.resize(size_t(K * V * O));
  e.true_readout.resize(e.predicted_readout.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 4)
  for (long k = 0; k < K; ++k) {
    Eigen::VectorXd h = H.row(k).transpose();
    Eigen::MatrixXd Jx = map.dFdx(h);
    Eigen::VectorXd f0 = map.step(h);
    for (long v = 0; v < V; ++v) {
      Eigen::VectorXd x = X.row(v).transpose();
      Eigen::VectorXd pred = Jx * x, truth = map.step(h, map.x_star() + x) - f0;
      const size_t s = size_t(k * V + v);
      Eigen::Map<Eigen::VectorXd>(e.predicted_delta.data() + s * N, N) = pred;
      Eigen::Map<Eigen::VectorXd>(e.true_delta.data() + s * N, N) = truth;
      Eigen::Map<Eigen::VectorXd>(e.predicted_readout.data() + s * O, O) = map.wO() * pred;
      Eigen::Map<Eigen::VectorXd>(e.true_readout.data() + s * O, O) = map.wO() * truth;
    }
  }
  const size_t n = e.predicted_readout.size();
  if (n > 1) {
    Eigen::Map<const Eigen::VectorXd> a(e.predicted_readout.data(), long(n)), b(e.true_readout.data(), long(n));
    Eigen::VectorXd ac = a.array() - a.mean(), bc = b.array() - b.mean();
    e.readout_correlation = ac.dot(bc) / std::sqrt(std::max(1e-300, ac.squaredNorm() * bc.squaredNorm()));
  }
  return e;
}

Deflections deflections(const RnnMap<double>& map, const RowMatD& H, const RowMatD& P, EigSort sort,
                        double stability_tol, int threads) {
  const long K = H.rows(), N = H.cols();
  Deflections d;
  d.nearest.resize(size_t(K));
  d.deflection.resize(K, N);
  RowMatD P_near(K, N);
  for (long k = 0; k < K; ++k) {
    Eigen::Index j;
    (P.rowwise() - H.row(k)).rowwise().squaredNorm().minCoeff(&j);
    d.nearest[size_t(k)] = int64_t(j);
    P_near.row(k) = P.row(j);
    d.deflection.row(k) = H.row(k) - P.row(j);
  }
  // The linear modes at each nearest point, and how the deflection aligns with them.
  Linearization lin = linearize_points(map, P_near, sort, true, stability_tol, threads);
  d.eigvals = lin.eigvals;
  d.cosines.resize(K, N);
  for (long k = 0; k < K; ++k) {
    Eigen::VectorXcd v = d.deflection.row(k).transpose().cast<std::complex<double>>();
    for (long i = 0; i < N; ++i) {
      Eigen::VectorXcd l = lin.left[size_t(k)].col(i);
      d.cosines(k, i) = std::abs(l.dot(v)) / std::max(1e-300, l.norm() * v.norm());
    }
  }
  return d;
}

void write_input_effects(H5File& out, const InputEffects& e, size_t K, size_t N, size_t O) {
  const size_t V = size_t(e.inputs.rows()), U = size_t(e.inputs.cols());
  out.write("input_vectors", Shape{V, U}, e.inputs.data());
  out.write("predicted_delta", Shape{K, V, N}, e.predicted_delta.data());
  out.write("true_delta", Shape{K, V, N}, e.true_delta.data());
  out.write("predicted_readout", Shape{K, V, O}, e.predicted_readout.data());
  out.write("true_readout", Shape{K, V, O}, e.true_readout.data());
  out.write_attribute("readout_correlation", e.readout_correlation);
}

void write_deflections(H5File& out, const Deflections& d) {
  const size_t K = size_t(d.deflection.rows()), N = size_t(d.deflection.cols());
  out.write("nearest_fp", Shape{K}, d.nearest.data());
  out.write("deflection", Shape{K, N}, d.deflection.data());
  out.write("nearest_eigvals", Shape{K, N}, d.eigvals.data());
  out.write("deflection_cosines", Shape{K, N}, d.cosines.data());
}

}  // namespace ctd
