// The posterior sample-and-average of a trained LFADS model over the trials of
// a split (fit-lfads --infer), and how well it recovers what the data file
// knows: rates (R² per unit and trial, and per unit pooled), inferred inputs
// and latents (R² of the best affine map).
#pragma once
#include <string>
#include <vector>

#include "lfads/data.hpp"
#include "lfads/model_file.hpp"
#include "lfads/posterior.hpp"

namespace ctd {

class OptionSet;

struct InferenceSettings {
  int samples = 128;
  std::string split = "valid";  // valid | train | both
  uint64_t max_trials = 0;      // per split; 0: all
};
// --samples, --split, --max-trials.
void register_options(OptionSet& o, InferenceSettings& s);

struct SplitPosterior {
  std::string split;
  LfadsPosterior posterior;
  bool has_rate_r2 = false, has_input_r2 = false;
  double rate_r2 = 0, rate_r2_pooled = 0, inferred_input_r2 = 0;
  std::vector<double> factors_lowd_r2;  // one per latent, when the file has *_lowd
};

// `data` is trimmed to --max-trials in place. `name` names the data file in
// messages. The truth's scale is the file's conversion_factor, or estimated
// from the means (with a warning) when it has none.
std::vector<SplitPosterior> infer_lfads(const LfadsModel& model, LfadsData& data, const InferenceSettings& s,
                                        const std::string& name, uint64_t seed, int threads);

// SPLIT/rates, factors, gen_states, (con_states, inferred_inputs, ii_mean,
// ii_logvar,) g0_mean, g0_logvar, and the R² attributes on each split group.
void write_posteriors(H5File& out, const std::vector<SplitPosterior>& splits, int ii);

}  // namespace ctd
