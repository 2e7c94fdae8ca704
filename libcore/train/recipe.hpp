// The tutorials' training recipes (docs/methods.md §2) as one table: the
// integrator, decision and sentiment networks differ only in these values.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ctd {

struct Recipe {
  std::string task;  // integrator | decision | sentiment
  std::string cell;  // vanilla | gru
  uint64_t batches;
  double lr, lr_decay, l2, state_noise;
};

const std::vector<Recipe>& recipes();
// The recipe of `task`; an unknown or empty task gets the integrator's.
const Recipe& recipe_for(const std::string& task);
// One column of the table for --help: "integrator 0.025, decision 0.04, sentiment 0.04".
std::string recipe_column(double Recipe::*field);
std::string recipe_column(uint64_t Recipe::*field);
std::string recipe_column(std::string Recipe::*field);

}  // namespace ctd
