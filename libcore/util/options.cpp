#include "util/options.hpp"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <cstring>

#include "util/error.hpp"
#include "util/printable.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {

std::string underscored(std::string s) {
  for (char& c : s)
    if (c == '-') c = '_';
  return s;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}


std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

int64_t parse_integer(const std::string& text, const std::string& what, bool is_unsigned) {
  const std::string t = trim(text);
  char* end = nullptr;
  errno = 0;
  if (t.empty() || (is_unsigned && t[0] == '-'))
    throw UsageError(what + ": expected a " + (is_unsigned ? "non-negative " : "") + "whole number, got '" + text + "'");
  long long v = std::strtoll(t.c_str(), &end, 10);
  if (*end || errno == ERANGE)
    throw UsageError(what + ": expected a whole number" + (errno == ERANGE ? " below 2^63" : "") + ", got '" + text + "'");
  return v;
}

bool parse_bool(const std::string& text, const std::string& what) {
  const std::string t = trim(text);
  if (t == "true" || t == "1") return true;
  if (t == "false" || t == "0") return false;
  throw UsageError(what + ": expected true or false, got '" + text + "'");
}

// "1e-4,1e-5" and repeated values alike.
std::vector<double> parse_list(const std::vector<std::string>& raw, const std::string& what) {
  std::vector<double> out;
  for (const std::string& r : raw) {
    size_t start = 0;
    while (start <= r.size()) {
      size_t comma = r.find(',', start);
      if (comma == std::string::npos) comma = r.size();
      out.push_back(parse_number(r.substr(start, comma - start), what));
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace

double parse_number(const std::string& text, const std::string& what) {
  const std::string t = trim(text);
  char* end = nullptr;
  double v = t.empty() ? 0 : std::strtod(t.c_str(), &end);
  if (t.empty() || *end) throw UsageError(what + ": expected a number, got '" + text + "'");
  if (!std::isfinite(v)) throw UsageError(what + ": must be a finite number, got '" + text + "'");
  return v;
}

std::string OptionSpec::key() const { return underscored(name); }

std::string OptionSpec::literal() const {
  struct {
    std::string operator()(const double* v) const { return shortest_text(*v); }
    std::string operator()(const int* v) const { return std::to_string(*v); }
    std::string operator()(const uint64_t* v) const { return std::to_string(*v); }
    std::string operator()(const std::string* v) const { return quoted(*v); }
    std::string operator()(const bool* v) const { return *v ? "true" : "false"; }
    std::string operator()(const std::vector<double>* v) const {
      std::string s = "[";
      for (size_t i = 0; i < v->size(); ++i) s += (i ? ", " : "") + shortest_text((*v)[i]);
      return s + "]";
    }
    std::string operator()(const std::vector<std::string>* v) const {
      std::string s = "[";
      for (size_t i = 0; i < v->size(); ++i) s += (i ? ", " : "") + quoted((*v)[i]);
      return s + "]";
    }
  } visit;
  return std::visit(visit, target);
}

std::string OptionSpec::limits_text() const {
  if (!choices.empty()) {
    // "" among the choices stands for "not given" (the default's own rule), not a value to type.
    std::string s;
    for (const std::string& c : choices)
      if (!c.empty()) s += (s.empty() ? "" : ", ") + c;
    return "must be one of: " + s;
  }
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi)
    return "must be in " + std::string(lo_open ? "(" : "[") + shortest_text(lo) + ", " + shortest_text(hi) + (hi_open ? ")" : "]");
  if (has_lo) return std::string("must be ") + (lo_open ? "> " : ">= ") + shortest_text(lo);
  if (has_hi) return std::string("must be ") + (hi_open ? "< " : "<= ") + shortest_text(hi);
  return "";
}

OptionSpec& OptionSet::push(const std::string& name, OptionSpec::Target t, const std::string& help) {
  OptionSpec s;
  s.name = name;
  s.help = help;
  s.group = group_;
  s.target = t;
  specs_.push_back(std::move(s));
  return specs_.back();
}

OptionSpec* OptionSet::find(const std::string& name_or_key) {
  const std::string k = underscored(name_or_key);
  for (auto& s : specs_)
    if (s.key() == k) return &s;
  return nullptr;
}

void OptionSet::remove(const std::string& name) {
  const std::string k = underscored(name);
  for (auto it = specs_.begin(); it != specs_.end(); ++it)
    if (it->key() == k) {
      specs_.erase(it);
      return;
    }
  throw std::logic_error("OptionSet::remove: no option '" + name + "'");
}

const OptionSpec* OptionSet::option_of(const void* target) const {
  for (const auto& s : specs_)
    if (std::visit([&](auto* p) { return static_cast<const void*>(p) == target; }, s.target)) return &s;
  return nullptr;
}

bool OptionSet::given(const void* var) const {
  const OptionSpec* s = option_of(var);
  return s && s->set;
}

void OptionSet::apply() {
  for (auto& s : specs_) {
    if (!s.set || s.raw.empty()) continue;
    const std::string what = s.flag();
    const std::string& last = s.raw.back();
    struct Assign {
      const OptionSpec& s;
      const std::string& last;
      const std::string& what;
      void operator()(double* v) const { *v = parse_number(last, what); }
      void operator()(int* v) const {
        int64_t x = parse_integer(last, what, false);
        if (x < INT_MIN || x > INT_MAX) throw UsageError(what + ": " + last + " is out of range");
        *v = int(x);
      }
      void operator()(uint64_t* v) const { *v = uint64_t(parse_integer(last, what, true)); }
      void operator()(std::string* v) const { *v = last; }
      void operator()(bool* v) const { *v = parse_bool(last, what); }
      void operator()(std::vector<double>* v) const { *v = parse_list(s.raw, what); }
      void operator()(std::vector<std::string>* v) const {
        // Files (positional lists, repeated -i) as given; other texts also split at commas: a,b or --x a --x b.
        if (s.positional) {
          *v = s.raw;
          return;
        }
        v->clear();
        for (const std::string& r : s.raw)
          for (size_t a = 0, b; a <= r.size(); a = b + 1) {
            b = std::min(r.find(',', a), r.size());
            v->push_back(r.substr(a, b - a));
          }
      }
    };
    std::visit(Assign{s, last, what}, s.target);
  }
  validate();
}

void OptionSet::validate() const {
  for (const auto& s : specs_) {
    std::vector<double> values;
    std::string text;
    if (auto* d = std::get_if<double*>(&s.target)) values = {**d};
    if (auto* i = std::get_if<int*>(&s.target)) values = {double(**i)};
    if (auto* u = std::get_if<uint64_t*>(&s.target)) values = {double(**u)};
    if (auto* l = std::get_if<std::vector<double>*>(&s.target)) values = **l;
    for (double v : values) {
      const bool ok = std::isfinite(v) && (s.lo_open ? v > s.lo : v >= s.lo) && (s.hi_open ? v < s.hi : v <= s.hi);
      if (!ok) throw UsageError(s.flag() + ": " + s.limits_text() + ", got " + shortest_text(v));
    }
    if (auto* t = std::get_if<std::string*>(&s.target); t && !s.choices.empty()) {
      bool ok = false;
      for (const auto& c : s.choices) ok = ok || c == **t;
      if (!ok) throw UsageError(s.flag() + ": " + s.limits_text() + ", got '" + **t + "'");
    }
  }
}

namespace {

// One `key = value` line's value: the text items it holds (several for an array).
std::vector<std::string> parse_value(const std::string& text, const std::string& where) {
  std::vector<std::string> items;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  auto item = [&](const char* stops) {
    skip_space();
    if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
      const char q = text[i++];
      std::string s;
      for (; i < text.size() && text[i] != q; ++i) {
        if (q == '"' && text[i] == '\\' && i + 1 < text.size()) ++i;
        s += text[i];
      }
      if (i >= text.size()) throw UsageError(where + ": unterminated string");
      ++i;
      return s;
    }
    size_t start = i;
    while (i < text.size() && !std::strchr(stops, text[i])) ++i;
    std::string s = trim(text.substr(start, i - start));
    if (s.empty()) throw UsageError(where + ": missing value");
    return s;
  };
  skip_space();
  if (i < text.size() && text[i] == '[') {
    ++i;
    skip_space();
    if (i < text.size() && text[i] == ']') {
      ++i;
    } else {
      for (;;) {
        items.push_back(item(",]#"));
        skip_space();
        if (i < text.size() && text[i] == ',') { ++i; continue; }
        if (i < text.size() && text[i] == ']') { ++i; break; }
        throw UsageError(where + ": expected ',' or ']' in the list");
      }
    }
  } else {
    items.push_back(item("#"));
  }
  skip_space();
  if (i < text.size() && text[i] != '#') throw UsageError(where + ": unexpected text after the value: '" + text.substr(i) + "'");
  return items;
}

}  // namespace

void read_key_values(const std::string& path, const std::string& what, const KeyValueReader& each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(what + ": cannot read '" + path + "'");
  std::string line, section;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string where = path + ":" + std::to_string(n);
    for (unsigned char c : line)
      if ((c < 32 && c != '\t' && c != '\r') || c == 127) throw UsageError(where + ": not a text line (expected `key = value` lines)");
    for (size_t i = 0; i < line.size();) {
      const size_t n = utf8_length(line, i);
      if (n == 0) throw UsageError(where + ": not UTF-8 text (byte " + std::to_string(i + 1) + " of the line)");
      i += n;
    }
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t[0] == '[') {
      const size_t close = t.find(']');
      section = close == std::string::npos ? "" : trim(t.substr(1, close - 1));
      if (close == std::string::npos || section.empty() || !trim(t.substr(close + 1)).empty())
        throw UsageError(where + ": malformed section header '" + t + "'");
      each(where, section, "", {});
      continue;
    }
    const size_t eq = t.find('=');
    if (eq == std::string::npos) throw UsageError(where + ": expected `key = value`, got '" + t + "'");
    each(where, section, trim(t.substr(0, eq)), parse_value(t.substr(eq + 1), where));
  }
  if (in.bad()) throw UsageError(what + ": error reading '" + path + "'");
}

