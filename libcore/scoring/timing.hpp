// NLB's timing metric, tp corr (DMFC-RSG; docs/methods.md §8): how well the
// speed of the predicted population trajectory tracks the interval the
// animal produced, trial by trial within each condition.
#pragma once
#include <string>
#include <vector>

#include "io/array.hpp"

namespace ctd {

// Per eval trial the neural speed: the mean over consecutive valid bins of
// ‖r_{t+1} − r_t‖ (rates [B,T,D], every unit), a bin valid where `held_out`
// [B,T,·] (eval_spikes_heldout) is not NaN in its first unit. Trials are
// grouped by equal values in `condition_columns` of `behavior` [B,C] (a row
// with a NaN among them belongs to no group); per group the
// Pearson r of speed against the last column (the produced interval t_p);
// the median over groups. Errors: a group of fewer than 2 trials, a trial
// without 2 valid bins, a column out of range, shapes that disagree.
double tp_correlation(const Array<double>& rates, const Array<double>& held_out, const Array<double>& behavior,
                      const std::vector<double>& condition_columns, const std::string& where);

}  // namespace ctd
