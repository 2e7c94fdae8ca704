// Signals that ask a long run to save its state (docs/conventions.md): SIGTERM and
// SIGINT (checkpoint, then stop) and SIGUSR1 (checkpoint, then go on), which
// cluster schedulers send before they kill a job.
#pragma once

namespace ctd {

void install_checkpoint_signals();
// The signal received since the last call (0 if none), cleared on reading.
int take_pending_signal();

}  // namespace ctd
