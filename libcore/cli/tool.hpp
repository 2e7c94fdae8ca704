// What every ctd program shares (CONVENTIONS.md): the common options, the
// mapping of failures to exit codes and one-line messages, --config and
// --print-config, thread and log settings, and the provenance of the run.
// A tool's main declares its own options on app(), then calls run().
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <sstream>
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

  // Runs after parsing, before --print-config: the place to fill in defaults
  // that depend on other options (see set_default).
  void on_parsed(std::function<void()> fn) { on_parsed_ = std::move(fn); }

  // Gives `var` the value `v` unless the option was given, and shows it as
  // the option's default in --print-config and in the provenance.
  template <class T>
  static void set_default(CLI::Option* opt, T& var, const T& v) {
    if (opt->count() > 0) return;
    var = v;
    std::ostringstream s;
    s << v;
    opt->default_str(s.str());
  }

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
  std::function<void()> on_parsed_;
};

}  // namespace ctd
