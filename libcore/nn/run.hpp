// Running a trained network over many trials (run-rnn): chunks of trials
// through the batched forward pass, so memory stays bounded for any B.
#pragma once
#include "io/array.hpp"
#include "nn/rnn_model.hpp"

namespace ctd {

struct RnnRun {
  Array<float> hiddens;  // [B,T,N]
  Array<float> outputs;  // [B,T,O]
  Array<float> h0s;      // [B,N] the initial states used
};

// Runs inputs [B,T,U] from per-trial initial states h0s [B,N] (empty: the
// model's trained h0 for every trial).
RnnRun run_rnn(const RnnModel& model, const Array<float>& inputs, const Array<float>& h0s, int threads);

// The readout o = wO h + bO of states [B,N]: [B,O].
Array<float> readout(const RnnModel& model, const Array<float>& states);

}  // namespace ctd
