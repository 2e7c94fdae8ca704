#include "scoring/nlb_score.hpp"

#include <algorithm>
#include <cmath>

#include "io/dataset_ref.hpp"
#include "scoring/bits_per_spike.hpp"
#include "scoring/decoding.hpp"
#include "scoring/psth.hpp"
#include "scoring/smoothing_baseline.hpp"
#include "scoring/timing.hpp"
#include "util/error.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, ScoreSettings& s) {
  o.group("Scoring");
  o.add("dataset", s.dataset,
        "The group of the data (and NLB submission) file to score, e.g. mc_maze (default: the root, or the only group)");
  o.add("psth-sd", s.psth_sd, "PSTHs made from *_conditions: Gaussian smoothing SD in bins").positive();
  o.add("folds", s.folds, "Cross-validation folds choosing the decoder's ridge penalty").min(2);
  o.add("tp-condition-columns", s.tp_condition_columns,
        "tp corr (a timing dataset: eval_behavior [trials, columns], t_p last): the columns that define a "
        "condition (NLB's DMFC-RSG: 0,1,2, prior, modality and direction)")
      .non_negative();
  o.add("baseline", s.baseline,
        "smoothing: score NLB's spike-smoothing baseline (Gaussian-smoothed held-in spikes, a Poisson GLM per "
        "held-out unit) made from --data itself, in place of -i")
      .one_of({"", "smoothing"});
  o.add("smoothing-sd", s.smoothing_sd, "--baseline smoothing: the kernel SDs (bins) tried").positive();
  o.add("smoothing-alpha", s.smoothing_alpha, "--baseline smoothing: the GLM's L2 penalties tried").non_negative();
}

namespace {
Array<double> read3(const H5File& f, const std::string& name) { return f.read<double>(name, "[B,T,N]"); }

// Along time: a [B,T,N] then b [B,K,N].
Array<double> time_concat(const Array<double>& a, const Array<double>& b, const std::string& where) {
  if (a.dim(0) != b.dim(0) || a.dim(2) != b.dim(2))
    throw Error(where + ": forward rates of shape " + shape_string(b.shape) + " do not extend rates of shape " +
                shape_string(a.shape));
  const size_t B = a.dim(0), T = a.dim(1), K = b.dim(1), N = a.dim(2);
  Array<double> out({B, T + K, N});
  for (size_t i = 0; i < B; ++i) {
    std::copy_n(a.ptr() + i * T * N, T * N, out.ptr() + i * (T + K) * N);
    std::copy_n(b.ptr() + i * K * N, K * N, out.ptr() + (i * (T + K) + T) * N);
  }
  return out;
}

// The group to read: the one named, else the root when it holds `probe`, else the file's only group.
std::string group_of(const H5File& f, const std::string& named, const std::string& probe) {
  if (!named.empty()) {
    if (!f.has_dataset(named + "/" + probe)) throw Error(f.where(named + "/" + probe) + " not found (--dataset " + named + ")");
    return named + "/";
  }
  if (f.has_dataset(probe)) return "";
  std::vector<std::string> top;
  for (const std::string& g : f.list_groups())
    if (g.find('/') == std::string::npos && f.has_dataset(g + "/" + probe)) top.push_back(g);
  if (top.size() == 1) return top[0] + "/";
  throw Error(f.name() + ": no " + probe + (top.empty() ? "" : " at the root, and several groups have one: choose with --dataset"));
}

// An NLB submission's rates of one split: held-in and held-out side by side, the forward bins after them.
Array<double> submission_rates(const H5File& f, const std::string& g, const std::string& split) {
  const std::string p = g + split + "_rates_";
  if (!f.has_dataset(p + "heldin")) return {};
  Array<double> r = last_axis_concat(read3(f, p + "heldin"), read3(f, p + "heldout"));
  if (f.has_dataset(p + "heldin_forward"))
    r = time_concat(r, last_axis_concat(read3(f, p + "heldin_forward"), read3(f, p + "heldout_forward")), f.name());
  return r;
}
}  // namespace

