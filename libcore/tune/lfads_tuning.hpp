// tune-lfads: population-based training of fit-lfads (docs/methods.md §9).
// Each member is an ordinary LFADS fit carried from generation to generation
// with its own hyperparameters; after each generation the members are scored
// on the validation trials (the smoothed validation NLL, or co-bps on the
// held-out units), the population file is rewritten, and the bottom members
// copy and perturb the top ones.
#pragma once
#include <string>
#include <vector>

#include "lfads/fitting.hpp"
#include "tune/pbt.hpp"
#include "tune/population.hpp"

namespace ctd {

class OptionSet;

struct LfadsTuning {
  LfadsFitConfig base;                // every member's options but the searched ones
  PbtSettings pbt;
  std::string score = "auto";         // auto (co-bps with held-out units, else valid-nll) | valid-nll | co-bps
  int score_samples = 16;             // co-bps: posterior samples per validation trial
  std::string population;             // the population file
  bool resume = false;
  int jobs = 1;                       // members training at once on this machine
};
// fit-lfads's options but --batches and the checkpoint ones (a generation is
// the unit of resumption), and the tuning's own.
void register_options(OptionSet& o, LfadsTuning& t);

// fit-lfads's options population-based training may change between generations.
std::vector<std::string> lfads_tunable();
// The setting behind a tunable option's name.
double& lfads_hyperparameter(LfadsFitConfig& c, const std::string& name);

// Runs (or resumes) the search to --generations; returns the population.
// `threads` per member. SIGTERM/SIGINT: Stopped, the file as after the last generation.
Population tune_lfads(const LfadsTuning& t, const SearchSpace& space, const std::vector<LfadsSessionData>& sessions,
                      const RunSignature& signature, uint64_t seed, int threads);

// A member's fit, from its state.
LfadsFit member_fit(const Member& m, const std::string& where);

}  // namespace ctd
