#include "nn/weight_constraints.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Eigenvalues>

#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {
const char* const kGroup = "constraints";

bool one_recurrent_matrix(Cell cell) { return cell == Cell::Leaky || cell == Cell::TorchRnn; }
}  // namespace

std::vector<float> dale_signs(double f, int N) {
  if (!(f > 0 && f < 1))
    throw UsageError("--excitatory-fraction must lie strictly between 0 and 1 (Song et al.: 0.8; 0 for no Dale's law), not " + fmt("%g", f));
  const int excitatory = int(std::lround(f * N));
  if (excitatory < 1 || excitatory >= N)
    throw UsageError("--excitatory-fraction " + fmt("%g", f) + " of " + std::to_string(N) +
                     " units leaves no " + (excitatory < 1 ? "excitatory" : "inhibitory") + " unit");
  std::vector<float> s(size_t(N), -1.0f);
  std::fill(s.begin(), s.begin() + excitatory, 1.0f);
  return s;
}

void check_constraints(const RnnSpec& spec, const WeightConstraints& c, const std::string& where) {
  if (!c.active()) return;
  if (!one_recurrent_matrix(spec.cell))
    throw UsageError(where + ": Dale's law and connectivity masks need a cell with one recurrent matrix (leaky or "
                     "torch-rnn), not " + cell_name(spec.cell));
  const size_t N = size_t(spec.N);
  if (c.dale() && c.unit_sign.size() != N)
    throw Error(where + ": " + std::to_string(c.unit_sign.size()) + " unit signs for " + std::to_string(N) + " units");
  for (float s : c.unit_sign)
    if (s != 1.0f && s != -1.0f) throw Error(where + ": a unit sign is " + fmt("%g", s) + " but +1 or -1 is required");
  if (c.mask.empty()) return;
  if (c.mask.size() != N * N)
    throw Error(where + ": the connectivity mask has " + std::to_string(c.mask.size()) + " values but [" +
                std::to_string(N) + "," + std::to_string(N) + "] (--hidden " + std::to_string(N) + ") is required");
  for (float m : c.mask)
    if (m != 0.0f && m != 1.0f)
      throw Error(where + ": the connectivity mask holds " + fmt("%g", m) + " but only 0 (no connection) or 1 is allowed");
}

ConstrainedParams::ConstrainedParams(const RnnSpec& spec, const WeightConstraints& c)
    : k_(param_count(spec), 1.0f), rectified_(param_count(spec), 0) {
  const int N = spec.N;
  for (const ParamEntry& e : param_layout(spec)) {
    float* k = k_.data() + e.offset;
    uint8_t* r = rectified_.data() + e.offset;
    if (e.name == "rnn.weight_hh_l0") {  // [to, from]: the sign is the presynaptic unit's
      for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
          const size_t at = size_t(i) * N + j;
          k[at] = (c.mask.empty() ? 1.0f : c.mask[at]) * (c.dale() ? c.unit_sign[size_t(j)] : 1.0f);
          r[at] = c.dale();
        }
    } else if (c.dale() && e.name == "rnn.weight_ih_l0") {  // inputs from other areas: excitatory
      std::fill(r, r + e.size(), uint8_t(1));
    } else if (c.dale() && e.name == "readout.weight") {  // long-range projections: from excitatory units only
      for (size_t o = 0; o < e.shape[0]; ++o)
        for (int j = 0; j < N; ++j) {
          k[o * size_t(N) + size_t(j)] = c.unit_sign[size_t(j)] > 0 ? 1.0f : 0.0f;
          r[o * size_t(N) + size_t(j)] = 1;
        }
    }
  }
}

void ConstrainedParams::effective(const float* raw, float* eff) const {
  for (size_t i = 0; i < k_.size(); ++i) eff[i] = k_[i] * (rectified_[i] ? std::max(raw[i], 0.0f) : raw[i]);
}

void ConstrainedParams::chain(const float* raw, float* grad) const {
  for (size_t i = 0; i < k_.size(); ++i) grad[i] *= rectified_[i] && !(raw[i] > 0) ? 0.0f : k_[i];
}

void ConstrainedParams::raw_of(const float* eff, float* raw) const {
  for (size_t i = 0; i < k_.size(); ++i) raw[i] = eff[i] * k_[i];  // k is ±1 or 0: |eff| where rectified
}

long ConstrainedParams::violation(const float* eff) const {
  for (size_t i = 0; i < k_.size(); ++i)
    if ((k_[i] == 0 && eff[i] != 0) || (rectified_[i] && eff[i] * k_[i] < 0)) return long(i);
  return -1;
}

