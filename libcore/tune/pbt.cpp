#include "tune/pbt.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "util/error.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, PbtSettings& s) {
  o.group("Population-based training");
  o.add("members", s.members, "Members of the population (at least 2)").min(2);
  o.add("generations", s.generations, "Generations: after each the members are ranked, exploited and explored")
      .min(1);
  o.add("generation-batches", s.generation_batches,
        "Batches each member trains per generation (a multiple of --valid-every)")
      .min(1);
  o.add("exploit-fraction", s.exploit_fraction,
        "Share of members replaced after each generation by copies of members from the top share as large")
      .min(0, true)
      .max(0.5);
  o.add("perturb", s.perturb, "Factors a copied hyperparameter is multiplied by (one drawn per hyperparameter)");
  o.add("resample-probability", s.resample_probability,
        "Probability that a copied hyperparameter is drawn afresh from its range instead")
      .range(0, 1);
}

void check_pbt_settings(const PbtSettings& s) {
  if (s.members < 2) throw UsageError("--members: a population needs at least 2 members, got " + std::to_string(s.members));
  if (s.perturb.empty()) throw UsageError("--perturb: give at least one factor (e.g. 0.8,1.2)");
  for (double f : s.perturb)
    if (!(f > 0) || !std::isfinite(f)) throw UsageError("--perturb: factors must be > 0");
}

namespace {
// Worst first: failed members, then by score.
std::vector<int> worst_first(const Population& pop) {
  std::vector<int> order(pop.members.size());
  std::iota(order.begin(), order.end(), 0);
  auto bad = [&](int k) { return pop.members[size_t(k)].failed || std::isnan(pop.members[size_t(k)].score); };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    if (bad(a) != bad(b)) return bad(a);
    if (bad(a)) return false;
    const double sa = pop.members[size_t(a)].score, sb = pop.members[size_t(b)].score;
    return pop.higher_is_better ? sa < sb : sa > sb;
  });
  return order;
}
}  // namespace

std::vector<Replacement> exploit_and_explore(Population& pop, const PbtSettings& s, int generation) {
  for (Member& m : pop.members) m.parent = -1;  // lineage is per generation
  const std::vector<int> order = worst_first(pop);
  const int N = int(order.size());
  int failed = 0;
  for (const Member& m : pop.members) failed += m.failed || std::isnan(m.score);
  const int k = std::max(1, int(std::floor(s.exploit_fraction * N)));
  const int replaced = std::min(N - 1, std::max(k, failed));
  const int top = std::max(1, std::min(k, N - replaced));  // the best `top` members are the sources
  RngStream rng(pop.seed, RngDomain::Tuning, (uint64_t(1) << 40) + uint64_t(generation));
  std::vector<Replacement> out;
  for (int i = 0; i < replaced; ++i) {
    const int member = order[size_t(i)];
    const int pick = std::min(top - 1, int(rng.uniform() * top));
    const int source = order[size_t(N - 1 - pick)];
    Member& m = pop.members[size_t(member)];
    const Member& from = pop.members[size_t(source)];
    m.state = from.state;
    m.hp = from.hp;
    m.parent = source;
    m.score = from.score;
    m.failed = false;
    m.failure.clear();
    for (size_t h = 0; h < pop.space.size(); ++h) {
      const HyperParam& p = pop.space[h];
      // Three draws per hyperparameter whatever is chosen: the stream's use never depends on the values.
      const double u = rng.uniform(), fresh = draw(p, rng);
      const double f = s.perturb[std::min(s.perturb.size() - 1, size_t(rng.uniform() * double(s.perturb.size())))];
      m.hp[h] = std::clamp(u < s.resample_probability ? fresh : m.hp[h] * f, p.min, p.max);
    }
    out.push_back({member, source});
  }
  return out;
}

}  // namespace ctd
