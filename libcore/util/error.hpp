// The two kinds of failure a user can cause, and the exit codes they map to
// (docs/conventions.md): 1 for a runtime or data problem, 2 for a usage problem;
// and 75 for a run that a signal stopped after saving its state, so a batch
// script can requeue it (sysexits' EX_TEMPFAIL: "try again later").
// Bugs are not reported through these: they are internal assertions.
#pragma once
#include <stdexcept>
#include <string>

namespace ctd {

enum ExitCode { kExitOk = 0, kExitData = 1, kExitUsage = 2, kExitStopped = 75 };

// Bad data, missing files, I/O failures, divergence: exit 1.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A signal stopped the run and its state is saved: exit 75.
struct Stopped : Error {
  using Error::Error;
};

// A bad option value or combination of options: exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace ctd
