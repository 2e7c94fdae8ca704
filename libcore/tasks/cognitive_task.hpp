// The tasks of systems neuroscience that gen-task makes (docs/methods.md §10):
// context-dependent integration (Mante et al. 2013), memory pro and anti
// saccades (Funahashi et al. 1989; Yang et al. 2019), delayed match-to-sample
// (Miller et al. 1996), go/no-go with a delay, and ready-set-go (Jazayeri &
// Shadlen 2010). Times are in ms, turned into steps of --dt; trial k draws from
// random stream k of the task domain, whatever the number of trials.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tasks/labelled_trials.hpp"

namespace ctd {

struct CognitiveTask {
  std::string name = "context-dm";
  double dt = 20;  // ms per step
  // Epoch durations in ms; each task sets its own defaults (apply_task_defaults),
  // context-dm's here.
  double fixation = 300, stimulus = 750, delay_min = 0, delay_max = 0, response = 300;
  double duration = 0;     // the whole trial; 0: the sum of the longest epochs
  double input_noise = 0.5;  // sd of the input noise per step at dt = 20 ms (scaled by sqrt(20/dt))
  double grace = 100;      // ms after the go cue outside the loss (the saccade's travel)
  std::vector<double> coherences = {0.05, 0.15, 0.5};  // context-dm: each drawn with either sign
  int directions = 8;            // memory-pro, memory-anti: evenly spaced (0: any angle)
  int stimuli = 8;               // dms: the stimuli a sample is drawn from
  double match_probability = 0.5;  // dms
  double go_probability = 0.5;     // go-no-go
  std::string prior = "short";     // ready-set-go: short | intermediate | long
  double pulse = 60;               // ready-set-go: width of the ready and set pulses
};

const std::vector<std::string>& cognitive_task_names();

class OptionSet;
void register_options(OptionSet& o, CognitiveTask& task);
// The chosen task's defaults for the options not given; then checks that the
// epochs fit (each at least one step, delay-min <= delay-max, within --duration).
void apply_task_defaults(OptionSet& o, CognitiveTask& task);

// Steps of `ms` at task.dt (rounded; at least 1 for a positive duration).
size_t task_steps(const CognitiveTask& task, double ms);
// The trial's length in steps: --duration, or the sum of the longest epochs.
size_t trial_steps(const CognitiveTask& task);

// Shared by the generators: the noise's SD per step, a delay in steps drawn
// uniformly from [delay-min, delay-max], a direction on the ring (radians).
class RngStream;
double noise_per_step(const CognitiveTask& task);
size_t draw_delay(const CognitiveTask& task, RngStream& rng);
double draw_direction(const CognitiveTask& task, RngStream& rng);
// ready-set-go: the prior's shortest and longest interval in ms.
std::pair<double, double> interval_range(const CognitiveTask& task);

LabelledTrials generate_cognitive_task(const CognitiveTask& task, uint64_t seed, size_t trials);

// One generator per family (their own files).
LabelledTrials generate_context_dm(const CognitiveTask& task, uint64_t seed, size_t trials);
LabelledTrials generate_memory_saccade(const CognitiveTask& task, uint64_t seed, size_t trials, bool anti);
LabelledTrials generate_match_to_sample(const CognitiveTask& task, uint64_t seed, size_t trials);
LabelledTrials generate_go_no_go(const CognitiveTask& task, uint64_t seed, size_t trials);
LabelledTrials generate_ready_set_go(const CognitiveTask& task, uint64_t seed, size_t trials);

}  // namespace ctd
