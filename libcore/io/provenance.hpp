// Provenance in every output (docs/formats.md): ctd_kind, ctd_version, the
// options that produced the file as root attributes — their values as they
// ran, after presets and recipes — and the `history` attribute, one line per
// program that touched the data, newest first.
#pragma once
#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "util/options.hpp"

namespace ctd {

const char* ctd_version();

// What one program run was: filled in by the command-line layer.
struct RunInfo {
  std::string program;
  std::string command_line;
  const OptionSet* options = nullptr;  // the recorded ones are written
  bool record_history = true;          // false with --no-history
};

std::string iso_time_now();  // "2026-11-28T07:50:00Z"

// The history attribute of a file ("" when it has none).
std::string read_history(const H5File& in);

// Writes ctd_kind, ctd_version, ctd_program, each recorded option with a value
// as a root attribute named by its key (numbers as numbers, flags as 1/0,
// lists as arrays, dashes become underscores), ctd_options (those keys, so
// `ctd-info --print-config` can turn a file back into a config), and the
// history: this run's line, then `earlier_history` carried forward.
void write_provenance(H5File& out, const std::string& kind, const RunInfo& run,
                      const std::string& earlier_history = "");

// The recorded options of a file as config lines (`key = value`), readable by
// the program named in its ctd_program attribute with --config.
std::string config_from_file(const H5File& in);

}  // namespace ctd
