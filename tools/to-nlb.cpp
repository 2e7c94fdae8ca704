// to-nlb: an LFADS data file as the Neural Latents Benchmark's tensors
// (held-in/held-out units, forward bins, behaviour, conditions, PSTHs), to
// fit with fit-lfads --forward-bins and score with score-rates.
#include "cli/tool.hpp"
#include "io/output.hpp"
#include "lfads/nlb_tensors.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("to-nlb",
                 "Write an LFADS data file (ctd's layout: counts, *_lowd, *_conditions or n_trials_per_init_cond) as "
                 "the Neural Latents Benchmark's tensors: train/eval spikes of held-in and held-out units, the "
                 "forward bins after each trial, behaviour (the *_lowd), conditions and the eval trials' PSTHs.",
                 "to-nlb -i lfads_lorenz.h5 --hold-out 15 --forward-bins 20 -o lorenz_nlb.h5");
  ctd::NlbSettings settings;
  tool.add_input("LFADS data file (its train split becomes NLB's train trials, valid its eval trials)").needed();
  tool.add_output("Output file: NLB's tensors at the root").needed();
  ctd::register_options(tool.options(), settings);

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    const ctd::H5File in = ctd::H5File::open(tool.input);
    const ctd::LfadsData data = ctd::read_lfads_data(in);
    ctd::write_nlb_tensors(out.h5(), data, in, settings);
    ctd::write_provenance(out.h5(), "nlb-data", tool.run_info(), data.history);
    out.commit();
    ctd::log_verbose(std::to_string(data.train.data.dim(0)) + " train and " + std::to_string(data.valid.data.dim(0)) +
                     " eval trials");
  });
}
