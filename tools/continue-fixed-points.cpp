// continue-fixed-points: follow a trained RNN's fixed points as its held input
// moves from --from to --to, through folds, with their stability and the
// bifurcations on the way (docs/methods.md §3, "Continuation").
#include <iostream>

#include "cli/tool.hpp"
#include "fixedpoints/continuation_file.hpp"
#include "io/dataset_ref.hpp"
#include "io/output.hpp"
#include "io/provenance.hpp"
#include "lfads/generator.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"

namespace {
// One line per branch and one per bifurcation, with the input there when it has at most 4 values.
std::string report(const ctd::ContinuationResult& r, const Eigen::VectorXd& from, const Eigen::VectorXd& to) {
  std::string text;
  for (size_t k = 0; k < r.branches.size(); ++k) {
    const ctd::Branch& b = r.branches[k];
    text += "branch " + std::to_string(k) + " (start " + std::to_string(b.start) + "): " +
            std::to_string(b.lambda.size()) + " points, " + std::to_string(b.bifurcations.size()) +
            (b.bifurcations.size() == 1 ? " bifurcation, " : " bifurcations, ") + b.end + "\n";
    for (const ctd::BifurcationPoint& p : b.bifurcations) {
      std::string x;
      const Eigen::VectorXd at = from + p.lambda * (to - from);
      for (long u = 0; u < at.size() && at.size() <= 4; ++u) x += (u ? "," : "  input ") + ctd::fmt("%.8g", at(u));
      text += "  " + std::string(ctd::bifurcation_name(p.kind)) + " at lambda " + ctd::fmt("%.8f", p.lambda) + x + "\n";
    }
  }
  return text;
}
}  // namespace

int main(int argc, char** argv) {
  ctd::Tool tool("continue-fixed-points",
                 "Follow the fixed points of a trained RNN as its held input moves along the straight path from "
                 "--from to --to (pseudo-arclength continuation, so through folds), with the stability of every "
                 "point and the bifurcations on the way: folds, branch points, flips, Neimark-Sacker points. One "
                 "line per branch and per bifurcation on stdout.",
                 "continue-fixed-points -p net.h5 -i fps.h5 --from 0,0,1,0 --to 0,0,0,1 -o branches.h5");
  auto& o = tool.options();
  ctd::ContinuationSettings settings;
  std::vector<double> from, to;
  tool.add_params("Parameter file of the network (ctd, PyTorch), or a fit-lfads model file (its generator)").needed();
  ctd::RnnReadOptions reading;
  ctd::register_options(o, reading);
  tool.add_input("Starting points: FILE[:DATASET] (default dataset fps, as find-fixed-points writes), fixed points "
                 "at --from").needed();
  tool.add_output("Also write the branches to this file", false);
  o.group("Path");
  o.add("from", from, "The held input where the starting points are fixed points: U comma-separated values "
                      "(default: the input file's x_star, else zeros)");
  o.add("to", to, "The held input at the path's end: U comma-separated values").needed();
  ctd::register_options(o, settings);

  return tool.run(argc, argv, [&] {
    const ctd::RnnModel model = ctd::read_network(ctd::H5File::open(tool.params), reading);
    const int U = model.spec.U;
    Eigen::VectorXd x0 = ctd::vector_or_zeros(from, U, "--from");
    const ctd::OpenedRef ref = ctd::open_dataset_ref(tool.input, {"fps"});
    if (from.empty() && ref.file.has_dataset("x_star")) {
      const std::vector<double> xs = ref.file.read<double>("x_star", "[U]").data;
      x0 = ctd::vector_or_zeros(xs, U, (ref.file.name() + ": x_star").c_str());
    }
    const Eigen::VectorXd x1 = ctd::vector_or_zeros(to, U, "--to");
    if (x0 == x1) throw ctd::UsageError("--to equals --from: the path has no length");
    if (!(settings.max_step >= settings.step && settings.step > settings.min_step))
      throw ctd::UsageError("the steps must satisfy --min-step < --step <= --max-step");
    const ctd::RnnMap<double> map(model, x0);
    std::string history;
    const ctd::RowMatD starts = ctd::read_state_rows(tool.input, map.dim(), &history, -1, {"fps"});
    const ctd::ContinuationResult r = ctd::continue_fixed_points(map, x0, x1, starts, settings);
    if (r.branches.empty())
      throw ctd::Error(tool.input + ": none of its " + std::to_string(starts.rows()) +
                       " states is a fixed point at --from (Newton did not converge to --tol): give find-fixed-points' "
                       "points at the same input");
    ctd::log_info(std::to_string(r.branches.size()) + " branches from " + std::to_string(starts.rows()) + " starts (" +
                  std::to_string(r.on_branch) + " on an earlier branch, " + std::to_string(r.not_fixed) +
                  " not fixed points)");
    std::cout << report(r, x0, x1);
    if (tool.output.empty()) return;
    ctd::OutputFile out(tool.output);
    ctd::write_continuation(out.h5(), r, map, x0, x1);
    out.h5().write_attribute("params_file", tool.params);
    ctd::write_provenance(out.h5(), "continuation", tool.run_info(), history);
    out.commit();
  });
}
