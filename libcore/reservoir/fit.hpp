// Fitting a reservoir's readout to the sequences of a task file and scoring
// it (docs/methods.md §11): what run-reservoir and tune-reservoir share.
#pragma once
#include <string>

#include "reservoir/fit_metrics.hpp"
#include "reservoir/reservoir_file.hpp"
#include "tasks/task_data.hpp"

namespace ctd {

// A task file's sequences and what the series' generator said of them.
struct Sequences {
  TaskData data;
  std::string name, kind;  // the file, its task_kind
  double dt = 1, lyapunov = 0;
  int horizon = 1;
  size_t B() const { return data.inputs.dim(0); }
  size_t T() const { return data.inputs.dim(1); }
  int U() const { return int(data.inputs.dim(2)); }
  int M() const { return int(data.targets.dim(2)); }
};
Sequences read_sequences(const std::string& path);

struct ReadoutSettings {
  std::string readout = "ridge";  // ridge | rls | lms
  double ridge = 1e-6, rls_alpha = 1e-6, lms_rate = 0.01;
  int passes = 1;     // over the training steps, for the online readouts
  bool resume = false;  // learn on from the model's saved readout state
};

class OptionSet;

// Which steps learn and which are scored: every sequence's steps [washout,
// train_steps) learn; the rest of each sequence is the test, or the
// sequences of the test_input file from their washout on.
struct DataSplit {
  int washout = 100;
  int train_steps = -1;    // -1: 4/5 of T (all of T with a test_input); 0: no training
  std::string test_input;  // held-out sequences
  bool held_out() const { return !test_input.empty(); }
};
// --washout, --train-steps, --test-input (group "Data"); `no_training` says
// what --train-steps 0 does (empty: the caller refuses it).
void register_options(OptionSet& o, DataSplit& s, const std::string& no_training);
// The training steps per sequence of `d`, checked against its length and the washout.
size_t training_steps(const DataSplit& s, const Sequences& d);

// Learns m's readout on steps [washout, S) of every sequence, teacher-forced;
// keeps its learning state (the ridge sums, RLS's P) in m.
void train_readout(const ReadoutSettings& s, const Sequences& d, size_t washout, size_t S, ReservoirModel& m);

// Scores m's readout on steps [t0, t1) of every sequence from the states x
// [N,B] and fed-back outputs fb [M,B] (teacher-forced, or fed back as
// predicted), steps before `first_scored` not counted; keeps the
// predictions [B, t1 − first_scored, M] when asked.
FitMetrics score_readout(const ReservoirModel& m, const Sequences& d, size_t t0, size_t t1, size_t first_scored,
                         Eigen::MatrixXd& x, Eigen::MatrixXd& fb, bool teacher, Array<float>* predictions);

}  // namespace ctd
