#include "compare/report.hpp"

#include <algorithm>
#include <cmath>

#include "lfads/data.hpp"
#include "lfads/posterior.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/printable.hpp"

namespace ctd {

RateScore score_rates(const std::string& ref_spec, const std::string& fit_spec) {
  RateScore r;
  if (ref_spec.empty() != fit_spec.empty()) throw UsageError("give both --reference-rates and --fitted-rates");
  if (ref_spec.empty()) return r;
  OpenedRef a = open_dataset_ref(ref_spec, {"train_truth", "valid_truth"});
  OpenedRef b = open_dataset_ref(fit_spec, {"train/rates", "valid/rates", "train_output_params", "valid_output_params", "rates"});
  const Array<float> truth = a.file.read_finite(a.dataset, "[B,T,D]"), pred = b.file.read_finite(b.dataset, "[B,T,D]");
  if (truth.shape != pred.shape)
    throw Error(a.where() + " has shape " + shape_string(truth.shape) + " but " + b.where() + " has " +
                shape_string(pred.shape) + " (the same trials, bins and units are needed)");
  const double factor = read_conversion_factor(a.file), scale = factor > 0 ? factor : 1.0;
  r.given = true;
  r.r2 = mean_r2_per_unit(pred, truth, scale);
  r.r2_per_trial = mean_r2_per_unit_trial(pred, truth, scale);
  return r;
}

namespace {
// JSON has no NaN or infinity: such a value is written as null.
std::string number(double v) { return std::isfinite(v) ? fmt("%.6g", v) : "null"; }
int stable(const std::vector<int>& labels) { return int(std::count(labels.begin(), labels.end(), 0)); }
}  // namespace

std::string comparison_json(const Comparison& c, const RateScore& rates, const ComparisonSettings& s) {
  std::string o = "{\"state_r2\": " + number(c.forward.r2) + ", \"reverse_state_r2\": " + number(c.reverse.r2) +
                  ", \"ridge_alpha\": " + number(c.forward.alpha) + ", \"reverse_ridge_alpha\": " + number(c.reverse.alpha) +
                  ", \"dsa_distance\": " + number(c.dsa_distance) + ", \"dsa_relative\": " + number(c.dsa_relative) +
                  ", \"dsa_rank\": " + std::to_string(s.dsa.rank) +
                  ", \"dsa_reference_explained\": " + number(c.reference_explained) + ", \"dsa_fitted_explained\": " +
                  number(c.fitted_explained) + ", \"dsa_delays\": " + std::to_string(s.dsa.delays);
  if (rates.given) o += ", \"rate_r2\": " + number(rates.r2) + ", \"rate_r2_per_trial\": " + number(rates.r2_per_trial);
  if (c.has_fps)
    o += ", \"reference_fps\": " + std::to_string(c.fp.partner.size()) + ", \"fitted_fps\": " +
         std::to_string(c.mapped_fps.rows()) + ", \"matched_fps\": " + std::to_string(c.fp.matched) +
         ", \"stability_agrees\": " + std::to_string(c.fp.stability_agrees) + ", \"stable_pairs\": " +
         std::to_string(c.fp.stable_pairs) + ", \"reference_stable\": " + std::to_string(stable(c.reference_labels)) +
         ", \"fitted_stable\": " + std::to_string(stable(c.fitted_labels)) + ", \"match_distance\": " +
         number(s.match_tol * c.spread);
  return o + "}\n";
}

std::string comparison_text(const Comparison& c, const RateScore& rates, const ComparisonSettings& s,
                            const System& ref, const System& fit) {
  std::string o;
  o += "reference: " + printable(ref.where) + " (" + std::to_string(ref.states.cols()) + " dims)\n";
  o += "fitted:    " + printable(fit.where) + " (" + std::to_string(fit.states.cols()) + " dims)\n";
  o += "trials:    " + std::to_string(ref.trials) + " of " + std::to_string(ref.steps) + " steps\n";
  o += "state R2 (fitted -> reference):         " + fmt("%.4f", c.forward.r2) + "   ridge, " +
       std::to_string(s.ridge.folds) + " folds over trials, alpha " + number(c.forward.alpha) + "\n";
  o += "reverse state R2 (reference -> fitted): " + fmt("%.4f", c.reverse.r2) + "   alpha " + number(c.reverse.alpha) + "\n";
  if (rates.given)
    o += "rate R2 (pooled per unit / per trial):  " + fmt("%.4f", rates.r2) + " / " + fmt("%.4f", rates.r2_per_trial) + "\n";
  o += "DSA distance:                           " + fmt("%.4g", c.dsa_distance) + "   relative " +
       fmt("%.4f", c.dsa_relative) + "; rank " + std::to_string(s.dsa.rank) + " (" +
       fmt("%.0f", 100 * c.reference_explained) + " % / " + fmt("%.0f", 100 * c.fitted_explained) +
       " % of the embeddings' variance), " + std::to_string(s.dsa.delays) + " delays" +
       (s.dsa.whiten ? "" : ", not whitened") + "\n";
  if (c.has_fps)
    o += "fixed points: " + std::to_string(c.fp.partner.size()) + " reference (" + std::to_string(stable(c.reference_labels)) +
         " stable), " + std::to_string(c.mapped_fps.rows()) + " fitted (" + std::to_string(stable(c.fitted_labels)) +
         " stable); " + std::to_string(c.fp.matched) + " pairs within " + number(s.match_tol * c.spread) + ", " +
         std::to_string(c.fp.stability_agrees) + " with the same stability, " + std::to_string(c.fp.stable_pairs) +
         " of two stable points\n";
  return o;
}

void write_comparison(H5File& h5, const Comparison& c, const RateScore& rates, const ComparisonSettings& s) {
  h5.write_attribute("state_r2", c.forward.r2);
  h5.write_attribute("reverse_state_r2", c.reverse.r2);
  h5.write_attribute("ridge_alpha", c.forward.alpha);
  h5.write_attribute("reverse_ridge_alpha", c.reverse.alpha);
  h5.write_attribute("dsa_distance", c.dsa_distance);
  h5.write_attribute("dsa_relative", c.dsa_relative);
  h5.write_attribute("dsa_reference_explained", c.reference_explained);
  h5.write_attribute("dsa_fitted_explained", c.fitted_explained);
  h5.write("state_r2_per_dim", Shape{size_t(c.forward.r2_per_dim.size())}, c.forward.r2_per_dim.data());
  h5.write("reverse_state_r2_per_dim", Shape{size_t(c.reverse.r2_per_dim.size())}, c.reverse.r2_per_dim.data());
  const RowMatD W = c.forward.W;
  h5.write("map_weights", Shape{size_t(W.rows()), size_t(W.cols())}, W.data());
  h5.write("map_bias", Shape{size_t(c.forward.b.size())}, c.forward.b.data());
  for (auto [name, A] : {std::pair{"reference_operator", &c.reference_operator}, {"fitted_operator", &c.fitted_operator}}) {
    const RowMatD a = *A;
    h5.write(name, Shape{size_t(a.rows()), size_t(a.cols())}, a.data());
  }
  if (rates.given) {
    h5.write_attribute("rate_r2", rates.r2);
    h5.write_attribute("rate_r2_per_trial", rates.r2_per_trial);
  }
  if (c.has_fps) {
    h5.write("reference_fps", Shape{size_t(c.reference_fps.rows()), size_t(c.reference_fps.cols())}, c.reference_fps.data());
    for (auto [name, labels] : {std::pair{"reference_stability", &c.reference_labels}, {"fitted_stability", &c.fitted_labels}}) {
      const std::vector<uint8_t> l(labels->begin(), labels->end());
      h5.write(name, Shape{l.size()}, l.data());
    }
    h5.write("fitted_fps_mapped", Shape{size_t(c.mapped_fps.rows()), size_t(c.mapped_fps.cols())}, c.mapped_fps.data());
    std::vector<int64_t> partner(c.fp.partner.begin(), c.fp.partner.end());
    h5.write("fp_partner", Shape{partner.size()}, partner.data());
    h5.write("fp_distance", Shape{c.fp.distance.size()}, c.fp.distance.data());
    h5.write_attribute("matched_fps", int64_t(c.fp.matched));
    h5.write_attribute("stability_agrees", int64_t(c.fp.stability_agrees));
    h5.write_attribute("stable_pairs", int64_t(c.fp.stable_pairs));
    h5.write_attribute("match_distance", s.match_tol * c.spread);
  }
}

}  // namespace ctd
