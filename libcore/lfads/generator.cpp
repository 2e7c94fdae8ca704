#include "lfads/generator.hpp"

#include <cmath>

#include "util/error.hpp"

namespace ctd {

namespace {
const float* lfads_param(const LfadsModel& m, const std::string& name) {
  const std::vector<ParamEntry> layout = lfads_layout(m.spec);
  return m.params.data() + find_param(layout, name).offset;
}

// What the readout reads: the factors [..., T, F] through the readout filter along T (model.hpp).
std::vector<double> filtered_factors(const ReadoutFilter& filter, const Array<float>& factors) {
  std::vector<double> out(factors.data.begin(), factors.data.end());
  if (!filter.active()) return out;
  if (factors.rank() < 2)
    throw Error("the model's readout filters the factors in time: they need a time axis [..., T, F], not shape " +
                shape_string(factors.shape));
  const size_t F = factors.shape.back(), T = factors.shape[factors.rank() - 2], trials = factors.size() / (T * F);
  for (size_t n = 0; n < trials; ++n) {
    double* x = out.data() + n * T * F;
    for (size_t t = 1; t < T; ++t)
      for (size_t k = 0; k < F; ++k) {
        const double before2 = t >= 2 ? x[(t - 2) * F + k] : x[k];  // f~ = f_0 before the first bin
        x[t * F + k] = filter.a1 * x[(t - 1) * F + k] + filter.a2 * before2 + filter.gain * x[t * F + k];
      }
  }
  return out;
}
}  // namespace

RnnModel lfads_generator(const LfadsModel& m) {
  const LfadsSpec& s = m.spec;
  RnnModel g;
  g.spec.cell = Cell::Gru;
  g.spec.N = s.gen;
  g.spec.U = s.ii + s.ext;
  g.spec.O = s.factors;
  g.spec.bfg = s.bfg;
  g.params.assign(param_count(g.spec), 0.0f);
  const std::vector<ParamEntry> layout = lfads_layout(s);
  auto copy = [&](const char* from, const char* to) {
    const ParamEntry& e = find_param(layout, from);
    std::copy_n(m.params.data() + e.offset, e.size(), g.param(to));
  };
  copy("gen/wRUHX", "wRUHX");
  copy("gen/wCHX", "wCHX");
  copy("gen/bRU", "bRU");
  copy("gen/bC", "bC");
  copy("ic_prior/mean", "h0");
  // The factors read the generator through W_f with unit-norm rows (as the model's pass does).
  const float* wf = lfads_param(m, "factors/w");
  float* wO = g.param("wO");
  const size_t F = size_t(s.factors), G = size_t(s.gen);
  for (size_t k = 0; k < F; ++k) {
    double norm = 0;
    for (size_t j = 0; j < G; ++j) norm += double(wf[k * G + j]) * wf[k * G + j];
    norm = std::sqrt(norm);
    for (size_t j = 0; j < G; ++j) wO[k * G + j] = float(wf[k * G + j] / norm);
  }
  return g;  // bO stays 0: the factors have no bias
}

Array<float> lfads_rates(const LfadsModel& m, const Array<float>& factors, size_t session) {
  const LfadsSpec spec = session_view(m.spec, session);
  const size_t F = size_t(spec.factors), D = size_t(spec.D);
  if (factors.rank() < 1 || factors.shape.back() != F)
    throw Error("factors of shape " + shape_string(factors.shape) + " but the model has " + std::to_string(F) +
                " factors");
  const ObservationModel obs = observation_model(spec);
  const size_t P = size_t(observation_param_count(obs.kind));
  const std::string readout = session_prefix(spec) + (obs.kind == Observation::Poisson ? "logrates" : "obs");
  Shape shape = factors.shape;
  shape.back() = D;
  Array<float> rates(shape);
  const float *w = lfads_param(m, readout + "/w"), *b = lfads_param(m, readout + "/b");
  const size_t rows = factors.size() / F;
  const std::vector<double> read = filtered_factors(readout_filter(spec), factors);
  std::vector<float> a(P * D);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t j = 0; j < P * D; ++j) {
      double z = b[j];
      for (size_t k = 0; k < F; ++k) z += double(w[j * F + k]) * read[r * F + k];
      a[j] = float(z);
    }
    observation_mean<float>(obs, a.data(), 1, long(D), rates.ptr() + r * D, nullptr);
  }
  return rates;
}

bool is_lfads_model(const H5File& in) { return in.has_attribute("gen_dim") && in.has_attribute("factors_dim"); }

RnnModel read_network(const H5File& in, const RnnReadOptions& options, LfadsModel* lfads) {
  if (!is_lfads_model(in)) return read_rnn_params(in, options);
  LfadsModel m = read_lfads_model(in);
  RnnModel g = lfads_generator(m);
  if (lfads) *lfads = std::move(m);
  return g;
}

}  // namespace ctd
