#include "train/rnn_training.hpp"

#include "io/dataset_ref.hpp"
#include "tasks/task_scoring.hpp"
#include "train/recipe.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, RnnTrainingConfig& c) {
  o.group("Task");
  o.add("task", c.task, "Fresh trials every batch: integrator | decision (default integrator without -i)")
      .one_of({"", "integrator", "decision"});
  std::vector<std::string> presets = recipe_names();
  presets.insert(presets.begin(), "");
  o.add("preset", c.preset,
        "The recipe of a task: integrator | decision | sentiment | flipflop, the tutorials' (decision's lr decays "
        "faster; decision-tutorial is the tutorial's own), or one of gen-task's tasks (a leaky RNN, dt/tau 0.2) "
        "(default: the task's, or the input file's task_kind)")
      .one_of(presets);
  register_options(o, c.task_settings, "--task: ");
  o.add("eval-trials", c.eval_trials, "Held-out trials for the final evaluation (l2 = 0)").min(1);
  o.add("eval-input", c.eval_input, "Task file of held-out trials for the final evaluation (with -i)").reads_file();
  register_options(o, c.spec, c.init);
  std::vector<std::string> cells = kCellNames;
  cells.insert(cells.begin(), "");
  o.add("cell", c.cell,
        "vanilla | gru (the tutorials') | torch-rnn | torch-gru | lstm (PyTorch's nn.RNN, nn.GRU, nn.LSTM, written "
        "under their state_dict names) | leaky (h' = (1-alpha)h + alpha*act(...)); default " +
            recipe_column(&Recipe::cell)).one_of(cells);
  o.add("nonlinearity", c.nonlinearity, "torch-rnn, leaky: tanh | relu | softplus").one_of({"tanh", "relu", "softplus"});
  o.add("excitatory-fraction", c.excitatory_fraction,
        "Dale's law (leaky, torch-rnn): the first round(F*N) units excitatory, the rest inhibitory, each unit's "
        "outgoing weights of its sign, inputs and readout non-negative, the readout from excitatory units only "
        "(Song, Yang & Wang 2016, who use 0.8); the nonlinearity defaults to relu. 0: none")
      .range(0, 1);
  o.add("connectivity", c.connectivity,
        "FILE[:DATASET]: a [N,N] mask of 0 (no synapse) and 1 (to, from) that the recurrent weights keep (leaky, "
        "torch-rnn); DATASET defaults to connectivity, else mask").reads_file();
  o.add("init-self", c.init.self_connection,
        "Add this to each unit's initial self-connection (with Dale's law, each excitatory unit's): 1 lets a leaky "
        "unit hold its rate across a delay, Le, Jaitly & Hinton 2015's identity initialisation (vanilla, leaky, "
        "torch-rnn)").range(-1e3, 1e3);
  o.find("init-self")->shows("with Dale's law 1, otherwise 0");
  o.find("init-scale")->shows("gru 1, otherwise 0.85; with Dale's law or a mask, the initial spectral radius");
  o.find("alpha")->shows("leaky 0.1, on gen-task's tasks 0.2");
  register_options(o, c.train);
  o.find("batches")->shows(recipe_column(&Recipe::batches));
  o.find("lr")->shows(recipe_column(&Recipe::lr) + "; with Dale's law 0.003");
  o.find("lr-decay")->shows(recipe_column(&Recipe::lr_decay));
  o.find("l2")->shows(recipe_column(&Recipe::l2));
  o.find("state-noise")->shows(recipe_column(&Recipe::state_noise));
  o.find("curve-every")->shows("max(10, batches/4000)");
  register_options(o, c.checkpoint);
}

