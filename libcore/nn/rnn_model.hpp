// A network's parameters with its spec: initialisation (docs/methods.md §2) and the
// parameter-file format, both ways: the tutorials' names, and PyTorch's
// state_dict names for the torch-layout cells.
#pragma once
#include <cstdint>
#include <vector>

#include "io/hdf5.hpp"
#include "nn/rnn.hpp"
#include "nn/weight_constraints.hpp"

namespace ctd {

struct RnnModel {
  RnnSpec spec;
  AlignedVector<float> params;  // flat, in param_layout(spec) order: the weights the network runs on
  WeightConstraints constraints;  // Dale's law, a connectivity mask (leaky, torch-rnn); params obey them

  const float* param(const std::string& name) const;
  float* param(const std::string& name);
  // The state every trial starts from unless given: h0, or zeros in the torch layout.
  std::vector<float> initial_state() const;
};

struct RnnInit {
  double recurrent_scale = 0.85;  // g (vanilla, leaky) or h_factor (GRU)
  double input_scale = 1.0;       // i_factor (GRU)
  double h0_scale = 0.1;
  // Added to each unit's initial self-connection, W_hh's diagonal (with
  // Dale's law: each excitatory unit's): 1 makes a leaky unit hold its rate
  // (Le, Jaitly & Hinton 2015's identity initialisation). 0: none.
  double self_connection = 0;
};
class OptionSet;
// --hidden, --init-scale, --bfg, --alpha (the cell and nonlinearity are
// chosen by name, by the caller).
void register_options(OptionSet& o, RnnSpec& spec, RnnInit& init);

// Draws every parameter from its own random stream of the seed: the
// tutorials' initialisation for vanilla and gru, PyTorch's default
// (uniform ±1/√N) for torch-rnn, torch-gru and lstm, and for leaky the rate
// RNN's (W_hh ~ g·N(0,1)/√N, W_ih ~ N(0,1)/√U, biases 0).
RnnModel init_rnn(const RnnSpec& spec, const RnnInit& init, uint64_t seed);

// Parameter datasets at the root, named as param_layout names them, and the
// attributes `cell`, `bfg` (gru), `nonlinearity` (torch-rnn, leaky) and
// `alpha` (leaky). A torch-layout file holds nothing else at the root but,
// for a constrained network, the group constraints/ (nn/weight_constraints.hpp),
// so PyTorch's load_state_dict takes its datasets at the root as they are.
void write_rnn_params(H5File& out, const RnnModel& model);

// What a reader may say about a file that cannot say it itself.
struct RnnReadOptions {
  std::string nonlinearity;  // torch-rnn: tanh | relu ("": the file's attribute, else tanh)
};
// --nonlinearity.
void register_options(OptionSet& o, RnnReadOptions& r);

// Loads our files, the tutorials' and PyTorch state_dicts saved with h5py
// (one layer of nn.RNN, nn.GRU or nn.LSTM under `rnn.`, an optional nn.Linear
// under `readout.`). The cell is the `cell` attribute, else inferred from the
// dataset names and, in the torch layout, from the rows of weight_hh (N, 3N,
// 4N); every shape is checked, and the weights against the file's constraints.
RnnModel read_rnn_params(const H5File& in, const RnnReadOptions& options = {});

}  // namespace ctd
