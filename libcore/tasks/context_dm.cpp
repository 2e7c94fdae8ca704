// Context-dependent integration (Mante, Sussillo, Shenoy & Newsome 2013): two
// noisy evidence streams, motion and colour, and a context cue saying which
// one counts; after the stimulus (and a delay), the output reports the sign of
// the cued stream's coherence. The other stream must be ignored.
#include <cmath>

#include "tasks/cognitive_task.hpp"
#include "util/rng.hpp"

namespace ctd {

LabelledTrials generate_context_dm(const CognitiveTask& t, uint64_t seed, size_t trials) {
  const size_t T = trial_steps(t), fix = task_steps(t, t.fixation), stim = task_steps(t, t.stimulus);
  // Inputs: motion evidence, colour evidence, motion context, colour context. Output: the choice.
  LabelledTrials d(trials, T, 4, 1, {"fixation", "stimulus", "delay", "response"},
                   {"context", "motion_coherence", "color_coherence", "choice"});
  const double sd = noise_per_step(t);
  const size_t levels = t.coherences.size();
  for (size_t b = 0; b < trials; ++b) {
    RngStream rng(seed, RngDomain::Task, b);
    const int context = rng.uniform() < 0.5 ? 0 : 1;  // 0: motion counts, 1: colour
    double coh[2];
    for (double& c : coh) {
      const double level = t.coherences[std::min(levels - 1, size_t(rng.uniform() * double(levels)))];
      c = rng.uniform() < 0.5 ? -level : level;
    }
    const size_t delay = draw_delay(t, rng), resp = fix + stim + delay;
    const float choice = coh[context] > 0 ? 1.0f : -1.0f;
    d.set_input(b, 0, T, 2 + size_t(context), 1.0f);
    for (size_t s = fix; s < fix + stim; ++s)
      for (size_t u = 0; u < 2; ++u) d.input(b, s, u) = float(coh[u] + sd * rng.normal());
    d.set_target(b, resp, T, 0, choice);
    d.set_epochs(b, {0, fix, fix + stim, resp});
    d.set_condition(b, "context", context);
    d.set_condition(b, "motion_coherence", coh[0]);
    d.set_condition(b, "color_coherence", coh[1]);
    d.set_condition(b, "choice", choice);
  }
  return d;
}

}  // namespace ctd
