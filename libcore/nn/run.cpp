#include "nn/run.hpp"

#include <algorithm>

#include "nn/batch_loss.hpp"

namespace ctd {

RnnRun run_rnn(const RnnModel& model, const Array<float>& inputs, const Array<float>& h0s, int threads) {
  const RnnSpec& spec = model.spec;
  const size_t B = inputs.dim(0), T = inputs.dim(1), U = inputs.dim(2), N = size_t(spec.N), O = size_t(spec.O);
  const size_t chunk = std::min<size_t>(B, 1024);
  RnnRun run{Array<float>({B, T, N}), Array<float>({B, T, O}), Array<float>({B, N})};
  for (size_t b = 0; b < B; ++b)
    std::copy_n(h0s.size() ? h0s.ptr() + b * N : model.param("h0"), N, run.h0s.ptr() + b * N);
  std::vector<float> zeros(chunk * T * O, 0.0f);  // the forward pass wants targets; none are needed here
  BatchLoss<float> pass(spec, int(chunk), int(T), threads);
  for (size_t b0 = 0; b0 < B; b0 += chunk) {
    RnnBatch<float> batch;
    batch.B = int(std::min(chunk, B - b0));
    batch.T = int(T);
    batch.x = inputs.ptr() + b0 * T * U;
    batch.y = zeros.data();
    batch.h0s = run.h0s.ptr() + b0 * N;
    pass.loss(model.params.data(), batch, 0.0, run.hiddens.ptr() + b0 * T * N, run.outputs.ptr() + b0 * T * O);
  }
  return run;
}

Array<float> readout(const RnnModel& model, const Array<float>& states) {
  const size_t B = states.dim(0), N = size_t(model.spec.N), O = size_t(model.spec.O);
  const float *wO = model.param("wO"), *bO = model.param("bO");
  Array<float> out({B, O});
  for (size_t b = 0; b < B; ++b)
    for (size_t k = 0; k < O; ++k) {
      double s = bO[k];
      for (size_t i = 0; i < N; ++i) s += double(wO[k * N + i]) * states[b * N + i];
      out[b * O + k] = float(s);
    }
  return out;
}

}  // namespace ctd