PredictedRates read_predicted_rates(const std::string& input, const std::string& eval_ref, const std::string& train_ref,
                                    const std::string& dataset) {
  PredictedRates r;
  if (!input.empty()) {
    const H5File f = H5File::open(input);
    r.where = f.name();
    // A fit-lfads posterior, native or lfads-torch's names; else an NLB submission.
    for (const std::string& eval : {"valid/rates", "valid_output_params"}) {
      if (!f.has_dataset(eval)) continue;
      r.eval = read3(f, eval);
      const std::string train = eval == "valid/rates" ? "train/rates" : "train_output_params";
      if (f.has_dataset(train)) r.train = read3(f, train);
      return r;
    }
    const std::string g = group_of(f, dataset, "eval_rates_heldin");
    r.eval = submission_rates(f, g, "eval");
    r.train = submission_rates(f, g, "train");
    return r;
  }
  if (eval_ref.empty()) throw UsageError("give the rates to score: -i FILE, or --eval-rates FILE:DATASET");
  for (const auto& [ref, into] : {std::pair<const std::string*, Array<double>*>{&eval_ref, &r.eval}, {&train_ref, &r.train}}) {
    if (ref->empty()) continue;
    const OpenedRef o = open_dataset_ref(*ref, {});
    *into = o.file.read<double>(o.dataset, "[B,T,N]");
    if (r.where.empty()) r.where = o.where();
  }
  return r;
}

namespace {
// Rows (trial, bin) of rates [B,·,D] (first T bins) and behaviour [B,T,L] whose behaviour is not NaN,
// of the trials `use` selects (all when empty).
void decoding_rows(const Array<double>& rates, const Array<double>& behavior, const std::vector<uint8_t>& use,
                   Eigen::MatrixXd& x, Eigen::MatrixXd& y) {
  const size_t B = behavior.dim(0), T = behavior.dim(1), L = behavior.dim(2), D = rates.dim(2), Tr = rates.dim(1);
  std::vector<std::pair<size_t, size_t>> rows;
  for (size_t b = 0; b < B; ++b)
    for (size_t t = 0; t < T && (use.empty() || use[b]); ++t)
      if (!std::isnan(behavior[(b * T + t) * L])) rows.push_back({b, t});
  x.resize(long(rows.size()), long(D));
  y.resize(long(rows.size()), long(L));
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto [b, t] = rows[r];
    for (size_t k = 0; k < D; ++k) x(long(r), long(k)) = rates[(b * Tr + t) * D + k];
    for (size_t l = 0; l < L; ++l) y(long(r), long(l)) = behavior[(b * T + t) * L + l];
  }
}

double decode_r2(const PredictedRates& rates, const H5File& data, const std::string& g, const ScoreSettings& s,
                 double& alpha) {
  const Array<double> tb = read3(data, g + "train_behavior"), eb = read3(data, g + "eval_behavior");
  if (rates.train.size() == 0)
    throw UsageError("vel R2 needs the train trials' rates too: a posterior of --split both, or --train-rates");
  for (const auto& [r, b, name] : {std::tuple<const Array<double>*, const Array<double>*, const char*>{
                                       &rates.train, &tb, "train"}, {&rates.eval, &eb, "eval"}})
    if (r->dim(0) != b->dim(0) || r->dim(1) < b->dim(1))
      throw Error(rates.where + ": " + name + " rates of shape " + shape_string(r->shape) + " do not cover " + name +
                  "_behavior of shape " + shape_string(b->shape));
  // NLB's decode masks: one decoder per column, R² averaged.
  std::vector<std::vector<uint8_t>> train_masks{{}}, eval_masks{{}};
  if (data.has_dataset(g + "train_decode_mask")) {
    const Array<double> tm = data.read<double>(g + "train_decode_mask", "[B,M]"), em = data.read<double>(g + "eval_decode_mask", "[B,M]");
    train_masks.assign(tm.dim(1), {}), eval_masks.assign(tm.dim(1), {});
    for (size_t m = 0; m < tm.dim(1); ++m) {
      for (size_t b = 0; b < tm.dim(0); ++b) train_masks[m].push_back(tm[b * tm.dim(1) + m] != 0);
      for (size_t b = 0; b < em.dim(0); ++b) eval_masks[m].push_back(em[b * em.dim(1) + m] != 0);
    }
  }
  double sum = 0;
  for (size_t m = 0; m < train_masks.size(); ++m) {
    Eigen::MatrixXd tx, ty, ex, ey;
    decoding_rows(rates.train, tb, train_masks[m], tx, ty);
    decoding_rows(rates.eval, eb, eval_masks[m], ex, ey);
    if (tx.rows() < s.folds || ex.rows() == 0)
      throw Error(data.name() + ": the behaviour has " + std::to_string(tx.rows()) + " valid train bins and " +
                  std::to_string(ex.rows()) + " valid eval bins: nothing to decode");
    if (!tx.allFinite() || !ex.allFinite()) throw Error(rates.where + ": NaN rates where the behaviour is defined");
    const RidgeDecoding d = ridge_decode(tx, ty, ex, ey, nlb_ridge_alphas(), s.folds);
    sum += d.r2;
    alpha = d.alpha;
  }
  return sum / double(train_masks.size());
}

