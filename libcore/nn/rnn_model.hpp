// A network's parameters with its spec: initialisation (docs/methods.md §2) and the
// tutorials' parameter-file format, both ways.
#pragma once
#include <cstdint>
#include <vector>

#include "io/hdf5.hpp"
#include "nn/rnn.hpp"

namespace ctd {

struct RnnModel {
  RnnSpec spec;
  AlignedVector<float> params;  // flat, in param_layout(spec) order

  const float* param(const std::string& name) const;
  float* param(const std::string& name);
};

struct RnnInit {
  double recurrent_scale = 0.85;  // g (vanilla) or h_factor (GRU)
  double input_scale = 1.0;       // i_factor (GRU)
  double h0_scale = 0.1;
};
class OptionSet;
// --hidden, --init-scale, --bfg (the cell is chosen by name, by the caller).
void register_options(OptionSet& o, RnnSpec& spec, RnnInit& init);

// Draws every parameter from its own random stream of the seed.
RnnModel init_rnn(const RnnSpec& spec, const RnnInit& init, uint64_t seed);

// Parameter datasets at the root, named as in the tutorials, and the
// attributes `cell` and (GRU) `bfg`.
void write_rnn_params(H5File& out, const RnnModel& model);

// Loads our files and the tutorials': the cell is inferred from the dataset
// names when the `cell` attribute is absent; every shape is checked.
RnnModel read_rnn_params(const H5File& in);

}  // namespace ctd
