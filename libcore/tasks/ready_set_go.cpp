// Ready-set-go interval reproduction (Jazayeri & Shadlen 2010): two pulses,
// ready and set, are t_s apart; the output must step from 0 to 1 t_s after
// set, reproducing the interval. t_s is drawn uniformly from the prior's range
// (short 494-847 ms, intermediate 671-1023, long 847-1200).
#include "tasks/cognitive_task.hpp"
#include "util/rng.hpp"

namespace ctd {

LabelledTrials generate_ready_set_go(const CognitiveTask& t, uint64_t seed, size_t trials) {
  const auto [lo, hi] = interval_range(t);
  const size_t T = trial_steps(t), ready = task_steps(t, t.fixation), pulse = task_steps(t, t.pulse);
  // Input: the ready and set pulses. Output: 0 until the reproduced interval has passed, then 1.
  LabelledTrials d(trials, T, 1, 1, {"fixation", "ready-set", "set-go", "go"}, {"interval"});
  const double sd = noise_per_step(t);
  for (size_t b = 0; b < trials; ++b) {
    RngStream rng(seed, RngDomain::Task, b);
    const double interval = lo + (hi - lo) * rng.uniform();
    const size_t ts = task_steps(t, interval), set = ready + ts, go = set + ts;
    d.set_input(b, ready, std::min(T, ready + pulse), 0, 1.0f);
    d.set_input(b, set, std::min(T, set + pulse), 0, 1.0f);
    d.add_input_noise(b, sd, rng);
    d.set_target(b, 0, go, 0, 0.0f);
    d.set_target(b, go, T, 0, 1.0f);
    d.set_epochs(b, {0, ready, set, go});
    d.set_condition(b, "interval", double(ts) * t.dt);
  }
  return d;
}

}  // namespace ctd
