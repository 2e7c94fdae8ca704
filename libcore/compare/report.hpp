// compare-dynamics's results as people and programs read them: text, one
// JSON object, an HDF5 file (docs/formats.md, "comparison"); and the rate R²,
// which needs the LFADS data layout's conventions.
#pragma once
#include <string>

#include "compare/comparison.hpp"
#include "io/hdf5.hpp"

namespace ctd {

// Rates per bin on both sides: the fitted's as they are, the reference's
// divided by its file's conversion_factor (spikify's truth is in Hz).
struct RateScore {
  bool given = false;
  double r2 = 0, r2_per_trial = 0;  // pooled per unit; per unit and trial (the tutorial's)
};
// From FILE[:DATASET] specs (both or neither: a usage error otherwise).
RateScore score_rates(const std::string& reference, const std::string& fitted);

std::string comparison_text(const Comparison& c, const RateScore& rates, const ComparisonSettings& s,
                            const System& reference, const System& fitted);
std::string comparison_json(const Comparison& c, const RateScore& rates, const ComparisonSettings& s);
void write_comparison(H5File& out, const Comparison& c, const RateScore& rates, const ComparisonSettings& s);

}  // namespace ctd
