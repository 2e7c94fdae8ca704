// Poisson spike counts from rates or tanh hidden states, split into training
// and validation trials in the LFADS layout with the true rates (Hz) and the
// inputs kept: the last step of the LFADS tutorial's data pipeline.
#pragma once
#include <string>

#include "lfads/data.hpp"

namespace ctd {

class OptionSet;

struct SpikifySettings {
  std::string transform = "tanh";  // tanh: rate = (x+1)/2·max_rate; scale: rate = x·max_rate
  double max_rate = 80.0;          // Hz
  double bin_width = 0.04;         // seconds per step
  double train_fraction = 0.9;
};
// --transform, --max-rate, --bin-width, --train-fraction.
void register_options(OptionSet& o, SpikifySettings& s);

// x [B,T,D] (B >= 2); inputs [B,T,U] or empty. The split is a seeded shuffle;
// trial b's counts come from its own stream, so they do not depend on the
// split. `where` names x in messages.
LfadsData spikify(const Array<float>& x, const Array<float>& inputs, const SpikifySettings& s, uint64_t seed,
                  const std::string& where);

}  // namespace ctd
