#include "train/trainer.hpp"

#include <chrono>
#include <cmath>

#include "util/error.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, TrainOptions& s) {
  register_options(o, static_cast<OptimizerSettings&>(s));
  o.add("state-noise", s.state_noise, "Std of noise added to every new state in training").non_negative();
  o.add("curve-every", s.curve_every, "Record the training curve every this many batches").min(1);
}

namespace {
// State noise for trial b of a step: its own stream, so it does not depend on
// how the batch is split across threads.
void fill_state_noise(double sigma, uint64_t seed, uint64_t step, int B, int T, int N, float* noise, int threads) {
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int b = 0; b < B; ++b) {
    RngStream rng(seed, RngDomain::StateNoise, step * uint64_t(B) + uint64_t(b));
    rng.fill_normal(noise + size_t(b) * T * N, size_t(T) * N, float(sigma));
  }
}
}  // namespace

double train_rnn(const TrainOptions& o, TrialSource& source, TrainState& state, const StepHook& hook) {
  const RnnSpec& spec = state.model.spec;
  const int B = o.batch_size, T = source.steps(), N = spec.N;
  const size_t P = param_count(spec);
  if (state.adam.m.size() != P) state.adam = AdamState(P);
  // Every buffer is sized once, here, and reused by every batch.
  std::vector<float> x(size_t(B) * T * spec.U), y(size_t(B) * T * spec.O), mask(y.size());
  std::vector<float> h0s(source.has_h0s() ? size_t(B) * N : 0), noise(o.state_noise > 0 ? size_t(B) * T * N : 0);
  std::vector<float> grad(P);
  BatchLoss<float> loss(spec, B, T, o.threads);
  RnnBatch<float> batch;
  batch.B = B;
  batch.T = T;
  batch.x = x.data();
  batch.y = y.data();
  batch.mask = mask.data();
  batch.h0s = h0s.empty() ? nullptr : h0s.data();
  batch.noise = noise.empty() ? nullptr : noise.data();

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const uint64_t first = state.step;
  double ms = 0;
  while (state.step < o.batches) {
    const uint64_t step = state.step;
    source.batch(step, B, x.data(), y.data(), mask.data(), batch.h0s ? h0s.data() : nullptr);
    if (!noise.empty()) fill_state_noise(o.state_noise, o.seed, step, B, T, N, noise.data(), o.threads);
    LossParts parts = loss.loss_and_grad(state.model.params.data(), batch, o.l2, grad.data());
    require_finite_loss(parts.total(), step);
    const double lr = decayed_learning_rate(o.lr, o.lr_decay, step);
    const double norm = clip_global_norm(grad.data(), P, o.max_grad_norm);
    adam_update(state.model.params.data(), grad.data(), P, state.adam, o.adam, lr, step);
    if (step % uint64_t(o.curve_every) == 0 || step + 1 == o.batches) {
      state.curve.step.push_back(double(step));
      state.curve.loss.push_back(parts.total());
      state.curve.lms.push_back(parts.data);
      state.curve.l2.push_back(parts.l2);
      state.curve.lr.push_back(lr);
    }
    state.step = step + 1;
    ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count() / double(state.step - first);
    if (hook && !hook(state, StepReport{state.step, parts, lr, norm, ms})) break;
  }
  return ms;
}

Evaluation evaluate_rnn(const RnnModel& model, const TaskFile& trials, int threads) {
  const TaskData& d = trials.data;
  const int B = int(d.inputs.dim(0)), T = int(d.inputs.dim(1)), O = model.spec.O;
  std::vector<float> outputs(size_t(B) * T * O);
  BatchLoss<float> loss(model.spec, B, T, threads);
  RnnBatch<float> batch;
  batch.B = B;
  batch.T = T;
  batch.x = d.inputs.ptr();
  batch.y = d.targets.ptr();
  batch.mask = d.target_mask.ptr();
  batch.h0s = trials.h0s.size() ? trials.h0s.ptr() : nullptr;
  Evaluation e;
  e.trials = B;
  e.loss = loss.loss(model.params.data(), batch, 0.0, nullptr, outputs.data()).data;
  size_t signed_targets = 0, right = 0;
  for (size_t i = 0; i < outputs.size(); ++i) {
    float y = d.targets[i];
    if (d.target_mask[i] == 0.0f || std::fabs(y) != 1.0f) continue;
    ++signed_targets;
    right += (outputs[i] > 0) == (y > 0);
  }
  if (signed_targets) e.sign_accuracy = double(right) / double(signed_targets);
  return e;
}

}  // namespace ctd
