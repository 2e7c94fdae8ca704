// Poisson spike counts from rates or tanh hidden states, split into training
// and validation trials in the LFADS layout with the true rates (Hz) and the
// inputs kept: the last step of the LFADS tutorial's data pipeline.
#pragma once
#include <string>

#include "lfads/data.hpp"

namespace ctd {

class OptionSet;

struct SpikifySettings {
  // tanh: rate = (x+1)/2·max_rate; scale: rate = x·max_rate (one neuron per
  // column of x); exp: rate_d = base_rate·exp(gain·w_d·x) for `neurons`
  // neurons, w_d random unit vectors (a log-linear embedding of the states).
  std::string transform = "tanh";
  double max_rate = 80.0;          // Hz
  int neurons = 50;
  double base_rate = 10.0, gain = 1.0;
  double bin_width = 0.04;         // seconds per step
  double train_fraction = 0.9;
  bool ext_input = false;  // also give the inputs to the model (*_ext_input), not only keep them for evaluation
};
// --transform, --max-rate, --neurons, --base-rate, --gain, --bin-width, --train-fraction, --ext-input.
void register_options(OptionSet& o, SpikifySettings& s);

// x [B,T,D] (B >= 2); inputs [B,T,U] or empty. The split is a seeded shuffle;
// trial b's counts come from its own stream, so they do not depend on the
// split. With the exp transform each split keeps x as its latents (lowd) and
// the embedding's weights [neurons, D] are returned too. `where` names x in
// messages.
LfadsData spikify(const Array<float>& x, const Array<float>& inputs, const SpikifySettings& s, uint64_t seed,
                  const std::string& where, Array<float>* embedding = nullptr);

}  // namespace ctd
