// simulate-calcium: spike counts in an LFADS data file -> calcium imaging
// traces (an AR(1) or AR(2) kernel, a gain, Gaussian noise), with the spikes,
// rates and the noise-free trace kept: data for fit-lfads's gamma and
// zero-inflated gamma observation models (docs/methods.md §4).
#include "cli/tool.hpp"
#include "io/output.hpp"
#include "lfads/calcium.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("simulate-calcium",
                 "Turn the spike counts of an LFADS data file (ctd's, lfads-torch's or NLB's layout) into calcium "
                 "imaging traces: each spike adds a transient (exponential decay, optionally a rise), times a gain, "
                 "plus Gaussian noise, negative values set to 0. Writes ctd's LFADS layout: train_data/valid_data "
                 "the traces, *_truth the noise-free trace of the true rates, *_spikes and *_rates kept.",
                 "simulate-calcium -i lfads_lorenz.h5 --bin-width 0.01 --tau-decay 0.3 -o calcium.h5");
  ctd::CalciumSettings settings;
  tool.add_input("LFADS data file of spike counts").needed();
  tool.add_output("Output file in ctd's LFADS layout").needed();
  ctd::register_options(tool.options(), settings);

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    const ctd::H5File in = ctd::H5File::open(tool.input);
    const ctd::LfadsData spikes = ctd::read_lfads_data(in);
    const ctd::LfadsData calcium = ctd::simulate_calcium(spikes, settings, tool.seed);
    ctd::write_lfads_data(out.h5(), calcium);
    ctd::write_provenance(out.h5(), "lfads-data", tool.run_info(), spikes.history);
    out.commit();
    ctd::log_verbose(std::to_string(calcium.train.data.dim(0)) + " training and " +
                     std::to_string(calcium.valid.data.dim(0)) + " validation trials");
  });
}
