#include "lfads/spikify.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

namespace {
// Beyond this a count no longer fits the float32 datasets exactly.
constexpr double kMaxMeanCount = 1e6;
}

void register_options(OptionSet& o, SpikifySettings& s) {
  o.group("Spikes");
  o.add("transform", s.transform,
        "tanh: rate = (x+1)/2 * max-rate (hidden states in [-1,1]); scale: rate = x * max-rate (x in [0,1]); exp: "
        "--neurons neurons, rate = base-rate * exp(gain * w.x) with w a random unit vector per neuron")
      .one_of({"tanh", "scale", "exp"});
  o.add("max-rate", s.max_rate, "tanh, scale: rate in Hz of a unit at its maximum").positive();
  o.add("neurons", s.neurons, "exp: neurons to simulate").range(1, 1e6);
  o.add("base-rate", s.base_rate, "exp: rate in Hz at x = 0").positive();
  o.add("gain", s.gain, "exp: how strongly the states modulate the log-rates").range(0, 1e3);
  o.add("bin-width", s.bin_width, "Seconds per time step: counts ~ Poisson(rate * bin-width)").positive();
  o.add("train-fraction", s.train_fraction, "Share of trials for training; the rest is validation").range(0, 1);
  o.add("ext-input", s.ext_input,
        "Write the states file's inputs as external inputs too (*_ext_input): fit-lfads then feeds them to the model");
}

namespace {
// One neuron per column: tanh or scale.
Array<float> unit_rates(const Array<float>& x, const SpikifySettings& s, const std::string& where) {
  const bool tanh = s.transform == "tanh";
  Array<float> rate(x.shape);
  for (size_t i = 0; i < x.size(); ++i) {
    const double r = tanh ? (x[i] + 1.0) / 2.0 * s.max_rate : x[i] * s.max_rate;
    if (r < 0)
      throw Error(where + " gives a negative rate (" + std::to_string(r) + " Hz) with --transform " + s.transform +
                  (tanh ? ": values below -1" : ": negative values"));
    rate[i] = float(r);
  }
  return rate;
}

// The log-linear embedding: rate_d = base·exp(gain·w_d·x), w_d ~ uniform on the unit sphere.
Array<float> embedded_rates(const Array<float>& x, const SpikifySettings& s, uint64_t seed, Array<float>* weights) {
  const size_t rows = x.dim(0) * x.dim(1), D = x.dim(2), K = size_t(s.neurons);
  Array<float> w({K, D});
  RngStream rng(seed, RngDomain::Spikes, uint64_t(1) << 41);
  for (size_t k = 0; k < K; ++k) {
    double norm = 0;
    for (size_t j = 0; j < D; ++j) norm += std::pow(w[k * D + j] = float(rng.normal()), 2);
    for (size_t j = 0; j < D; ++j) w[k * D + j] = float(w[k * D + j] / std::sqrt(norm));
  }
  Array<float> rate({x.dim(0), x.dim(1), K});
  for (size_t r = 0; r < rows; ++r)
    for (size_t k = 0; k < K; ++k) {
      double z = 0;
      for (size_t j = 0; j < D; ++j) z += double(w[k * D + j]) * x[r * D + j];
      rate[r * K + k] = float(s.base_rate * std::exp(std::min(s.gain * z, 700.0)));
    }
  if (weights) *weights = w;
  return rate;
}
}  // namespace

LfadsData spikify(const Array<float>& x, const Array<float>& inputs, const SpikifySettings& s, uint64_t seed,
                  const std::string& where, Array<float>* embedding) {
  const size_t B = x.dim(0), T = x.dim(1), D = x.dim(2);
  if (B < 2) throw Error(where + " has " + std::to_string(B) + " trials: at least 2 are needed for a split");
  if (inputs.size() && (inputs.dim(0) != B || inputs.dim(1) != T))
    throw Error(where + ": the inputs have shape " + shape_string(inputs.shape) + " but the states are " +
                shape_string(x.shape) + ": B and T must agree");
  const bool exp = s.transform == "exp";
  if (!exp && s.max_rate * s.bin_width > kMaxMeanCount)
    throw UsageError("--max-rate x --bin-width is " + fmt("%g", s.max_rate * s.bin_width) +
                     " spikes per bin; at most " + fmt("%g", kMaxMeanCount) + " are supported");
  // Rates in Hz, checked: Poisson means must not be negative.
  const Array<float> rate = exp ? embedded_rates(x, s, seed, embedding) : unit_rates(x, s, where);
  for (float r : rate.data)
    if (r * s.bin_width > kMaxMeanCount)
      throw Error(where + " gives " + fmt("%g", r * s.bin_width) + " expected spikes per bin; at most " +
                  fmt("%g", kMaxMeanCount) + " are supported (scale the data or lower --" +
                  (exp ? "base-rate or --gain" : "max-rate") + ")");
  const size_t N = rate.dim(2);
  // A seeded shuffle chooses the split; counts come from one stream per trial.
  const size_t Btr = std::min(B - 1, std::max<size_t>(1, size_t(s.train_fraction * double(B) + 0.5)));
  std::vector<int64_t> order(B);
  std::iota(order.begin(), order.end(), 0);
  RngStream split_rng(seed, RngDomain::Spikes, uint64_t(1) << 40);
  shuffle(order, split_rng);

  auto make_split = [&](size_t first, size_t count) {
    const size_t row = T * N;
    LfadsSplit sp;
    sp.data = Array<float>({count, T, N});
    sp.truth = Array<float>({count, T, N});
    for (size_t j = 0; j < count; ++j) {
      const size_t b = size_t(order[first + j]);
      sp.inds.push_back(int64_t(b));
      RngStream rng(seed, RngDomain::Spikes, b);
      for (size_t i = 0; i < row; ++i) {
        sp.truth[j * row + i] = rate[b * row + i];
        sp.data[j * row + i] = float(rng.poisson(rate[b * row + i] * s.bin_width));
      }
    }
    if (exp) {  // the states the rates were made from: what a fitted model should recover
      sp.lowd = Array<float>({count, T, D});
      for (size_t j = 0; j < count; ++j)
        std::copy_n(x.ptr() + size_t(order[first + j]) * T * D, T * D, sp.lowd.ptr() + j * T * D);
    }
    if (inputs.size()) {
      const size_t U = inputs.dim(2);
      sp.inputs = Array<float>({count, T, U});
      for (size_t j = 0; j < count; ++j)
        std::copy_n(inputs.ptr() + size_t(order[first + j]) * T * U, T * U, sp.inputs.ptr() + j * T * U);
    }
    if (s.ext_input) sp.ext = sp.inputs;
    return sp;
  };
  if (s.ext_input && !inputs.size()) throw UsageError("--ext-input: " + where + " comes with no inputs");
  LfadsData d;
  d.train = make_split(0, Btr);
  d.valid = make_split(Btr, B - Btr);
  d.conversion_factor = 1.0 / s.bin_width;  // truth (Hz) = expected counts per bin × this
  return d;
}

}  // namespace ctd
