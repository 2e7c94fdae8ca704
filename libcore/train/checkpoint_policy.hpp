// When a long training run saves its state (docs/conventions.md): every few
// minutes, when SIGTERM/SIGINT/SIGUSR1 arrives, and at the end; SIGTERM and
// SIGINT then stop the run with exit status 75 (Stopped) and a line that says
// how to resume. Shared by train-rnn and fit-lfads; the save itself is the
// caller's.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace ctd {

class OptionSet;

struct CheckpointSettings {
  std::string path;     // empty: no checkpoints
  double every = 300;   // seconds between timed saves
  bool resume = false;  // continue from `path` when it exists; start fresh when it does not
  // Without a checkpoint: SIGTERM/SIGINT still stop training (Stopped), the
  // caller keeping what it needs (tune-lfads keeps its last generation).
  bool stop_on_signal = false;
};
// --checkpoint, --checkpoint-every, --resume (not recorded: they say how a run
// is carried out, not what it computes).
void register_options(OptionSet& o, CheckpointSettings& s);
// Before any work: --resume needs --checkpoint, and the checkpoint's folder
// must be writable.
void check_checkpoint_settings(const CheckpointSettings& s);
// Whether to continue from the checkpoint: --resume and the file exists. With
// --resume and no file yet (the first run of a job script) it logs that the
// run starts fresh and returns false.
bool resume_from_checkpoint(const CheckpointSettings& s);

class CheckpointPolicy {
 public:
  // An empty path disables checkpoints (and leaves signals at their
  // defaults, unless `stop_on_signal`: the caller has installed the handlers).
  CheckpointPolicy(std::string path, double every_seconds, std::function<void()> save, bool stop_on_signal = false);

  // Call after batch `step`: saves when due (SIGUSR1: at once, with a line on
  // stderr); returns false when a signal asks the run to stop.
  bool after_batch(uint64_t step);
  // Call when training returns: the final save, then Stopped if a signal
  // ended the run (`step` = batches done).
  void finish(uint64_t step);

 private:
  using Clock = std::chrono::steady_clock;
  std::string path_;
  double every_;
  std::function<void()> save_;
  Clock::time_point last_;
  int stopped_by_ = 0;
  bool stop_on_signal_ = false;
};

}  // namespace ctd
