#include "tasks/cognitive_task.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

namespace {
struct TaskDefaults {
  const char* name;
  double fixation, stimulus, delay_min, delay_max, response, input_noise;
};
// Epochs in ms at dt = 20 ms (Yang et al. 2019's step). context-dm: Mante et
// al.'s 750 ms of evidence and 300-1500 ms delay before the saccade; ready-set-go's "stimulus" and delays are its
// intervals (--prior), its response the time held after the go.
constexpr TaskDefaults kDefaults[] = {
    //  name            fixation stimulus delay-min delay-max response noise
    {"context-dm", 300, 750, 300, 1500, 300, 0.5},     {"memory-pro", 200, 400, 500, 1000, 400, 0.1},
    {"memory-anti", 200, 400, 500, 1000, 400, 0.1}, {"dms", 200, 300, 500, 1000, 300, 0.1},
    {"go-no-go", 200, 300, 500, 1000, 300, 0.1},  {"ready-set-go", 200, 0, 0, 0, 300, 0.0},
};

const TaskDefaults& defaults_of(const std::string& name) {
  for (const TaskDefaults& d : kDefaults)
    if (name == d.name) return d;
  throw UsageError("--task: unknown task '" + name + "'");
}

std::string defaults_column(double TaskDefaults::*field) {
  std::string s;
  for (const TaskDefaults& d : kDefaults) s += std::string(s.empty() ? "" : ", ") + d.name + " " + shortest_text(d.*field);
  return s;
}
}  // namespace

const std::vector<std::string>& cognitive_task_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const TaskDefaults& d : kDefaults) v.push_back(d.name);
    return v;
  }();
  return names;
}

void register_options(OptionSet& o, CognitiveTask& t) {
  o.group("Task");
  o.add("task", t.name, "context-dm | memory-pro | memory-anti | dms | go-no-go | ready-set-go")
      .one_of(cognitive_task_names());
  o.add("dt", t.dt, "Milliseconds per step").positive();
  o.group("Epochs (ms)");
  o.add("fixation", t.fixation, "Fixation before the stimulus").non_negative().shows(defaults_column(&TaskDefaults::fixation));
  o.add("stimulus", t.stimulus, "Stimulus (dms: the sample and the test each)").non_negative()
      .shows(defaults_column(&TaskDefaults::stimulus));
  o.add("delay-min", t.delay_min, "Shortest delay (drawn uniformly per trial)").non_negative()
      .shows(defaults_column(&TaskDefaults::delay_min));
  o.add("delay-max", t.delay_max, "Longest delay").non_negative().shows(defaults_column(&TaskDefaults::delay_max));
  o.add("response", t.response, "Response epoch (at least; it runs to the end of the trial)").positive()
      .shows(defaults_column(&TaskDefaults::response));
  o.add("duration", t.duration, "Whole trial (0: the sum of the longest epochs)").non_negative();
  o.add("grace", t.grace, "After the go cue, time outside the loss (memory-*, dms, go-no-go)").non_negative();
  o.group("Task parameters");
  o.add("input-noise", t.input_noise, "SD of the Gaussian input noise per step at dt 20 (scaled by sqrt(20/dt))")
      .non_negative().shows(defaults_column(&TaskDefaults::input_noise));
  o.add("coherences", t.coherences, "context-dm: evidence strengths, each drawn with either sign").positive();
  o.add("directions", t.directions, "memory-pro, memory-anti: directions on the ring (0: any angle)").range(0, 1e6);
  o.add("stimuli", t.stimuli, "dms: stimuli to draw the sample from (one input channel each)").range(2, 1000);
  o.add("match-probability", t.match_probability, "dms: chance that the test matches the sample").range(0, 1);
  o.add("go-probability", t.go_probability, "go-no-go: chance of a go trial").range(0, 1);
  o.add("prior", t.prior, "ready-set-go: intervals from short (494-847 ms) | intermediate (671-1023) | long (847-1200)")
      .one_of({"short", "intermediate", "long"});
  o.add("pulse", t.pulse, "ready-set-go: width of the ready and set pulses").positive();
}

