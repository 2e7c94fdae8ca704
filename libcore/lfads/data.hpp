// Spike counts in the LFADS layout (docs/formats.md): train_data / valid_data
// [trials,T,D], optional *_truth rates, *_inputs, *_lowd, conversion_factor.
#pragma once
#include <cstdint>
#include <vector>

#include "io/hdf5.hpp"

namespace ctd {

struct LfadsSplit {
  Array<float> data;    // counts [B,T,D]
  Array<float> truth;   // rates [B,T,D] (empty if absent)
  Array<float> inputs;  // known inputs [B,T,U] (empty if absent)
  Array<float> lowd;    // latent state [B,T,L] (empty if absent)
  std::vector<int64_t> inds;  // rows of the source each trial came from (empty if unknown)
};

struct LfadsData {
  LfadsSplit train, valid;
  double conversion_factor = 0;  // truth = expected counts per bin × this; 0 if absent
  std::string history;
};

// Checks shapes (both splits [·,T,D] with the same T and D), counts that are
// finite and not negative, and truths of the data's shape.
LfadsData read_lfads_data(const H5File& in);

// Writes {train,valid}_{data,truth,inputs,lowd,inds} (those present) and conversion_factor.
void write_lfads_data(H5File& out, const LfadsData& d);

}  // namespace ctd
