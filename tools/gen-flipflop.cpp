// gen-flipflop: trials of the N-bit flip-flop task (docs/methods.md §1), the
// standard test bed of fixed-point analysis.
#include "cli/tool.hpp"
#include "io/output.hpp"
#include "tasks/flipflop.hpp"
#include "tasks/task_file.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("gen-flipflop",
                 "Generate trials of the N-bit flip-flop task: each input channel carries rare +1/-1 pulses, and "
                 "the matching output must hold the sign of the channel's last pulse.",
                 "gen-flipflop --bits 3 --trials 2048 --seed 1 -o flipflop.h5");
  ctd::FlipFlopTask task;
  uint64_t trials = 1024;
  tool.add_output("Output task file").needed();
  ctd::register_options(tool.options(), task);
  tool.options().add("trials", trials, "Number of trials (B)").range(1, 1e8);

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    ctd::TaskData data = ctd::generate_flipflop_task(task, tool.seed, trials);
    ctd::write_task_datasets(out.h5(), data, "flipflop");
    ctd::write_provenance(out.h5(), "task", tool.run_info());
    out.commit();
    ctd::log_verbose("wrote " + std::to_string(trials) + " flip-flop trials of " + std::to_string(task.steps) +
                     " steps to " + tool.output);
  });
}
