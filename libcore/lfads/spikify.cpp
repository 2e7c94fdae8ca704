#include "lfads/spikify.hpp"

#include <algorithm>
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
        "tanh: rate = (x+1)/2 * max-rate (hidden states in [-1,1]); scale: rate = x * max-rate (x in [0,1])")
      .one_of({"tanh", "scale"});
  o.add("max-rate", s.max_rate, "Rate in Hz of a unit at its maximum").positive();
  o.add("bin-width", s.bin_width, "Seconds per time step: counts ~ Poisson(rate * bin-width)").positive();
  o.add("train-fraction", s.train_fraction, "Share of trials for training; the rest is validation").range(0, 1);
}

LfadsData spikify(const Array<float>& x, const Array<float>& inputs, const SpikifySettings& s, uint64_t seed,
                  const std::string& where) {
  const size_t B = x.dim(0), T = x.dim(1), D = x.dim(2);
  if (B < 2) throw Error(where + " has " + std::to_string(B) + " trials: at least 2 are needed for a split");
  if (inputs.size() && (inputs.dim(0) != B || inputs.dim(1) != T))
    throw Error(where + ": the inputs have shape " + shape_string(inputs.shape) + " but the states are " +
                shape_string(x.shape) + ": B and T must agree");
  if (s.max_rate * s.bin_width > kMaxMeanCount)
    throw UsageError("--max-rate x --bin-width is " + fmt("%g", s.max_rate * s.bin_width) +
                     " spikes per bin; at most " + fmt("%g", kMaxMeanCount) + " are supported");
  const bool tanh = s.transform == "tanh";
  // Rates in Hz, checked: Poisson means must not be negative.
  Array<float> rate(x.shape);
  for (size_t i = 0; i < x.size(); ++i) {
    double r = tanh ? (x[i] + 1.0) / 2.0 * s.max_rate : x[i] * s.max_rate;
    if (r < 0)
      throw Error(where + " gives a negative rate (" + std::to_string(r) + " Hz) with --transform " + s.transform +
                  (tanh ? ": values below -1" : ": negative values"));
    if (r * s.bin_width > kMaxMeanCount)
      throw Error(where + " gives " + fmt("%g", r * s.bin_width) + " expected spikes per bin; at most " +
                  fmt("%g", kMaxMeanCount) + " are supported (scale the data or lower --max-rate)");
    rate[i] = float(r);
  }
  // A seeded shuffle chooses the split; counts come from one stream per trial.
  const size_t Btr = std::min(B - 1, std::max<size_t>(1, size_t(s.train_fraction * double(B) + 0.5)));
  std::vector<int64_t> order(B);
  std::iota(order.begin(), order.end(), 0);
  RngStream split_rng(seed, RngDomain::Spikes, uint64_t(1) << 40);
  shuffle(order, split_rng);

  auto make_split = [&](size_t first, size_t count) {
    const size_t row = T * D;
    LfadsSplit sp;
    sp.data = Array<float>({count, T, D});
    sp.truth = Array<float>({count, T, D});
    for (size_t j = 0; j < count; ++j) {
      const size_t b = size_t(order[first + j]);
      sp.inds.push_back(int64_t(b));
      RngStream rng(seed, RngDomain::Spikes, b);
      for (size_t i = 0; i < row; ++i) {
        sp.truth[j * row + i] = rate[b * row + i];
        sp.data[j * row + i] = float(rng.poisson(rate[b * row + i] * s.bin_width));
      }
    }
    if (inputs.size()) {
      const size_t U = inputs.dim(2);
      sp.inputs = Array<float>({count, T, U});
      for (size_t j = 0; j < count; ++j)
        std::copy_n(inputs.ptr() + size_t(order[first + j]) * T * U, T * U, sp.inputs.ptr() + j * T * U);
    }
    return sp;
  };
  LfadsData d;
  d.train = make_split(0, Btr);
  d.valid = make_split(Btr, B - Btr);
  d.conversion_factor = 1.0 / s.bin_width;  // truth (Hz) = expected counts per bin × this
  return d;
}

}  // namespace ctd
