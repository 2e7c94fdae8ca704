// run-reservoir: leaky echo-state networks as reservoir computing uses them
// (docs/methods.md §11): a reservoir tuned by spectral radius, leak and input
// scaling, a readout learnt offline (ridge) or online (RLS, LMS) on the first
// steps of a task file's sequences, tested on the rest or on held-out
// sequences, and closed-loop forecasts with their valid prediction time.
#include "cli/tool.hpp"
#include "io/output.hpp"
#include "reservoir/reservoir_run.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("run-reservoir",
                 "Train a leaky echo-state network's readout (ridge regression, RLS or LMS) on sequences of a task "
                 "file, test it, and forecast in closed loop.",
                 "run-reservoir -i mg.h5 --units 300 --spectral-radius 1.25 --leak 0.3 --generate 500 -o esn.h5");
  ctd::ReservoirRunSettings settings;
  tool.add_input("Task file of sequences: inputs [B,T,U], targets [B,T,M] (e.g. from gen-series)");
  tool.add_output("Output reservoir file").needed();
  tool.add_params("Start from a reservoir saved by run-reservoir (its readout runs, or learns on with --resume)");
  ctd::register_options(tool.options(), settings);
  tool.on_parsed([&] {
    // A saved reservoir runs as it is: its file, not the defaults, says what it is.
    if (!tool.params.empty())
      for (ctd::OptionSpec& o : tool.options().all())
        if (o.group == "Reservoir") o.recorded = false;
  });

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    const ctd::ReservoirRunResult r = ctd::run_reservoir(settings, tool.options(), tool.input, tool.params, tool.seed);
    ctd::write_reservoir_run(out.h5(), r);
    ctd::write_provenance(out.h5(), "reservoir", tool.run_info(), r.history);
    out.commit();
  });
}
