// The LFADS model file: every parameter under its name (enc/fwd/wRUHX, ...,
// as groups), and the sizes as root attributes (D, D_in, ext_dim, enc_dim,
// con_dim, ii_dim, gen_dim, factors_dim, keep_rate, cd_rate, varmin, bfg).
#pragma once
#include "io/hdf5.hpp"
#include "lfads/data.hpp"
#include "lfads/model.hpp"

namespace ctd {

void write_lfads_model(H5File& out, const LfadsSpec& spec, const AlignedVector<float>& params);
// The sizes alone (a posterior records the model that produced it).
void write_lfads_spec(H5File& out, const LfadsSpec& spec);

struct LfadsModel {
  LfadsSpec spec;
  AlignedVector<float> params;
  double valid_fraction = 0;  // the share of training trials it validated on, if it split them (attribute valid_fraction)
};
LfadsModel read_lfads_model(const H5File& in);
// How --infer reads data for a model: the model's validation share and its
// held-out units (spec.held_out()), as the model's own (from_model).
LfadsReadOptions reading_of(const LfadsModel& model);

}  // namespace ctd
