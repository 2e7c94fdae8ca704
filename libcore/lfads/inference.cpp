#include "lfads/inference.hpp"

#include <chrono>
#include <cmath>

#include "lfads/sessions.hpp"
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
  o.add("layout", s.layout,
        "--infer: the posterior's names: native | lfads-torch | nlb (a Neural Latents Benchmark submission: "
        "{dataset}/{train,eval}_rates_held{in,out}[_forward])")
      .one_of({"native", "lfads-torch", "nlb"});
  o.add("nlb-dataset", s.nlb_dataset, "--layout nlb: the dataset's name, as NLB expects it (e.g. mc_maze, mc_maze_20; "
                                      "default: the data file's name)");
}

namespace {
void keep_first(Array<float>& a, size_t n) {
  if (a.size() == 0 || n == 0 || a.dim(0) <= n) return;
  const size_t row = a.size() / a.dim(0);
  a.shape[0] = n;
  a.data.resize(n * row);
}

void require_model_fits(const LfadsModel& model, const LfadsData& data, const std::string& name) {
  const LfadsSpec& m = model.spec;
  auto units = [](size_t D, size_t held_in, size_t ext) {
    return std::to_string(D) + " units (" + std::to_string(held_in) + " held in), " + std::to_string(ext) +
           " external inputs";
  };
  const size_t D = data.train.data.dim(2), X = ext_width(data.train);
  if (D != size_t(m.D) || size_t(data.held_in) != size_t(m.held_in) || X != size_t(m.ext))
    throw Error(name + " has " + units(D, size_t(data.held_in), X) + " but the model was fitted to " +
                units(size_t(m.D), size_t(m.held_in), size_t(m.ext)));
}

}  // namespace

