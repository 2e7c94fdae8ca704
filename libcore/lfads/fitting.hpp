// fit-lfads training as one call: initialise or resume, train with the KL
// warm-up, record training and validation loss every --valid-every batches,
// checkpoint on time and on signals. A checkpoint holds the model, Adam's
// moments, the batch count and the curve so far, so a resumed run ends with
// the same file as an uninterrupted one.
#pragma once
#include <string>
#include <vector>

#include "lfads/data.hpp"
#include "lfads/model.hpp"
#include "lfads/train.hpp"
#include "train/checkpoint.hpp"
#include "train/checkpoint_policy.hpp"

namespace ctd {

struct LfadsFitConfig {
  LfadsSpec spec;  // D is taken from the data
  LfadsTrainOptions train;
  int valid_every = 100;
  CheckpointSettings checkpoint;
};
// The model's, the optimiser's and the warm-up's options, --valid-every, checkpoints.
void register_options(OptionSet& o, LfadsFitConfig& c);

struct LfadsFit {
  LfadsSpec spec;
  LfadsTrainState state;  // parameters, Adam, batches done, curve
  double ms_per_batch = 0;
};

LfadsFit fit_lfads(const LfadsFitConfig& c, const LfadsData& data, const RunSignature& signature, uint64_t seed,
                   int threads);

// The model file: parameters by name, ms_per_batch, batches_done and the curve.
void write_lfads_fit(H5File& out, const LfadsFit& fit);

void write_lfads_checkpoint(const std::string& path, const LfadsFit& fit, const RunSignature& signature);
LfadsFit read_lfads_checkpoint(const std::string& path, const RunSignature& signature);

}  // namespace ctd
