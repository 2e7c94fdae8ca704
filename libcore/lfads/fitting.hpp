// fit-lfads training as one call: initialise or resume, train with the KL
// warm-up, record training and validation loss every --valid-every batches
// (and apply the validation rules: keep-best, plateau), checkpoint on time and
// on signals. A checkpoint holds the model, Adam's moments, the batch count,
// the curve and the rules' state, so a resumed run ends with the same file as
// an uninterrupted one.
#pragma once
#include <string>
#include <vector>

#include "lfads/data.hpp"
#include "lfads/model.hpp"
#include "lfads/sessions.hpp"
#include "lfads/train.hpp"
#include "train/checkpoint.hpp"
#include "train/checkpoint_policy.hpp"
#include "train/validation_rules.hpp"

namespace ctd {

struct LfadsFitConfig {
  LfadsSpec spec;  // D, D_in and ext are taken from the data
  LfadsTrainOptions train;
  int valid_every = 100;
  std::string readin_init = "pcr";  // pcr | random: how read-ins start
  double readin_smoothing = 2;      // pcr: the mean activity's Gaussian smoothing, SD in bins
  ValidationRules rules;
  CheckpointSettings checkpoint;
};
// The model's, the optimiser's and the warm-up's options, --valid-every, the validation rules, checkpoints.
void register_options(OptionSet& o, LfadsFitConfig& c);

struct LfadsFit {
  LfadsSpec spec;
  LfadsTrainState state;  // parameters, Adam, batches done, curve
  BestSoFar best;         // the validation rules' state
  bool keep_best = false;
  double valid_fraction = 0;  // > 0: the validation trials were split off the training trials
  double ms_per_batch = 0;
};

// One session, or several stitched (lfads/sessions.hpp): a new fit (or the
// checkpoint's, with --resume) trained to c.train.batches.
LfadsFit fit_lfads(const LfadsFitConfig& c, const std::vector<LfadsSessionData>& sessions,
                   const RunSignature& signature, uint64_t seed, int threads);
// Its two halves: a new model at its initial values for the data, and the
// training of a fit (new or carried on, as population-based training carries
// each member from generation to generation) to c.train.batches.
LfadsFit start_lfads_fit(const LfadsFitConfig& c, const std::vector<LfadsSessionData>& sessions, uint64_t seed);
// A saved fit (a checkpoint, a population member) must have the data's units
// before it trains on them: an Error starting with `whose` otherwise.
void check_fit_matches(const LfadsFit& fit, const LfadsFitConfig& c, const std::vector<LfadsSessionData>& sessions,
                       const std::string& whose);
void continue_lfads_fit(const LfadsFitConfig& c, const std::vector<LfadsSessionData>& sessions, LfadsFit& fit,
                        const RunSignature& signature, uint64_t seed, int threads);

// The model file: parameters by name (the best ones with keep_best), ms_per_batch, batches_done,
// best_step, valid_fraction and the curve.
void write_lfads_fit(H5File& out, const LfadsFit& fit);

void write_lfads_checkpoint(const std::string& path, const LfadsFit& fit, const RunSignature& signature);
// The checkpoint's contents in any file (in memory: a member's state).
void write_lfads_state(H5File& f, const LfadsFit& fit, const RunSignature& signature);
LfadsFit read_lfads_state(const H5File& f, const RunSignature& signature);
LfadsFit read_lfads_checkpoint(const std::string& path, const RunSignature& signature);

}  // namespace ctd