std::vector<SplitPosterior> infer_lfads(const LfadsModel& model, LfadsData& data, const InferenceSettings& s,
                                        const std::string& name, uint64_t seed, int threads) {
  std::vector<SplitPosterior> out;
  for (const std::string split : {"train", "valid"}) {
    if (s.split != "both" && s.split != split) continue;
    LfadsSplit& sp = split == "train" ? data.train : data.valid;
    for (auto* a : {&sp.data, &sp.truth, &sp.inputs, &sp.lowd, &sp.ext, &sp.spikes, &sp.rates}) keep_first(*a, s.max_trials);
    sp.inds.resize(sp.data.dim(0));
    auto t0 = std::chrono::steady_clock::now();
    SplitPosterior r;
    r.split = split;
    r.inds = sp.inds;
    r.ext = sp.ext;
    r.posterior = lfads_posterior(model.spec, model.params, sp, s.samples, seed, threads);
    const LfadsPosterior& p = r.posterior;
    std::string line = split + ": " + std::to_string(sp.data.dim(0)) + " trials in " +
                       fmt("%.1f", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) + " s";
    const bool poisson = parse_observation(model.spec.observation) == Observation::Poisson;
    const size_t Tobs = sp.data.dim(1) - size_t(model.spec.forward_bins);
    if (!poisson && (model.spec.held_in < model.spec.D || model.spec.forward_bins > 0)) {
      line += std::string(model.spec.held_in < model.spec.D ? ", co-bps not scored" : ", fp-bps not scored") +
              (model.spec.held_in < model.spec.D && model.spec.forward_bins > 0 ? " (nor fp-bps)" : "") +
              " (bits per spike are defined for Poisson models only)";
    } else {
      if (model.spec.held_in < model.spec.D) {
        r.co_bps = bits_per_spike(p.rates, sp.data, size_t(model.spec.held_in), 0, Tobs);
        r.has_co_bps = std::isfinite(r.co_bps);
        line += ", co-bps " + (r.has_co_bps ? fmt("%.4f", r.co_bps) : std::string("n/a (no held-out spike)")) + " on " +
                std::to_string(model.spec.D - model.spec.held_in) + " held-out units";
      }
      if (model.spec.forward_bins > 0) {
        r.fp_bps = bits_per_spike(p.rates, sp.data, 0, Tobs);
        r.has_fp_bps = std::isfinite(r.fp_bps);
        line += ", fp-bps " + (r.has_fp_bps ? fmt("%.4f", r.fp_bps) : std::string("n/a (no spike)")) + " on " +
                std::to_string(model.spec.forward_bins) + " forward bins";
      }
    }
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

void write_nlb_submission(H5File& o, const std::vector<SplitPosterior>& splits, const LfadsSpec& spec,
                          const std::string& dataset) {
  for (const SplitPosterior& r : splits) {
    const Array<float>& rates = r.posterior.rates;
    const size_t T = rates.dim(1), D = rates.dim(2), Tobs = T - size_t(spec.forward_bins), Din = size_t(spec.held_in);
    const std::string g = dataset + "/" + (r.split == "valid" ? "eval" : "train") + "_rates_";
    o.write(g + "heldin", bins_and_units(rates, 0, Tobs, 0, Din));
    o.write(g + "heldout", bins_and_units(rates, 0, Tobs, Din, D));
    if (spec.forward_bins == 0) continue;
    o.write(g + "heldin_forward", bins_and_units(rates, Tobs, T, 0, Din));
    o.write(g + "heldout_forward", bins_and_units(rates, Tobs, T, Din, D));
  }
}

void write_posteriors(H5File& o, const std::vector<SplitPosterior>& splits, const LfadsSpec& spec,
                      const std::string& layout, const std::string& session) {
  const bool torch = layout == "lfads-torch";
  const std::string prefix = session.empty() ? "" : session + "/";
  for (const SplitPosterior& r : splits) {
    const LfadsPosterior& p = r.posterior;
    // Measures: attributes of the split's group (native) or SPLIT_<name> at the root or the session's group (lfads-torch).
    auto measure = [&](const std::string& n, const auto& v) {
      if (torch) o.write_attribute(r.split + "_" + n, v, session.empty() ? "/" : session);
      else o.write_attribute(n, v, prefix + r.split);
    };
    if (torch) {
      const std::string g = prefix + r.split + "_";
      o.write(g + "output_params", p.rates);
      const auto& names = observation_param_names(parse_observation(spec.observation));
      for (size_t k = 0; k < p.obs_params.size(); ++k) o.write(g + "obs_" + names[k], p.obs_params[k]);
      o.write(g + "factors", p.factors);
      o.write(g + "ic_mean", p.g0_mean);
      o.write(g + "ic_std", p.g0_std);
      o.write(g + "co_means", p.ii_mean);
      o.write(g + "co_stds", p.ii_std);
      o.write(g + "gen_states", p.gen_states);
      o.write(g + "gen_inputs", last_axis_concat(p.inferred_inputs, r.ext));
      o.write(g + "con_states", p.con_states);
      o.write(g + "inds", Shape{r.inds.size()}, r.inds.data());
    } else {
      const auto& names = observation_param_names(parse_observation(spec.observation));
      const std::string g = prefix + r.split + "/";
      for (size_t k = 0; k < p.obs_params.size(); ++k) o.write(g + "obs_" + names[k], p.obs_params[k]);
      o.write(g + "rates", p.rates);
      o.write(g + "factors", p.factors);
      o.write(g + "gen_states", p.gen_states);
      if (spec.ii > 0) {
        o.write(g + "con_states", p.con_states);
        o.write(g + "inferred_inputs", p.inferred_inputs);
        o.write(g + "ii_mean", p.ii_mean);
        o.write(g + "ii_logvar", p.ii_logvar);
      }
      o.write(g + "g0_mean", p.g0_mean);
      o.write(g + "g0_logvar", p.g0_logvar);
      o.write(g + "inds", Shape{r.inds.size()}, r.inds.data());
    }
    if (r.has_co_bps) measure("co_bps", r.co_bps);
    if (r.has_fp_bps) measure("fp_bps", r.fp_bps);
    if (r.has_rate_r2) {
      measure("rate_r2", r.rate_r2);
      measure("rate_r2_pooled", r.rate_r2_pooled);
    }
    if (r.has_input_r2) measure("inferred_input_r2", r.inferred_input_r2);
    if (!r.factors_lowd_r2.empty()) measure("factors_lowd_r2", r.factors_lowd_r2);
  }
}

std::string infer_lfads_files(H5File& out, const LfadsModel& model, const std::vector<std::string>& files,
                              const LfadsReadOptions& reading, const InferenceSettings& s, uint64_t seed, int threads) {
  const std::vector<LfadsSession>& sessions = model.spec.sessions;
  if (files.size() != std::max<size_t>(1, sessions.size())) {
    std::string names;
    for (const LfadsSession& one : sessions) names += (names.empty() ? "" : ", ") + one.name;
    throw UsageError("the model was fitted to " +
                     (sessions.empty() ? std::string("one session") :
                                         std::to_string(sessions.size()) + " sessions (" + names + ")") +
                     " but " + std::to_string(files.size()) + " files are given: one -i per session, in that order");
  }
  if (s.layout == "nlb" && !sessions.empty())
    throw UsageError("--layout nlb: NLB scores one session; infer each session's posterior");
  if (s.layout == "nlb" && model.spec.held_in == model.spec.D)
    throw UsageError("--layout nlb: the model holds no unit out, and an NLB submission has held-out rates");
  std::string history;
  for (size_t k = 0; k < files.size(); ++k) {
    const LfadsModel view{session_view(model.spec, k), model.params, model.valid_fraction};
    LfadsReadOptions r = reading;
    if (r.valid_fraction == 0 && r.hold_out == 0) r = reading_of(model, k);
    r.observation = model.spec.observation;
    r.forward_bins = model.spec.forward_bins;
    LfadsData data = read_lfads_data(H5File::open(files[k]), r);
    if (k == 0) history = data.history;
    require_model_fits(view, data, files[k]);
    if (!sessions.empty()) log_info("session " + sessions[k].name + " (" + files[k] + "):");
    auto splits = infer_lfads(view, data, s, files[k], seed, threads);
    if (s.layout != "nlb") {
      write_posteriors(out, splits, view.spec, s.layout, sessions.empty() ? "" : sessions[k].name);
      continue;
    }
    write_nlb_submission(out, splits, view.spec, s.nlb_dataset.empty() ? session_name_of_file(files[k]) : s.nlb_dataset);
  }
  return history;
}

}  // namespace ctd
