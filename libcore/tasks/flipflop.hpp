// The N-bit flip-flop task (Sussillo & Barak 2013; docs/methods.md §1): each
// input channel is silent except for rare ±1 pulses, and the matching output
// must hold the sign of the channel's last pulse. A network that solves it has
// 2^bits stable fixed points, one per memory, with saddles between them.
#pragma once
#include <cstdint>

#include "tasks/task_data.hpp"

namespace ctd {

struct FlipFlopTask {
  int bits = 3;
  int steps = 64;
  double pulse_probability = 0.05;  // per step and channel
};

class OptionSet;
// --bits, --steps, --pulse-probability.
void register_options(OptionSet& o, FlipFlopTask& task);

// Trial k draws from random stream k of the task domain. inputs, targets and
// target_mask are [trials, steps, bits]; before a channel's first pulse its
// target is 0 and masked out (nothing to remember yet).
TaskData generate_flipflop_task(const FlipFlopTask& task, uint64_t seed, size_t trials);

}  // namespace ctd
