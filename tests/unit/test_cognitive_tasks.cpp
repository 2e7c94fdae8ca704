#include <doctest/doctest.h>

#include <cmath>

#include "tasks/cognitive_task.hpp"
#include "tasks/task_scoring.hpp"
#include "util/error.hpp"
#include "util/options.hpp"

using namespace ctd;

namespace {
CognitiveTask task_named(const std::string& name) {
  CognitiveTask t;
  OptionSet o;
  register_options(o, t);
  t.name = name;
  apply_task_defaults(o, t);
  return t;
}

size_t epoch_start(const LabelledTrials& d, size_t b, const std::string& name) {
  for (size_t e = 0; e < d.epoch_names.size(); ++e)
    if (d.epoch_names[e] == name) return size_t(d.epoch_starts[b * d.epoch_names.size() + e]);
  FAIL("no epoch " << name);
  return 0;
}

double condition(const LabelledTrials& d, size_t b, const std::string& name) {
  for (size_t c = 0; c < d.condition_names.size(); ++c)
    if (d.condition_names[c] == name) return d.conditions[c][b];
  FAIL("no condition " << name);
  return 0;
}

double Phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
}  // namespace

TEST_CASE("context-dm: the cued stream decides, the other is ignored; evidence as strong as the theory says") {
  const CognitiveTask t = task_named("context-dm");
  const size_t B = 6000;
  const LabelledTrials d = generate_context_dm(t, 4, B);
  const size_t T = d.steps(), n = task_steps(t, t.stimulus);
  CHECK(T == 15 + 38 + 75 + 15);  // 300, 750, up to 1500 and 300 ms at 20 ms a step
  size_t ideal_right = 0, irrelevant_right = 0, contexts = 0;
  double expected = 0;
  for (size_t b = 0; b < B; ++b) {
    const int context = int(condition(d, b, "context"));
    const double coh[2] = {condition(d, b, "motion_coherence"), condition(d, b, "color_coherence")};
    const double choice = condition(d, b, "choice");
    REQUIRE(choice == (coh[context] > 0 ? 1 : -1));
    contexts += size_t(context);
    const size_t fix = epoch_start(d, b, "stimulus"), resp = epoch_start(d, b, "response");
    CHECK(epoch_start(d, b, "delay") == fix + n);
    CHECK(resp >= fix + n + 15);  // a delay of 300 ms at least
    CHECK(resp <= fix + n + 75);
    // The context cue is on throughout; the target counts only in the response epoch.
    for (size_t s = 0; s < T; ++s) {
      REQUIRE(d.input(b, s, 2 + size_t(context)) == 1.0f);
      REQUIRE(d.input(b, s, 3 - size_t(context)) == 0.0f);
      REQUIRE(d.mask(b, s, 0) == (s >= resp ? 1.0f : 0.0f));
      if (s >= resp) REQUIRE(d.target(b, s, 0) == float(choice));
      if (s < fix || s >= fix + n) REQUIRE(d.input(b, s, 0) == 0.0f);
    }
    double sum[2] = {0, 0};
    for (size_t s = fix; s < resp; ++s)
      for (int u = 0; u < 2; ++u) sum[u] += d.input(b, s, size_t(u));
    ideal_right += (sum[context] > 0) == (choice > 0);
    irrelevant_right += (sum[1 - context] > 0) == (choice > 0);
    // An ideal observer of the cued stream is right with probability Phi(|c| sqrt(n) / sd).
    expected += Phi(std::fabs(coh[context]) * std::sqrt(double(n)) / noise_per_step(t));
  }
  expected /= B;
  const double se = std::sqrt(expected * (1 - expected) / B);
  CHECK(std::fabs(double(ideal_right) / B - expected) < 4 * se);
  CHECK(std::fabs(double(irrelevant_right) / B - 0.5) < 0.03);  // the other stream says nothing
  CHECK(std::fabs(double(contexts) / B - 0.5) < 0.03);
}

