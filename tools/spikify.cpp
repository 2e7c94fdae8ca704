// spikify: rates or tanh hidden states -> Poisson spike counts, split into
// training and validation trials in the LFADS layout, with the truth kept.
#include "cli/tool.hpp"
#include "io/dataset_ref.hpp"
#include "io/output.hpp"
#include "lfads/spikify.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("spikify",
                 "Turn rates or tanh hidden states into Poisson spike counts and write them in the LFADS layout "
                 "(train_data / valid_data, with train_truth / valid_truth rates in Hz and the inputs kept), so "
                 "that gen-integrator -> train-rnn -> run-rnn -> spikify -> fit-lfads is the LFADS tutorial.",
                 "spikify -i lfads_states.h5 --max-rate 80 --bin-width 0.04 -o lfads_data.h5");
  ctd::SpikifySettings settings;
  tool.add_input("States file (its hiddens) or FILE:DATASET of [B,T,D] rates").needed();
  tool.add_output("Output file in the LFADS layout").needed();
  ctd::register_options(tool.options(), settings);

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    ctd::OpenedRef in = ctd::open_dataset_ref(tool.input, {"hiddens"});
    ctd::Array<float> x = in.file.read_finite(in.dataset, "[B,T,D]");
    ctd::Array<float> inputs;
    if (in.file.has_dataset("inputs")) inputs = in.file.read_finite("inputs", "[B,T,U]");
    ctd::Array<float> embedding;
    ctd::LfadsData d = ctd::spikify(x, inputs, settings, tool.seed, in.where(), &embedding);
    ctd::write_lfads_data(out.h5(), d);
    if (embedding.size()) out.h5().write("embedding_weights", embedding);
    ctd::write_provenance(out.h5(), "lfads-data", tool.run_info(), ctd::read_history(in.file));
    out.commit();
    ctd::log_verbose(std::to_string(d.train.data.dim(0)) + " training and " + std::to_string(d.valid.data.dim(0)) +
                     " validation trials");
  });
}
