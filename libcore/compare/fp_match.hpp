// Fixed-point correspondence of two systems (docs/methods.md §8): the
// fitted system's points, mapped into the reference's space by the affine map
// of the state regression, paired one to one with the reference's points
// (closest pairs first, each closer than a tolerance), and whether each pair's
// stability labels agree.
#pragma once
#include <vector>

#include "io/dataset_ref.hpp"

namespace ctd {

struct FixedPointMatch {
  int matched = 0;               // pairs closer than the tolerance
  int stability_agrees = 0;      // of those, pairs with the same label
  int stable_pairs = 0;          // of those, pairs of two stable points (memories found again)
  std::vector<int> partner;      // per reference point: its fitted point, or -1
  std::vector<double> distance;  // per reference point: the distance to its partner (NaN without one)
};

// `mapped` [K,N] are the fitted points in the reference's space; labels are
// 0 stable, 1 marginal, 2 unstable (as find-fixed-points writes them).
FixedPointMatch match_fixed_points(const RowMatD& reference, const std::vector<int>& reference_labels,
                                   const RowMatD& mapped, const std::vector<int>& mapped_labels, double tol);

}  // namespace ctd
