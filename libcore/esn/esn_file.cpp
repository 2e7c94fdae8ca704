#include "esn/esn_file.hpp"

#include "io/matrix_io.hpp"
#include "util/error.hpp"

namespace ctd {

void write_esn_params(H5File& out, const EsnParams& p, const Eigen::MatrixXd& P) {
  Eigen::VectorXf a0 = p.a0.cast<float>();
  out.write("a0", Shape{size_t(p.a0.size())}, a0.data());
  write_matrix_f32(out, "wI", p.wI);
  write_matrix_f32(out, "wR", p.wR);
  // wO and P carry the learning: kept in double so a resumed run loses nothing.
  write_matrix(out, "wO", p.wO);
  write_matrix_f32(out, "wF", p.wF);
  if (P.size()) write_matrix(out, "P", P);
  out.write_attribute("dt_over_tau", p.spec.dt / p.spec.tau);
  out.write_attribute("dt", p.spec.dt);
  out.write_attribute("tau", p.spec.tau);
  out.write_attribute("g", p.spec.g);
  out.write_attribute("sparsity", p.spec.sparsity);
}

EsnFile read_esn_file(const H5File& in) {
  for (const char* name : {"a0", "wI", "wR", "wO", "wF"})
    if (!in.has_dataset(name))
      throw Error(in.name() + ": no dataset '" + name + "': not an ESN file (a0 wI wR wO wF [P])");
  EsnFile f;
  EsnSpec& s = f.params.spec;
  Shape a0 = in.dataset_shape("a0"), wI = in.dataset_shape("wI"), wO = in.dataset_shape("wO");
  if (a0.size() != 1 || a0[0] == 0) throw Error(in.where("a0") + " has shape " + shape_string(a0) + " but [N] is required");
  if (wI.size() != 2) throw Error(in.where("wI") + " has shape " + shape_string(wI) + " but [N,U] is required");
  if (wO.size() != 2) throw Error(in.where("wO") + " has shape " + shape_string(wO) + " but [M,N] is required");
  s.N = int(a0[0]);
  s.U = int(wI[1]);
  s.M = int(wO[0]);
  const size_t N = size_t(s.N), U = size_t(s.U), M = size_t(s.M);
  Array<double> a = in.read<double>("a0");
  require_finite(a, in.where("a0"));
  f.params.a0 = Eigen::Map<Eigen::VectorXd>(a.ptr(), long(N));
  f.params.wI = read_matrix(in, "wI", N, U);
  f.params.wR = read_matrix(in, "wR", N, N);
  f.params.wO = read_matrix(in, "wO", M, N);
  f.params.wF = read_matrix(in, "wF", N, M);
  if (in.has_dataset("P")) f.P = read_matrix(in, "P", N, N);
  if (in.has_attribute("dt")) s.dt = in.read_attribute_in("dt", 1e-12, 1e12);
  if (in.has_attribute("tau")) s.tau = in.read_attribute_in("tau", 1e-12, 1e12);
  else if (in.has_attribute("dt_over_tau")) s.tau = s.dt / in.read_attribute_in("dt_over_tau", 1e-12, 1e12);
  if (in.has_attribute("g")) s.g = in.read_attribute_in("g", 0, 1e3);
  if (in.has_attribute("sparsity")) s.sparsity = in.read_attribute_in("sparsity", 1e-6, 1);
  return f;
}

}  // namespace ctd
