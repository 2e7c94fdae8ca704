// context-analysis: Mante, Sussillo, Shenoy & Newsome (2013)'s analysis of a
// network trained on gen-task's context-dm trials (docs/methods.md §10):
// per context, the slow points with the context cue held, how close they lie
// to a line, the slowest mode's eigenvalue, the selection vector and each
// sensory input's projection on it. A table on stdout, the rest in -o.
#include <iostream>
#include <memory>

#include "cli/tool.hpp"
#include "fixedpoints/context_analysis.hpp"
#include "io/output.hpp"
#include "nn/run.hpp"
#include "tasks/labelled_trials.hpp"
#include "util/error.hpp"
#include "util/threads.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("context-analysis",
                 "Mante & Sussillo's analysis of a network trained on context-dependent integration (gen-task --task "
                 "context-dm): per context, the slow points with the context cue held and the sensory inputs 0, the "
                 "share of their variance on one line (PC1), the slowest mode's eigenvalue, the selection vector (its "
                 "left eigenvector) and the projection of the motion and colour input vectors on it. Prints a table; "
                 "-o keeps the points, vectors and projections (ctd-plot draws them).",
                 "context-analysis -p mante-net.h5 -i mante_eval.h5 -o mante-analysis.h5");
  auto& o = tool.options();
  tool.add_params("Parameter file of a network trained on context-dm trials").needed();
  ctd::RnnReadOptions reading;
  ctd::register_options(o, reading);
  tool.add_input("context-dm trials (gen-task --task context-dm): their states during stimulus and delay are the "
                 "candidates").needed();
  tool.add_output("Output file: per context the slow points, eigenvalues, line directions, selection vectors and "
                  "projections",
                  false);
  ctd::FixedPointSearch search;
  search.tols = {1e-5};
  search.max_candidates = 1024;
  ctd::register_options(o, search);
  o.find("tol")->shows("1e-5: slow points, as Mante et al.'s");
  o.find("max-candidates")->shows("1024 per context");

  return tool.run(argc, argv, [&] {
    if (tool.output == "-") throw ctd::UsageError("-o - would mix the file with the table on stdout: give a file name");
    if (search.tolerances().size() != 1) throw ctd::UsageError("give one --tol here");
    std::unique_ptr<ctd::OutputFile> out;
    if (!tool.output.empty()) out = std::make_unique<ctd::OutputFile>(tool.output);
    const ctd::RnnModel model = ctd::read_rnn_params(ctd::H5File::open(tool.params), reading);
    const ctd::H5File in = ctd::H5File::open(tool.input);
    const ctd::TaskFile task = ctd::read_task_file(in);
    if (task.kind != "context-dm")
      throw ctd::Error(tool.input + ": task_kind is '" + task.kind +
                       "' but context-analysis needs context-dm trials (gen-task --task context-dm)");
    const size_t T = task.data.inputs.dim(1), U = task.data.inputs.dim(2);
    const int threads = ctd::thread_count();
    const ctd::RnnRun run = ctd::run_rnn(model, task.data.inputs, task.h0s, threads);
    const size_t N = size_t(ctd::state_size(model.spec));

    // Context 0 is motion, 1 colour (gen-task's inputs: motion, colour, motion cue, colour cue).
    std::vector<ctd::ContextInput> contexts(2);
    contexts[0].name = "motion";
    contexts[1].name = "color";
    for (int c = 0; c < 2; ++c) {
      const auto rows = ctd::epoch_steps(in, task.data.inputs.dim(0), T, "context", c, "stimulus", "response");
      if (rows.empty()) throw ctd::Error(tool.input + ": no trial of the " + contexts[size_t(c)].name + " context");
      ctd::RowMatD& H = contexts[size_t(c)].candidates;
      H.resize(Eigen::Index(rows.size()), Eigen::Index(N));
      for (size_t r = 0; r < rows.size(); ++r)
        for (size_t i = 0; i < N; ++i) H(Eigen::Index(r), Eigen::Index(i)) = run.hiddens[(rows[r].first * T + rows[r].second) * N + i];
      // The held input: the context cue as the trial has it, the sensory inputs 0.
      Eigen::VectorXd x(U);
      for (size_t u = 0; u < U; ++u) x(Eigen::Index(u)) = task.data.inputs[rows.front().first * T * U + u];
      x(0) = x(1) = 0;
      contexts[size_t(c)].x_star = x;
    }
    const ctd::ContextAnalysis a = ctd::analyze_contexts(model, contexts, {0, 1}, {"motion", "color"}, search,
                                                         tool.seed, threads);
    std::cout << ctd::context_table(a);
    if (out) {
      ctd::write_context_analysis(out->h5(), a);
      ctd::write_provenance(out->h5(), "context-analysis", tool.run_info(), task.history);
      out->h5().write_attribute("params_file", tool.params);
      out->commit();
    }
  });
}
