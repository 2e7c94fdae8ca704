// tune-lfads: population-based training of LFADS (docs/methods.md §9) on one
// machine (-j), under mpirun/srun (one rank per member) or in a Slurm job;
// resumable after a generation; writes the best member as a fit-lfads model.
#include <iostream>

#include "cli/tool.hpp"
#include "io/output.hpp"
#include "lfads/model_file.hpp"
#include "tune/lfads_tuning.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/ranks.hpp"
#include "util/threads.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("tune-lfads",
                 "Population-based training of fit-lfads (AutoLFADS's search without Ray): members train in "
                 "generations, the worst copy the best and perturb their hyperparameters; writes the best member as a "
                 "fit-lfads model. One machine (-j), MPI (one rank per member) or Slurm; resumable.",
                 "tune-lfads -i lfads_data.h5 --hold-out 15 --members 8 --generations 10 -j 2 -t 1 -o best.h5");
  auto& o = tool.options();
  ctd::LfadsTuning tuning;
  ctd::LfadsReadOptions reading;
  std::string space_file;
  bool print_space = false;
  tool.add_inputs("Spike counts, as fit-lfads reads them (one file, or several sessions)");
  tool.add_output("The best member's model (a fit-lfads model file)");
  ctd::register_options(o, reading);
  ctd::register_options(o, tuning);
  o.add("space", space_file, "The search space: a TOML file of [option] sections with min, max, scale and init "
                             "(default: AutoLFADS's, see --print-space)")
      .reads_file();
  o.add("print-space", print_space, "Print the search space (the default, or --space's) as a file and exit")
      .unrecorded();
  auto option_of = [&](const std::string& name) -> const ctd::OptionSpec* { return o.find(name); };
  tool.on_parsed([&] {
    if (!print_space) return;
    const ctd::SearchSpace space = space_file.empty() ? ctd::default_lfads_space()
                                                      : ctd::read_search_space(space_file, ctd::lfads_tunable(), option_of);
    std::cout << ctd::search_space_text(space);
    std::exit(0);
  });

  return tool.run(argc, argv, [&] {
    if (tool.inputs.empty()) throw ctd::UsageError("--input is required (see tune-lfads --help)");
    if (tool.output.empty()) throw ctd::UsageError("--output is required (see tune-lfads --help)");
    ctd::SearchSpace space = ctd::default_lfads_space();
    if (space_file.empty()) ctd::check_search_space(space, ctd::lfads_tunable(), option_of, "the default space");
    else space = ctd::read_search_space(space_file, ctd::lfads_tunable(), option_of);
    if (tuning.population.empty()) {
      if (tool.output == "-") throw ctd::UsageError("-o - needs --population FILE (the run's state)");
      const std::string& out = tool.output;
      const bool h5 = out.size() > 3 && out.compare(out.size() - 3, 3, ".h5") == 0;
      tuning.population = (h5 ? out.substr(0, out.size() - 3) : out) + "-population.h5";
    }
    ctd::OutputFile out(tool.output);
    { ctd::OutputFile probe(tuning.population); }  // its folder must be writable before hours of training
    reading.observation = tuning.base.spec.observation;
    reading.forward_bins = tuning.base.spec.forward_bins;
    const auto sessions = ctd::read_sessions(tool.inputs, {}, reading);
    const ctd::RunSignature sig = ctd::run_signature(o, {"generations"});
    // -t is this process's budget: -j members share it (under MPI a rank trains one member at a time).
    const int jobs = ctd::world_ranks().size > 1 ? 1 : tuning.jobs;
    if (ctd::thread_count() < jobs)
      ctd::log_warning("-j " + std::to_string(jobs) + " members at once on " + std::to_string(ctd::thread_count()) +
                       " thread(s): each member gets one thread");
    const int threads = std::max(1, ctd::thread_count() / jobs);
    const ctd::Population pop = ctd::tune_lfads(tuning, space, sessions, sig, tool.seed, threads);
    const int best = ctd::best_member(pop);
    if (!ctd::is_rank0()) return;
    ctd::LfadsFit fit = ctd::member_fit(pop.members[size_t(best)], tuning.population);
    fit.keep_best = tuning.base.rules.keep_best;
    // Recorded as the best member last trained: its options rerun as a fit-lfads config.
    for (size_t h = 0; h < space.size(); ++h)
      ctd::lfads_hyperparameter(tuning.base, space[h].name) = pop.members[size_t(best)].hp[h];
    ctd::write_lfads_fit(out.h5(), fit);
    ctd::write_pbt_lineage(out.h5(), pop, best);
    ctd::write_provenance(out.h5(), "lfads-model", tool.run_info(), sessions.front().data.history);
    out.commit();
  });
}
