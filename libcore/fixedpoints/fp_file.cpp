#include "fixedpoints/fp_file.hpp"

#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, LinearizationSettings& s) {
  o.group("Linearisation");
  o.add("x-star", s.x_star, "The held input x*: U comma-separated values (default zeros)");
  o.add("eig-sort", s.eig_sort, "Sort eigenvalues by real part or magnitude (descending)").one_of({"real", "magnitude"});
  o.add("stability-tol", s.stability_tol, "Largest |eigenvalue| within 1 +- this is 'marginal'").range(0, 1);
  o.add("jacobians", s.jacobians, "Also write dF/dh [K,N,N] and dF/dx [K,N,U]");
  o.add("eigvecs", s.eigvecs, "Also write right and left eigenvectors [K,N,N] (left = pinv(right)^T)");
}

void write_fixed_points(H5File& out, const std::string& group, const FixedPointSet& set, const RnnMap<double>& map,
                        const Eigen::VectorXd& x_star, const LinearizationSettings& lo, int threads) {
  const std::string g = group.empty() ? "" : group + "/";
  if (!group.empty()) out.create_group(group);
  const size_t K = size_t(set.points.rows()), N = size_t(map.dim()), U = size_t(map.U());
  out.write(g + "fps", Shape{K, N}, set.points.data());
  out.write(g + "q", Shape{K}, set.q.data());
  out.write(g + "candidate_index", Shape{K}, set.candidate.data());
  out.write(g + "x_star", Shape{U}, x_star.data());
  const size_t O = size_t(map.wO().rows());
  if (O > 0) {  // what the network says at each point: a flip-flop's memory, a decision's choice
    RowMatD readout = set.points * map.wO().transpose();
    readout.rowwise() += map.readout(Eigen::VectorXd::Zero(long(N))).transpose();
    out.write(g + "readout", Shape{K, O}, readout.data());
  }
  write_linearization(out, group, set.points, map, lo, threads);
}

void write_linearization(H5File& out, const std::string& group, const RowMatD& points, const RnnMap<double>& map,
                         const LinearizationSettings& lo, int threads) {
  const std::string g = group.empty() ? "" : group + "/";
  if (!group.empty()) out.create_group(group);
  const size_t K = size_t(points.rows()), N = size_t(map.dim()), U = size_t(map.U());
  Linearization lin = linearize_points(map, points, lo.sort(), lo.eigvecs, lo.stability_tol, threads);
  Eigen::Matrix<std::complex<double>, -1, -1, Eigen::RowMajor> ev = lin.eigvals;
  out.write(g + "eigvals", Shape{K, N}, ev.data());
  out.write(g + "stability", Shape{K}, reinterpret_cast<const uint8_t*>(lin.stability.data()));
  out.write_attribute("stability_labels", std::vector<std::string>{"stable", "marginal", "unstable"},
                      group.empty() ? "/" : group);
  out.write_attribute("stability_tol", lo.stability_tol, group.empty() ? "/" : group);
  out.write_attribute("eigval_sort", lo.eig_sort,
                      group.empty() ? "/" : group);
  if (lo.jacobians) {
    std::vector<double> J(K * N * N), Jx(K * N * U);
    for (size_t k = 0; k < K; ++k) {
      Eigen::VectorXd h = points.row(long(k)).transpose();
      Eigen::Map<RnnMap<double>::Mat>(J.data() + k * N * N, long(N), long(N)) = map.dFdh(h);
      Eigen::Map<RnnMap<double>::Mat>(Jx.data() + k * N * U, long(N), long(U)) = map.dFdx(h);
    }
    out.write(g + "jacobians", Shape{K, N, N}, J.data());
    out.write(g + "input_jacobians", Shape{K, N, U}, Jx.data());
  }
  if (lo.eigvecs) {
    std::vector<std::complex<double>> R(K * N * N), L(K * N * N);
    using CRow = Eigen::Matrix<std::complex<double>, -1, -1, Eigen::RowMajor>;
    for (size_t k = 0; k < K; ++k) {
      Eigen::Map<CRow>(R.data() + k * N * N, long(N), long(N)) = lin.right[k];
      Eigen::Map<CRow>(L.data() + k * N * N, long(N), long(N)) = lin.left[k];
    }
    out.write(g + "right_eigvecs", Shape{K, N, N}, R.data());
    out.write(g + "left_eigvecs", Shape{K, N, N}, L.data());
  }
}

}  // namespace ctd
