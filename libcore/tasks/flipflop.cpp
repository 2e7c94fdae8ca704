#include "tasks/flipflop.hpp"

#include <vector>

#include "util/memory.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, FlipFlopTask& task) {
  o.group("Task");
  o.add("bits", task.bits, "Input and output channels (memories: 2^bits)").range(1, 64);
  o.add("steps", task.steps, "Time steps per trial").range(1, 1e6);
  o.add("pulse-probability", task.pulse_probability, "Chance of a pulse per step and channel").range(0, 1)
      .min(0, true);
}

TaskData generate_flipflop_task(const FlipFlopTask& task, uint64_t seed, size_t trials) {
  const size_t T = size_t(task.steps), K = size_t(task.bits);
  require_memory(3.0 * 4 * double(trials) * double(T) * double(K), std::to_string(trials) + " trials");
  Shape shape{trials, T, K};
  TaskData d{Array<float>(shape), Array<float>(shape), Array<float>(shape)};
  for (size_t b = 0; b < trials; ++b) {
    RngStream rng(seed, RngDomain::Task, b);
    std::vector<float> held(K, 0.0f);  // the last pulse per channel (0: none yet)
    for (size_t t = 0; t < T; ++t)
      for (size_t k = 0; k < K; ++k) {
        const size_t i = (b * T + t) * K + k;
        float pulse = 0.0f;
        if (rng.uniform() < task.pulse_probability) pulse = rng.uniform() < 0.5 ? -1.0f : 1.0f;
        if (pulse != 0.0f) held[k] = pulse;
        d.inputs[i] = pulse;
        d.targets[i] = held[k];
        d.target_mask[i] = held[k] != 0.0f ? 1.0f : 0.0f;
      }
  }
  return d;
}

}  // namespace ctd
