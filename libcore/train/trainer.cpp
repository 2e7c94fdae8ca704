#include "train/trainer.hpp"

#include <cmath>

#include "tasks/task_scoring.hpp"

#include "util/error.hpp"
#include "util/options.hpp"
#include "util/ranks.hpp"
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

void constrain_initial_state(TrainState& state, const WeightConstraints& c, double radius, double self_connection) {
  RnnModel& m = state.model;
  m.constraints = c;
  if (!c.active()) {
    add_self_connections(m.spec, c, self_connection, m.params.data());
    return;
  }
  state.raw = m.params;
  init_constrained(m.spec, c, radius, state.raw.data());
  add_self_connections(m.spec, c, self_connection, state.raw.data());
  ConstrainedParams(m.spec, c).effective(state.raw.data(), m.params.data());
}

double train_rnn(const TrainOptions& o, TrialSource& source, TrainState& state, const StepHook& hook) {
  const RnnSpec& spec = state.model.spec;
  const int B = o.batch_size, T = source.steps(), N = state_size(spec);
  const size_t P = param_count(spec);
  // Under constraints Adam trains the raw values; the network runs on their
  // effective weights, refreshed before each batch and after each update.
  const bool constrained = state.model.constraints.active();
  const ConstrainedParams constraints(spec, state.model.constraints);
  if (constrained && state.raw.size() != P) throw std::logic_error("a constrained network without its raw values");
  float* trained = constrained ? state.raw.data() : state.model.params.data();
  auto refresh = [&] {
    if (constrained) constraints.effective(state.raw.data(), state.model.params.data());
  };
  // Every buffer is sized once, here, and reused by every batch.
  std::vector<float> x(size_t(B) * T * spec.U), y(size_t(B) * T * spec.O), mask(y.size());
  std::vector<float> h0s(source.has_h0s() ? size_t(B) * N : 0), noise(o.state_noise > 0 ? size_t(B) * T * N : 0);
  BatchLoss<float> loss(spec, B, T, o.threads);
  RnnBatch<float> batch;
  batch.B = B;
  batch.T = T;
  batch.x = x.data();
  batch.y = y.data();
  batch.mask = mask.data();
  batch.h0s = h0s.empty() ? nullptr : h0s.data();
  batch.noise = noise.empty() ? nullptr : noise.data();
  LossParts parts;
  // Data parallel (mpirun): every rank draws the whole batch — the same data as
  // one process — and computes its rows; gradients are summed in rank order.
  const auto [first, end] = my_rows(B);
  if (ranks().size > 1 && first == end)
    throw UsageError("--batch-size " + std::to_string(B) + " is smaller than the " + std::to_string(ranks().size) +
                     " ranks: each rank needs at least one trial");
  RnnBatch<float> mine = batch;
  mine.B = end - first;
  mine.x += size_t(first) * T * spec.U;
  mine.y += size_t(first) * T * spec.O;
  mine.mask += size_t(first) * T * spec.O;
  if (mine.h0s) mine.h0s += size_t(first) * N;
  if (mine.noise) mine.noise += size_t(first) * T * N;
  auto loss_and_grad = [&](uint64_t step, float* grad) {
    source.batch(step, B, x.data(), y.data(), mask.data(), batch.h0s ? h0s.data() : nullptr);
    if (!noise.empty()) fill_state_noise(o.state_noise, o.seed, step, B, T, N, noise.data(), o.threads);
    refresh();
    if (ranks().size == 1) {
      parts = loss.loss_and_grad(state.model.params.data(), batch, o.l2, grad);
      if (constrained) constraints.chain(state.raw.data(), grad);
      return parts.total();
    }
    double mask_total = 0;  // the whole batch's: every rank's share is normalised alike
    for (float m : mask) mask_total += m;
    parts = loss.loss_and_grad(state.model.params.data(), mine, is_rank0() ? o.l2 : 0.0, grad, mask_total);
    sum_over_ranks(grad, P);
    if (constrained) constraints.chain(state.raw.data(), grad);
    double sums[2] = {parts.data, parts.l2};
    sum_over_ranks(sums, 2);
    parts.data = sums[0];
    parts.l2 = sums[1];
    return parts.total();
  };
  auto after = [&](const OptimizerStep& r) {
    refresh();
    const uint64_t step = r.step - 1;
    if (step % uint64_t(o.curve_every) == 0 || step + 1 == o.batches)
      state.curve.add({double(step), parts.total(), parts.data, parts.l2, r.lr});
    return !hook || hook(state, StepReport{r.step, parts, r.lr, r.grad_norm, r.ms_per_batch});
  };
  return run_optimizer(o, trained, P, state, loss_and_grad, after);
}

Evaluation evaluate_rnn(const RnnModel& model, const TaskFile& trials, int threads, const std::string& kind) {
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
  e.task_accuracy = task_accuracy(kind, d, outputs.data());
  return e;
}

}  // namespace ctd
