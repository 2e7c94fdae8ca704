// What every ctd program shares (CONVENTIONS.md): the common options, the
// mapping of failures to exit codes and one-line messages, --config and
// --print-config, thread and log settings, and the provenance of the run.
// A tool's main declares its own options on app(), then calls run().
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "io/provenance.hpp"

namespace ctd {

class Tool {
 public:
  // `example` is a real command line, shown at the end of --help.
  Tool(std::string name, std::string description, std::string example);

  CLI::App& app() { return app_; }

  // The universal data options; positional arguments may stand for them.
  CLI::Option* add_input(const std::string& help, bool positional = true);
  CLI::Option* add_output(const std::string& help, bool positional = true);
  CLI::Option* add_params(const std::string& help);

  std::string input, output, params;
  uint64_t seed = 0;

  // Parses argv, applies -q/-v/-t, runs `body`, and returns the exit code:
  // 0 ok, 1 runtime/data error, 2 usage error. Never throws.
  int run(int argc, char** argv, const std::function<void()>& body);

  // The run's command line and effective options, for provenance.
  RunInfo run_info() const;

 private:
  std::string name_;
  CLI::App app_;
  int verbose_ = 0;
  bool quiet_ = false;
  int threads_ = 0;
  bool print_config_ = false;
  bool no_history_ = false;
  std::string command_line_;
};

}  // namespace ctd
