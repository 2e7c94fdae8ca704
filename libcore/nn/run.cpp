#include "nn/run.hpp"

#include <algorithm>

#include "io/dataset_ref.hpp"
#include "nn/batch_loss.hpp"
#include "util/error.hpp"

namespace ctd {

RnnRun run_rnn(const RnnModel& model, const Array<float>& inputs, const Array<float>& h0s, int threads) {
  const RnnSpec& spec = model.spec;
  const size_t B = inputs.dim(0), T = inputs.dim(1), U = inputs.dim(2), N = size_t(state_size(spec)),
               O = size_t(spec.O);
  const size_t chunk = std::min<size_t>(B, 1024);
  RnnRun run{Array<float>({B, T, N}), Array<float>({B, T, O}), Array<float>({B, N})};
  const std::vector<float> h0 = model.initial_state();
  for (size_t b = 0; b < B; ++b) std::copy_n(h0s.size() ? h0s.ptr() + b * N : h0.data(), N, run.h0s.ptr() + b * N);
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
  // Reads the first N values of each state (an LSTM's h; its c follows).
  const size_t B = states.dim(0), N = size_t(model.spec.N), O = size_t(model.spec.O), SN = states.dim(1);
  Array<float> out({B, O});
  if (O == 0) return out;
  const float *wO = model.param(readout_weight_name(model.spec)), *bO = model.param(readout_bias_name(model.spec));
  for (size_t b = 0; b < B; ++b)
    for (size_t k = 0; k < O; ++k) {
      double s = bO[k];
      for (size_t i = 0; i < N; ++i) s += double(wO[k * N + i]) * states[b * SN + i];
      out[b * O + k] = float(s);
    }
  return out;
}

Array<float> read_initial_states(const std::string& spec, size_t trials, size_t N) {
  OpenedRef ref = open_dataset_ref(spec, {"hiddens", "h0s"});
  const std::string where = ref.where();
  Array<float> a = ref.file.read<float>(ref.dataset);
  if (a.rank() != 2 && a.rank() != 3)
    throw Error(where + " has shape " + shape_string(a.shape) + " but [B,N] or [B,T,N] is required");
  require_finite(a, where);
  if (trials && a.rank() == 2 && a.dim(0) == 1 && a.dim(1) == N) {  // one state (a learned h0) for every trial
    Array<float> all({trials, N});
    for (size_t b = 0; b < trials; ++b) std::copy_n(a.ptr(), N, all.ptr() + b * N);
    return all;
  }
  if ((trials && a.dim(0) != trials) || a.dim(0) == 0 || a.shape.back() != N || (a.rank() == 3 && a.dim(1) == 0))
    throw Error(where + " has shape " + shape_string(a.shape) + " but " +
                (trials ? std::to_string(trials) : std::string("one or more")) + " trials of N=" +
                std::to_string(N) + " units" + (a.rank() == 3 ? " and at least one step" : "") + " are required");
  if (a.rank() == 2) return a;
  const size_t B = a.dim(0), T = a.dim(1);
  Array<float> last({B, N});
  for (size_t b = 0; b < B; ++b) std::copy_n(a.ptr() + (b * T + T - 1) * N, N, last.ptr() + b * N);
  return last;
}

Array<float> held_inputs(const std::vector<double>& x, size_t trials, size_t steps) {
  const size_t U = x.size();
  Array<float> in({trials, steps, U});
  for (size_t r = 0; r < trials * steps; ++r)
    for (size_t k = 0; k < U; ++k) in[r * U + k] = float(x[k]);
  return in;
}

TaskRun run_task(const RnnModel& model, const TaskFile& task, const Array<float>& h0s_given, bool offset_targets,
                 const std::string& source, int threads) {
  const TaskData& d = task.data;
  const size_t B = d.inputs.dim(0), N = size_t(state_size(model.spec));
  if (int(d.inputs.dim(2)) != model.spec.U)
    throw Error(source + ": dataset 'inputs' has " + std::to_string(d.inputs.dim(2)) + " inputs per step but the "
                "network expects U=" + std::to_string(model.spec.U));
  // A network without a readout (O = 0) runs all the same: its states are the result.
  if (offset_targets && model.spec.O == 0) throw UsageError("--offset-targets needs a network with a readout");
  if (task.has_targets && model.spec.O > 0 && int(d.targets.dim(2)) != model.spec.O)
    throw Error(source + ": dataset 'targets' has " + std::to_string(d.targets.dim(2)) + " outputs per step but the "
                "network has O=" + std::to_string(model.spec.O));
  const Array<float>& h0s = h0s_given.size() ? h0s_given : task.h0s;
  if (h0s.size() && h0s.dim(1) != N)
    throw Error(source + ": dataset 'h0s' has " + std::to_string(h0s.dim(1)) + " values per state but the network's "
                "states have " + std::to_string(N));
  TaskRun r{run_rnn(model, d.inputs, h0s, threads), d.targets};
  if (offset_targets) {
    Array<float> o = readout(model, r.run.h0s);
    const size_t T = r.targets.dim(1), O = r.targets.dim(2);
    for (size_t b = 0; b < B; ++b)
      for (size_t t = 0; t < T; ++t)
        for (size_t k = 0; k < O; ++k) r.targets[(b * T + t) * O + k] += o[b * O + k];
  }
  return r;
}

}  // namespace ctd
