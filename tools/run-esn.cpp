// run-esn: echo-state networks trained with FORCE (recursive least squares on
// the readout), docs/methods.md §5 — the tutorial's setup, targets from any
// HDF5 time series, and the classic FORCE setup of Sussillo & Abbott (2009).
#include "cli/tool.hpp"
#include "esn/esn_run.hpp"
#include "io/output.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("run-esn",
                 "Train an echo-state network's readout with FORCE (recursive least squares) and run it: the "
                 "tutorial's setup by default, targets from any HDF5 time series, or the classic FORCE setup.",
                 "run-esn --passes 15 --seed 1 -o esn.h5");
  ctd::EsnRunSettings settings;
  tool.add_output("Output esn file").needed();
  tool.add_params("Start from a network saved by run-esn (parameters and, with --resume, P)");
  ctd::register_options(tool.options(), settings);
  tool.on_parsed([&] { ctd::apply_preset(tool.options(), settings); });

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    ctd::EsnRunResult r = ctd::run_esn(settings, tool.params, tool.seed);
    ctd::write_esn_run(out.h5(), settings, r);
    ctd::write_provenance(out.h5(), "esn", tool.run_info(), r.history);
    out.commit();
  });
}
