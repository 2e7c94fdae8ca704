// tune-reservoir: a grid search over a reservoir's spectral radius, leak,
// input scaling and ridge penalty (docs/methods.md §11), every point scored on
// the test steps; the scores as a file, the best point on stderr.
#include "cli/tool.hpp"
#include "io/output.hpp"
#include "reservoir/grid.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("tune-reservoir",
                 "Grid search over an echo-state network's spectral radius, leak, input scaling and ridge penalty: "
                 "each point trained on the same sequences and scored on the test steps (one-step NRMSE or the "
                 "closed-loop valid time).",
                 "tune-reservoir -i mg.h5 --units 300 --radii 0.5,0.9,1.25 --leaks 0.1,0.3,1 -o grid.h5");
  ctd::ReservoirGrid grid;
  tool.add_input("Task file of sequences: inputs [B,T,U], targets [B,T,M] (e.g. from gen-series)");
  tool.add_output("Output reservoir-grid file").needed();
  ctd::register_options(tool.options(), grid);
  tool.on_parsed([&] {
    // The closed loop's settings shape nothing when the score is the NRMSE.
    for (ctd::OptionSpec& o : tool.options().all())
      if ((o.name == "generate" || o.name == "valid-threshold") && grid.score != "valid-time") o.recorded = false;
  });

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    const ctd::GridResult r = ctd::search_grid(grid, tool.input, tool.seed);
    ctd::write_grid(out.h5(), grid, r);
    ctd::write_provenance(out.h5(), "reservoir-grid", tool.run_info());
    out.commit();
  });
}