size_t task_steps(const CognitiveTask& t, double ms) {
  if (ms <= 0) return 0;
  return std::max<size_t>(1, size_t(std::lround(ms / t.dt)));
}

namespace {
size_t epochs_steps(const CognitiveTask& t) {
  const size_t fix = task_steps(t, t.fixation), stim = task_steps(t, t.stimulus),
               delay = task_steps(t, t.delay_max), resp = task_steps(t, t.response);
  if (t.name == "ready-set-go") return fix + 2 * task_steps(t, interval_range(t).second) + resp;
  if (t.name == "dms") return fix + 2 * stim + delay + resp;
  return fix + stim + delay + resp;
}
}  // namespace

size_t trial_steps(const CognitiveTask& t) {
  return t.duration > 0 ? task_steps(t, t.duration) : epochs_steps(t);
}

void apply_task_defaults(OptionSet& o, CognitiveTask& t) {
  const TaskDefaults& d = defaults_of(t.name);
  o.set_default(t.fixation, d.fixation);
  o.set_default(t.stimulus, d.stimulus);
  o.set_default(t.delay_min, d.delay_min);
  o.set_default(t.delay_max, d.delay_max);
  o.set_default(t.response, d.response);
  o.set_default(t.input_noise, d.input_noise);
  if (t.delay_min > t.delay_max)
    throw UsageError("--delay-min " + shortest_text(t.delay_min) + " is above --delay-max " + shortest_text(t.delay_max));
  // A positive epoch shorter than one step would round to a step it does not last.
  for (auto [name, ms] : {std::pair{"fixation", t.fixation}, {"stimulus", t.stimulus}, {"response", t.response},
                          {"pulse", t.pulse}})
    if (ms > 0 && ms < t.dt && !(t.name == "ready-set-go" && std::string(name) == "stimulus"))
      throw UsageError("--" + std::string(name) + " " + shortest_text(ms) + " ms is shorter than one step (--dt " +
                       shortest_text(t.dt) + ")");
  if (t.name != "ready-set-go" && t.stimulus <= 0) throw UsageError("--stimulus: " + t.name + " needs a stimulus (> 0 ms)");
  if (t.name == "context-dm" && t.coherences.empty()) throw UsageError("--coherences: give at least one");
  const size_t need = epochs_steps(t);
  if (t.duration > 0 && task_steps(t, t.duration) < need)
    throw UsageError("--duration " + shortest_text(t.duration) + " ms is shorter than the epochs of " + t.name + " (" +
                     shortest_text(double(need) * t.dt) + " ms with the longest delay)");
}

// Jazayeri & Shadlen 2010's three priors; the trial holds the longest interval twice.
std::pair<double, double> interval_range(const CognitiveTask& t) {
  if (t.prior == "short") return {494, 847};
  if (t.prior == "intermediate") return {671, 1023};
  return {847, 1200};
}

double noise_per_step(const CognitiveTask& t) { return t.input_noise * std::sqrt(20.0 / t.dt); }

size_t draw_delay(const CognitiveTask& t, RngStream& rng) {
  const size_t lo = task_steps(t, t.delay_min), hi = task_steps(t, t.delay_max);
  return lo + std::min(hi - lo, size_t(rng.uniform() * double(hi - lo + 1)));
}

double draw_direction(const CognitiveTask& t, RngStream& rng) {
  const double two_pi = 2 * M_PI;
  if (t.directions == 0) return two_pi * rng.uniform();
  const int k = std::min(t.directions - 1, int(rng.uniform() * t.directions));
  return two_pi * k / t.directions;
}

LabelledTrials generate_cognitive_task(const CognitiveTask& t, uint64_t seed, size_t trials) {
  if (t.name == "context-dm") return generate_context_dm(t, seed, trials);
  if (t.name == "memory-pro" || t.name == "memory-anti") return generate_memory_saccade(t, seed, trials, t.name == "memory-anti");
  if (t.name == "dms") return generate_match_to_sample(t, seed, trials);
  if (t.name == "go-no-go") return generate_go_no_go(t, seed, trials);
  if (t.name == "ready-set-go") return generate_ready_set_go(t, seed, trials);
  throw UsageError("--task: unknown task '" + t.name + "'");
}

}  // namespace ctd
