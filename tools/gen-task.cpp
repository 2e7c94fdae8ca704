// gen-task: trials of the tasks of systems neuroscience (docs/methods.md §10)
// — context-dependent integration, memory pro/anti saccades, delayed
// match-to-sample, go/no-go, ready-set-go — with their epochs and per-trial
// conditions, as a task file train-rnn reads; or a few trials as text.
#include <cstdio>
#include <iostream>

#include "cli/tool.hpp"
#include "io/output.hpp"
#include "tasks/cognitive_task.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace {
// One trial as a table: the step, its time, its epoch, the inputs, and the
// targets ('-' where the loss does not count).
void print_trial(const ctd::LabelledTrials& d, size_t b, double dt) {
  std::cout << "trial " << b << ":";
  for (size_t c = 0; c < d.condition_names.size(); ++c) std::cout << " " << d.condition_names[c] << " " << d.conditions[c][b];
  std::cout << "\n  step  time  epoch      inputs | targets\n";
  const size_t E = d.epoch_names.size(), U = d.data.inputs.dim(2), O = d.data.targets.dim(2);
  size_t e = 0;
  for (size_t t = 0; t < d.steps(); ++t) {
    while (e + 1 < E && size_t(d.epoch_starts[b * E + e + 1]) <= t) ++e;
    char line[64];
    std::snprintf(line, sizeof line, "  %4zu %5.0f  %-9s", t, double(t) * dt, d.epoch_names[e].c_str());
    std::cout << line;
    for (size_t u = 0; u < U; ++u) std::snprintf(line, sizeof line, " %+6.2f", d.input(b, t, u)), std::cout << line;
    std::cout << " |";
    for (size_t o = 0; o < O; ++o) {
      if (d.mask(b, t, o) == 0) std::snprintf(line, sizeof line, "      -");
      else std::snprintf(line, sizeof line, " %+6.2f", d.target(b, t, o));
      std::cout << line;
    }
    std::cout << "\n";
  }
}
}  // namespace

int main(int argc, char** argv) {
  ctd::Tool tool("gen-task",
                 "Generate trials of a task of systems neuroscience: context-dependent integration (context-dm), "
                 "memory-guided pro and anti saccades, delayed match-to-sample (dms), go/no-go with a delay, or "
                 "ready-set-go interval reproduction, with each trial's epochs and conditions.",
                 "gen-task --task context-dm --trials 4096 --seed 1 -o mante.h5");
  auto& o = tool.options();
  ctd::CognitiveTask task;
  uint64_t trials = 1024;
  int print = 0;
  tool.add_output("Output task file");
  ctd::register_options(o, task);
  o.group("Trials");
  o.add("trials", trials, "Number of trials (B)").range(1, 1e8);
  o.add("print", print, "Print this many trials as text, step by step (no file)").range(0, 1e4).unrecorded();
  tool.on_parsed([&] { ctd::apply_task_defaults(o, task); });

  return tool.run(argc, argv, [&] {
    if (print > 0) {
      const ctd::LabelledTrials d = ctd::generate_cognitive_task(task, tool.seed, size_t(print));
      for (size_t b = 0; b < d.trials(); ++b) print_trial(d, b, task.dt);
      return;
    }
    if (tool.output.empty()) throw ctd::UsageError("--output is required (or --print N)");
    ctd::OutputFile out(tool.output);
    const ctd::LabelledTrials d = ctd::generate_cognitive_task(task, tool.seed, trials);
    ctd::write_labelled_trials(out.h5(), d, task.name);
    ctd::write_provenance(out.h5(), "task", tool.run_info());
    out.commit();
    ctd::log_verbose("wrote " + std::to_string(trials) + " " + task.name + " trials of " + std::to_string(d.steps()) +
                     " steps to " + tool.output);
  });
}