void init_constrained(const RnnSpec& spec, const WeightConstraints& c, double radius, float* raw) {
  const ConstrainedParams map(spec, c);
  const std::vector<ParamEntry> layout = param_layout(spec);
  const ParamEntry& hh = find_param(layout, "rnn.weight_hh_l0");
  if (c.dale()) {
    for (const ParamEntry& e : layout)
      if (e.name == "rnn.weight_hh_l0" || e.name == "rnn.weight_ih_l0" || e.name == "readout.weight")
        std::transform(raw + e.offset, raw + e.offset + e.size(), raw + e.offset, [](float w) { return std::fabs(w); });
    const double excitatory = double(std::count(c.unit_sign.begin(), c.unit_sign.end(), 1.0f));
    const float balance = float(excitatory / (spec.N - excitatory));
    for (int i = 0; i < spec.N; ++i)
      for (int j = 0; j < spec.N; ++j)
        if (c.unit_sign[size_t(j)] < 0) raw[hh.offset + size_t(i) * spec.N + j] *= balance;
  }
  std::vector<float> eff(param_count(spec));
  map.effective(raw, eff.data());
  using RowMat = Eigen::Matrix<double, -1, -1, Eigen::RowMajor>;
  const RowMat W = Eigen::Map<const Eigen::Matrix<float, -1, -1, Eigen::RowMajor>>(eff.data() + hh.offset, spec.N, spec.N)
                       .cast<double>();
  const double rho = Eigen::EigenSolver<RowMat>(W, false).eigenvalues().cwiseAbs().maxCoeff();
  if (rho > 0)
    for (size_t i = 0; i < hh.size(); ++i) raw[hh.offset + i] *= float(radius / rho);
}

void add_self_connections(const RnnSpec& spec, const WeightConstraints& c, double q, float* raw) {
  if (q == 0) return;
  if (!one_recurrent_matrix(spec.cell) && spec.cell != Cell::Vanilla)
    throw UsageError(std::string("--init-self needs a cell with one recurrent matrix (vanilla, leaky or torch-rnn), not ") +
                     cell_name(spec.cell));
  const size_t N = size_t(spec.N);
  float* W = raw + find_param(param_layout(spec), spec.cell == Cell::Vanilla ? "wR" : "rnn.weight_hh_l0").offset;
  for (size_t i = 0; i < N; ++i)
    if (!(c.dale() && c.unit_sign[i] < 0) && (c.mask.empty() || c.mask[i * N + i] != 0)) W[i * N + i] += float(q);
}

void write_constraints(H5File& out, const WeightConstraints& c) {
  if (!c.active()) return;
  out.create_group(kGroup);
  if (c.dale()) {
    out.write(std::string(kGroup) + "/unit_sign", Shape{c.unit_sign.size()}, c.unit_sign.data());
    out.write_attribute("excitatory_fraction", c.excitatory_fraction, kGroup);
  }
  if (!c.mask.empty()) {
    const size_t N = size_t(std::lround(std::sqrt(double(c.mask.size()))));
    out.write(std::string(kGroup) + "/connectivity", Shape{N, N}, c.mask.data());
  }
}

WeightConstraints read_constraints(const H5File& in, const RnnSpec& spec, const float* params) {
  WeightConstraints c;
  const std::string sign = std::string(kGroup) + "/unit_sign", mask = std::string(kGroup) + "/connectivity";
  const size_t N = size_t(spec.N);
  if (in.has_dataset(sign)) {
    c.unit_sign = in.read<float>(sign, "[N]").data;
    if (c.unit_sign.size() != N)
      throw Error(in.where(sign) + " has " + std::to_string(c.unit_sign.size()) + " values but the network has " +
                  std::to_string(N) + " units");
    c.excitatory_fraction = in.has_attribute("excitatory_fraction", kGroup)
                                ? in.read_attribute_in("excitatory_fraction", 0, 1, kGroup)
                                : double(std::count(c.unit_sign.begin(), c.unit_sign.end(), 1.0f)) / double(N);
  }
  if (in.has_dataset(mask)) {
    Array<float> m = in.read<float>(mask, "[N,N]");
    if (m.shape != Shape{N, N})
      throw Error(in.where(mask) + " has shape " + shape_string(m.shape) + " but [" + std::to_string(N) + "," +
                  std::to_string(N) + "] is required");
    c.mask = std::move(m.data);
  }
  check_constraints(spec, c, in.name());
  if (!c.active()) return c;
  const long bad = ConstrainedParams(spec, c).violation(params);
  if (bad >= 0) {
    std::string name;
    for (const ParamEntry& e : param_layout(spec))
      if (size_t(bad) >= e.offset && size_t(bad) < e.offset + e.size()) name = e.name;
    throw Error(in.where(name) + " breaks the file's own constraints (" + (c.dale() ? "Dale's law" : "") +
                (c.dale() && !c.mask.empty() ? ", " : "") + (c.mask.empty() ? "" : "connectivity mask") +
                "): a weight has the wrong sign or sits where there is no connection");
  }
  return c;
}

}  // namespace ctd
