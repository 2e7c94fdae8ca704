// What every ctd program shares (docs/conventions.md): the common options,
// the mapping of failures to exit codes and one-line messages, --config and
// --print-config, thread and log settings, and the provenance of the run.
// A tool's main registers its settings on options(), then calls run().
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/provenance.hpp"
#include "util/options.hpp"

namespace ctd {

class Tool {
 public:
  // `example` is a real command line, shown at the end of --help.
  Tool(std::string name, std::string description, std::string example);

  const std::string& name() const { return name_; }
  OptionSet& options() { return options_; }

  // The universal data options; positional arguments may stand for -i and -o.
  OptionSpec& add_input(const std::string& help, bool positional = true);
  OptionSpec& add_output(const std::string& help, bool positional = true);
  OptionSpec& add_params(const std::string& help);
  // -i given once or more (into `inputs`; `input` is the first).
  OptionSpec& add_inputs(const std::string& help);

  std::string input, output, params;
  std::vector<std::string> inputs;
  uint64_t seed = 0;

  // Runs after parsing, before --print-config: the place for presets and
  // defaults that depend on other options (OptionSet::set_default).
  void on_parsed(std::function<void()> fn) { on_parsed_ = std::move(fn); }

  // Parses argv (and --config), applies -q/-v/-t, runs `body`, and returns
  // the exit code: 0 ok, 1 runtime/data error, 2 usage error. Never throws.
  int run(int argc, char** argv, const std::function<void()>& body);

  // The run's command line and the options as they ran, for provenance.
  RunInfo run_info() const;

 private:
  int parse(int argc, char** argv);
  OptionSpec& add_file(const std::string& name, std::string& var, const std::string& help, bool positional);
  std::string name_, description_, example_;
  OptionSet options_;
  int verbose_ = 0;
  bool quiet_ = false;
  int threads_ = 0;
  bool print_config_ = false;
  bool no_history_ = false;
  bool allow_external_ = false;
  std::string config_;
  std::string command_line_;
  std::function<void()> on_parsed_;
};

}  // namespace ctd
