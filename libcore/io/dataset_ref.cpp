#include "io/dataset_ref.hpp"

#include <sys/stat.h>

#include "io/provenance.hpp"
#include "util/error.hpp"

namespace ctd {

DatasetRef parse_dataset_ref(const std::string& spec, bool dataset_required, const char* option) {
  DatasetRef r{spec, ""};
  struct stat st;
  auto colon = spec.rfind(':');
  if (::stat(spec.c_str(), &st) != 0 && colon != std::string::npos) {
    r.file = spec.substr(0, colon);
    r.dataset = spec.substr(colon + 1);
  }
  if (dataset_required && r.dataset.empty())
    throw UsageError(std::string(option) + " must be FILE:DATASET, not '" + spec + "'");
  return r;
}

OpenedRef open_dataset_ref(const std::string& spec, const std::vector<std::string>& defaults) {
  DatasetRef ref = parse_dataset_ref(spec);
  OpenedRef r{H5File::open(ref.file), ref.dataset};
  if (!r.dataset.empty()) return r;
  std::string names;
  for (const auto& d : defaults) {
    if (r.file.has_dataset(d)) {
      r.dataset = d;
      return r;
    }
    names += (names.empty() ? "'" : " or '") + d + "'";
  }
  throw Error(r.file.name() + ": no dataset " + names + " (name one as FILE:DATASET)");
}

const std::vector<std::string>& state_datasets() {
  static const std::vector<std::string> names = {"hiddens", "train/gen_states", "valid/gen_states",
                                                 "train_gen_states", "valid_gen_states"};
  return names;
}

RowMatD read_state_rows(const std::string& spec, int N, std::string* history, int time,
                        const std::vector<std::string>& defaults) {
  OpenedRef ref = open_dataset_ref(spec, defaults);
  const std::string where = ref.where();
  Array<double> a = ref.file.read<double>(ref.dataset);
  if (a.rank() != 2 && a.rank() != 3)
    throw Error(where + " has shape " + shape_string(a.shape) + " but [K,N] or [B,T,N] is required");
  require_finite(a, where);
  if (int(a.shape.back()) != N)
    throw Error(where + " has shape " + shape_string(a.shape) + " but the network has N=" + std::to_string(N) + " units");
  const long K = long(a.size() / size_t(N));
  if (K == 0) throw Error(where + " holds no states");
  if (history) *history = read_history(ref.file);
  if (time < 0) return Eigen::Map<RowMatD>(a.ptr(), K, N);
  if (a.rank() != 3) throw Error(where + " has no time axis: --time needs [B,T,N] states");
  const long B = long(a.dim(0)), T = long(a.dim(1));
  if (time >= T)
    throw Error(where + " has " + std::to_string(T) + " steps, so step " + std::to_string(time) + " does not exist");
  RowMatD out(B, N);
  for (long b = 0; b < B; ++b) out.row(b) = Eigen::Map<Eigen::RowVectorXd>(a.ptr() + (b * T + time) * N, N);
  return out;
}

RowMatD read_series(const std::string& spec, const char* option, bool matrix_only) {
  DatasetRef ref = parse_dataset_ref(spec, true, option);
  H5File f = H5File::open(ref.file);
  const std::string where = f.where(ref.dataset);
  Array<double> a = f.read<double>(ref.dataset);
  if ((a.rank() != 1 || matrix_only) && a.rank() != 2)
    throw Error(where + " has shape " + shape_string(a.shape) + " but " + (matrix_only ? "[V,U]" : "[T,K]") + " is required");
  require_finite(a, where);
  const long T = long(a.dim(0)), K = a.rank() == 2 ? long(a.dim(1)) : 1;
  if (T == 0 || K == 0) throw Error(where + " is empty");
  return Eigen::Map<RowMatD>(a.ptr(), T, K);
}

Eigen::VectorXd vector_or_zeros(const std::vector<double>& values, int U, const char* option) {
  if (values.empty()) return Eigen::VectorXd::Zero(U);
  if (int(values.size()) != U)
    throw UsageError(std::string(option) + " needs U=" + std::to_string(U) + " values, not " + std::to_string(values.size()));
  return Eigen::Map<const Eigen::VectorXd>(values.data(), U);
}

}  // namespace ctd