void apply_recipe(OptionSet& o, RnnTrainingConfig& c, const std::string& file_kind) {
  if (c.preset.empty() && c.task.empty() && !file_kind.empty()) {
    bool known = false;
    std::string names;
    for (const std::string& name : recipe_names()) {
      known = known || name == file_kind;
      names += (names.empty() ? "" : ", ") + name;
    }
    // Another kind's recipe taken in silence would train with the wrong defaults.
    if (!known)
      throw UsageError("the input's task_kind is '" + file_kind + "', which has no recipe: choose one with --preset (" +
                       names + ")");
  }
  const Recipe& r = recipe_for(!c.preset.empty() ? c.preset : !c.task.empty() ? c.task : file_kind);
  o.set_default(c.train.state_noise, r.state_noise);
  o.set_default(c.cell, r.cell);
  o.set_default(c.train.batches, r.batches);
  // Dale's law: at the recipes' 0.01 a relu E/I network on context-dm stayed at one answer in 1 of 3 seeds,
  // at 0.003 it learnt in 5 of 5 (bench/RESULTS.md, session 18).
  o.set_default(c.train.lr, c.excitatory_fraction > 0 ? 0.003 : r.lr);
  o.set_default(c.train.lr_decay, r.lr_decay);
  o.set_default(c.train.l2, r.l2);
  o.set_default(c.init.recurrent_scale, c.cell == "gru" ? 1.0 : 0.85);
  o.set_default(c.spec.alpha, c.cell == "leaky" ? r.alpha : 1.0);
  if (c.excitatory_fraction > 0) {
    dale_signs(c.excitatory_fraction, c.spec.N);  // refuses 1 and a fraction that leaves a population empty
    o.set_default(c.nonlinearity, std::string("relu"));  // Song et al.'s: rates >= 0, so a sign is an effect's sign
    // Without it a relu E/I network forgets the choice within a delay of the context task (docs/methods.md §10).
    o.set_default(c.init.self_connection, 1.0);
  }
  // The curve is stored as attributes, which HDF5 keeps under 64 KiB each.
  o.set_default(c.train.curve_every, std::max(10, int(c.train.batches / 4000)));
}

namespace {
// Dale's law from --excitatory-fraction, the mask from --connectivity.
WeightConstraints requested_constraints(const RnnTrainingConfig& c, const RnnSpec& spec) {
  WeightConstraints w;
  if (c.excitatory_fraction > 0) {
    w.excitatory_fraction = c.excitatory_fraction;
    w.unit_sign = dale_signs(c.excitatory_fraction, spec.N);
  }
  if (!c.connectivity.empty()) {
    OpenedRef ref = open_dataset_ref(c.connectivity, {"connectivity", "mask"});
    Array<float> m = ref.file.read<float>(ref.dataset, "[N,N]");
    if (m.shape != Shape{size_t(spec.N), size_t(spec.N)})
      throw Error(ref.where() + " has shape " + shape_string(m.shape) + " but a mask of --hidden " +
                  std::to_string(spec.N) + " units is [" + std::to_string(spec.N) + "," + std::to_string(spec.N) + "]");
    w.mask = std::move(m.data);
    check_constraints(spec, w, ref.where());
  }
  check_constraints(spec, w, "train-rnn");
  if (w.dale() && spec.act == Activation::Tanh)
    log_warning("Dale's law with tanh: a unit's rate can be negative, and then its effect has the other sign; relu "
                "or softplus keeps every effect of the unit's sign");
  return w;
}

// The held-out trials: the source's own, or those of --eval-input.
TaskFile evaluation_trials(const RnnTrainingConfig& c, TrialSource& source, bool from_file) {
  TaskFile eval_set = source.evaluation_set(c.eval_trials);
  if (c.eval_input.empty()) return eval_set;
  if (!from_file) throw UsageError("--eval-input goes with -i (with --task, evaluation trials are fresh)");
  TaskFile e = read_task_file(H5File::open(c.eval_input));
  if (e.data.inputs.dim(1) != size_t(source.steps()) || e.data.inputs.dim(2) != size_t(source.inputs()) ||
      e.data.targets.dim(2) != size_t(source.outputs()))
    throw Error(c.eval_input + ": dataset 'inputs' has shape " + shape_string(e.data.inputs.shape) +
                " but the training trials are [B," + std::to_string(source.steps()) + "," +
                std::to_string(source.inputs()) + "]");
  eval_set.data = e.data;
  eval_set.h0s = e.h0s;
  return eval_set;
}

}  // namespace

