// PSTHs and how well single-trial rates match them (NLB's psth R²,
// docs/methods.md §8), and the Gaussian smoothing both it and the smoothing
// baseline use.
#pragma once
#include <cstdint>
#include <vector>

#include "io/hdf5.hpp"

namespace ctd {

// Each trial's and unit's time course [B,T,N] convolved with a Gaussian of
// `sd` bins: int(6·sd) taps (at least 1), normalised to sum 1, centred as
// numpy's convolve(…, 'same'), zeros beyond the trial (nlb_tools' smoothing).
Array<double> smooth_in_time(const Array<double>& x, double sd);

// For each of `trials` (rows of `spikes`), the mean of `spikes` [M,T,N] over
// the other rows of the same condition (leave-one-out, as nlb_tools): [trials,T,N];
// NaN where the condition has no other row.
Array<double> leave_one_out_psth(const Array<double>& spikes, const std::vector<int64_t>& conditions,
                                 const std::vector<size_t>& trials);

// NLB's PSTHs of the eval trials [Be,T,N]: train [Bt,T,N] and eval spikes
// smoothed by a Gaussian of `sd` bins, each eval trial's the leave-one-out
// mean over both splits' trials of its condition. Error naming `what` when
// the shapes disagree or an eval trial's condition has no other trial.
Array<double> eval_trial_psth(const Array<double>& train, const Array<double>& eval,
                              const std::vector<int64_t>& train_conditions, const std::vector<int64_t>& eval_conditions,
                              double sd, const std::string& what);

// R² of rates [B,T,N] against the PSTHs [B,T,N] over every (trial, bin) row
// whose PSTH is not NaN, per unit, averaged over units (NLB's psth R²).
// Error naming `what` for a NaN rate in such a row; NaN if there is no row.
double psth_r2(const Array<double>& rates, const Array<double>& psth, const std::string& what);

}  // namespace ctd
