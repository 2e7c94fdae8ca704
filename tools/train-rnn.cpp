// train-rnn: train a vanilla RNN or GRU on the integrator/decision tasks (or
// any task file) with the tutorials' recipe (SPEC.md §2).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sys/stat.h>

#include "cli/task_options.hpp"
#include "cli/tool.hpp"
#include "io/output.hpp"
#include "train/checkpoint.hpp"
#include "train/checkpoint_policy.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/threads.hpp"

namespace {

// SPEC.md §2's table: the recipe of each tutorial.
struct Recipe {
  const char* cell;
  uint64_t batches;
  double lr, lr_decay, l2, state_noise;
};
Recipe recipe_for(const std::string& task) {
  if (task == "decision") return {"gru", 20000, 0.04, 0.9999, 2e-5, 0.0};
  if (task == "sentiment") return {"gru", 40000, 0.04, 0.99995, 1e-4, 0.003};
  return {"vanilla", 10000, 0.025, 0.99975, 2e-4, 0.0};
}


bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

using ctd::fmt;

int main(int argc, char** argv) {
  ctd::Tool tool("train-rnn",
                 "Train a vanilla RNN or GRU with the tutorials' recipe: fresh integrator/decision trials every "
                 "batch (--task) or trials sampled from a task file (-i). Defaults follow the task (SPEC.md §2).",
                 "train-rnn --task integrator --seed 1 -o integrator_params.h5");
  auto& app = tool.app();
  std::string task_name, cell_name;
  ctd::IntegratorTask task;
  ctd::RnnSpec spec;
  ctd::RnnInit init;
  ctd::TrainOptions opt;
  int eval_trials = 1024;
  std::string checkpoint;
  bool resume = false;
  double checkpoint_every = 300;

  tool.add_input("Task file to sample training trials from (instead of --task)", true);
  tool.add_output("Output parameter file", true)->required();
  auto* o_task = app.add_option("--task", task_name, "Fresh trials every batch: integrator | decision")
                     ->check(CLI::IsMember({"integrator", "decision"}));
  auto* o_cell = app.add_option("--cell", cell_name, "vanilla | gru (default: vanilla for integrator, gru for decision)")
                     ->check(CLI::IsMember({"vanilla", "gru"}));
  app.add_option("--hidden", spec.N, "Hidden units N")->check(CLI::PositiveNumber);
  auto* o_batches = app.add_option("--batches", opt.batches, "Training batches (integrator 10000, decision 20000)")
                        ->check(CLI::PositiveNumber);
  app.add_option("--batch-size", opt.batch_size, "Trials per batch")->check(CLI::PositiveNumber);
  auto* o_lr = app.add_option("--lr", opt.lr, "Initial learning rate lr0 (integrator 0.025, decision 0.04)")
                   ->check(CLI::PositiveNumber);
  auto* o_decay = app.add_option("--lr-decay", opt.lr_decay, "lr = lr0*decay^step (integrator 0.99975, decision 0.9999)")
                      ->check(CLI::Range(0.0, 1.0));
  auto* o_l2 = app.add_option("--l2", opt.l2, "L2 weight over all parameters (integrator 2e-4, decision 2e-5)")
                   ->check(CLI::NonNegativeNumber);
  app.add_option("--max-grad-norm", opt.max_grad_norm, "Clip the gradient's global L2 norm to this")
      ->check(CLI::PositiveNumber);
  app.add_option("--adam-b1", opt.adam.b1, "Adam b1")->check(CLI::Range(0.0, 1.0));
  app.add_option("--adam-b2", opt.adam.b2, "Adam b2")->check(CLI::Range(0.0, 1.0));
  app.add_option("--adam-eps", opt.adam.eps, "Adam eps (the tutorials use 0.1)")->check(CLI::PositiveNumber);
  auto* o_g = app.add_option("--init-scale", init.recurrent_scale,
                             "g: recurrent weights ~ g*N(0,1)/sqrt(N) (vanilla 0.85, gru 1.0)")
                  ->check(CLI::NonNegativeNumber);
  app.add_option("--bfg", spec.bfg, "GRU: fixed bias on the update gate");
  auto* o_noise = app.add_option("--state-noise", opt.state_noise,
                                 "Std of noise added to every new state in training (sentiment 0.003, else 0)")
                      ->check(CLI::NonNegativeNumber);
  std::string preset, eval_input;
  app.add_option("--preset", preset,
                 "The recipe of a tutorial: integrator | decision | sentiment (default: the task's, or the input "
                 "file's 'task' attribute)")
      ->check(CLI::IsMember({"integrator", "decision", "sentiment"}));
  app.add_option("--eval-input", eval_input, "Task file of held-out trials for the final evaluation (with -i)");
  ctd::add_integrator_task_options(app, task, "--task: ");
  app.add_option("--eval-trials", eval_trials, "Held-out trials for the final evaluation (l2 = 0)")
      ->check(CLI::PositiveNumber);
  auto* o_curve = app.add_option("--curve-every", opt.curve_every,
                                 "Record the training curve every this many batches (default: max(10, batches/4000))")
      ->check(CLI::PositiveNumber);
  app.add_option("--checkpoint", checkpoint,
                 "Save the training state here every --checkpoint-every seconds, on SIGTERM/SIGINT/SIGUSR1 and at the end");
  app.add_option("--checkpoint-every", checkpoint_every, "Seconds between checkpoints")->check(CLI::PositiveNumber);
  app.add_flag("--resume", resume, "Continue from --checkpoint (also to a larger --batches)");

  // The input file is read once, here, so its task can choose the defaults.
  std::unique_ptr<ctd::TaskFile> file;
  std::string task_from_file;
  tool.on_parsed([&] {
    if (!tool.input.empty() && o_task->count() > 0)
      throw ctd::UsageError("give either -i FILE or --task, not both");
    if (tool.input.empty() && o_task->count() == 0) task_name = "integrator";
    if (!tool.input.empty()) {
      ctd::H5File in = ctd::H5File::open(tool.input);
      file = std::make_unique<ctd::TaskFile>(ctd::read_task_file(in));
      if (in.has_attribute("task") && in.attribute_is_string("task")) task_from_file = in.read_attribute_string("task");
    }
    Recipe r = recipe_for(!preset.empty() ? preset : task_name.empty() ? task_from_file : task_name);
    ctd::Tool::set_default(o_noise, opt.state_noise, r.state_noise);
    ctd::Tool::set_default(o_cell, cell_name, std::string(r.cell));
    ctd::Tool::set_default(o_batches, opt.batches, r.batches);
    ctd::Tool::set_default(o_lr, opt.lr, r.lr);
    ctd::Tool::set_default(o_decay, opt.lr_decay, r.lr_decay);
    ctd::Tool::set_default(o_l2, opt.l2, r.l2);
    ctd::Tool::set_default(o_g, init.recurrent_scale, cell_name == "gru" ? 1.0 : 0.85);
    // The curve is stored as attributes, which HDF5 keeps under 64 KiB each.
    ctd::Tool::set_default(o_curve, opt.curve_every, std::max(10, int(opt.batches / 4000)));
  });

  return tool.run(argc, argv, [&] {
    if (resume && checkpoint.empty()) throw ctd::UsageError("--resume needs --checkpoint FILE");
    ctd::OutputFile out(tool.output);
    opt.seed = tool.seed;
    opt.threads = ctd::thread_count();
    spec.cell = ctd::parse_cell(cell_name);
    std::unique_ptr<ctd::TrialSource> source;
    if (file) {
      source = ctd::file_source(std::move(*file), task_from_file, tool.seed);
    } else {
      task.kind = ctd::parse_integrator_kind(task_name);
      source = ctd::synthetic_integrator_source(task, tool.seed);
    }
    spec.U = source->inputs();
    spec.O = source->outputs();
    ctd::TaskFile eval_set = source->evaluation_set(eval_trials);
    if (!eval_input.empty()) {
      if (!file) throw ctd::UsageError("--eval-input goes with -i (with --task, evaluation trials are fresh)");
      ctd::TaskFile e = ctd::read_task_file(ctd::H5File::open(eval_input));
      if (e.data.inputs.dim(1) != size_t(source->steps()) || e.data.inputs.dim(2) != size_t(source->inputs()) ||
          e.data.targets.dim(2) != size_t(source->outputs()))
        throw ctd::Error(eval_input + ": dataset 'inputs' has shape " + ctd::shape_string(e.data.inputs.shape) +
                         " but the training trials are [B," + std::to_string(source->steps()) + "," +
                         std::to_string(source->inputs()) + "]");
      eval_set.data = e.data;
      eval_set.h0s = e.h0s;
    }
    if (eval_set.h0s.size() && int(eval_set.h0s.dim(1)) != spec.N)
      throw ctd::Error(tool.input + ": dataset 'h0s' has " + std::to_string(eval_set.h0s.dim(1)) +
                       " units but --hidden is " + std::to_string(spec.N));

    // What a checkpoint must agree with: every option but the run length and I/O.
    ctd::RunSignature signature;
    for (const auto& o : tool.run_info().options)
      if (o.name != "batches" && o.name != "eval-trials" && o.name != "checkpoint" && o.name != "resume" &&
          o.name != "checkpoint-every" && o.name != "curve-every")
        signature.emplace_back(o.name, o.value);
    ctd::TrainState state;
    if (resume) {
      if (!file_exists(checkpoint)) throw ctd::Error(checkpoint + ": no checkpoint to resume from");
      state = ctd::read_checkpoint(checkpoint, signature);
      ctd::log_info("resuming at batch " + std::to_string(state.step) + " from " + checkpoint);
    } else {
      state.model = ctd::init_rnn(spec, init, tool.seed);
    }

    ctd::log_info(std::string("training a ") + ctd::cell_name(spec.cell) + " RNN (N=" + std::to_string(spec.N) +
                  ") on " + (file ? tool.input : task_name + " trials") + ": " + std::to_string(opt.batches) +
                  " batches of " + std::to_string(opt.batch_size) + ", " + std::to_string(opt.threads) + " threads");
    ctd::Progress progress;
    ctd::CheckpointPolicy saving(checkpoint, checkpoint_every,
                                 [&] { ctd::write_checkpoint(checkpoint, state, signature); });
    auto line = [&](const ctd::StepReport& r) {
      return "batch " + std::to_string(r.step) + "/" + std::to_string(opt.batches) + "  loss " +
             fmt("%.4e", r.loss.total()) + "  lms " + fmt("%.4e", r.loss.data) + "  lr " + fmt("%.3e", r.lr) +
             "  " + fmt("%.2f", r.ms_per_batch) + " ms/batch";
    };
    double ms = ctd::train_rnn(opt, *source, state, [&](const ctd::TrainState&, const ctd::StepReport& r) {
      if (progress.due()) progress.update(line(r));
      return saving.after_batch();
    });
    saving.finish(state.step);
    if (!state.curve.loss.empty())
      progress.finish("batch " + std::to_string(state.step) + "/" + std::to_string(opt.batches) + "  loss " +
                      fmt("%.4e", state.curve.loss.back()) + "  " + fmt("%.2f", ms) + " ms/batch");

    ctd::Evaluation ev = ctd::evaluate_rnn(state.model, eval_set, opt.threads);
    std::string summary = "evaluation loss " + fmt("%.4e", ev.loss) + " on " + std::to_string(ev.trials) +
                          (!eval_input.empty() ? " trials of " + eval_input : file ? " trials of the input file" : " fresh trials");
    if (ev.sign_accuracy >= 0) summary += ", " + fmt("%.2f", 100 * ev.sign_accuracy) + " % of signs right";
    ctd::log_info(summary);

    ctd::H5File& h5 = out.h5();
    ctd::write_rnn_params(h5, state.model);
    ctd::write_provenance(h5, "rnn-params", tool.run_info(), file ? eval_set.history : "");
    h5.write_attribute("eval_loss", ev.loss);
    h5.write_attribute("eval_trials", int64_t(ev.trials));
    if (ev.sign_accuracy >= 0) h5.write_attribute("eval_sign_accuracy", ev.sign_accuracy);
    h5.write_attribute("ms_per_batch", ms);
    h5.write_attribute("batches_done", int64_t(state.step));
    h5.write_attribute("curve_step", state.curve.step);
    h5.write_attribute("curve_loss", state.curve.loss);
    h5.write_attribute("curve_lms", state.curve.lms);
    h5.write_attribute("curve_l2", state.curve.l2);
    h5.write_attribute("curve_lr", state.curve.lr);
    out.commit();
  });
}
