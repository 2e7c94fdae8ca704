// The LFADS model file: every parameter under its name (enc/fwd/wRUHX, ...,
// as groups), and the sizes as root attributes (D, enc_dim, con_dim, ii_dim,
// gen_dim, factors_dim, keep_rate, varmin, bfg).
#pragma once
#include "io/hdf5.hpp"
#include "lfads/model.hpp"

namespace ctd {

void write_lfads_model(H5File& out, const LfadsSpec& spec, const AlignedVector<float>& params);

struct LfadsModel {
  LfadsSpec spec;
  AlignedVector<float> params;
};
LfadsModel read_lfads_model(const H5File& in);

}  // namespace ctd
