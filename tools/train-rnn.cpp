// train-rnn: train a vanilla RNN or GRU on the integrator/decision tasks (or
// any task file) with the tutorials' recipe (docs/methods.md §2).
#include "cli/tool.hpp"
#include "io/output.hpp"
#include "train/rnn_training.hpp"
#include "util/error.hpp"
#include "util/threads.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("train-rnn",
                 "Train a vanilla RNN or GRU with the tutorials' recipe: fresh integrator/decision trials every "
                 "batch (--task) or trials sampled from a task file (-i). Defaults follow the task.",
                 "train-rnn --task integrator --seed 1 -o integrator_params.h5");
  ctd::RnnTrainingConfig config;
  tool.add_input("Task file to sample training trials from (instead of --task)");
  tool.add_output("Output parameter file").needed();
  ctd::register_options(tool.options(), config);

  // The input file is read once, here, so that its task can choose the recipe.
  std::unique_ptr<ctd::TaskFile> file;
  tool.on_parsed([&] {
    if (!tool.input.empty() && !config.task.empty()) throw ctd::UsageError("give either -i FILE or --task, not both");
    if (tool.input.empty() && config.task.empty()) config.task = "integrator";
    if (!tool.input.empty()) {
      // The file records what ran: a task file's trials do not read --task's trial options.
      for (ctd::OptionSpec& s : tool.options().all()) {
        if (s.group != "Task" || !(s.name == "steps" || s.name == "duration" || s.name == "bias" || s.name == "noise" ||
                                   s.name == "zero-steps"))
          continue;
        if (s.set) throw ctd::UsageError(s.flag() + " shapes --task trials; the trials of -i " + tool.input + " are the file's own");
        s.recorded = false;
      }
      file = std::make_unique<ctd::TaskFile>(ctd::read_task_file(ctd::H5File::open(tool.input)));
    }
    ctd::apply_recipe(tool.options(), config, file ? file->kind : "");
  });

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    // What a checkpoint must agree with: every recorded option but the run length and the evaluation.
    ctd::RunSignature signature = ctd::run_signature(tool.options(), {"batches", "eval-trials", "curve-every"});
    ctd::RnnTrainingResult r =
        ctd::train_rnn_network(config, std::move(file), tool.input, signature, tool.seed, ctd::thread_count());
    ctd::write_rnn_training(out.h5(), r);
    ctd::write_provenance(out.h5(), "rnn-params", tool.run_info(), r.history);
    out.commit();
  });
}
