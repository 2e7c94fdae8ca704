// train-rnn's whole job as one call: the tutorial recipe chosen by the task,
// trials fresh (--task) or from a file, checkpoints and resume, the final
// evaluation on held-out trials, and the parameter file it all ends in.
#pragma once
#include <memory>
#include <string>

#include "tasks/integrator.hpp"
#include "train/checkpoint.hpp"
#include "train/checkpoint_policy.hpp"
#include "train/trainer.hpp"

namespace ctd {

struct RnnTrainingConfig {
  std::string task;    // --task: fresh trials of integrator | decision ("" with an input file)
  std::string preset;  // a recipe by name ("" : the task's, or the input file's task_kind)
  std::string cell;    // one of kCellNames ("" : the recipe's)
  std::string nonlinearity = "tanh";  // torch-rnn, leaky
  double excitatory_fraction = 0;     // Dale's law (0: none)
  std::string connectivity;           // FILE[:DATASET] of a [N,N] 0/1 mask ("": all-to-all)
  IntegratorTask task_settings;
  RnnSpec spec;
  RnnInit init;
  TrainOptions train;
  int eval_trials = 1024;
  std::string eval_input;  // task file of held-out trials (with an input file)
  CheckpointSettings checkpoint;
};
void register_options(OptionSet& o, RnnTrainingConfig& c);

// Fills every setting the user left open from the recipe of the preset, the
// task, or `file_kind` (the input file's task kind).
void apply_recipe(OptionSet& o, RnnTrainingConfig& c, const std::string& file_kind);

struct RnnTrainingResult {
  TrainState state;
  Evaluation eval;
  double ms_per_batch = 0;
  std::string history;  // the input file's, carried forward
};

// Trains on `file` (trials sampled from it; nullptr: fresh --task trials)
// named `input` in messages, resuming from the checkpoint if asked, and
// evaluates. `signature` is what a checkpoint must agree with.
RnnTrainingResult train_rnn_network(const RnnTrainingConfig& c, std::unique_ptr<TaskFile> file,
                                    const std::string& input, const RunSignature& signature, uint64_t seed,
                                    int threads);

// The parameters at the root (the tutorials' format) and the evaluation,
// timing and curve as attributes.
void write_rnn_training(H5File& out, const RnnTrainingResult& r);

}  // namespace ctd
