#include "fixedpoints/fp_file.hpp"

#include <sstream>

#include "io/dataset_ref.hpp"
#include "io/provenance.hpp"
#include "util/error.hpp"

namespace ctd {

RowMatD read_states(const std::string& spec, int N, std::string* history, int time) {
  auto [path, dataset] = parse_dataset_ref(spec);
  H5File f = H5File::open(path);
  if (dataset.empty()) dataset = "hiddens";
  Array<double> a = f.read<double>(dataset);
  if (a.rank() != 2 && a.rank() != 3)
    throw Error(f.where(dataset) + " has shape " + shape_string(a.shape) + " but [K,N] or [B,T,N] is required");
  require_finite(a, f.where(dataset));
  if (int(a.shape.back()) != N)
    throw Error(f.where(dataset) + " has shape " + shape_string(a.shape) + " but the network has N=" +
                std::to_string(N) + " units");
  const long K = long(a.size() / size_t(N));
  if (K == 0) throw Error(f.where(dataset) + " holds no states");
  if (history) *history = read_history(f);
  if (time < 0) return Eigen::Map<RowMatD>(a.ptr(), K, N);
  if (a.rank() != 3) throw Error(f.where(dataset) + " has no time axis: --time needs [B,T,N] states");
  const long B = long(a.dim(0)), T = long(a.dim(1));
  if (time >= T)
    throw Error(f.where(dataset) + " has " + std::to_string(T) + " steps, so step " + std::to_string(time) +
                " does not exist");
  RowMatD out(B, N);
  for (long b = 0; b < B; ++b) out.row(b) = Eigen::Map<Eigen::RowVectorXd>(a.ptr() + (b * T + time) * N, N);
  return out;
}

Eigen::VectorXd parse_vector(const std::string& text, int U, const char* option) {
  Eigen::VectorXd v = Eigen::VectorXd::Zero(U);
  if (text.empty()) return v;
  std::stringstream ss(text);
  std::string item;
  int i = 0;
  while (std::getline(ss, item, ',')) {
    if (i >= U) throw UsageError(std::string(option) + " has more than U=" + std::to_string(U) + " values");
    try {
      size_t used = 0;
      v(i) = std::stod(item, &used);
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw UsageError(std::string(option) + ": '" + item + "' is not a number");
    }
    ++i;
  }
  if (i != U) throw UsageError(std::string(option) + " needs U=" + std::to_string(U) + " values, not " + std::to_string(i));
  return v;
}

void write_fixed_points(H5File& out, const std::string& group, const FixedPointSet& set, const RnnMap<double>& map,
                        const Eigen::VectorXd& x_star, const LinearOutputs& lo) {
  const std::string g = group.empty() ? "" : group + "/";
  if (!group.empty()) out.create_group(group);
  const size_t K = size_t(set.points.rows()), N = size_t(map.N()), U = size_t(map.U());
  out.write(g + "fps", Shape{K, N}, set.points.data());
  out.write(g + "q", Shape{K}, set.q.data());
  out.write(g + "candidate_index", Shape{K}, set.candidate.data());
  out.write(g + "x_star", Shape{U}, x_star.data());
  write_linearization(out, group, set.points, map, lo);
}

void write_linearization(H5File& out, const std::string& group, const RowMatD& points, const RnnMap<double>& map,
                         const LinearOutputs& lo) {
  const std::string g = group.empty() ? "" : group + "/";
  if (!group.empty()) out.create_group(group);
  const size_t K = size_t(points.rows()), N = size_t(map.N()), U = size_t(map.U());
  Linearization lin = linearize_points(map, points, lo.sort, lo.eigvecs, lo.stability_tol, lo.threads);
  Eigen::Matrix<std::complex<double>, -1, -1, Eigen::RowMajor> ev = lin.eigvals;
  out.write(g + "eigvals", Shape{K, N}, ev.data());
  out.write(g + "stability", Shape{K}, reinterpret_cast<const uint8_t*>(lin.stability.data()));
  out.write_attribute("stability_labels", std::vector<std::string>{"stable", "marginal", "unstable"},
                      group.empty() ? "/" : group);
  out.write_attribute("stability_tol", lo.stability_tol, group.empty() ? "/" : group);
  out.write_attribute("eigval_sort", std::string(lo.sort == EigSort::Real ? "real" : "magnitude"),
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
