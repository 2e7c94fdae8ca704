#include "compare/fp_match.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace ctd {

FixedPointMatch match_fixed_points(const RowMatD& ref, const std::vector<int>& ref_labels, const RowMatD& mapped,
                                   const std::vector<int>& mapped_labels, double tol) {
  std::vector<std::tuple<double, long, long>> pairs;
  for (long i = 0; i < ref.rows(); ++i)
    for (long j = 0; j < mapped.rows(); ++j) {
      const double d = (ref.row(i) - mapped.row(j)).norm();
      if (d < tol) pairs.emplace_back(d, i, j);
    }
  std::sort(pairs.begin(), pairs.end());
  FixedPointMatch m;
  m.partner.assign(size_t(ref.rows()), -1);
  m.distance.assign(size_t(ref.rows()), std::nan(""));
  std::vector<bool> taken(size_t(mapped.rows()), false);
  for (const auto& [d, i, j] : pairs) {
    if (m.partner[size_t(i)] >= 0 || taken[size_t(j)]) continue;
    m.partner[size_t(i)] = int(j);
    m.distance[size_t(i)] = d;
    taken[size_t(j)] = true;
    ++m.matched;
    if (ref_labels[size_t(i)] == mapped_labels[size_t(j)]) ++m.stability_agrees;
    if (ref_labels[size_t(i)] == 0 && mapped_labels[size_t(j)] == 0) ++m.stable_pairs;
  }
  return m;
}

}  // namespace ctd
