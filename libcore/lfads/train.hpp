// Training LFADS (docs/methods.md §4): batches drawn with replacement from the
// training split, KL warm-up, L2 over every parameter, global-norm clipping,
// Adam (eps 0.1) with exponential learning-rate decay. The batch is split
// across threads; each trial's draws and dropout masks come from its own
// streams, so the gradient does not depend on the split beyond rounding.
#pragma once
#include <functional>

#include "lfads/data.hpp"
#include "lfads/model.hpp"
#include "nn/adam.hpp"
#include "train/optimizer_loop.hpp"

namespace ctd {

struct LfadsTrainOptions : OptimizerSettings {
  LfadsTrainOptions() {
    batches = 20000;
    lr = 0.05, lr_decay = 0.9999, l2 = 2e-5;  // batch 128, clipping at 10, Adam eps 0.1 as for RNNs
  }
  double kl_min = 0.01, kl_max = 1.0;
  double kl_ic_weight = 1, kl_ii_weight = 1;  // each KL term's scale on κ (AutoLFADS tunes them apart)
  double l2_gen = 0, l2_con = 0;              // L2 on the generator's / controller's recurrent weights, beyond --l2
  uint64_t kl_warmup_start = 500, kl_warmup_end = 1000;
  uint64_t seed = 0;
  int threads = 1;
};
// The optimiser's options and the KL warm-up's.
void register_options(OptionSet& o, LfadsTrainOptions& s);

// κ: kl_min before the warm-up starts, linear to kl_max at its end, then
// kl_max; each term's weight is κ times its scale.
KlWeights kl_weight(const LfadsTrainOptions& o, uint64_t step);

// The model's parameters and the optimiser's progress (its curve: step,
// train_loss, valid_loss, valid_nll and its moving average, recorded by the caller's hook).
struct LfadsTrainState : OptimizerProgress {
  // With sample validation the curve has a column more, sample_valid_nll; a
  // stitched model one per session, valid_nll_NAME (valid_nll: over them all).
  LfadsTrainState() : LfadsTrainState(LfadsSpec{}) {}
  explicit LfadsTrainState(const LfadsSpec& spec) {
    std::vector<std::string> names = {"step", "train_loss", "valid_loss", "valid_nll", "valid_nll_smoothed"};
    if (spec.sample_validation > 0) names.push_back("sample_valid_nll");
    for (const LfadsSession& s : spec.sessions) names.push_back("valid_nll_" + s.name);
    curve = Curve(names);
  }
  AlignedVector<float> params;
};

struct LfadsStepReport {
  uint64_t step;
  LfadsLoss train;  // this batch (sums over the batch)
  double l2;
  KlWeights kl_weight;
  double lr, ms_per_batch;
};
using LfadsHook = std::function<bool(const LfadsTrainState&, const LfadsStepReport&)>;

// Loss terms of a batch of trials (rows of a split), without gradient: for
// validation. keep = 1 (no dropout, no coordinated dropout). A stitched
// model's: spec is the session's view (session_view).
LfadsLoss lfads_evaluate(const LfadsSpec& spec, const AlignedVector<float>& params, const LfadsSplit& split,
                         const std::vector<size_t>& rows, KlWeights kl_w, uint64_t seed, int threads);

// Sample validation's NLL (the hidden entries of training trials `rows`
// alone, the encoders reading the rest; no dropout), as a sum over the trials.
LfadsLoss lfads_sample_validation(const LfadsSpec& spec, const AlignedVector<float>& params, const LfadsSplit& train,
                                  const std::vector<size_t>& rows, uint64_t seed, int threads);

// Trains until state.step == batches or the hook returns false. Throws Error
// naming the batch if the loss becomes NaN or Inf. Returns ms per batch.
// `train` holds each session's training trials (one split when not stitched);
// batches draw from all of them pooled.
double train_lfads(const LfadsSpec& spec, const LfadsTrainOptions& o, const std::vector<const LfadsSplit*>& train,
                   LfadsTrainState& state, const LfadsHook& hook);

}  // namespace ctd
