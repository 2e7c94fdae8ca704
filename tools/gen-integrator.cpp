// gen-integrator: trials of the integrator or decision task (docs/methods.md §1).
#include "cli/tool.hpp"
#include "io/output.hpp"
#include "tasks/task_file.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("gen-integrator",
                 "Generate trials of the integrator or decision task: noisy biased inputs and their running "
                 "sum (integrator) or its final sign (decision).",
                 "gen-integrator --task decision --trials 1024 --seed 7 -o decision.h5");
  ctd::IntegratorTask task;
  std::string kind = "integrator";
  uint64_t trials = 1024;
  auto& o = tool.options();
  tool.add_output("Output task file").needed();
  ctd::register_options(o, task);
  o.add("task", kind, "integrator: target is the running sum; decision: its sign at the last step")
      .one_of({"integrator", "decision"});
  o.add("trials", trials, "Number of trials (B)").range(1, 1e8);

  return tool.run(argc, argv, [&] {
    task.kind = ctd::parse_integrator_kind(kind);
    ctd::validate(task);
    ctd::OutputFile out(tool.output);
    ctd::TaskData data = ctd::generate_integrator_task(task, tool.seed, trials);
    ctd::write_task_datasets(out.h5(), data, kind);
    ctd::write_provenance(out.h5(), "task", tool.run_info());
    out.commit();
    ctd::log_verbose("wrote " + std::to_string(trials) + " " + kind + " trials of " + std::to_string(task.steps) +
                     " steps to " + tool.output);
  });
}
