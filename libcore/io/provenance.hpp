// Provenance in every output (FORMATS.md): ctd_kind, ctd_version, the options
// that produced the file as root attributes, and the `history` attribute —
// one line per program that touched the data, newest first.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "io/hdf5.hpp"

namespace ctd {

const char* ctd_version();

// What one program run was: filled in by the command-line layer.
struct RunInfo {
  std::string program;
  std::string command_line;
  // Every option that shaped the result, with its effective value (defaults
  // included) and its kind: 'i' integer, 'f' floating, 'b' flag, 's' text.
  struct Option {
    std::string name, value;
    char kind;
  };
  std::vector<Option> options;
  bool record_history = true;  // false with --no-history
};

std::string iso_time_now();  // "2026-11-28T07:50:00Z"

// The history attribute of a file ("" when it has none).
std::string read_history(const H5File& in);

// Writes ctd_kind and ctd_version, each option as a root attribute (numbers as
// numbers, "true"/"false" as 1/0, dashes in names become underscores) and the
// history: this run's line, then `earlier_history` carried forward.
void write_provenance(H5File& out, const std::string& kind, const RunInfo& run,
                      const std::string& earlier_history = "");

}  // namespace ctd
