// Calcium imaging from spikes (docs/methods.md §4, "Calcium data"): each
// unit's spike counts s_t drive a calcium concentration with an exponential
// (AR(1)) or, with a rise time, a difference-of-exponentials (AR(2)) kernel,
//   c_t = (d + r)·c_{t−1} − d·r·c_{t−2} + s_t,  d = e^(−Δt/τ_decay), r = e^(−Δt/τ_rise) (0 without),
// observed as F_t = gain·c_t + noise·ε_t (ε ~ N(0,1)), set to 0 where it
// falls below 0 unless `keep_negative` (as after baseline subtraction).
#pragma once
#include <cstdint>

#include "lfads/data.hpp"

namespace ctd {

class OptionSet;

struct CalciumSettings {
  double tau_decay = 0.4;  // s
  double tau_rise = 0;     // s; 0: an instantaneous rise (AR(1))
  double bin_width = 0.01; // s per time bin
  double gain = 1.0;       // ΔF/F of one spike's transient at its start
  double noise = 0.5;      // SD of the Gaussian noise, in the same units
  bool keep_negative = false;  // false: values below 0 become 0
};
// --tau-decay, --tau-rise, --bin-width, --gain, --noise, --keep-negative.
void register_options(OptionSet& o, CalciumSettings& s);

// Every split of `spikes` (an LFADS data file, read as Poisson counts) as
// calcium traces: data = F, truth = the noise-free trace of the expected
// counts (truth / conversion factor; estimated from the means when the file
// has none), spikes and rates (the file's truth, Hz) kept; lowd, inputs,
// external inputs and indices carried over. conversion_factor = 1 (truth is
// in the traces' units). Trial b of a split draws its noise from its own stream.
LfadsData simulate_calcium(const LfadsData& spikes, const CalciumSettings& s, uint64_t seed);

}  // namespace ctd
