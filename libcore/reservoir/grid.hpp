// A grid search over a reservoir's hyperparameters (docs/methods.md §11):
// spectral radius × leak × input scaling × ridge penalty, every point scored
// on the test steps (one-step NRMSE, or the closed-loop valid time), as
// reservoir users tune by hand or with ReservoirPy's hyperopt examples.
#pragma once
#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "reservoir/fit.hpp"
#include "reservoir/reservoir.hpp"

namespace ctd {

class OptionSet;

struct ReservoirGrid {
  ReservoirSpec spec;  // every other setting of the reservoir
  std::vector<double> radii = {0.5, 0.9, 1.25}, leaks = {0.1, 0.3, 1.0}, input_scalings = {0.1, 1.0},
                      ridges = {1e-8, 1e-6, 1e-4};
  DataSplit split;
  std::string score = "nrmse";  // nrmse (lower is better) | valid-time (closed loop; higher is better)
  int generate = 500;           // valid-time: closed-loop steps
  double valid_threshold = 0.5;
};
void register_options(OptionSet& o, ReservoirGrid& g);

struct GridResult {
  std::vector<double> scores;  // [R,A,S,L], row-major
  size_t best = 0;             // flat index of the best point
  double best_radius = 0, best_leak = 0, best_input_scaling = 0, best_ridge = 0, best_score = 0;
  double seconds = 0;
};

// Every point on the same random structure (`seed`), the points of the
// first three axes in parallel; the ridge axis reuses one run's sums.
GridResult search_grid(const ReservoirGrid& g, const std::string& input, uint64_t seed);

void write_grid(H5File& out, const ReservoirGrid& g, const GridResult& r);

}  // namespace ctd