void OptionSet::read_config(const std::string& path, const std::string& program) {
  std::set<std::string> seen;
  read_key_values(path, "--config", [&](const std::string& where, const std::string& section, const std::string& key,
                                         const std::vector<std::string>& items) {
    if (!section.empty() && section != program)
      throw UsageError(where + ": section [" + section + "] is not for " + program + " (use no section, or [" +
                       program + "])");
    if (key.empty()) return;  // the section's header
    OptionSpec* s = find(key);
    if (!s)
      throw UsageError(where + ": unknown option '" + key + "' (see " + program + " --print-config for the keys)");
    if (!seen.insert(s->key()).second) throw UsageError(where + ": '" + key + "' is set twice");
    if (items.size() != 1 && !s->is_list()) throw UsageError(where + ": '" + key + "' takes one value, not a list");
    if (s->set) return;  // the command line wins
    s->raw = items;
    s->set = true;
  });
}

std::string OptionSet::config_text() const {
  std::string out, group;
  for (const auto& s : specs_) {
    if (!s.recorded) continue;
    if (auto* t = std::get_if<std::string*>(&s.target); t && (*t)->empty()) continue;
    if (auto* l = std::get_if<std::vector<double>*>(&s.target); l && (*l)->empty()) continue;
    if (auto* l = std::get_if<std::vector<std::string>*>(&s.target); l && (*l)->empty()) continue;
    if (s.group != group) {
      group = s.group;
      out += (out.empty() ? "# " : "\n# ") + group + "\n";
    }
    out += s.key() + " = " + s.literal() + "\n";
  }
  return out;
}

}  // namespace ctd
