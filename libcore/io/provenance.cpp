#include "io/provenance.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/printable.hpp"

#ifndef CTD_VERSION
#define CTD_VERSION "0.0.0"
#endif

namespace ctd {

const char* ctd_version() { return CTD_VERSION; }

std::string iso_time_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string read_history(const H5File& in) {
  if (!in.has_attribute("history")) return "";
  return in.read_attribute_string("history");
}

namespace {
// One option's value as the attribute type that fits it.
struct WriteValue {
  H5File& out;
  const std::string& key;
  bool operator()(const double* v) const { return out.write_attribute(key, *v), true; }
  bool operator()(const int* v) const { return out.write_attribute(key, int64_t(*v)), true; }
  bool operator()(const uint64_t* v) const { return out.write_attribute(key, int64_t(*v)), true; }
  bool operator()(const bool* v) const { return out.write_attribute(key, int64_t(*v)), true; }
  bool operator()(const std::string* v) const { return !v->empty() && (out.write_attribute(key, *v), true); }
  bool operator()(const std::vector<double>* v) const { return !v->empty() && (out.write_attribute(key, *v), true); }
  bool operator()(const std::vector<std::string>* v) const { return !v->empty() && (out.write_attribute(key, *v), true); }
};

}  // namespace

void write_provenance(H5File& out, const std::string& kind, const RunInfo& run,
                      const std::string& earlier_history) {
  std::vector<std::string> keys;
  if (run.options)
    for (const OptionSpec& s : run.options->all())
      if (s.recorded && std::visit(WriteValue{out, s.key()}, s.target)) keys.push_back(s.key());
  out.write_attribute("ctd_kind", kind);
  out.write_attribute("ctd_version", std::string(ctd_version()));
  out.write_attribute("ctd_program", run.program);
  if (!keys.empty()) out.write_attribute("ctd_options", keys);
  std::string history = earlier_history;
  if (run.record_history) {
    std::string line = iso_time_now() + " " + run.command_line;
    history = history.empty() ? line : line + "\n" + history;
  }
  if (!history.empty()) out.write_attribute("history", history);
}

namespace {
// A key as the options write it: lower-case letters, digits and underscores.
bool is_option_key(const std::string& key) {
  if (key.empty()) return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// Options ctd never records, because they name the files a run reads and
// writes: in ctd_options only a crafted file has them.
bool never_recorded(const std::string& key) {
  for (const char* k : {"input", "output", "params", "checkpoint", "config"})
    if (key == k) return true;
  return false;
}

bool has_control_byte(const std::string& v) {
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}
}  // namespace

// The config is rerun by whoever asked for it: a crafted file must not slip a
// line of its own in (a key or value holding a line break could add
// `checkpoint = ...` naming a file to overwrite), so anything that is not one
// plain `key = value` line is refused.
std::string config_from_file(const H5File& in) {
  if (!in.has_attribute("ctd_options") || !in.has_attribute("ctd_program"))
    throw Error(in.name() + ": no recorded options (attributes 'ctd_program' and 'ctd_options'); "
                "the file was not written by ctd 0.2 or later");
  std::string text = "# " + printable(in.read_attribute_string("ctd_program")) + " configuration recorded in " +
                     printable(in.name()) + "\n";
  for (const std::string& key : in.read_attribute_strings("ctd_options")) {
    if (!is_option_key(key))
      throw Error(in.name() + ": recorded option '" + key +
                  "' is not an option key (lower-case letters, digits, '_'): refusing to write a config from it");
    if (never_recorded(key))
      throw Error(in.name() + ": recorded option '" + key +
                  "' names a file, which ctd never records: refusing to write a config from it");
    if (!in.has_attribute(key)) throw Error(in.name() + ": recorded option '" + key + "' has no attribute");
    text += key + " = ";
    if (in.attribute_is_string(key)) {
      const std::string v = in.read_attribute_string(key);
      if (has_control_byte(v))
        throw Error(in.name() + ": recorded option '" + key +
                    "' holds a line break or another control character: refusing to write a config from it");
      std::string q = "\"";
      for (char c : v) q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
      text += q + "\"\n";
      continue;
    }
    std::vector<double> v = in.read_attribute_doubles(key);
    if (v.size() == 1) {
      text += shortest_text(v[0]) + "\n";
      continue;
    }
    text += "[";
    for (size_t i = 0; i < v.size(); ++i) text += (i ? ", " : "") + shortest_text(v[i]);
    text += "]\n";
  }
  return text;
}

}  // namespace ctd
