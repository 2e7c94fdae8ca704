// gen-series: the benchmark series of reservoir computing (docs/methods.md
// §11) — Mackey–Glass, Lorenz, NARMA-10, the memory-capacity test — as a
// task file that run-reservoir (and train-rnn) read.
#include <algorithm>
#include <map>

#include "cli/tool.hpp"
#include "io/output.hpp"
#include "reservoir/series.hpp"
#include "tasks/task_file.hpp"
#include "util/format.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("gen-series",
                 "Generate a benchmark series of reservoir computing as a task file (inputs, targets): Mackey-Glass "
                 "or Lorenz for forecasting, NARMA-10, or Jaeger's memory-capacity test.",
                 "gen-series --series mackey-glass --steps 2000 -o mg.h5");
  ctd::SeriesSpec spec;
  uint64_t sequences = 1;
  tool.add_output("Output task file").needed();
  ctd::register_options(tool.options(), spec);
  tool.options().add("sequences", sequences, "Number of sequences (B), each from its own initial condition")
      .range(1, 1e6);
  tool.on_parsed([&] {
    // The file records what shaped it: each system's own parameters only.
    const std::map<std::string, std::vector<std::string>> own = {
        {"mackey-glass", {"tau", "mg-beta", "mg-gamma", "mg-n", "x0"}}, {"lorenz", {"sigma", "rho", "beta"}},
        {"memory-capacity", {"delays"}}};
    const bool flow = spec.name == "mackey-glass" || spec.name == "lorenz";
    for (ctd::OptionSpec& o : tool.options().all()) {
      bool mine = true;
      for (const auto& [series, names] : own)
        if (std::count(names.begin(), names.end(), o.name) && series != spec.name) mine = false;
      if (!flow && (o.name == "horizon" || o.name == "sample-step" || o.name == "integration-step" ||
                    o.name == "standardize" || o.name == "lyapunov-steps"))
        mine = false;
      if (!mine) o.recorded = false;
    }
  });

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    const ctd::Series s = ctd::generate_series(spec, tool.seed, sequences);
    ctd::write_task_datasets(out.h5(), s.data, spec.name);
    out.h5().write_attribute("dt", s.dt);
    if (s.lyapunov_exponent != 0) out.h5().write_attribute("lyapunov_exponent", s.lyapunov_exponent);
    if (spec.name == "mackey-glass" || spec.name == "lorenz") out.h5().write_attribute("horizon", int64_t(spec.horizon));
    if (!s.mean.empty()) {
      out.h5().write_attribute("standardize_mean", s.mean);
      out.h5().write_attribute("standardize_sd", s.sd);
    }
    ctd::write_provenance(out.h5(), "task", tool.run_info());
    out.commit();
    ctd::log_verbose("wrote " + std::to_string(sequences) + " " + spec.name + " sequences of " +
                     std::to_string(spec.steps) + " steps" +
                     (s.lyapunov_exponent != 0 ? ", largest Lyapunov exponent " + ctd::fmt("%.4f", s.lyapunov_exponent) +
                                                     " per time unit" : ""));
  });
}
