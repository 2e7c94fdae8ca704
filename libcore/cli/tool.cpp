#include "cli/tool.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <new>
#include <stdexcept>

#include "util/cleanup.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/log.hpp"
#include "util/memory.hpp"
#include "util/ranks.hpp"
#include "util/threads.hpp"

namespace ctd {

namespace {

constexpr int kMaxThreads = 1024;  // beyond this libgomp's per-thread stacks exhaust memory

std::string shell_quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_./=:,+@%") == std::string::npos)
    return arg;
  std::string out = "'";
  for (char c : arg) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

const char* type_name(const OptionSpec& s) {
  struct {
    const char* operator()(const double*) const { return "FLOAT"; }
    const char* operator()(const int*) const { return "INT"; }
    const char* operator()(const uint64_t*) const { return "UINT"; }
    const char* operator()(const std::string*) const { return "TEXT"; }
    const char* operator()(const bool*) const { return ""; }
    const char* operator()(const std::vector<double>*) const { return "FLOAT ..."; }
    const char* operator()(const std::vector<std::string>*) const { return "TEXT ..."; }
  } visit;
  return std::visit(visit, s.target);
}

// --help's default: the value at registration, unquoted; nothing for an empty text or list.
std::string help_default(const OptionSpec& s) {
  if (!s.default_text.empty() || s.is_flag()) return s.default_text;
  if (auto* t = std::get_if<std::string*>(&s.target)) return **t;
  if (auto* l = std::get_if<std::vector<double>*>(&s.target); l && (*l)->empty()) return "";
  if (auto* l = std::get_if<std::vector<std::string>*>(&s.target); l && (*l)->empty()) return "";
  return s.literal();
}

// Binds every registered option to the parser: each stores its text values in
// the spec; OptionSet::apply converts and checks them after --config is read.
void bind(CLI::App& app, OptionSet& options, bool common) {
  for (OptionSpec& s : options.all()) {
    if ((s.group == "Common options") != common) continue;
    std::string names = (s.short_name.empty() ? "" : s.short_name + ",") + s.flag() + (s.positional ? "," + s.name : "");
    const std::string help = s.help + (s.required ? " (required)" : "");
    CLI::Option* o;
    if (s.is_flag()) {
      o = app.add_flag_callback(names, [&s] { s.raw = {"true"}; s.set = true; }, help);
    } else {
      o = app.add_option(names, [&s](const CLI::results_t& r) {
            s.raw.insert(s.raw.end(), r.begin(), r.end());
            s.set = true;
            return true;
          }, help);
      o->type_name(type_name(s))->default_str(help_default(s));
      o->multi_option_policy(s.is_list() ? CLI::MultiOptionPolicy::TakeAll : CLI::MultiOptionPolicy::TakeLast);
      // A positional list of texts takes every remaining argument (ctd-info a.h5 b.h5).
      if (s.positional && !s.repeated && std::holds_alternative<std::vector<std::string>*>(s.target)) o->expected(-1);
    }
    o->group(s.group);
  }
}

// The OPTIONS section of the man page, from the same definitions as --help,
// so the two cannot drift apart (scripts/update-man writes it into man/).
std::string roff(std::string text) {
  std::string out;
  for (char c : text) out += c == '-' ? std::string("\\-") : c == '\\' ? std::string("\\e") : std::string(1, c);
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

void print_man_options(const CLI::App& app) {
  std::vector<std::string> groups;  // in order of first appearance, the common ones last
  for (const CLI::Option* o : app.get_options())
    if (!o->get_group().empty() && std::find(groups.begin(), groups.end(), o->get_group()) == groups.end())
      groups.push_back(o->get_group());
  std::stable_partition(groups.begin(), groups.end(), [](const std::string& g) { return g != "Common options"; });
  for (const std::string& group : groups) {
    std::cout << ".SS " << group << "\n";
    for (const CLI::Option* o : app.get_options()) {
      if (o->get_group() != group) continue;
      std::string names;
      for (const auto& s : o->get_snames()) names += (names.empty() ? "-" : ", -") + s;
      for (const auto& l : o->get_lnames()) names += (names.empty() ? "--" : ", --") + l;
      std::cout << ".TP\n.B " << roff(names);
      if (!o->get_type_name().empty() && o->get_expected_max() > 0) std::cout << " \" " << roff(o->get_type_name()) << "\"";
      std::cout << "\n" << roff(o->get_description());
      if (!o->get_default_str().empty()) std::cout << " (default: " << roff(o->get_default_str()) << ")";
      std::cout << "\n";
    }
  }
}

}  // namespace

Tool::Tool(std::string name, std::string description, std::string example)
    : name_(std::move(name)), description_(std::move(description)), example_(std::move(example)) {
  set_program_name(name_);
  options_.group("Common options");
  options_.add("seed", seed, "Random seed: same seed, same output").max(9223372036854775807.0);  // 2^63 - 1
  options_.group("Options");
}

// -i, -o, -p: not recorded (they say where, not what), listed under Files.
OptionSpec& Tool::add_file(const std::string& name, std::string& var, const std::string& help, bool positional) {
  OptionSpec& s = options_.add(name, var, help).unrecorded();
  s.short_name = "-" + name.substr(0, 1);
  s.positional = positional;
  s.group = "Files";
  return s;
}

OptionSpec& Tool::add_input(const std::string& help, bool positional) {
  return add_file("input", input, help + " ('-' = stdin)", positional).reads_file();
}

OptionSpec& Tool::add_inputs(const std::string& help) {
  OptionSpec& s = options_.add("input", inputs, help + " ('-' = stdin; repeat -i for several)").unrecorded().reads_file();
  s.short_name = "-i";
  s.positional = true;
  s.repeated = true;
  s.group = "Files";
  return s;
}

OptionSpec& Tool::add_output(const std::string& help, bool positional) {
  return add_file("output", output, help + " ('-' = stdout)", positional).writes_file();
}

OptionSpec& Tool::add_params(const std::string& help) { return add_file("params", params, help, false).reads_file(); }

namespace {
// The files an option names: its text, or the FILE of FILE:DATASET.
std::vector<std::string> named_files(const OptionSpec& s) {
  std::vector<std::string> values;
  if (auto* t = std::get_if<std::string*>(&s.target)) values = {**t};
  if (auto* l = std::get_if<std::vector<std::string>*>(&s.target)) values = **l;
  std::vector<std::string> files;
  for (const std::string& v : values) {
    if (v.empty() || v == "-") continue;
    files.push_back(v);
    if (const auto colon = v.rfind(':'); colon != std::string::npos && colon > 0) files.push_back(v.substr(0, colon));
  }
  return files;
}

// A run never writes over a file it reads (the training data replaced by a
// checkpoint), nor two outputs over each other: the same file by device and
// inode when it exists, by its absolute name when it does not yet.
void refuse_overwriting(const OptionSet& options) {
  const auto& all = options.all();
  for (auto w = all.begin(); w != all.end(); ++w) {
    if (w->file_use != FileUse::Writes) continue;
    for (auto x = all.begin(); x != all.end(); ++x) {
      if (x == w || x->file_use == FileUse::None || (x->file_use == FileUse::Writes && x < w)) continue;
      for (const std::string& written : named_files(*w))
        for (const std::string& other : named_files(*x))
          if (same_file(written, other))
            throw UsageError(w->flag() + " " + written + " is the same file as " + x->flag() + " " + other +
                             (x->file_use == FileUse::Reads ? ": a run never writes over what it reads"
                                                            : ": two outputs cannot share a file"));
    }
  }
}
}  // namespace

RunInfo Tool::run_info() const {
  RunInfo info;
  info.program = name_;
  info.command_line = command_line_;
  info.options = &options_;
  info.record_history = !no_history_;
  return info;
}

int Tool::parse(int argc, char** argv) {
  CLI::App app(description_, name_);
  app.footer("Example:\n  " + example_ + "\n\nSee man " + name_ + "(1) for details.");
  app.get_formatter()->column_width(34);
  app.get_formatter()->label("REQUIRED", "(required)");
  bind(app, options_, false);
  const std::string common = "Common options";
  app.get_help_ptr()->group(common);
  bind(app, options_, true);
  app.set_version_flag("-V,--version", name_ + " (ctd) " + ctd_version())->group(common);
  app.add_option("--config", config_, "Read options from a TOML/INI file (`key = value`); command-line values win")
      ->type_name("FILE")->group(common);
  app.add_flag("--print-config", print_config_, "Print the effective configuration (TOML) and exit")->group(common);
  app.add_flag("-v,--verbose", verbose_, "More messages on stderr (repeatable)")->group(common);
  app.add_flag("-q,--quiet", quiet_, "Only errors on stderr")->group(common);
  app.add_option("-t,--threads", threads_,
                 "Worker threads (0: OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else the cores this process may use: affinity and cgroup quota)")
      ->type_name("INT")->group(common);
  app.add_flag("--no-history", no_history_, "Do not add this run to the output's history attribute")->group(common);
  app.add_flag("--allow-external", allow_external_,
               "Follow HDF5 external links, external raw-data files and virtual datasets of other files "
               "(refused by default: a file is read only from itself)")
      ->group(common);
  bool man = false;
  app.add_flag("--man-options", man)->group("");  // hidden: the man page's OPTIONS section
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    log_error(std::string(e.what()) + " (see " + name_ + " --help)");
    return kExitUsage;
  }
  if (man) {
    print_man_options(app);
    return kExitOk;
  }
  return -1;
}

int Tool::run(int argc, char** argv, const std::function<void()>& body) {
  for (int i = 0; i < argc; ++i) command_line_ += (i ? " " : "") + shell_quote(argv[i]);
  if (int code = parse(argc, argv); code >= 0) return code;
  start_ranks();  // before the thread count: under mpirun a rank's default is its share of the node
  set_log_level(quiet_ || !is_rank0() ? LogLevel::Quiet : LogLevel(std::min(3, 1 + verbose_)));
  try {
    if (threads_ < 0 || threads_ > kMaxThreads)
      throw UsageError("--threads: must be in [0, " + std::to_string(kMaxThreads) + "], got " + std::to_string(threads_));
    if (!config_.empty()) options_.read_config(config_, name_);
    if (!print_config_)
      for (const OptionSpec& s : options_.all())
        if (s.required && !s.set) throw UsageError(s.flag() + " is required");
    options_.apply();
    if (!inputs.empty()) input = inputs.front();
    allow_external_data(allow_external_);
    set_thread_count(threads_);
    keep_freed_memory();
    install_cleanup_handlers();
    if (on_parsed_) on_parsed_();
    options_.validate();
    refuse_overwriting(options_);
    if (print_config_) {
      std::cout << "# " << name_ << " (ctd " << ctd_version() << "): the effective configuration\n"
                << options_.config_text() << std::flush;
      if (!std::cout) throw Error("stdout: write error (disk full or pipe closed?)");
      return kExitOk;
    }
    body();
    // Text on stdout (ctd-info, --print) must arrive: a full disk or a closed pipe is an error.
    if (!(std::cout << std::flush)) throw Error("stdout: write error (disk full or pipe closed?)");
    return kExitOk;
  } catch (const UsageError& e) {
    log_error(std::string(e.what()) + " (see " + name_ + " --help)");
    abort_ranks(kExitUsage);  // under mpirun: the other ranks must not wait for this one
    return kExitUsage;
  } catch (const Stopped& e) {
    if (is_rank0()) log_error(e.what());  // every rank stops at the same batch: one says so, none aborts
    return kExitStopped;
  } catch (const Error& e) {
    log_error(e.what());
    abort_ranks(kExitData);
    return kExitData;
  } catch (const std::bad_alloc&) {
    log_error("out of memory");
    return kExitData;
  } catch (const std::length_error&) {  // a size no vector can hold: the readers check declared sizes first
    log_error("out of memory: a size too large to hold in memory");
    return kExitData;
  } catch (const std::exception& e) {
    log_error(std::string("internal error: ") + e.what());
    return kExitData;
  }
}

}  // namespace ctd
