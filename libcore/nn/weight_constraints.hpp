// Dale's law and a connectivity mask for the rate RNNs with one recurrent
// matrix (leaky, torch-rnn), as Song, Yang & Wang (2016) train them
// (docs/methods.md §10). Training keeps unconstrained parameters W̃ (the
// "raw" vector) and the network runs on
//   W_hh = [W̃_hh]₊ ⊙ M · diag(s),  W_ih = [W̃_ih]₊,  W_out = [W̃_out]₊ · diag(s > 0)
// with s_j = +1 for an excitatory unit j, −1 for an inhibitory one, and M
// the 0/1 mask (with a mask alone: W_hh = W̃_hh ⊙ M, nothing rectified).
// The model's parameters are always these effective weights, so every
// program that runs a file runs the constrained network; the file also keeps
// s and M (group constraints/), and readers check that the weights obey them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "nn/rnn.hpp"

namespace ctd {

struct WeightConstraints {
  double excitatory_fraction = 0;  // 0: no Dale's law
  std::vector<float> unit_sign;    // [N]: +1 excitatory, −1 inhibitory (empty: no Dale's law)
  std::vector<float> mask;         // [N,N] row-major (to, from), 0 or 1 (empty: all-to-all)

  bool dale() const { return !unit_sign.empty(); }
  bool active() const { return dale() || !mask.empty(); }
};

// The first round(f·N) units excitatory, the rest inhibitory (Song et al.'s
// layout). Throws UsageError unless 0 < f < 1 and both populations have a unit.
std::vector<float> dale_signs(double excitatory_fraction, int N);

// Refuses constraints a cell cannot carry (a cell other than leaky or
// torch-rnn, a mask not [N,N] or not 0/1): one line naming `where`.
void check_constraints(const RnnSpec& spec, const WeightConstraints& c, const std::string& where);

// The map from raw to effective parameters over a whole parameter vector
// (param_layout order): eff_i = k_i·(rectified_i ? max(raw_i, 0) : raw_i).
class ConstrainedParams {
 public:
  ConstrainedParams(const RnnSpec& spec, const WeightConstraints& c);
  void effective(const float* raw, float* eff) const;
  // dL/draw from dL/deff, in place.
  void chain(const float* raw, float* grad) const;
  // The raw vector of effective weights that obey the constraints: |w| on
  // the rectified entries (the fixed point of effective()).
  void raw_of(const float* eff, float* raw) const;
  // The first entry that breaks the constraints, or -1.
  long violation(const float* eff) const;

 private:
  std::vector<float> k_;
  std::vector<uint8_t> rectified_;
};

// The initial raw parameters of a constrained network, over init's draws
// (`raw` holds them on entry): magnitudes |w| on the rectified entries, the
// inhibitory columns of W_hh scaled by N_E/N_I so that every unit's
// excitation and inhibition balance on average, and W_hh rescaled to the
// spectral radius `radius` (computed).
void init_constrained(const RnnSpec& spec, const WeightConstraints& c, double radius, float* raw);

// Adds q to the self-connection of every unit (with Dale's law, of every
// excitatory unit; none where the mask has no synapse) in a parameter vector
// (raw, under constraints). Throws UsageError for a cell without one
// recurrent matrix (vanilla, leaky, torch-rnn) when q is not 0.
void add_self_connections(const RnnSpec& spec, const WeightConstraints& c, double q, float* raw);

// The file's group constraints/: unit_sign [N] and attribute
// excitatory_fraction (Dale's law), connectivity [N,N] (a mask).
void write_constraints(H5File& out, const WeightConstraints& c);
// Reads and checks them (none: an inactive set); the effective weights
// `params` must obey them.
WeightConstraints read_constraints(const H5File& in, const RnnSpec& spec, const float* params);

}  // namespace ctd
