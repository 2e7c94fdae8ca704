// The posterior sample-and-average of a trained LFADS model over the trials of
// a split (fit-lfads --infer), and how well it recovers what the data file
// knows: held-out units (NLB's co-smoothing bits per spike), rates (R² per
// unit and trial, and per unit pooled), inferred inputs and latents (R² of
// the best affine map). Written in ctd's layout or lfads-torch's.
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
  std::string layout = "native";  // native | lfads-torch | nlb
  std::string nlb_dataset;        // --layout nlb: the group name ("": the data file's name)
};
// --samples, --split, --max-trials, --layout, --nlb-dataset.
void register_options(OptionSet& o, InferenceSettings& s);

struct SplitPosterior {
  std::string split;
  LfadsPosterior posterior;
  std::vector<int64_t> inds;  // the data file's trial index of each row
  Array<float> ext;           // the external inputs the model was given (empty: none)
  bool has_rate_r2 = false, has_input_r2 = false, has_co_bps = false, has_fp_bps = false;
  double rate_r2 = 0, rate_r2_pooled = 0, inferred_input_r2 = 0, co_bps = 0, fp_bps = 0;
  std::vector<double> factors_lowd_r2;  // one per latent, when the file has *_lowd
};

// `data` (checked against the model by the caller) is trimmed to --max-trials in place. `name` names the data file in
// messages. The truth's scale is the file's conversion_factor, or estimated
// from the means (with a warning) when it has none.
std::vector<SplitPosterior> infer_lfads(const LfadsModel& model, LfadsData& data, const InferenceSettings& s,
                                        const std::string& name, uint64_t seed, int threads);

// native: SPLIT/rates, factors, gen_states, (con_states, inferred_inputs,
// ii_mean, ii_logvar,) g0_mean, g0_logvar, inds, and the measures as
// attributes of each split group. lfads-torch: SPLIT_output_params (rates as
// expected counts per bin), _factors, _ic_mean, _ic_std, _co_means, _co_stds,
// _gen_states, _gen_inputs (inferred then external inputs), _con_states,
// _inds at the root, the measures as root attributes SPLIT_<measure>.
// A stitched model's session: all of it under the group `session` (its
// measures as that group's attributes).
void write_posteriors(H5File& out, const std::vector<SplitPosterior>& splits, const LfadsSpec& spec,
                      const std::string& layout, const std::string& session = "");

// An NLB submission: {dataset}/{train,eval}_rates_heldin [B,T−K,D_in],
// _heldout, and with forward bins _heldin_forward, _heldout_forward [B,K,·]
// (rates in expected counts per bin; valid is NLB's eval).
void write_nlb_submission(H5File& out, const std::vector<SplitPosterior>& splits, const LfadsSpec& spec,
                          const std::string& dataset);

// fit-lfads --infer: the model over `files` (one, or a stitched model's one
// per session, in the model's order), read with `reading` (where it leaves the
// validation share and held-out units open: the model's own), the posteriors
// written to `out`. Returns the first file's history.
std::string infer_lfads_files(H5File& out, const LfadsModel& model, const std::vector<std::string>& files,
                              const LfadsReadOptions& reading, const InferenceSettings& s, uint64_t seed, int threads);

}  // namespace ctd
