// run-rnn: run a trained network (ours or the tutorials') over task trials
// and write its states.
#include <algorithm>

#include "cli/tool.hpp"
#include "io/dataset_ref.hpp"
#include "io/output.hpp"
#include "lfads/generator.hpp"
#include "nn/run.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/threads.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("run-rnn",
                 "Run a trained RNN over task trials (a task file or fresh --task trials) and write its states: "
                 "inputs, hiddens, outputs, targets and initial states. A fit-lfads model file runs its generator: "
                 "hiddens are generator states, outputs factors, plus the rates.",
                 "run-rnn -p integrator_params.h5 -i integrator.h5 -o states.h5");
  auto& o = tool.options();
  std::string task_name, h0s_spec;
  std::vector<double> x_star;
  ctd::IntegratorTask task;
  uint64_t trials = 1024;
  bool offset_targets = false;
  tool.add_params("Parameter file (train-rnn's or the tutorials'), or a fit-lfads model file (its generator)").needed();
  ctd::RnnReadOptions reading;
  ctd::register_options(tool.options(), reading);
  tool.add_input("Task file to run (instead of --task)");
  tool.add_output("Output states file").needed();
  ctd::register_options(o, task, "--task: ");
  o.add("task", task_name,
        "Run fresh trials of integrator | decision, or held-input: the input held at --x-star for --steps steps "
        "(the autonomous system when it is 0)")
      .one_of({"", "integrator", "decision", "held-input"});
  o.add("x-star", x_star, "--task held-input: the held input, U comma-separated values (default zeros)");
  o.add("trials", trials, "--task: number of trials (held-input with --h0s: one per initial state)").range(1, 1e8);
  o.group("Initial states");
  o.add("h0s", h0s_spec,
        "Per-trial initial states: FILE:DATASET ([B,N], [1,N] for every trial, or [B,T,N] whose last step is "
        "used), or FILE (its 'hiddens' last step, else 'h0s')");
  o.add("offset-targets", offset_targets, "Add the readout of each trial's initial state to its targets");
  tool.on_parsed([&] {
    // The file records what ran: the task's options for --task trials alone (held-input reads only the steps).
    const std::vector<std::string> held_input_reads = {"steps", "zero-steps", "trials", "x-star"};
    for (ctd::OptionSpec& s : o.all()) {
      if (s.group != "Task" || s.name == "task") continue;
      const bool read = task_name == "held-input" ? std::count(held_input_reads.begin(), held_input_reads.end(), s.name) > 0
                                                  : !task_name.empty();
      if (!read) s.recorded = false;
    }
  });

  return tool.run(argc, argv, [&] {
    if (tool.input.empty() == task_name.empty()) throw ctd::UsageError("give either -i FILE or --task");
    const bool held = task_name == "held-input";
    if (!x_star.empty() && !held) throw ctd::UsageError("--x-star goes with --task held-input");
    if (held && offset_targets) throw ctd::UsageError("--task held-input has no targets to offset");
    ctd::OutputFile out(tool.output);
    ctd::LfadsModel lfads;
    ctd::RnnModel model = ctd::read_network(ctd::H5File::open(tool.params), reading, &lfads);
    const size_t N = size_t(ctd::state_size(model.spec));
    ctd::TaskFile tf;
    ctd::Array<float> h0s;
    if (held) {
      ctd::validate(task);
      if (!h0s_spec.empty()) h0s = ctd::read_initial_states(h0s_spec, 0, N);
      const Eigen::VectorXd x = ctd::vector_or_zeros(x_star, model.spec.U, "--x-star");
      tf.data.inputs = ctd::held_inputs(std::vector<double>(x.data(), x.data() + x.size()),
                                        h0s.size() ? h0s.dim(0) : trials, size_t(task.total_steps()));
      tf.has_targets = false;
    } else if (!tool.input.empty()) {
      tf = ctd::read_task_file(ctd::H5File::open(tool.input), false);
    } else {
      task.kind = ctd::parse_integrator_kind(task_name);
      tf.data = ctd::generate_integrator_task(task, tool.seed, trials);
    }
    const size_t B = tf.data.inputs.dim(0);
    if (!held && !h0s_spec.empty()) h0s = ctd::read_initial_states(h0s_spec, B, N);
    ctd::TaskRun r = ctd::run_task(model, tf, h0s, offset_targets, tool.input.empty() ? "--task trials" : tool.input,
                                   ctd::thread_count());
    ctd::H5File& h5 = out.h5();
    h5.write("inputs", tf.data.inputs);
    h5.write("hiddens", r.run.hiddens);
    h5.write("outputs", r.run.outputs);
    if (tf.has_targets) {
      h5.write("targets", r.targets);
      h5.write("target_mask", tf.data.target_mask);
    }
    h5.write("h0s", r.run.h0s);
    if (!lfads.params.empty() && lfads.spec.sessions.empty()) h5.write("rates", ctd::lfads_rates(lfads, r.run.outputs));
    for (size_t k = 0; k < lfads.spec.sessions.size(); ++k)  // a stitched model: the rates of each session's units
      h5.write("rates_" + lfads.spec.sessions[k].name, ctd::lfads_rates(lfads, r.run.outputs, k));
    ctd::write_provenance(h5, "states", tool.run_info(), tf.history);
    h5.write_attribute("params_file", tool.params);
    out.commit();
    ctd::log_verbose("ran " + std::to_string(B) + " trials through " + tool.params);
  });
}
