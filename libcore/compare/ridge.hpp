// How well one system's states predict another's (docs/methods.md §8): ridge
// regression from X [rows,M] to Y [rows,N] (with an intercept), its penalty
// chosen by cross-validation over a log-spaced grid, scored on held-out
// trials. Rows come in trials of `steps` rows each, and folds never split a
// trial (neighbouring steps of one trial would leak into the score).
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "io/dataset_ref.hpp"

namespace ctd {

struct RidgeSettings {
  int folds = 5;
  // Penalties tried: alpha·trace(XcᵀXc)/M (scale-free) for alpha in this list.
  std::vector<double> alphas = {1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1};
};

struct RidgeScore {
  double r2 = 0;               // variance-weighted: 1 − Σ SSE / Σ SST over every output
  Eigen::VectorXd r2_per_dim;  // per output
  double alpha = 0;            // the penalty chosen on all the data (for the map)
  RowMatD W;                   // [M,N]: y ≈ x W + b, fitted on every row with `alpha`
  Eigen::RowVectorXd b;        // [N]
};

// Nested cross-validation: for each outer fold (trials assigned to folds
// by a seeded shuffle), the penalty is chosen by an inner cross-validation on
// the other folds, fitted there and scored on the fold; the held-out
// predictions of all folds are pooled into R². Needs folds >= 3 (the inner
// cross-validation needs two) and at least as many trials as folds.
RidgeScore cross_validated_ridge(const RowMatD& X, const RowMatD& Y, long steps, const RidgeSettings& s,
                                 uint64_t seed);

}  // namespace ctd
