// The hyperparameters population-based training searches (docs/methods.md
// §9): each a range and a scale (linear or log), read from a TOML file of
// [option] sections, and the draws that start and explore them.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "util/rng.hpp"

namespace ctd {

struct OptionSpec;

struct HyperParam {
  std::string name;  // the trainer's option, as on its command line: "lr", "keep-rate"
  double min = 0, max = 0;
  bool log = false;  // log: drawn uniformly in log(value)
  bool has_init = false;
  double init = 0;   // every member starts here (otherwise: drawn from the range)
};

using SearchSpace = std::vector<HyperParam>;

// AutoLFADS's space (Keshtkaran et al. 2022) in fit-lfads's options: the
// learning rate, keep-rate, cd-rate, the two KL weights and the two L2 weights.
SearchSpace default_lfads_space();

// A file of sections, one per hyperparameter:
//   [lr]
//   min = 1e-4
//   max = 0.05
//   scale = "log"     # or "linear" (the default)
//   init = 0.01       # optional
// `option_of` gives the trainer's option of a name (nullptr: none); only
// `tunable` names may be searched, and a range must be non-empty and inside
// the option's own limits. Errors name the file and line.
SearchSpace read_search_space(const std::string& path, const std::vector<std::string>& tunable,
                              const std::function<const OptionSpec*(const std::string&)>& option_of);
// The same checks for a space built in code (the default).
void check_search_space(const SearchSpace& space, const std::vector<std::string>& tunable,
                        const std::function<const OptionSpec*(const std::string&)>& option_of, const std::string& where);

// The file's text for a space (--print-space writes the default this way).
std::string search_space_text(const SearchSpace& space);

// A value drawn from the range (uniform, or uniform in log).
double draw(const HyperParam& p, RngStream& rng);
// A starting value: init when given, else a draw.
double initial_value(const HyperParam& p, RngStream& rng);

}  // namespace ctd
