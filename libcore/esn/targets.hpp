// Target time series for FORCE learning.
#pragma once
#include <Eigen/Core>
#include <cstdint>

#include "esn/esn.hpp"

namespace ctd {

// Row-major [T,M] targets.
using TimeSeries = Eigen::Matrix<double, -1, -1, Eigen::RowMajor>;

// The tutorial's targets: the first M units h_t[0:M] of a data ESN (its own
// gain and seed, no learning, no input) over T steps.
TimeSeries data_esn_targets(const EsnSpec& data_spec, int M, int T, uint64_t seed);

// Sussillo & Abbott's periodic target: (1.3/1.5)·[sin(πft) + ½sin(2πft) +
// ⅙sin(3πft) + ⅓sin(4πft)] with f = 1/period_base, t = step·dt (every output
// the same). Its period is 2·period_base.
TimeSeries sum_of_sines(int T, int M, double dt, double period_base);

}  // namespace ctd
