// fit-lfads: train LFADS on spike counts (docs/methods.md §4), or with --infer
// run the posterior sample-and-average of a trained model over a split.
#include "cli/tool.hpp"
#include "io/output.hpp"
#include "lfads/fitting.hpp"
#include "lfads/inference.hpp"
#include "util/error.hpp"
#include "util/threads.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("fit-lfads",
                 "Train LFADS (a sequential VAE with inferred inputs; --ii-dim 0: autonomous) on spike counts in "
                 "ctd's LFADS layout, lfads-torch's or NLB's (held-out units, external inputs), or with --infer write "
                 "the posterior sample-and-average of a trained model (co-bps on held-out units).",
                 "fit-lfads -i lfads_data.h5 -o lfads_model.h5 && fit-lfads --infer -p lfads_model.h5 -i lfads_data.h5 -o posterior.h5");
  auto& o = tool.options();
  ctd::LfadsFitConfig config;
  ctd::InferenceSettings inference;
  ctd::LfadsReadOptions reading;
  bool infer = false;
  std::vector<std::string> session_names;
  tool.add_inputs("Spike counts: train_data/valid_data, {train,valid}_{encod,recon}_data or *_spikes_held{in,out}; "
                  "several files: one session each, stitched into one model").needed();
  tool.add_output("Output: the model file, or with --infer the posterior file").needed();
  tool.add_params("--infer: the trained model file");
  ctd::register_options(o, reading);
  ctd::register_options(o, config);
  ctd::register_options(o, inference);
  o.add("session-names", session_names, "Several -i: the sessions' names, in order (default: the files' names)")
      .unrecorded();
  o.add("infer", infer, "Posterior sample-and-average of -p's model over --split").unrecorded();
  tool.on_parsed([&] {
    // What a file records is what produced it: a posterior, the model's sizes and the sampling; a model, the training.
    for (ctd::OptionSpec& s : o.all())
      if (s.group == (infer ? "Optimisation" : "Inference (--infer)") ||
          (infer && (s.group == "KL warm-up" || s.group == "Validation")))
        s.recorded = false;
  });

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    if (infer) {
      if (tool.params.empty()) throw ctd::UsageError("--infer needs -p MODEL");
      ctd::LfadsModel model = ctd::read_lfads_model(ctd::H5File::open(tool.params));
      config.spec = model.spec;  // recorded as the model's, not the training defaults
      const std::string history = ctd::infer_lfads_files(out.h5(), model, tool.inputs, reading, inference, tool.seed,
                                                         ctd::thread_count());
      ctd::write_provenance(out.h5(), "lfads-posterior", tool.run_info(), history);
      ctd::write_lfads_spec(out.h5(), model.spec);
      out.h5().write_attribute("model_file", tool.params);
      if (tool.inputs.size() == 1) out.h5().write_attribute("data_file", tool.input);
      else out.h5().write_attribute("data_file", tool.inputs);
    } else {
      reading.observation = config.spec.observation;
      reading.forward_bins = config.spec.forward_bins;
      const auto sessions = ctd::read_sessions(tool.inputs, session_names, reading);
      ctd::RunSignature sig = ctd::run_signature(o, {"batches", "valid-every"});
      ctd::LfadsFit fit = ctd::fit_lfads(config, sessions, sig, tool.seed, ctd::thread_count());
      config.spec.readin = fit.spec.readin;  // recorded as it ran (0 means --factors-dim when stitching)
      ctd::write_lfads_fit(out.h5(), fit);
      ctd::write_provenance(out.h5(), "lfads-model", tool.run_info(), sessions.front().data.history);
    }
    out.commit();
  });
}
