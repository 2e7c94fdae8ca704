// Memory-guided saccades (Funahashi, Bruce & Goldman-Rakic 1989; Yang et al.
// 2019's delayed go and anti): a stimulus flashes at a direction on a ring, a
// delay follows, and when the fixation cue goes off the output points at the
// remembered direction (pro) or the opposite one (anti), having held fixation
// until then. Directions are (cos, sin) pairs, in and out.
#include <cmath>

#include "tasks/cognitive_task.hpp"
#include "util/rng.hpp"

namespace ctd {

LabelledTrials generate_memory_saccade(const CognitiveTask& t, uint64_t seed, size_t trials, bool anti) {
  const size_t T = trial_steps(t), fix = task_steps(t, t.fixation), stim = task_steps(t, t.stimulus),
               grace = task_steps(t, t.grace);
  // Inputs: fixation cue, stimulus cos, sin. Outputs: fixation, response cos, sin.
  LabelledTrials d(trials, T, 3, 3, {"fixation", "stimulus", "delay", "response"},
                   {"direction", "response_direction", "delay"});
  const double sd = noise_per_step(t);
  for (size_t b = 0; b < trials; ++b) {
    RngStream rng(seed, RngDomain::Task, b);
    const double theta = draw_direction(t, rng), aim = anti ? std::fmod(theta + M_PI, 2 * M_PI) : theta;
    const size_t delay = draw_delay(t, rng), go = fix + stim + delay;
    d.set_input(b, 0, go, 0, 1.0f);
    d.set_input(b, fix, fix + stim, 1, float(std::cos(theta)));
    d.set_input(b, fix, fix + stim, 2, float(std::sin(theta)));
    d.add_input_noise(b, sd, rng);
    d.set_target(b, 0, go, 0, 1.0f);  // hold fixation, and no response yet
    d.set_target(b, 0, go, 1, 0.0f);
    d.set_target(b, 0, go, 2, 0.0f);
    d.set_target(b, go, T, 0, 0.0f);
    d.set_target(b, go, T, 1, float(std::cos(aim)));
    d.set_target(b, go, T, 2, float(std::sin(aim)));
    d.set_mask(b, go, std::min(T, go + grace), 0.0f);
    d.set_epochs(b, {0, fix, fix + stim, go});
    d.set_condition(b, "direction", theta);
    d.set_condition(b, "response_direction", aim);
    d.set_condition(b, "delay", double(delay) * t.dt);
  }
  return d;
}

}  // namespace ctd
