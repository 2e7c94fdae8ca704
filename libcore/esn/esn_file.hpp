// The `esn` file (docs/formats.md): parameters a0 wI wR wO wF, the RLS state P
// (float64), and the attribute dt_over_tau plus the network's settings.
#pragma once
#include "esn/esn.hpp"
#include "io/hdf5.hpp"

namespace ctd {

void write_esn_params(H5File& out, const EsnParams& p, const Eigen::MatrixXd& P);

struct EsnFile {
  EsnParams params;
  Eigen::MatrixXd P;  // empty if the file has none
};

// Checks every shape against N (from a0), U (wI) and M (wO).
EsnFile read_esn_file(const H5File& in);

}  // namespace ctd
