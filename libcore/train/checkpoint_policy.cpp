#include "train/checkpoint_policy.hpp"

#include <csignal>

#include "io/output.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/log.hpp"
#include "util/options.hpp"
#include "util/ranks.hpp"
#include "util/signals.hpp"

namespace ctd {

void register_options(OptionSet& o, CheckpointSettings& s) {
  o.group("Checkpoints");
  o.add("checkpoint", s.path,
        "Save the training state here every --checkpoint-every seconds, on SIGTERM/SIGINT/SIGUSR1 and at the end")
      .unrecorded()
      .writes_file();
  o.add("checkpoint-every", s.every, "Seconds between checkpoints").positive().unrecorded();
  o.add("resume", s.resume,
        "Continue from --checkpoint (also to a larger --batches); start fresh when it does not exist yet")
      .unrecorded();
}

void check_checkpoint_settings(const CheckpointSettings& s) {
  if (s.resume && s.path.empty()) throw UsageError("--resume needs --checkpoint FILE");
  // A checkpoint that cannot be written must fail now, not after the first minutes of training.
  if (!s.path.empty()) OutputFile probe(s.path);
}

bool resume_from_checkpoint(const CheckpointSettings& s) {
  if (!s.resume) return false;
  // Only a missing file starts fresh: one that cannot be looked at (permissions,
  // a loop of links) is an error, or the run would start over and replace it.
  if (file_exists(s.path)) return true;
  log_info("no checkpoint " + s.path + " yet: starting fresh");
  return false;
}

CheckpointPolicy::CheckpointPolicy(std::string path, double every_seconds, std::function<void()> save,
                                   bool stop_on_signal)
    : path_(std::move(path)), every_(every_seconds), save_(std::move(save)), last_(Clock::now()),
      stop_on_signal_(stop_on_signal) {
  if (!path_.empty()) install_checkpoint_signals();
}

bool CheckpointPolicy::after_batch(uint64_t step) {
  if (path_.empty()) {
    const int sig = stop_on_signal_ ? max_over_ranks(take_pending_signal()) : 0;
    if (sig && sig != SIGUSR1) stopped_by_ = sig;
    return stopped_by_ == 0;
  }
  // Under mpirun every rank stops at the same batch: a signal to one is a signal to all.
  const int sig = max_over_ranks(take_pending_signal());
  if (sig || std::chrono::duration<double>(Clock::now() - last_).count() >= every_) {
    if (is_rank0()) save_();  // the ranks hold the same state: one writes it
    last_ = Clock::now();
    const std::string line = "checkpoint saved to " + path_ + " at batch " + std::to_string(step);
    if (sig == SIGUSR1)
      log_info(line + " (SIGUSR1; training goes on)");
    else
      log_verbose(line);
  }
  if (sig && sig != SIGUSR1) {
    stopped_by_ = sig;
    return false;
  }
  return true;
}

void CheckpointPolicy::finish(uint64_t step) {
  if (path_.empty()) {
    if (stopped_by_) throw Stopped("stopped by signal " + std::to_string(stopped_by_) + " at batch " + std::to_string(step));
    return;
  }
  if (is_rank0()) save_();
  if (stopped_by_)
    throw Stopped("stopped by signal " + std::to_string(stopped_by_) + " at batch " + std::to_string(step) +
                  "; the state is saved in " + path_ + " (continue with --resume; exit status 75)");
}

}  // namespace ctd
