// The continuation file (docs/formats.md, "continuation"): per branch a group
// branch_<k> with its points, and the bifurcations of every branch in one table.
#pragma once
#include "fixedpoints/continuation.hpp"
#include "io/hdf5.hpp"

namespace ctd {

// Writes every branch (lambda, inputs, states, readout, unstable, max_modulus)
// and the bifurcations (bifurcation_branch, _kind, _lambda, _inputs, _states).
void write_continuation(H5File& out, const ContinuationResult& r, const RnnMap<double>& map,
                        const Eigen::VectorXd& from, const Eigen::VectorXd& to);

}  // namespace ctd
