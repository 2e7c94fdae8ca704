// run-rnn: run a trained network (ours or the tutorials') over task trials
// and write its states.
#include "cli/task_options.hpp"
#include "cli/tool.hpp"
#include "io/dataset_ref.hpp"
#include "io/output.hpp"
#include "nn/run.hpp"
#include "tasks/task_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/threads.hpp"

namespace {

// --h0s FILE[:DATASET]. A [B,N] dataset is used as it is; of a [B,T,N] one
// (a states file's hiddens) the last step. Without DATASET: `hiddens` if the
// file has it, else `h0s`.
ctd::Array<float> read_initial_states(const std::string& spec, size_t trials, size_t N) {
  auto [path, dataset] = ctd::parse_dataset_ref(spec);
  ctd::H5File f = ctd::H5File::open(path);
  if (dataset.empty()) dataset = f.has_dataset("hiddens") ? "hiddens" : "h0s";
  ctd::Array<float> a = f.read<float>(dataset);
  ctd::require_finite(a, f.where(dataset));
  if (a.rank() != 2 && a.rank() != 3)
    throw ctd::Error(f.where(dataset) + " has shape " + ctd::shape_string(a.shape) +
                     " but [B,N] or [B,T,N] is required");
  if (a.dim(0) != trials || a.shape.back() != N)
    throw ctd::Error(f.where(dataset) + " has shape " + ctd::shape_string(a.shape) + " but " +
                     std::to_string(trials) + " trials of N=" + std::to_string(N) + " units are required");
  if (a.rank() == 2) return a;
  const size_t T = a.dim(1);
  ctd::Array<float> last({trials, N});
  for (size_t b = 0; b < trials; ++b) std::copy_n(a.ptr() + (b * T + T - 1) * N, N, last.ptr() + b * N);
  return last;
}

}  // namespace

int main(int argc, char** argv) {
  ctd::Tool tool("run-rnn",
                 "Run a trained RNN over task trials (a task file or fresh --task trials) and write its states: "
                 "inputs, hiddens, outputs, targets and initial states.",
                 "run-rnn -p integrator_params.h5 -i integrator.h5 -o states.h5");
  auto& app = tool.app();
  std::string task_name, h0s_spec;
  ctd::IntegratorTask task;
  size_t trials = 1024;
  bool offset_targets = false;
  tool.add_params("Parameter file (train-rnn's or the tutorials')")->required();
  tool.add_input("Task file to run (instead of --task)");
  tool.add_output("Output states file")->required();
  auto* o_task = app.add_option("--task", task_name, "Run fresh trials of integrator | decision")
                     ->check(CLI::IsMember({"integrator", "decision"}));
  app.add_option("--trials", trials, "--task: number of trials")->check(CLI::PositiveNumber);
  ctd::add_integrator_task_options(app, task, "--task: ");
  app.add_option("--h0s", h0s_spec,
                 "Per-trial initial states: FILE:DATASET ([B,N], or [B,T,N] whose last step is used), or FILE "
                 "(its 'hiddens' last step, else 'h0s')");
  app.add_flag("--offset-targets", offset_targets, "Add the readout of each trial's initial state to its targets");

  return tool.run(argc, argv, [&] {
    if (tool.input.empty() == (o_task->count() == 0)) throw ctd::UsageError("give either -i FILE or --task");
    ctd::OutputFile out(tool.output);
    ctd::RnnModel model = ctd::read_rnn_params(ctd::H5File::open(tool.params));
    ctd::TaskFile tf;
    if (!tool.input.empty()) {
      tf = ctd::read_task_file(ctd::H5File::open(tool.input), false);
    } else {
      task.kind = ctd::parse_integrator_kind(task_name);
      tf.data = ctd::generate_integrator_task(task, tool.seed, trials);
    }
    const ctd::TaskData& d = tf.data;
    const size_t B = d.inputs.dim(0), N = size_t(model.spec.N);
    std::string src = tool.input.empty() ? "--task trials" : tool.input;
    if (int(d.inputs.dim(2)) != model.spec.U)
      throw ctd::Error(src + ": dataset 'inputs' has " + std::to_string(d.inputs.dim(2)) + " inputs per step but " +
                       tool.params + " expects U=" + std::to_string(model.spec.U));
    const bool has_targets = tf.has_targets;
    if (has_targets && int(d.targets.dim(2)) != model.spec.O)
      throw ctd::Error(src + ": dataset 'targets' has " + std::to_string(d.targets.dim(2)) + " outputs per step but " +
                       tool.params + " has O=" + std::to_string(model.spec.O));
    ctd::Array<float> h0s = !h0s_spec.empty() ? read_initial_states(h0s_spec, B, N) : tf.h0s;
    if (h0s.size() && h0s.dim(1) != N)
      throw ctd::Error(src + ": dataset 'h0s' has " + std::to_string(h0s.dim(1)) + " units but " + tool.params +
                       " has N=" + std::to_string(N));

    ctd::RnnRun run = ctd::run_rnn(model, d.inputs, h0s, ctd::thread_count());
    ctd::Array<float> targets = d.targets;
    if (offset_targets) {
      ctd::Array<float> r = ctd::readout(model, run.h0s);
      const size_t T = targets.dim(1), O = targets.dim(2);
      for (size_t b = 0; b < B; ++b)
        for (size_t t = 0; t < T; ++t)
          for (size_t k = 0; k < O; ++k) targets[(b * T + t) * O + k] += r[b * O + k];
    }
    ctd::H5File& h5 = out.h5();
    h5.write("inputs", d.inputs);
    h5.write("hiddens", run.hiddens);
    h5.write("outputs", run.outputs);
    if (has_targets) {
      h5.write("targets", targets);
      h5.write("target_mask", d.target_mask);
    }
    h5.write("h0s", run.h0s);
    ctd::write_provenance(h5, "states", tool.run_info(), tf.history);
    h5.write_attribute("params_file", tool.params);
    out.commit();
    ctd::log_verbose("ran " + std::to_string(B) + " trials through " + tool.params);
  });
}