TEST_CASE("memory saccades: fixate until the go, then point at the stimulus (pro) or away (anti)") {
  for (bool anti : {false, true}) {
    CognitiveTask t = task_named(anti ? "memory-anti" : "memory-pro");
    t.input_noise = 0;
    const LabelledTrials d = generate_memory_saccade(t, 7, 400, anti);
    CHECK(d.steps() == 10 + 20 + 50 + 20);
    std::vector<int> seen(8, 0);
    for (size_t b = 0; b < d.trials(); ++b) {
      const double theta = condition(d, b, "direction"), aim = condition(d, b, "response_direction");
      const double delay = condition(d, b, "delay");
      seen[size_t(std::lround(theta / (2 * M_PI) * 8)) % 8]++;
      CHECK(std::cos(aim) == doctest::Approx(anti ? -std::cos(theta) : std::cos(theta)).epsilon(1e-5));
      REQUIRE(delay >= 500);
      REQUIRE(delay <= 1000);
      const size_t stim = epoch_start(d, b, "stimulus"), del = epoch_start(d, b, "delay"), go = epoch_start(d, b, "response");
      CHECK(go - del == size_t(std::lround(delay / t.dt)));
      for (size_t s = 0; s < d.steps(); ++s) {
        REQUIRE(d.input(b, s, 0) == (s < go ? 1.0f : 0.0f));
        const bool shown = s >= stim && s < del;
        REQUIRE(d.input(b, s, 1) == doctest::Approx(shown ? std::cos(theta) : 0.0));
        const bool grace = s >= go && s < go + 5;  // 100 ms
        REQUIRE(d.mask(b, s, 1) == (grace ? 0.0f : 1.0f));
        REQUIRE(d.target(b, s, 0) == (s < go ? 1.0f : 0.0f));
        if (s >= go) REQUIRE(d.target(b, s, 2) == doctest::Approx(std::sin(aim)));
      }
    }
    for (int k : seen) CHECK(k > 25);  // all 8 directions drawn
  }
}

TEST_CASE("dms: match trials repeat the sample, non-matches are each other stimulus alike; the report follows") {
  CognitiveTask t = task_named("dms");
  t.input_noise = 0;
  const size_t B = 4000, K = size_t(t.stimuli);
  const LabelledTrials d = generate_match_to_sample(t, 3, B);
  CHECK(d.data.inputs.dim(2) == 1 + K);
  size_t matches = 0;
  std::vector<size_t> offsets(K, 0);  // test - sample on non-matches
  for (size_t b = 0; b < B; ++b) {
    const bool match = condition(d, b, "match") == 1;
    const size_t sample = size_t(condition(d, b, "sample")), test = size_t(condition(d, b, "test"));
    matches += match;
    REQUIRE((sample == test) == match);
    if (!match) offsets[(test + K - sample) % K]++;
    const size_t on = epoch_start(d, b, "sample"), test_on = epoch_start(d, b, "test"), go = epoch_start(d, b, "response");
    for (size_t k = 0; k < K; ++k) {
      REQUIRE(d.input(b, on, 1 + k) == (k == sample ? 1.0f : 0.0f));
      REQUIRE(d.input(b, test_on, 1 + k) == (k == test ? 1.0f : 0.0f));
      REQUIRE(d.input(b, test_on - 1, 1 + k) == 0.0f);  // the delay shows nothing
    }
    REQUIRE(d.target(b, d.steps() - 1, 1) == (match ? 1.0f : -1.0f));
    REQUIRE(d.target(b, go - 1, 0) == 1.0f);
  }
  CHECK(std::fabs(double(matches) / B - 0.5) < 0.03);
  CHECK(offsets[0] == 0);
  for (size_t k = 1; k < K; ++k) CHECK(std::fabs(double(offsets[k]) / double(B - matches) - 1.0 / double(K - 1)) < 0.03);
}

TEST_CASE("go/no-go: respond after the go only on go trials") {
  CognitiveTask t = task_named("go-no-go");
  t.go_probability = 0.3;
  const LabelledTrials d = generate_go_no_go(t, 5, 2000);
  size_t go_trials = 0;
  for (size_t b = 0; b < d.trials(); ++b) {
    const bool go = condition(d, b, "go") == 1;
    go_trials += go;
    const size_t start = epoch_start(d, b, "response");
    REQUIRE(d.target(b, start - 1, 0) == 0.0f);
    REQUIRE(d.target(b, d.steps() - 1, 0) == (go ? 1.0f : 0.0f));
    REQUIRE(d.mask(b, start, 0) == 0.0f);  // the grace period
    REQUIRE(d.mask(b, d.steps() - 1, 0) == 1.0f);
  }
  CHECK(std::fabs(double(go_trials) / 2000 - 0.3) < 0.04);
}

