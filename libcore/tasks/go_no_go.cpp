// Go/no-go with a delay: a cue says go (+1) or no-go (-1); after a delay the
// fixation cue goes off, and the output must rise to 1 on go trials and stay
// at 0 on no-go trials — withholding a response is the task.
#include "tasks/cognitive_task.hpp"
#include "util/rng.hpp"

namespace ctd {

LabelledTrials generate_go_no_go(const CognitiveTask& t, uint64_t seed, size_t trials) {
  const size_t T = trial_steps(t), fix = task_steps(t, t.fixation), stim = task_steps(t, t.stimulus),
               grace = task_steps(t, t.grace);
  // Inputs: fixation cue, go (+1) / no-go (-1) cue. Output: the response.
  LabelledTrials d(trials, T, 2, 1, {"fixation", "stimulus", "delay", "response"}, {"go", "delay"});
  const double sd = noise_per_step(t);
  for (size_t b = 0; b < trials; ++b) {
    RngStream rng(seed, RngDomain::Task, b);
    const bool go_trial = rng.uniform() < t.go_probability;
    const size_t delay = draw_delay(t, rng), go = fix + stim + delay;
    d.set_input(b, 0, go, 0, 1.0f);
    d.set_input(b, fix, fix + stim, 1, go_trial ? 1.0f : -1.0f);
    d.add_input_noise(b, sd, rng);
    d.set_target(b, 0, go, 0, 0.0f);
    d.set_target(b, go, T, 0, go_trial ? 1.0f : 0.0f);
    d.set_mask(b, go, std::min(T, go + grace), 0.0f);
    d.set_epochs(b, {0, fix, fix + stim, go});
    d.set_condition(b, "go", go_trial ? 1 : 0);
    d.set_condition(b, "delay", double(delay) * t.dt);
  }
  return d;
}

}  // namespace ctd
