#include "tune/search_space.hpp"

#include <cmath>
#include <map>
#include <set>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/options.hpp"

namespace ctd {

SearchSpace default_lfads_space() {
  // AutoLFADS's ranges, in our loss's units: its KL and L2 weights scale a
  // loss per element, ours (the tutorial's) a loss per trial, so ours are
  // factors on the tutorial's weights (1 is the tutorial) and penalties per
  // trial; the rate's range ends at the tutorial's 0.05 (Adam eps 0.1).
  // The keep-rate's range needs --gen-dropout factors (tune-lfads's default):
  // the tutorial's generator feeds its dropped-out state back into its
  // recurrence, which diverges for keep-rates far below its 0.98.
  return {
      {"lr", 1e-4, 5e-2, true},
      {"keep-rate", 0.4, 1.0, false},
      {"cd-rate", 0.01, 0.7, false},
      {"kl-ic-weight", 0.03, 3, true},
      {"kl-ii-weight", 0.03, 3, true},
      {"l2-gen", 1e-4, 1, true},
      {"l2-con", 1e-4, 1, true},
  };
}

namespace {
bool inside(const OptionSpec& s, double v) {
  return (s.lo_open ? v > s.lo : v >= s.lo) && (s.hi_open ? v < s.hi : v <= s.hi);
}
}  // namespace

void check_search_space(const SearchSpace& space, const std::vector<std::string>& tunable,
                        const std::function<const OptionSpec*(const std::string&)>& option_of,
                        const std::string& where) {
  if (space.empty()) throw UsageError(where + ": no hyperparameter to search");
  std::set<std::string> seen;
  std::string names;
  for (const std::string& t : tunable) names += (names.empty() ? "" : ", ") + t;
  for (const HyperParam& p : space) {
    const std::string what = where + ": [" + p.name + "]";
    bool ok = false;
    for (const std::string& t : tunable) ok = ok || t == p.name;
    const OptionSpec* s = option_of(p.name);
    if (!ok || !s) throw UsageError(what + ": not a hyperparameter that can be tuned (these can: " + names + ")");
    if (!seen.insert(p.name).second) throw UsageError(what + ": given twice");
    if (!std::isfinite(p.min) || !std::isfinite(p.max) || !(p.min < p.max))
      throw UsageError(what + ": the range must have min < max (got " + fmt("%g", p.min) + " to " + fmt("%g", p.max) +
                       "); a fixed value is an option of the run, not a search");
    if (p.log && p.min <= 0) throw UsageError(what + ": a log scale needs min > 0");
    if (!inside(*s, p.min) || !inside(*s, p.max))
      throw UsageError(what + ": the range " + fmt("%g", p.min) + " to " + fmt("%g", p.max) + " leaves the values --" +
                       p.name + " accepts");
    if (p.has_init && !(p.init >= p.min && p.init <= p.max))
      throw UsageError(what + ": init " + fmt("%g", p.init) + " is outside the range");
  }
}

SearchSpace read_search_space(const std::string& path, const std::vector<std::string>& tunable,
                              const std::function<const OptionSpec*(const std::string&)>& option_of) {
  SearchSpace space;
  std::map<std::string, std::set<std::string>> given;  // each section's keys
  read_key_values(path, "--space", [&](const std::string& where, const std::string& section, const std::string& key,
                                       const std::vector<std::string>& items) {
    if (section.empty()) throw UsageError(where + ": a value before the first [hyperparameter] section");
    if (key.empty()) {  // a new section
      for (const HyperParam& p : space)
        if (p.name == section) throw UsageError(where + ": [" + section + "] is given twice");
      space.push_back(HyperParam{section});
      return;
    }
    HyperParam& p = space.back();
    if (!given[section].insert(key).second) throw UsageError(where + ": '" + key + "' is set twice");
    if (items.size() != 1) throw UsageError(where + ": '" + key + "' takes one value");
    if (key == "scale") {
      if (items[0] != "log" && items[0] != "linear")
        throw UsageError(where + ": scale must be \"log\" or \"linear\", got '" + items[0] + "'");
      p.log = items[0] == "log";
    } else if (key == "min" || key == "max" || key == "init") {
      const double v = parse_number(items[0], where + ": " + key);
      if (key == "min") p.min = v;
      else if (key == "max") p.max = v;
      else p.init = v, p.has_init = true;
    } else {
      throw UsageError(where + ": unknown key '" + key + "' (a section has min, max, scale and init)");
    }
  });
  for (const HyperParam& p : space)
    if (!given[p.name].count("min") || !given[p.name].count("max"))
      throw UsageError(path + ": [" + p.name + "] needs both min and max");
  check_search_space(space, tunable, option_of, path);
  return space;
}

std::string search_space_text(const SearchSpace& space) {
  std::string out;
  for (const HyperParam& p : space) {
    out += (out.empty() ? "[" : "\n[") + p.name + "]\nmin = " + fmt("%.17g", p.min) + "\nmax = " +
           fmt("%.17g", p.max) + "\nscale = \"" + (p.log ? "log" : "linear") + "\"\n";
    if (p.has_init) out += "init = " + fmt("%.17g", p.init) + "\n";
  }
  return out;
}

double draw(const HyperParam& p, RngStream& rng) {
  const double u = rng.uniform();
  if (p.log) return std::exp(std::log(p.min) + u * (std::log(p.max) - std::log(p.min)));
  return p.min + u * (p.max - p.min);
}

double initial_value(const HyperParam& p, RngStream& rng) {
  const double v = draw(p, rng);  // drawn either way: one member's init leaves the others' draws as they were
  return p.has_init ? p.init : v;
}

}  // namespace ctd
