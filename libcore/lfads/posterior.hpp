// Posterior sample-and-average (docs/methods.md §4): each trial is run `samples`
// times with its own draws and no dropout, and every quantity is averaged.
// Plus the R² measures of the tutorial.
#pragma once
#include <cstdint>

#include "io/hdf5.hpp"
#include "lfads/data.hpp"
#include "lfads/model.hpp"

namespace ctd {

struct LfadsPosterior {
  Array<float> rates, factors, gen_states, con_states, inferred_inputs, ii_mean, ii_logvar, ii_std;  // [B,T,·]
  Array<float> g0_mean, g0_logvar, g0_std;                                                          // [B,G]
  // Models other than Poisson: rates holds the observation model's mean, and
  // these its parameters in their own units (observation_param_names), each [B,T,D].
  std::vector<Array<float>> obs_params;
};
// (std: the sample average of √(exp(logvar) + varmin), the spread the draws had.)

// Over the trials of a split (its counts and external inputs).
LfadsPosterior lfads_posterior(const LfadsSpec& spec, const AlignedVector<float>& params, const LfadsSplit& split,
                               int samples, uint64_t seed, int threads);

// NLB's bits per spike (scoring/bits_per_spike.hpp) of rates (expected
// counts per bin) for units [first, D) and bins [bin0, bin1) of `spikes`:
// co-bps on the held-out units, fp-bps on every unit of the forward bins.
// NaN when those entries hold no spike.
double bits_per_spike(const Array<float>& rates, const Array<float>& spikes, size_t first, size_t bin0 = 0,
                      size_t bin1 = SIZE_MAX);

// Mean over trials and units of R² over time, per (trial, unit): as the tutorial.
double mean_r2_per_unit_trial(const Array<float>& predicted, const Array<float>& truth, double scale);
// Mean over units of R² over all trials and time (pooled per unit): robust
// where single trials of sparse units have almost no variance.
double mean_r2_per_unit(const Array<float>& predicted, const Array<float>& truth, double scale);
// R² of the best affine map from x [B,T,P] to y [B,T,Q], pooled over trials
// and time, per output column.
std::vector<double> affine_r2(const Array<float>& x, const Array<float>& y);

}  // namespace ctd
