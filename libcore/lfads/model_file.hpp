// The LFADS model file: every parameter under its name (enc/fwd/wRUHX, ...,
// as groups), and the sizes as root attributes (D, D_in, ext_dim, enc_dim,
// con_dim, ii_dim, gen_dim, factors_dim, keep_rate, cd_rate, varmin, bfg,
// readin_dim); a stitched model's sessions as the attribute `sessions` and
// groups sessions/NAME with attributes D and D_in (D, D_in at the root: sums).
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
// held-out units (spec.held_out(); a stitched model's: those of `session`),
// as the model's own (from_model).
LfadsReadOptions reading_of(const LfadsModel& model, size_t session = 0);

}  // namespace ctd
