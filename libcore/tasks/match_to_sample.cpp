// Delayed match-to-sample (Miller, Erickson & Desimone 1996): a sample
// stimulus (one of --stimuli, each its own input channel, as the pictures of
// the monkey experiment), a delay, a test stimulus; when the fixation cue goes
// off the output reports whether the test matched the sample (+1) or not (-1).
#include "tasks/cognitive_task.hpp"
#include "util/rng.hpp"

namespace ctd {

LabelledTrials generate_match_to_sample(const CognitiveTask& t, uint64_t seed, size_t trials) {
  const size_t T = trial_steps(t), fix = task_steps(t, t.fixation), stim = task_steps(t, t.stimulus),
               grace = task_steps(t, t.grace), K = size_t(t.stimuli);
  // Inputs: fixation cue, one channel per stimulus. Outputs: fixation, match (+1) / non-match (-1).
  LabelledTrials d(trials, T, 1 + K, 2, {"fixation", "sample", "delay", "test", "response"},
                   {"sample", "test", "match", "delay"});
  const double sd = noise_per_step(t);
  for (size_t b = 0; b < trials; ++b) {
    RngStream rng(seed, RngDomain::Task, b);
    const size_t sample = std::min(K - 1, size_t(rng.uniform() * double(K)));
    const bool match = rng.uniform() < t.match_probability;
    // A non-match is any other stimulus, each equally likely.
    const size_t test = match ? sample : (sample + 1 + std::min(K - 2, size_t(rng.uniform() * double(K - 1)))) % K;
    const size_t delay = draw_delay(t, rng), test_on = fix + stim + delay, go = test_on + stim;
    d.set_input(b, 0, go, 0, 1.0f);
    d.set_input(b, fix, fix + stim, 1 + sample, 1.0f);
    d.set_input(b, test_on, go, 1 + test, 1.0f);
    d.add_input_noise(b, sd, rng);
    d.set_target(b, 0, go, 0, 1.0f);
    d.set_target(b, 0, go, 1, 0.0f);
    d.set_target(b, go, T, 0, 0.0f);
    d.set_target(b, go, T, 1, match ? 1.0f : -1.0f);
    d.set_mask(b, go, std::min(T, go + grace), 0.0f);
    d.set_epochs(b, {0, fix, fix + stim, test_on, go});
    d.set_condition(b, "sample", double(sample));
    d.set_condition(b, "test", double(test));
    d.set_condition(b, "match", match ? 1 : 0);
    d.set_condition(b, "delay", double(delay) * t.dt);
  }
  return d;
}

}  // namespace ctd
