#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "helpers.hpp"
#include "lfads/fitting.hpp"
#include "plot/figure.hpp"
#include "tune/lfads_tuning.hpp"
#include "tune/member_pool.hpp"
#include "tune/pbt.hpp"
#include "tune/population.hpp"
#include "tune/search_space.hpp"
#include "util/error.hpp"
#include "util/options.hpp"

using namespace ctd;

namespace {
// A population of `n` with scores 0, 1, …, n−1 (lower is better) and a state naming its member.
Population scored(int n) {
  SearchSpace space = {{"lr", 1e-3, 1e-1, true}, {"cd-rate", 0.1, 0.5, false}};
  Population pop = new_population(space, n, 7);
  for (int k = 0; k < n; ++k) {
    pop.members[size_t(k)].score = k;
    pop.members[size_t(k)].state = {char('a' + k)};
  }
  return pop;
}

// fit-lfads's options, to check search spaces against.
struct LfadsOptions {
  OptionSet o;
  LfadsFitConfig c;
  LfadsOptions() { register_options(o, c); }
  std::function<const OptionSpec*(const std::string&)> lookup() {
    return [this](const std::string& n) -> const OptionSpec* { return o.find(n); };
  }
};

std::string space_error(const std::string& text) {
  test::TempDir dir;
  const std::string path = dir.file("space.toml");
  std::ofstream(path) << text;
  LfadsOptions opts;
  try {
    read_search_space(path, lfads_tunable(), opts.lookup());
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("PBT: the bottom quarter copies members of the top quarter, perturbed inside the ranges") {
  Population pop = scored(8);
  const Population before = pop;
  PbtSettings s;  // fraction 0.25: two replaced, two sources
  const auto copied = exploit_and_explore(pop, s, 0);
  REQUIRE(copied.size() == 2);
  CHECK(copied[0].member == 7);  // the worst first
  CHECK(copied[1].member == 6);
  for (const Replacement& r : copied) {
    CHECK((r.source == 0 || r.source == 1));
    const Member& m = pop.members[size_t(r.member)];
    CHECK(m.parent == r.source);
    CHECK(m.state == before.members[size_t(r.source)].state);  // the source's state, not its own
    for (size_t h = 0; h < pop.space.size(); ++h) {
      CHECK(m.hp[h] >= pop.space[h].min);
      CHECK(m.hp[h] <= pop.space[h].max);
    }
  }
  for (int k = 0; k < 6; ++k) {  // the others are untouched
    CHECK(pop.members[size_t(k)].hp == before.members[size_t(k)].hp);
    CHECK(pop.members[size_t(k)].parent == -1);
  }
  // The same generation's draws again: the same copies and values (a resumed run decides alike).
  Population again = before;
  exploit_and_explore(again, s, 0);
  for (int k = 0; k < 8; ++k) CHECK(again.members[size_t(k)].hp == pop.members[size_t(k)].hp);
  Population other = before;
  exploit_and_explore(other, s, 1);
  CHECK((other.members[7].hp != pop.members[7].hp || other.members[6].hp != pop.members[6].hp));
}

TEST_CASE("PBT: without resampling, a copy's values are the source's times 0.8 or 1.2, clipped") {
  Population pop = scored(4);
  const Population before = pop;
  PbtSettings s;
  s.resample_probability = 0;
  for (int g = 0; g < 20; ++g) {
    pop = before;
    for (const Replacement& r : exploit_and_explore(pop, s, g))
      for (size_t h = 0; h < pop.space.size(); ++h) {
        const double v = pop.members[size_t(r.member)].hp[h], src = before.members[size_t(r.source)].hp[h];
        const HyperParam& p = pop.space[h];
        const bool ok = std::fabs(v - std::clamp(0.8 * src, p.min, p.max)) < 1e-15 ||
                        std::fabs(v - std::clamp(1.2 * src, p.min, p.max)) < 1e-15;
        CHECK(ok);
      }
  }
}

TEST_CASE("PBT: failed members are replaced first, and a higher-is-better score ranks the other way") {
  Population pop = scored(4);
  pop.members[1].failed = true;
  pop.members[1].score = std::nan("");
  PbtSettings s;
  auto copied = exploit_and_explore(pop, s, 0);  // ⌊0.25·4⌋ = 1 replaced: the failed one
  REQUIRE(copied.size() == 1);
  CHECK(copied[0].member == 1);
  CHECK(copied[0].source == 0);
  CHECK(!pop.members[1].failed);
  Population up = scored(4);
  up.higher_is_better = true;  // co-bps
  CHECK(best_member(up) == 3);
  copied = exploit_and_explore(up, s, 0);
  CHECK(copied[0].member == 0);
  CHECK(copied[0].source == 3);
  CHECK(best_member(scored(4)) == 0);
}

TEST_CASE("PBT: settings that leave no population are refused") {
  PbtSettings s;
  s.members = 1;
  CHECK_THROWS_AS(check_pbt_settings(s), UsageError);
  s.members = 4;
  s.perturb = {0.8, -1};
  CHECK_THROWS_AS(check_pbt_settings(s), UsageError);
}

TEST_CASE("Search space: the default is valid, draws stay in range, init wins") {
  LfadsOptions opts;
  const SearchSpace space = default_lfads_space();
  check_search_space(space, lfads_tunable(), opts.lookup(), "default");
  RngStream rng(3, RngDomain::Tuning, 0);
  for (const HyperParam& p : space)
    for (int i = 0; i < 100; ++i) {
      const double v = draw(p, rng);
      CHECK(v >= p.min);
      CHECK(v <= p.max);
    }
  HyperParam fixed{"lr", 1e-3, 1e-1, true, true, 0.02};
  CHECK(initial_value(fixed, rng) == 0.02);
  // Log draws spread evenly over decades: half of 1e-4..1 lies below 1e-2.
  HyperParam wide{"l2-gen", 1e-4, 1, true};
  int low = 0;
  for (int i = 0; i < 3000; ++i) low += draw(wide, rng) < 1e-2;
  CHECK(low > 1350);
  CHECK(low < 1650);
}

TEST_CASE("Search space: a file round-trips, and its errors name the line") {
  test::TempDir dir;
  const std::string path = dir.file("space.toml");
  std::ofstream(path) << search_space_text(default_lfads_space());
  LfadsOptions opts;
  const SearchSpace back = read_search_space(path, lfads_tunable(), opts.lookup());
  CHECK(search_space_text(back) == search_space_text(default_lfads_space()));
  CHECK(space_error("[gen-dim]\nmin = 8\nmax = 16\n").find("not a hyperparameter that can be tuned") != std::string::npos);
  CHECK(space_error("[seeed]\nmin = 1\nmax = 2\n").find("not a hyperparameter") != std::string::npos);
  CHECK(space_error("[lr]\nmin = 0.1\nmax = 0.1\n").find("min < max") != std::string::npos);
  CHECK(space_error("[lr]\nmin = 0.1\n").find("needs both min and max") != std::string::npos);
  CHECK(space_error("[cd-rate]\nmin = 0\nmax = 0.5\nscale = \"log\"\n").find("log scale needs min > 0") !=
        std::string::npos);
  CHECK(space_error("[keep-rate]\nmin = 0.5\nmax = 2\n").find("leaves the values --keep-rate accepts") !=
        std::string::npos);
  CHECK(space_error("min = 1\n").find("space.toml:1: a value before") != std::string::npos);
  CHECK(space_error("[lr]\nmin = 1e-3\nmax = 1e-2\nstep = 2\n").find("space.toml:4: unknown key 'step'") !=
        std::string::npos);
  CHECK(space_error("[lr]\nmin = 1e-3\nmax = 1e-2\n[lr]\n").find("given twice") != std::string::npos);
  CHECK(space_error("[lr]\nmin = 1e-3\nmax = 1e-2\ninit = 1\n").find("outside the range") != std::string::npos);
  CHECK(space_error("").find("no hyperparameter") != std::string::npos);
}

TEST_CASE("Population: the file round-trips, and a changed setting is refused on reading") {
  test::TempDir dir;
  const std::string path = dir.file("pop.h5");
  Population pop = scored(3);
  pop.metric = "co_bps";
  pop.higher_is_better = true;
  pop.seed = 18446744073709551557ull;  // all 64 bits survive
  pop.generations_done = 2;
  pop.threads = 2;
  pop.members[2].failed = true;
  pop.members[2].failure = "diverged";
  pop.members[1].parent = 0;
  pop.history.push_back({0, 1, -1, 0.5, false, pop.members[1].hp});
  pop.history.push_back({1, 2, 0, std::nan(""), true, pop.members[2].hp});
  const RunSignature sig = {{"lr_decay", "0.9999"}};
  write_population(path, pop, sig);
  const Population back = read_population(path, sig);
  CHECK(search_space_text(back.space) == search_space_text(pop.space));
  CHECK(back.seed == pop.seed);
  CHECK(back.metric == "co_bps");
  CHECK(back.higher_is_better);
  CHECK(back.threads == 2);
  CHECK(back.generations_done == 2);
  REQUIRE(back.members.size() == 3);
  for (size_t k = 0; k < 3; ++k) {
    CHECK(back.members[k].hp == pop.members[k].hp);
    CHECK(back.members[k].state == pop.members[k].state);
    CHECK(back.members[k].parent == pop.members[k].parent);
  }
  CHECK(back.members[2].failure == "diverged");
  REQUIRE(back.history.size() == 2);
  CHECK(back.history[1].parent == 0);
  CHECK(back.history[1].failed);
  CHECK(std::isnan(back.history[1].score));
  CHECK_THROWS_AS(read_population(path, {{"lr_decay", "0.999"}}), UsageError);
}

TEST_CASE("Member results: bytes and back; a member's error or signal becomes its result") {
  MemberResult r;
  r.member = 3;
  r.score = -0.25;
  r.train_seconds = 1.5;
  r.score_seconds = 0.25;
  r.state = {'x', '\0', 'y'};
  r.failure = "none";
  const auto back = unpack_results(pack_results({r, MemberResult{}}), "test");
  REQUIRE(back.size() == 2);
  CHECK(back[0].member == 3);
  CHECK(back[0].score == -0.25);
  CHECK(back[0].train_seconds == 1.5);
  CHECK(back[0].score_seconds == 0.25);
  CHECK(back[0].state == r.state);
  CHECK(back[0].failure == "none");
  std::vector<char> cut = pack_results({r});
  cut.pop_back();
  CHECK_THROWS_AS(unpack_results(cut, "test"), Error);
  const std::vector<MemberJob> jobs = {{0, {}, {}}, {1, {}, {}}, {2, {}, {}}};
  const MemberTrainer train = [](const MemberJob& j) -> MemberResult {
    if (j.member == 1) throw Error("diverged");
    MemberResult out;
    out.score = 10 + j.member;
    out.state = std::vector<char>(size_t(70000 + j.member), char(j.member));  // more than a pipe holds
    return out;
  };
  for (int parallel : {1, 2}) {
    const auto results = run_members(jobs, train, parallel);
    REQUIRE(results.size() == 3);
    CHECK(results[0].score == 10);
    CHECK(results[1].failed);
    CHECK(results[1].failure == "diverged");
    CHECK(results[2].score == 12);
    CHECK(results[2].state.size() == 70002);
    CHECK(results[2].member == 2);
  }
}

TEST_CASE("figures: a population's scores per member and its hyperparameters' trajectories") {
  test::TempDir dir;
  const std::string path = dir.file("pop.h5");
  Population pop = scored(2);
  pop.metric = "valid_nll_smoothed";
  pop.generations_done = 2;
  pop.history = {{0, 0, -1, 5.0, false, {0.01, 0.2}},
                 {0, 1, -1, 7.0, false, {0.02, 0.3}},
                 {1, 0, -1, 4.0, false, {0.01, 0.2}},
                 {1, 1, 0, 3.5, false, {0.012, 0.24}}};
  write_population(path, pop, {});
  const Figure scores = make_figure(H5File::open(path), "", PlotRequest{});
  REQUIRE(scores.data.size() == 1);
  // Member 0, then member 1 (a copy in generation 2): generation, score, copied.
  CHECK(scores.data[0].text() == "$scores << EOD\n1 5 0\n2 4 0\n\n\n1 7 0\n2 3.5 1\nEOD\n");
  CHECK(scores.commands.find("smoothed per member") != std::string::npos);
  const Figure hp = make_figure(H5File::open(path), "hyperparameters", PlotRequest{});
  REQUIRE(hp.data.size() == 2);
  CHECK(hp.data[1].text() == "$hp1 << EOD\n1 0.2 0\n2 0.2 0\n\n\n1 0.3 0\n2 0.24 1\nEOD\n");
  CHECK(hp.commands.find("set logscale y") != std::string::npos);  // lr is searched in log
}
