#include "reservoir/reservoir_file.hpp"

#include "io/matrix_io.hpp"
#include "util/error.hpp"
#include "util/printable.hpp"

namespace ctd {

void write_reservoir_model(H5File& out, const ReservoirModel& m) {
  const Reservoir& r = m.reservoir;
  write_matrix(out, "W", Eigen::MatrixXd(r.W));
  write_matrix(out, "W_in", r.W_in);
  if (r.W_fb.size()) write_matrix(out, "W_fb", r.W_fb);
  if (m.W_out.size()) write_matrix(out, "W_out", m.W_out);
  if (m.ridge_zz.size()) {
    write_matrix(out, "ridge_zz", m.ridge_zz);
    write_matrix(out, "ridge_yz", m.ridge_yz);
  }
  if (m.rls_P.size()) write_matrix(out, "rls_P", m.rls_P);
  out.write_attribute("reservoir_leak", r.spec.leak);
  out.write_attribute("reservoir_activation", r.spec.activation);
  out.write_attribute("reservoir_outputs", int64_t(r.outputs));
  out.write_attribute("spectral_radius_measured", r.measured_radius);
  out.write_attribute("readout_kind", m.readout);
}

ReservoirModel read_reservoir_model(const H5File& in) {
  for (const char* name : {"W", "W_in"})
    if (!in.has_dataset(name))
      throw Error(in.name() + ": no dataset '" + name + "': not a reservoir file (W W_in [W_fb] [W_out])");
  ReservoirModel m;
  Reservoir& r = m.reservoir;
  const Shape w = in.dataset_shape("W"), win = in.dataset_shape("W_in");
  if (w.size() != 2 || w[0] != w[1] || w[0] == 0)
    throw Error(in.where("W") + " has shape " + shape_string(w) + " but [N,N] is required");
  if (win.size() != 2 || win[1] == 0)
    throw Error(in.where("W_in") + " has shape " + shape_string(win) + " but [N,1+U] is required");
  const size_t N = w[0];
  r.spec.units = int(N);
  r.inputs = int(win[1]) - 1;
  r.outputs = int(in.read_attribute_in("reservoir_outputs", 1, 1e6));
  const size_t M = size_t(r.outputs);
  r.W = read_matrix(in, "W", N, N).sparseView();
  r.W_in = read_matrix(in, "W_in", N, win[1]);
  r.spec.feedback = in.has_dataset("W_fb");
  if (r.spec.feedback) r.W_fb = read_matrix(in, "W_fb", N, M);
  r.spec.leak = in.read_attribute_in("reservoir_leak", 1e-300, 1);
  r.spec.activation = in.read_attribute_string("reservoir_activation");
  if (r.spec.activation != "tanh" && r.spec.activation != "identity")
    throw Error(in.name() + ": activation '" + printable(r.spec.activation) + "' is not tanh or identity");
  r.measured_radius = in.has_attribute("spectral_radius_measured")
                          ? in.read_attribute_double("spectral_radius_measured") : 0.0;
  r.spec.spectral_radius = r.measured_radius;
  m.readout = in.has_attribute("readout_kind") ? in.read_attribute_string("readout_kind") : "ridge";
  if (in.has_dataset("W_out")) m.W_out = read_matrix(in, "W_out", M, N + 1);
  if (in.has_dataset("ridge_zz")) {
    m.ridge_zz = read_matrix(in, "ridge_zz", N + 1, N + 1);
    m.ridge_yz = read_matrix(in, "ridge_yz", M, N + 1);
  }
  if (in.has_dataset("rls_P")) m.rls_P = read_matrix(in, "rls_P", N + 1, N + 1);
  return m;
}

}  // namespace ctd
