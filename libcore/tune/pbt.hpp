// Population-based training's step between generations (Jaderberg et al.
// 2017, as AutoLFADS uses it; docs/methods.md §9): rank the members by score,
// replace the bottom fraction by copies of members drawn from the top
// fraction — state and hyperparameters — and perturb the copies'
// hyperparameters, each multiplied by one of the perturbation factors or,
// with a probability, drawn afresh from its range; clipped to the range.
#pragma once
#include <vector>

#include "tune/population.hpp"

namespace ctd {

class OptionSet;

struct PbtSettings {
  int members = 8;
  int generations = 20;
  uint64_t generation_batches = 500;  // batches each member trains per generation
  double exploit_fraction = 0.25;
  std::vector<double> perturb = {0.8, 1.2};
  double resample_probability = 0.25;
};
// --members, --generations, --generation-batches, --exploit-fraction, --perturb, --resample-probability.
void register_options(OptionSet& o, PbtSettings& s);
// N ≥ 2, the fraction leaves at least one member in the top and bottom each, factors > 0.
void check_pbt_settings(const PbtSettings& s);

struct Replacement {
  int member, source;
};

// The members replaced after generation `generation`, in rank order: failed
// members first (always replaced), then the worst, max(1, ⌊fraction·N⌋) in
// all. Draws come from stream (pop.seed, generation) alone, so a resumed run
// draws as an uninterrupted one. Changes pop.members (hp, parent, state).
std::vector<Replacement> exploit_and_explore(Population& pop, const PbtSettings& s, int generation);

}  // namespace ctd
