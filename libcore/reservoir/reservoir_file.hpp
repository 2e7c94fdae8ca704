// The `reservoir` file (docs/formats.md): the reservoir (W, W_in, W_fb), its
// readout W_out when trained, and the readout's learning state (the ridge
// sums, or RLS's P), so that a saved model runs again or learns on.
#pragma once
#include <string>

#include "io/hdf5.hpp"
#include "reservoir/readout.hpp"
#include "reservoir/reservoir.hpp"

namespace ctd {

struct ReservoirModel {
  Reservoir reservoir;
  std::string readout = "ridge";   // ridge | rls | lms: how W_out was learnt
  RowMatD W_out;                   // [M,1+N]; empty: not trained
  Eigen::MatrixXd ridge_zz;        // ridge: Σ z zᵀ (empty if none)
  RowMatD ridge_yz;                // ridge: Σ y zᵀ
  Eigen::MatrixXd rls_P;           // rls: P (empty if none)
};

void write_reservoir_model(H5File& out, const ReservoirModel& m);
// Every shape checked against N (from W), U and M (from W_in and W_out).
ReservoirModel read_reservoir_model(const H5File& in);

}  // namespace ctd
