// Options declared once, next to the settings struct they fill (the pattern of
// Kaldi's Register(&opts)): a settings struct offers
//   void register_options(OptionSet& o, MySettings& s);
// which names each field's option, help text and admissible values. The same
// declaration then serves the command line, config files, --help (defaults
// shown from the values), --print-config and the provenance attributes of the
// output, which are written from the values that actually ran.
//
// This header knows nothing of the command-line parser: the cli layer binds an
// OptionSet to CLI11, so settings structs anywhere in libcore can register.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace ctd {

// What a text option names, so that a run can refuse to write over what it reads.
enum class FileUse { None, Reads, Writes };

struct OptionSpec {
  using Target =
      std::variant<double*, int*, uint64_t*, std::string*, bool*, std::vector<double>*, std::vector<std::string>*>;

  std::string name;        // long name, kebab-case, without dashes: "lr-decay"
  std::string short_name;  // "-i", or empty
  std::string help, group;
  Target target;
  std::vector<std::string> choices;  // text options: the admissible values
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;
  std::string default_text;  // --help's default; empty: the value at registration
  bool recorded = true;      // written to provenance, --print-config and checkpoints' signatures
  bool required = false;
  bool positional = false;   // may also be given as a positional argument
  bool repeated = false;     // a list given by repeating the option (-i a -i b), one value each
  FileUse file_use = FileUse::None;  // a file (or FILE:DATASET) the run reads or writes
  bool set = false;          // given on the command line or in a config file
  std::vector<std::string> raw;  // the text values given (several for a list)

  // Builders, so a registration reads as one line per option.
  OptionSpec& positive() { return min(0, true); }
  OptionSpec& non_negative() { return min(0, false); }
  OptionSpec& min(double v, bool open = false) { lo = v, lo_open = open; return *this; }
  OptionSpec& max(double v, bool open = false) { hi = v, hi_open = open; return *this; }
  OptionSpec& range(double a, double b) { return min(a).max(b); }
  OptionSpec& one_of(std::vector<std::string> v) { choices = std::move(v); return *this; }
  OptionSpec& shows(std::string text) { default_text = std::move(text); return *this; }
  OptionSpec& unrecorded() { recorded = false; return *this; }
  OptionSpec& needed() { required = true; return *this; }
  OptionSpec& reads_file() { file_use = FileUse::Reads; return *this; }
  OptionSpec& writes_file() { file_use = FileUse::Writes; return *this; }

  std::string flag() const { return "--" + name; }
  // "attribute_name": the spelling of config keys and provenance attributes.
  std::string key() const;
  bool is_flag() const { return std::holds_alternative<bool*>(target); }
  bool is_list() const {
    return std::holds_alternative<std::vector<double>*>(target) ||
           std::holds_alternative<std::vector<std::string>*>(target);
  }
  // The value as a config-file literal: 0.025, 100, true, "gru", [1e-05, 1e-06].
  std::string literal() const;
  // "must be > 0", "must be in [0, 1]", "must be one of: a, b"; empty if unrestricted.
  std::string limits_text() const;
};

class OptionSet {
 public:
  // Options added after this call are listed under `heading` in --help.
  void group(std::string heading) { group_ = std::move(heading); }

  OptionSpec& add(const std::string& name, double& v, const std::string& help) { return push(name, &v, help); }
  OptionSpec& add(const std::string& name, int& v, const std::string& help) { return push(name, &v, help); }
  OptionSpec& add(const std::string& name, uint64_t& v, const std::string& help) { return push(name, &v, help); }
  OptionSpec& add(const std::string& name, std::string& v, const std::string& help) { return push(name, &v, help); }
  OptionSpec& add(const std::string& name, bool& v, const std::string& help) { return push(name, &v, help); }
  // Several texts (e.g. files), each given whole: no comma splitting.
  OptionSpec& add(const std::string& name, std::vector<std::string>& v, const std::string& help) {
    return push(name, &v, help);
  }
  OptionSpec& add(const std::string& name, std::vector<double>& v, const std::string& help) {
    return push(name, &v, help);
  }

  std::deque<OptionSpec>& all() { return specs_; }
  const std::deque<OptionSpec>& all() const { return specs_; }
  // By name or key ("lr-decay" or "lr_decay"); nullptr if unknown.
  OptionSpec* find(const std::string& name_or_key);
  // Drops a registered option a program does not offer (before parsing: it
  // invalidates references to the options registered after it).
  void remove(const std::string& name);
  // The option bound to this variable, or nullptr.
  const OptionSpec* option_of(const void* target) const;

  // Was the option bound to `var` given (command line or config)?
  bool given(const void* var) const;
  // Gives `var` the value `v` unless its option was given: presets, recipes and
  // defaults that depend on other options. Provenance then records `v`.
  template <class T>
  void set_default(T& var, const T& v) {
    if (!given(&var)) var = v;
  }

  // Converts each given option's text into its variable and checks every
  // value against its limits (NaN and Inf are never admissible). Throws
  // UsageError naming the option: "--lr: must be > 0, got -1".
  void apply();
  // Checks the current values only (after presets): the same messages.
  void validate() const;

  // Reads a config file (TOML/INI subset: `key = value`, # comments, a
  // [PROGRAM] section or none) into the options not given on the command
  // line. Unknown keys, other sections and syntax errors are usage errors
  // naming the file, line and key.
  void read_config(const std::string& path, const std::string& program);
  // The recorded options with a value, one `key = literal` line each.
  std::string config_text() const;

 private:
  OptionSpec& push(const std::string& name, OptionSpec::Target t, const std::string& help);
  std::deque<OptionSpec> specs_;  // a deque keeps references valid as options are added
  std::string group_ = "Options";
};

// Reads `key = value` lines (TOML/INI subset: # comments, [section] headers,
// quoted strings, [a, b] lists) and calls `each` per line: for a header with
// the section and an empty key, for a value with its section, key and items.
// `where` is "path:line". Malformed lines are usage errors naming the line;
// `what` names the file's role in the messages that have no line.
using KeyValueReader = std::function<void(const std::string& where, const std::string& section, const std::string& key,
                                          const std::vector<std::string>& items)>;
void read_key_values(const std::string& path, const std::string& what, const KeyValueReader& each);

// The value of a text literal as an option would read it (used by the
// config reader and by tests): throws UsageError with `what` in the message.
double parse_number(const std::string& text, const std::string& what);

}  // namespace ctd
