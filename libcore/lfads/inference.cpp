#include "lfads/inference.hpp"

#include <chrono>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, InferenceSettings& s) {
  o.group("Inference (--infer)");
  o.add("samples", s.samples, "--infer: samples per trial").range(1, 1e6);
  o.add("split", s.split, "--infer: valid | train | both").one_of({"valid", "train", "both"});
  o.add("max-trials", s.max_trials, "--infer: at most this many trials per split (0: all)");
}

namespace {
void keep_first(Array<float>& a, size_t n) {
  if (a.size() == 0 || n == 0 || a.dim(0) <= n) return;
  const size_t row = a.size() / a.dim(0);
  a.shape[0] = n;
  a.data.resize(n * row);
}
}  // namespace

std::vector<SplitPosterior> infer_lfads(const LfadsModel& model, LfadsData& data, const InferenceSettings& s,
                                        const std::string& name, uint64_t seed, int threads) {
  if (int(data.train.data.dim(2)) != model.spec.D)
    throw Error(name + ": dataset 'train_data' has D=" + std::to_string(data.train.data.dim(2)) +
                " units but the model has D=" + std::to_string(model.spec.D));
  std::vector<SplitPosterior> out;
  for (const std::string split : {"train", "valid"}) {
    if (s.split != "both" && s.split != split) continue;
    LfadsSplit& sp = split == "train" ? data.train : data.valid;
    for (auto* a : {&sp.data, &sp.truth, &sp.inputs, &sp.lowd}) keep_first(*a, s.max_trials);
    auto t0 = std::chrono::steady_clock::now();
    SplitPosterior r;
    r.split = split;
    r.posterior = lfads_posterior(model.spec, model.params, sp.data, s.samples, seed, threads);
    const LfadsPosterior& p = r.posterior;
    std::string line = split + ": " + std::to_string(sp.data.dim(0)) + " trials in " +
                       fmt("%.1f", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) + " s";
    if (sp.truth.size()) {
      // Truth is in its own units: counts per bin × conversion factor (estimated when the file has none).
      double scale = data.conversion_factor;
      if (scale <= 0) {
        log_warning(name + " has no conversion_factor: the scale from rates to truth is estimated from their means");
        double st = 0, sr = 0;
        for (size_t i = 0; i < sp.truth.size(); ++i) st += sp.truth[i], sr += p.rates[i];
        scale = sr > 0 ? st / sr : 1.0;
      }
      r.has_rate_r2 = true;
      r.rate_r2 = mean_r2_per_unit_trial(p.rates, sp.truth, scale);
      r.rate_r2_pooled = mean_r2_per_unit(p.rates, sp.truth, scale);
      line += ", rate R2 " + fmt("%.3f", r.rate_r2) + " (per unit and trial; per unit over all trials " +
              fmt("%.3f", r.rate_r2_pooled) + ")";
    }
    if (sp.inputs.size() && model.spec.ii > 0) {
      std::vector<double> r2 = affine_r2(p.inferred_inputs, sp.inputs);
      for (double v : r2) r.inferred_input_r2 += v / double(r2.size());
      r.has_input_r2 = true;
      line += ", inferred-input R2 " + fmt("%.3f", r.inferred_input_r2);
    }
    if (sp.lowd.size()) {
      r.factors_lowd_r2 = affine_r2(p.factors, sp.lowd);
      line += ", factors->lowd R2";
      for (double v : r.factors_lowd_r2) line += " " + fmt("%.3f", v);
    }
    log_info(line);
    out.push_back(std::move(r));
  }
  return out;
}

void write_posteriors(H5File& o, const std::vector<SplitPosterior>& splits, int ii) {
  for (const SplitPosterior& r : splits) {
    const LfadsPosterior& p = r.posterior;
    const std::string g = r.split + "/";
    o.write(g + "rates", p.rates);
    o.write(g + "factors", p.factors);
    o.write(g + "gen_states", p.gen_states);
    if (ii > 0) {
      o.write(g + "con_states", p.con_states);
      o.write(g + "inferred_inputs", p.inferred_inputs);
      o.write(g + "ii_mean", p.ii_mean);
      o.write(g + "ii_logvar", p.ii_logvar);
    }
    o.write(g + "g0_mean", p.g0_mean);
    o.write(g + "g0_logvar", p.g0_logvar);
    if (r.has_rate_r2) {
      o.write_attribute("rate_r2", r.rate_r2, r.split);
      o.write_attribute("rate_r2_pooled", r.rate_r2_pooled, r.split);
    }
    if (r.has_input_r2) o.write_attribute("inferred_input_r2", r.inferred_input_r2, r.split);
    if (!r.factors_lowd_r2.empty()) o.write_attribute("factors_lowd_r2", r.factors_lowd_r2, r.split);
  }
}

}  // namespace ctd
