// Reading candidates for the fixed-point search and writing the
// `fixed-points` file (FORMATS.md).
#pragma once
#include <string>
#include <vector>

#include "fixedpoints/finder.hpp"
#include "io/hdf5.hpp"

namespace ctd {

// States from FILE (its `hiddens` [B,T,N], flattened to B·T rows in trial
// order) or FILE:DATASET ([K,N] or [B,T,N]). N must match the network. With
// time >= 0 only step `time` of each trial of a [B,T,N] dataset is taken.
RowMatD read_states(const std::string& spec, int N, std::string* history = nullptr, int time = -1);

// Parses "0.5,1" into a vector of length U (empty text: zeros).
Eigen::VectorXd parse_vector(const std::string& text, int U, const char* option);

struct FixedPointSet {
  RowMatD points;                  // [K,N]
  Eigen::VectorXd q;               // [K]
  std::vector<int64_t> candidate;  // [K] row of the candidate each came from
};

struct LinearOutputs {
  bool jacobians = false, eigvecs = false;
  EigSort sort = EigSort::Real;
  double stability_tol = 1e-4;
  int threads = 1;
};

// Writes eigvals and stability of every point (and on request jacobians,
// input_jacobians, right/left eigenvectors) under `group` ("" = root).
void write_linearization(H5File& out, const std::string& group, const RowMatD& points, const RnnMap<double>& map,
                         const LinearOutputs& lo);

// Writes fps, q, candidate_index, x_star and the linearisation under `group`.
void write_fixed_points(H5File& out, const std::string& group, const FixedPointSet& set, const RnnMap<double>& map,
                        const Eigen::VectorXd& x_star, const LinearOutputs& lo);

}  // namespace ctd
