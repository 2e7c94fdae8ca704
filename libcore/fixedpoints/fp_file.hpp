// Writing the `fixed-points` file (docs/formats.md) and the linear analysis
// of any set of states.
#pragma once
#include <string>
#include <vector>

#include "fixedpoints/finder.hpp"
#include "io/hdf5.hpp"

namespace ctd {

struct FixedPointSet {
  RowMatD points;                  // [K,N]
  Eigen::VectorXd q;               // [K]
  std::vector<int64_t> candidate;  // [K] row of the candidate each came from
};

class OptionSet;

// What the linear analysis computes and writes, at every point.
struct LinearizationSettings {
  std::vector<double> x_star;  // the held input (empty: zeros)
  std::string eig_sort = "real";
  double stability_tol = 1e-4;
  bool jacobians = false, eigvecs = false;
  EigSort sort() const { return eig_sort == "magnitude" ? EigSort::Magnitude : EigSort::Real; }
};
// --x-star, --eig-sort, --stability-tol, --jacobians, --eigvecs.
void register_options(OptionSet& o, LinearizationSettings& s);

// Writes eigvals and stability of every point (and on request jacobians,
// input_jacobians, right/left eigenvectors) under `group` ("" = root).
void write_linearization(H5File& out, const std::string& group, const RowMatD& points, const RnnMap<double>& map,
                         const LinearizationSettings& lin, int threads);

// Writes fps, q, candidate_index, x_star and the linearisation under `group`.
void write_fixed_points(H5File& out, const std::string& group, const FixedPointSet& set, const RnnMap<double>& map,
                        const Eigen::VectorXd& x_star, const LinearizationSettings& lin, int threads);

}  // namespace ctd
