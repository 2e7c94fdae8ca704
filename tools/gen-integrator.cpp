// gen-integrator: trials of the integrator or decision task (SPEC.md §1).
#include "cli/task_options.hpp"
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
  size_t trials = 1024;
  auto& app = tool.app();
  app.add_option("--task", kind, "integrator: target is the running sum; decision: its sign at the last step")
      ->check(CLI::IsMember({"integrator", "decision"}));
  app.add_option("--trials", trials, "Number of trials (B)")->check(CLI::PositiveNumber);
  ctd::add_integrator_task_options(app, task);
  tool.add_output("Output task file")->required();

  return tool.run(argc, argv, [&] {
    task.kind = ctd::parse_integrator_kind(kind);
    ctd::validate(task);
    ctd::OutputFile out(tool.output);
    ctd::TaskData data = ctd::generate_integrator_task(task, tool.seed, trials);
    ctd::write_task_datasets(out.h5(), data);
    ctd::write_provenance(out.h5(), "task", tool.run_info());
    out.commit();
    ctd::log_verbose("wrote " + std::to_string(trials) + " " + kind + " trials of " +
                     std::to_string(task.steps) + " steps to " + tool.output);
  });
}
