#include "train/recipe.hpp"

#include "util/format.hpp"

namespace ctd {

const std::vector<Recipe>& recipes() {
  //                                 task          cell       batches  lr    lr_decay  l2    noise
  static const std::vector<Recipe> table = {{"integrator", "vanilla", 10000, 0.025, 0.99975, 2e-4, 0.0},
                                            {"decision", "gru", 20000, 0.04, 0.9999, 2e-5, 0.0},
                                            {"sentiment", "gru", 40000, 0.04, 0.99995, 1e-4, 0.003},
                                            {"flipflop", "torch-gru", 5000, 0.02, 0.9995, 1e-5, 0.0}};
  return table;
}

const Recipe& recipe_for(const std::string& task) {
  for (const Recipe& r : recipes())
    if (r.task == task) return r;
  return recipes().front();
}

namespace {
template <class F>
std::string column(F text) {
  std::string s;
  for (const Recipe& r : recipes()) s += (s.empty() ? "" : ", ") + r.task + " " + text(r);
  return s;
}
}  // namespace

std::string recipe_column(double Recipe::*field) {
  return column([&](const Recipe& r) { return shortest_text(r.*field); });
}
std::string recipe_column(uint64_t Recipe::*field) {
  return column([&](const Recipe& r) { return std::to_string(r.*field); });
}
std::string recipe_column(std::string Recipe::*field) {
  return column([&](const Recipe& r) { return r.*field; });
}

}  // namespace ctd
