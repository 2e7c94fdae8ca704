// The training recipes (docs/methods.md §2) as one table: the integrator,
// decision, sentiment and flip-flop networks differ only in these values.
// Each is the tutorial's, except decision's, whose learning rate decays
// faster (better on average over seeds; "decision-tutorial" is the
// tutorial's own). gen-task's tasks share one recipe: a leaky RNN with
// dt/tau = 20 ms / 100 ms, as Song, Yang & Wang 2016 and Yang et al. 2019.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ctd {

struct Recipe {
  std::string name;  // the preset: the task kind it is the default of, or decision-tutorial
  std::string cell;  // vanilla | gru
  uint64_t batches;
  double lr, lr_decay, l2, state_noise;
  double alpha;  // the leaky cell's dt/tau (the others ignore it)
};

const std::vector<Recipe>& recipes();
// The recipe named `name`; an unknown or empty name gets the integrator's.
const Recipe& recipe_for(const std::string& name);
// The names, for messages and option choices: "integrator, decision, ...".
std::vector<std::string> recipe_names();
// One column of the table for --help: "integrator 0.025, decision 0.04, sentiment 0.04".
std::string recipe_column(double Recipe::*field);
std::string recipe_column(uint64_t Recipe::*field);
std::string recipe_column(std::string Recipe::*field);

}  // namespace ctd
