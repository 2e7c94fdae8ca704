#include "cli/tool.hpp"

#include <iostream>
#include <sstream>
#include <new>

#include "util/cleanup.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/memory.hpp"
#include "util/threads.hpp"

namespace ctd {

namespace {
// Options that describe how to run, not what was computed: not provenance.
bool is_run_option(const std::string& name) {
  for (const char* s : {"help", "version", "config", "print-config", "input", "output", "params", "verbose",
                        "quiet", "threads", "no-history"})
    if (name == s) return true;
  return false;
}

std::string shell_quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_./=:,+@%") == std::string::npos)
    return arg;
  std::string out = "'";
  for (char c : arg) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
}  // namespace

Tool::Tool(std::string name, std::string description, std::string example)
    : name_(std::move(name)), app_(std::move(description), name_) {
  set_program_name(name_);
  app_.option_defaults()->always_capture_default();
  app_.footer("Example:\n  " + example + "\n\nSee man " + name_ + "(1) for details.");
  app_.get_formatter()->column_width(34);
  app_.set_version_flag("-V,--version", std::string(name_) + " (ctd) " + ctd_version());
  app_.set_config("--config", "", "Read options from a TOML/INI file; command-line values win");
  app_.add_flag("--print-config", print_config_, "Print the effective configuration (TOML) and exit")
      ->configurable(false);
  app_.add_flag("-v,--verbose", verbose_, "More messages on stderr (repeatable)")->configurable(false);
  app_.add_flag("-q,--quiet", quiet_, "Only errors on stderr")->configurable(false);
  app_.add_option("-t,--threads", threads_,
                  "Worker threads (0: OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else all cores)")
      ->check(CLI::NonNegativeNumber)
      ->configurable(false);
  app_.add_option("--seed", seed, "Random seed: same seed, same output");
  app_.add_flag("--no-history", no_history_, "Do not add this run to the output's history attribute")
      ->configurable(false);
}

CLI::Option* Tool::add_input(const std::string& help, bool positional) {
  return app_.add_option(positional ? "-i,--input,input" : "-i,--input", input, help + " ('-' = stdin)");
}

CLI::Option* Tool::add_output(const std::string& help, bool positional) {
  return app_.add_option(positional ? "-o,--output,output" : "-o,--output", output, help + " ('-' = stdout)");
}

CLI::Option* Tool::add_params(const std::string& help) {
  return app_.add_option("-p,--params", params, help);
}

RunInfo Tool::run_info() const {
  RunInfo info;
  info.program = name_;
  info.command_line = command_line_;
  info.record_history = !no_history_;
  for (const CLI::Option* opt : app_.get_options()) {
    if (opt->get_lnames().empty()) continue;
    const std::string& name = opt->get_lnames().front();
    if (is_run_option(name)) continue;
    const bool flag = opt->get_expected_max() == 0;
    std::string value;
    if (flag) {
      value = opt->count() > 0 ? "true" : "false";
    } else if (opt->count() > 0) {
      for (const auto& r : opt->results()) value += (value.empty() ? "" : ",") + r;
    } else {
      value = opt->get_default_str();
      if (value == "[]") value.clear();  // an empty list option
    }
    if (value.empty()) continue;  // neither given nor defaulted: nothing to record
    const std::string type = opt->get_type_name();
    const bool many = opt->get_expected_max() > 1;  // list options stay text ("1e-4,1e-5")
    char kind = flag                                                 ? 'b'
                : many                                               ? 's'
                : type.rfind("FLOAT", 0) == 0                        ? 'f'
                : type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0 ? 'i'
                                                                     : 's';
    info.options.push_back({name, value, kind});
  }
  return info;
}

int Tool::run(int argc, char** argv, const std::function<void()>& body) {
  for (int i = 0; i < argc; ++i) {
    command_line_ += (i ? " " : "") + shell_quote(argv[i]);
    // --print-config must work before the required options are known.
    if (std::string(argv[i]) == "--print-config")
      for (CLI::Option* opt : app_.get_options()) opt->required(false);
  }
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app_.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app_.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app_.exit(e);
  } catch (const CLI::ParseError& e) {
    log_error(std::string(e.what()) + " (see " + name_ + " --help)");
    return kExitUsage;
  }
  set_log_level(quiet_ ? LogLevel::Quiet : LogLevel(std::min(3, 1 + verbose_)));
  set_thread_count(threads_);
  keep_freed_memory();
  install_cleanup_handlers();
  try {
    if (on_parsed_) on_parsed_();
    if (print_config_) {
      // Options without a value (name="" or name=[]) are left out, with their
      // comment, so that the printed file reads back with --config.
      std::istringstream all(app_.config_to_str(true, true));
      std::string line, comment;
      for (std::string l; std::getline(all, l);) {
        if (l.empty() || l.rfind('#', 0) == 0) {
          comment += l + "\n";
          continue;
        }
        const bool empty = l.size() > 3 && (l.compare(l.size() - 3, 3, "=\"\"") == 0 || l.compare(l.size() - 3, 3, "=[]") == 0);
        if (!empty) std::cout << comment << l << "\n";
        comment.clear();
      }
      return kExitOk;
    }
    body();
    return kExitOk;
  } catch (const UsageError& e) {
    log_error(std::string(e.what()) + " (see " + name_ + " --help)");
    return kExitUsage;
  } catch (const Error& e) {
    log_error(e.what());
    return kExitData;
  } catch (const std::bad_alloc&) {
    log_error("out of memory");
    return kExitData;
  } catch (const std::exception& e) {
    log_error(std::string("internal error: ") + e.what());
    return kExitData;
  }
}

}  // namespace ctd
