// NLB's spike-smoothing baseline (docs/methods.md §8): the number any model
// of the held-out units must beat. Held-in rates are the held-in spikes
// smoothed by a Gaussian; each held-out unit's rate is a Poisson GLM of the
// log of those (+1e-4), fitted on the train trials with an L2 penalty.
#pragma once
#include <vector>

#include "io/hdf5.hpp"

namespace ctd {

// Poisson regression with an unpenalised intercept (scikit-learn's
// PoissonRegressor): minimises mean(exp(x·w + b) − y (x·w + b)) + α/2 |w|²
// by Newton's method with backtracking. x [n,p] row-major, y [n]; returns
// w (p values) then b.
std::vector<double> fit_poisson_glm(const std::vector<double>& x, const std::vector<double>& y, size_t p, double alpha);

struct SmoothedRates {
  Array<double> train, eval;  // [B,T,D]: held-in then held-out units
  double sd = 0, alpha = 0;
};
// The baseline's rates for train and eval trials of spikes [B,T,·], for each
// kernel SD (bins) and penalty of the grids; the pair with the highest co-bps
// on eval_heldout is kept (nlb_tools' sweep: the baseline's best case).
SmoothedRates smoothing_baseline(const Array<double>& train_heldin, const Array<double>& train_heldout,
                                 const Array<double>& eval_heldin, const Array<double>& eval_heldout,
                                 const std::vector<double>& sds, const std::vector<double>& alphas);

}  // namespace ctd