// PSTHs of the eval trials from both splits' spikes and conditions.
Array<double> psth_from_conditions(const H5File& data, const std::string& g, double sd) {
  return eval_trial_psth(last_axis_concat(read3(data, g + "train_spikes_heldin"), read3(data, g + "train_spikes_heldout")),
                         last_axis_concat(read3(data, g + "eval_spikes_heldin"), read3(data, g + "eval_spikes_heldout")),
                         data.read<int64_t>(g + "train_conditions").data, data.read<int64_t>(g + "eval_conditions").data,
                         sd, data.name());
}
}  // namespace

PredictedRates baseline_rates(const H5File& data, const ScoreSettings& s,
                              std::vector<std::pair<std::string, double>>& chosen) {
  const std::string g = group_of(data, s.dataset, "eval_spikes_heldout");
  for (const char* need : {"train_spikes_heldin", "train_spikes_heldout", "eval_spikes_heldin"})
    if (!data.has_dataset(g + need)) throw Error(data.where(g + need) + " not found: the smoothing baseline needs it");
  const SmoothedRates b = smoothing_baseline(read3(data, g + "train_spikes_heldin"), read3(data, g + "train_spikes_heldout"),
                                             read3(data, g + "eval_spikes_heldin"), read3(data, g + "eval_spikes_heldout"),
                                             s.smoothing_sd, s.smoothing_alpha);
  chosen = {{"smoothing sd", b.sd}, {"smoothing alpha", b.alpha}};
  return {b.train, b.eval, "the smoothing baseline"};
}

std::vector<std::pair<std::string, double>> score_rates(const PredictedRates& rates, const H5File& data,
                                                        const ScoreSettings& s) {
  const std::string g = group_of(data, s.dataset, "eval_spikes_heldout");
  const Array<double> held_out = read3(data, g + "eval_spikes_heldout");
  const Array<double>& r = rates.eval;
  const size_t B = held_out.dim(0), T = held_out.dim(1), Dout = held_out.dim(2);
  if (r.rank() != 3 || r.dim(0) != B || r.dim(1) < T || r.dim(2) <= Dout)
    throw Error(rates.where + ": eval rates of shape " + shape_string(r.shape) + " do not match " +
                data.where(g + "eval_spikes_heldout") + " " + shape_string(held_out.shape) +
                " (rates: every unit, held-in first, at least its bins)");
  const size_t D = r.dim(2), Din = D - Dout;
  std::vector<std::pair<std::string, double>> out;
  out.push_back({"co-bps", bits_per_spike(bins_and_units(r, 0, T, Din, D), held_out, rates.where)});
  if (data.has_dataset(g + "eval_spikes_heldin_forward")) {
    const Array<double> fwd = last_axis_concat(read3(data, g + "eval_spikes_heldin_forward"),
                                               read3(data, g + "eval_spikes_heldout_forward"));
    if (r.dim(1) >= T + fwd.dim(1) && fwd.dim(2) == D)
      out.push_back({"fp-bps", bits_per_spike(bins_and_units(r, T, T + fwd.dim(1), 0, D), fwd, rates.where)});
  }
  if (data.has_dataset(g + "eval_behavior") && data.dataset_shape(g + "eval_behavior").size() == 2) {
    // A timing dataset: one row of conditions and t_p per trial, as NLB's DMFC-RSG.
    out.push_back({"tp corr", tp_correlation(bins_and_units(r, 0, T, 0, D), held_out,
                                             data.read<double>(g + "eval_behavior", "[B,C]"), s.tp_condition_columns,
                                             rates.where)});
  } else if (data.has_dataset(g + "eval_behavior")) {
    double alpha = 0;
    const double r2 = decode_r2(rates, data, g, s, alpha);
    out.push_back({"vel R2", r2});
    out.push_back({"vel R2 alpha", alpha});
  }
  Array<double> psth;
  if (data.has_dataset(g + "psth")) {
    const Array<double> p = data.read<double>(g + "psth", "[R,N]");
    if (p.dim(0) != B * T || p.dim(1) != D)
      throw Error(data.where(g + "psth") + " has shape " + shape_string(p.shape) + " for " + std::to_string(B) +
                  " trials of " + std::to_string(T) + " bins and " + std::to_string(D) + " units");
    psth = Array<double>({B, T, D});
    psth.data = p.data;
  } else if (data.has_dataset(g + "eval_conditions") && data.has_dataset(g + "train_conditions")) {
    psth = psth_from_conditions(data, g, s.psth_sd);
  }
  if (psth.size()) out.push_back({"psth R2", psth_r2(bins_and_units(r, 0, T, 0, D), psth, rates.where)});
  return out;
}

}  // namespace ctd
