// What a trainer does with its validation loss beyond recording it (as
// AutoLFADS trains): smooth it (exponential moving average), keep the
// parameters where the smoothed loss was lowest, and lower the learning rate
// when it has not improved for a number of validation points (a plateau).
// Off by default: the tutorials' recipes run to their last batch.
#pragma once
#include <cstdint>
#include <limits>

#include "io/hdf5.hpp"
#include "train/optimizer_loop.hpp"
#include "util/aligned_vector.hpp"

namespace ctd {

class OptionSet;

struct ValidationRules {
  bool keep_best = false;
  double smoothing = 0.7;           // weight of the past in the moving average (0: none)
  uint64_t plateau_patience = 0;    // validation points without improvement before the rate drops; 0: never
  double plateau_factor = 0.95;     // the rate's factor at each plateau
  double lr_min = 1e-5;             // the rate never drops below this
};
// --keep-best, --valid-smoothing, --lr-plateau-patience, --lr-plateau-factor, --lr-min.
void register_options(OptionSet& o, ValidationRules& r);

// The rules' state, which checkpoints keep so a resumed run decides as an
// uninterrupted one.
struct BestSoFar {
  AlignedVector<float> params;  // at the best point (keep_best only)
  uint64_t step = 0;            // batch of the best point; 0: none yet
  double smoothed_best = std::numeric_limits<double>::infinity();
  double smoothed_last = std::numeric_limits<double>::quiet_NaN();
  uint64_t since_best = 0;      // validation points since the best (reset when the rate drops)
};

// One validation point: returns the smoothed loss; updates `best` (copying
// params when keep_best) and lowers progress.lr_scale on a plateau, where
// `lr_now` is the unscaled scheduled rate. Returns true in `dropped` when the rate fell.
double apply_validation_rules(const ValidationRules& r, double valid_loss, uint64_t step, const float* params,
                              size_t n, double lr_now, BestSoFar& best, OptimizerProgress& progress, bool& dropped);

// The smoothed loss a point would have, without acting on it.
double smoothed_validation(const ValidationRules& r, double valid_loss, const BestSoFar& best);

// As best/params (when kept) and attributes best_step, best_smoothed, last_smoothed, since_best.
void write_best_so_far(H5File& out, const BestSoFar& best);
void read_best_so_far(const H5File& in, BestSoFar& best);

}  // namespace ctd