TEST_CASE("ready-set-go: the output steps up one interval after set, intervals uniform on the prior") {
  for (const char* prior : {"short", "long"}) {
    CognitiveTask t = task_named("ready-set-go");
    t.prior = prior;
    const LabelledTrials d = generate_ready_set_go(t, 2, 2000);
    const auto [lo, hi] = interval_range(t);
    CHECK(d.steps() == 10 + 2 * task_steps(t, hi) + 15);
    double sum = 0;
    for (size_t b = 0; b < d.trials(); ++b) {
      const double interval = condition(d, b, "interval");
      REQUIRE(interval >= lo - t.dt);
      REQUIRE(interval <= hi + t.dt);
      sum += interval;
      const size_t ready = epoch_start(d, b, "ready-set"), set = epoch_start(d, b, "set-go"), go = epoch_start(d, b, "go");
      REQUIRE(set - ready == go - set);
      REQUIRE(double(go - set) * t.dt == interval);
      REQUIRE(d.input(b, ready, 0) == 1.0f);
      REQUIRE(d.input(b, set + 2, 0) == 1.0f);  // 60 ms pulses
      REQUIRE(d.input(b, set + 3, 0) == 0.0f);
      REQUIRE(d.target(b, go - 1, 0) == 0.0f);
      REQUIRE(d.target(b, go, 0) == 1.0f);
    }
    CHECK(sum / 2000 == doctest::Approx((lo + hi) / 2).epsilon(0.02));
  }
}

TEST_CASE("cognitive tasks: trial k is the same whatever the number of trials; seeds differ") {
  for (const std::string& name : cognitive_task_names()) {
    const CognitiveTask t = task_named(name);
    const LabelledTrials a = generate_cognitive_task(t, 9, 3), b = generate_cognitive_task(t, 9, 5),
                         c = generate_cognitive_task(t, 10, 3);
    const size_t n = a.data.inputs.size();
    bool same = true, differs = false;
    for (size_t i = 0; i < n; ++i) same = same && a.data.inputs[i] == b.data.inputs[i];
    for (size_t i = 0; i < n; ++i) differs = differs || a.data.inputs[i] != c.data.inputs[i];
    CHECK_MESSAGE(same, name);
    CHECK_MESSAGE(differs, name);
  }
}

TEST_CASE("cognitive tasks: epochs that do not fit are usage errors") {
  const std::vector<const char*> cases[] = {
      {"--task", "memory-pro", "--delay-min", "800", "--delay-max", "600"},
      {"--task", "memory-pro", "--duration", "1000"},
      {"--task", "go-no-go", "--fixation", "0", "--stimulus", "0"},
      {"--task", "context-dm", "--stimulus", "10"},
  };
  for (const auto& args : cases) {
    CognitiveTask u;
    OptionSet p;
    register_options(p, u);
    for (size_t i = 0; i < args.size(); i += 2) p.find(args[i] + 2)->raw = {args[i + 1]}, p.find(args[i] + 2)->set = true;
    p.apply();
    CHECK_THROWS_AS(apply_task_defaults(p, u), UsageError);
  }
}

TEST_CASE("task accuracy: outputs equal to the targets score 1, wrong decisions 0") {
  for (const std::string& name : cognitive_task_names()) {
    const CognitiveTask t = task_named(name);
    const LabelledTrials d = generate_cognitive_task(t, 6, 64);
    std::vector<float> out(d.data.targets.data.begin(), d.data.targets.data.end());
    CHECK_MESSAGE(task_accuracy(name, d.data, out.data()) == 1.0, name);
    // The wrong answer in the response epoch of every trial.
    const size_t T = d.steps(), O = d.data.targets.dim(2);
    for (size_t b = 0; b < d.trials(); ++b) {
      const size_t resp = size_t(d.epoch_starts[(b + 1) * d.epoch_names.size() - 1]);
      for (size_t s = resp; s < T; ++s) {
        float* z = &out[(b * T + s) * O];
        if (name == "context-dm") z[0] = -z[0];
        if (name == "memory-pro" || name == "memory-anti") std::swap(z[1], z[2]), z[1] = -z[1];  // a quarter turn
        if (name == "dms") z[1] = -z[1];
        if (name == "go-no-go" || name == "ready-set-go") z[0] = 1 - z[0];
      }
    }
    CHECK_MESSAGE(task_accuracy(name, d.data, out.data()) == 0.0, name);
  }
  // Responding before the go fails a trial whatever the answer.
  const CognitiveTask t = task_named("go-no-go");
  const LabelledTrials d = generate_go_no_go(t, 6, 8);
  std::vector<float> out(d.data.targets.data.begin(), d.data.targets.data.end());
  for (size_t b = 0; b < 8; ++b) out[b * d.steps() + 2] = 1.0f;
  CHECK(task_accuracy("go-no-go", d.data, out.data()) == 0.0);
  CHECK(task_accuracy("integrator", d.data, out.data()) == -1.0);
}
