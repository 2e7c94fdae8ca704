// compare-dynamics: did a fitted model find a reference system's computation?
// State R² both ways, rate R², DSA and the fixed points' correspondence
// (docs/methods.md §8), as text or JSON, and optionally as a file.
#include <iostream>
#include <memory>

#include "cli/tool.hpp"
#include "compare/report.hpp"
#include "io/output.hpp"
#include "util/error.hpp"


int main(int argc, char** argv) {
  ctd::Tool tool("compare-dynamics",
                 "Compare a fitted model's dynamics with a reference system's over the same trials: state R2 both "
                 "ways (cross-validated ridge), rate R2, dynamical similarity (DSA: delay embedding, reduced-rank "
                 "DMD, Procrustes over vector fields) and the correspondence of their fixed points.",
                 "compare-dynamics --reference data.h5:valid_latents --fitted posterior.h5:valid/gen_states "
                 "--reference-fps task_fps.h5 --fitted-fps gen_fps.h5");
  auto& o = tool.options();
  std::string reference, fitted, reference_fps, fitted_fps, reference_rates, fitted_rates;
  bool as_json = false, no_whiten = false;
  ctd::ComparisonSettings s;
  o.group("Systems");
  o.add("reference", reference,
        "Reference states [B,T,N]: FILE:DATASET, or FILE (its hiddens, else train_latents, else valid_latents)")
      .reads_file().needed();
  o.add("fitted", fitted,
        "Fitted states [B,T,M] over the same trials: FILE:DATASET, or FILE (its hiddens, or a posterior's generator "
        "states: train, else valid)")
      .reads_file().needed();
  o.add("reference-fps", reference_fps, "The reference's fixed points: FILE[:DATASET] (default fps, with stability)").reads_file();
  o.add("fitted-fps", fitted_fps, "The fitted system's fixed points, in the fitted states' space: FILE[:DATASET]").reads_file();
  o.add("reference-rates", reference_rates,
        "True rates [B,T,D]: FILE[:DATASET] (default train_truth, else valid_truth; divided by the file's "
        "conversion_factor)")
      .reads_file();
  o.add("fitted-rates", fitted_rates, "Predicted rates per bin [B,T,D]: FILE[:DATASET] (default a posterior's rates)").reads_file();
  o.group("Measures");
  o.add("folds", s.ridge.folds, "Cross-validation folds over trials for the state R2 (nested: the penalty is chosen inside)").range(3, 100);
  o.add("delays", s.dsa.delays, "DSA: delays in the embedding").range(1, 1000);
  o.add("rank", s.dsa.rank, "DSA: principal directions of the embedding the operator acts on").range(1, 10000);
  o.add("no-whiten", no_whiten,
        "DSA: keep each principal direction's variance (then only rotations of a system count as the same, not any "
        "invertible linear map)");
  o.add("restarts", s.dsa.restarts, "DSA: starts of the search over orthogonal maps").range(1, 1000);
  o.add("match-tol", s.match_tol,
        "Fixed points match when closer than this many spreads of the reference's states (their mean distance from "
        "the centroid)")
      .positive();
  o.add("json", as_json, "Print the measures as one JSON object").unrecorded();
  tool.add_output("Output file: the measures as attributes, the map, the operators and the matched points", false);

  return tool.run(argc, argv, [&] {
    if (tool.output == "-") throw ctd::UsageError("-o - would mix the file with the text on stdout: give a file name");
    std::unique_ptr<ctd::OutputFile> out;
    if (!tool.output.empty()) out = std::make_unique<ctd::OutputFile>(tool.output);
    s.dsa.whiten = !no_whiten;
    if (reference_fps.empty() != fitted_fps.empty()) throw ctd::UsageError("give both --reference-fps and --fitted-fps");
    ctd::System ref = ctd::read_system(reference, {"hiddens", "train_latents", "valid_latents"});
    ctd::System fit = ctd::read_system(fitted, ctd::state_datasets());
    if (!reference_fps.empty()) {
      ctd::read_system_fps(ref, reference_fps);
      ctd::read_system_fps(fit, fitted_fps);
    }
    const ctd::RateScore rates = ctd::score_rates(reference_rates, fitted_rates);
    const ctd::Comparison c = ctd::compare_systems(ref, fit, s, tool.seed);
    std::cout << (as_json ? ctd::comparison_json(c, rates, s) : ctd::comparison_text(c, rates, s, ref, fit));
    if (out) {
      ctd::write_comparison(out->h5(), c, rates, s);
      ctd::write_provenance(out->h5(), "comparison", tool.run_info(), "");
      out->commit();
    }
  });
}
