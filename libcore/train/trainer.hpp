// The training recipe of docs/methods.md §2: fresh (or sampled) batches, masked MSE
// plus L2 over every parameter, global-norm clipping, Adam with an
// exponentially decaying learning rate; then an evaluation on held-out trials
// with l2 = 0.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nn/adam.hpp"
#include "nn/batch_loss.hpp"
#include "nn/rnn_model.hpp"
#include "train/optimizer_loop.hpp"
#include "train/trial_source.hpp"

namespace ctd {

struct TrainOptions : OptimizerSettings {
  double state_noise = 0.0;  // σ of the noise added to every new state in training
  int curve_every = 10;      // record the training curve every this many batches
  uint64_t seed = 0;
  int threads = 1;
};
// The optimiser's options, --state-noise and --curve-every.
void register_options(OptionSet& o, TrainOptions& s);

// Everything a resumed run needs to continue exactly where it stopped: the
// model, and Adam's moments, the batches done and the curve (columns step,
// loss, lms, l2, lr).
struct TrainState : OptimizerProgress {
  TrainState() { curve = Curve({"step", "loss", "lms", "l2", "lr"}); }
  RnnModel model;
  // Under model.constraints, the values Adam trains (nn/weight_constraints.hpp),
  // of which model.params are the effective weights; empty otherwise.
  AlignedVector<float> raw;
};

// Starts a network from init_rnn's draws: a constrained one (Dale's law, a
// mask) with its raw values as init_constrained sets them and its weights
// their effective ones; then `self_connection` added to the self-connections
// (add_self_connections), constrained or not.
void constrain_initial_state(TrainState& state, const WeightConstraints& c, double radius, double self_connection);

struct StepReport {
  uint64_t step;  // batches done, after this one
  LossParts loss;
  double lr, grad_norm, ms_per_batch;
};

// Called after every batch; returning false stops training early (the state
// is consistent: it can be checkpointed and resumed).
using StepHook = std::function<bool(const TrainState&, const StepReport&)>;

// Trains until state.step == options.batches or the hook says stop. Throws
// Error naming the batch if the loss becomes NaN or Inf. Returns the mean
// time per batch in milliseconds.
double train_rnn(const TrainOptions& options, TrialSource& source, TrainState& state, const StepHook& hook);

struct Evaluation {
  double loss = 0;           // masked MSE, l2 = 0
  double sign_accuracy = -1; // share of ±1 targets whose output has the same sign; -1 if none
  double task_accuracy = -1; // gen-task's tasks: share of trials decided right (tasks/task_scoring.hpp); -1 otherwise
  int trials = 0;
};

// `kind` (a task_kind) chooses the rule of task_accuracy.
Evaluation evaluate_rnn(const RnnModel& model, const TaskFile& trials, int threads, const std::string& kind = "");

}  // namespace ctd