RnnTrainingResult train_rnn_network(const RnnTrainingConfig& c, std::unique_ptr<TaskFile> file,
                                    const std::string& input, const RunSignature& signature, uint64_t seed,
                                    int threads) {
  check_checkpoint_settings(c.checkpoint);
  TrainOptions opt = c.train;
  opt.seed = seed;
  opt.threads = threads;
  RnnSpec spec = c.spec;
  spec.cell = parse_cell(c.cell);
  spec.act = parse_activation(c.nonlinearity);
  const bool from_file = file != nullptr;
  RnnTrainingResult result;
  std::unique_ptr<TrialSource> source;
  const std::string kind = from_file ? file->kind : c.task;  // the task's, which scores the evaluation
  if (from_file) {
    result.history = file->history;
    source = file_source(std::move(*file), kind, seed);
  } else {
    IntegratorTask task = c.task_settings;
    task.kind = parse_integrator_kind(c.task);
    source = synthetic_integrator_source(task, seed);
  }
  spec.U = source->inputs();
  spec.O = source->outputs();
  TaskFile eval_set = evaluation_trials(c, *source, from_file);
  const size_t S = size_t(state_size(spec));
  for (auto [width, file] : {std::pair{source->h0_width(), input}, {eval_set.h0s.size() ? eval_set.h0s.dim(1) : 0,
                                                                    c.eval_input.empty() ? input : c.eval_input}})
    if (width && width != S)
      throw Error(file + ": dataset 'h0s' has " + std::to_string(width) + " values per state but a " +
                  cell_name(spec.cell) + " of --hidden " + std::to_string(spec.N) + " has " + std::to_string(S));

  const WeightConstraints constraints = requested_constraints(c, spec);
  TrainState& state = result.state;
  const std::string& ckpt = c.checkpoint.path;
  if (resume_from_checkpoint(c.checkpoint)) {
    state = read_checkpoint(ckpt, signature);
    if (state.model.constraints.unit_sign != constraints.unit_sign || state.model.constraints.mask != constraints.mask)
      throw UsageError(ckpt + ": the checkpoint's Dale's law or connectivity mask differs from this run's (did the "
                       "--connectivity file change?)");
    log_info("resuming at batch " + std::to_string(state.step) + " from " + ckpt);
  } else {
    state.model = init_rnn(spec, c.init, seed);
    constrain_initial_state(state, constraints, c.init.recurrent_scale, c.init.self_connection);
  }
  std::string constrained = constraints.dale() ? ", Dale's law with " + fmt("%g", 100 * c.excitatory_fraction) +
                                                    " % excitatory" : "";
  if (!constraints.mask.empty()) constrained += ", connectivity of " + c.connectivity;
  log_info(std::string("training a ") + cell_name(spec.cell) + " RNN (N=" + std::to_string(spec.N) + constrained + ") on " +
           (from_file ? input : c.task + " trials") + ": " + std::to_string(opt.batches) + " batches of " +
           std::to_string(opt.batch_size) + ", " + std::to_string(threads) + " threads");
  Progress progress(5.0, state.step);  // a resumed run counts from its checkpoint
  CheckpointPolicy saving(ckpt, c.checkpoint.every, [&] { write_checkpoint(ckpt, state, signature); });
  auto line = [&](uint64_t step, double loss, const std::string& rest) {
    return "batch " + std::to_string(step) + "/" + std::to_string(opt.batches) + "  loss " + fmt("%.4e", loss) + rest;
  };
  result.ms_per_batch = train_rnn(opt, *source, state, [&](const TrainState&, const StepReport& r) {
    if (progress.due())
      progress.update(line(r.step, r.loss.total(), "  lms " + fmt("%.4e", r.loss.data) + "  lr " + fmt("%.3e", r.lr) +
                                                       "  " + fmt("%.2f", r.ms_per_batch) + " ms/batch"),
                      r.step, opt.batches);
    return saving.after_batch(r.step);
  });
  saving.finish(state.step);
  if (state.curve.rows())
    progress.finish(line(state.step, state.curve.column("loss").back(), "  " + fmt("%.2f", result.ms_per_batch) + " ms/batch"));

  result.eval = evaluate_rnn(state.model, eval_set, threads, kind);
  std::string summary = "evaluation loss " + fmt("%.4e", result.eval.loss) + " on " + std::to_string(result.eval.trials) +
                        (!c.eval_input.empty() ? " trials of " + c.eval_input
                         : from_file           ? " trials of the input file"
                                               : " fresh trials");
  if (result.eval.sign_accuracy >= 0) summary += ", " + fmt("%.2f", 100 * result.eval.sign_accuracy) + " % of signs right";
  if (result.eval.task_accuracy >= 0)
    summary += ", " + fmt("%.2f", 100 * result.eval.task_accuracy) + " % of trials right (" + task_accuracy_rule(kind) + ")";
  log_info(summary);
  return result;
}

void write_rnn_training(H5File& h5, const RnnTrainingResult& r) {
  write_rnn_params(h5, r.state.model);
  h5.write_attribute("eval_loss", r.eval.loss);
  h5.write_attribute("eval_trials_used", int64_t(r.eval.trials));
  if (r.eval.sign_accuracy >= 0) h5.write_attribute("eval_sign_accuracy", r.eval.sign_accuracy);
  if (r.eval.task_accuracy >= 0) h5.write_attribute("eval_task_accuracy", r.eval.task_accuracy);
  h5.write_attribute("ms_per_batch", r.ms_per_batch);
  h5.write_attribute("batches_done", int64_t(r.state.step));
  r.state.curve.write_attributes(h5);
}

}  // namespace ctd
