#include "lfads/nlb_tensors.hpp"

#include <map>

#include "scoring/psth.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, NlbSettings& s) {
  o.group("NLB tensors");
  o.add("hold-out", s.hold_out, "The last N units are held out (-1: a quarter of them)").min(-1);
  o.add("forward-bins", s.forward_bins, "The last K bins of every trial are its forward bins (-1: a fifth)").min(-1);
  o.add("trials-per-condition", s.trials_per_condition,
        "Conditions where the file has no *_conditions: trial index / N (0: the file's n_trials_per_init_cond)")
      .non_negative();
  o.add("psth-sd", s.psth_sd, "The PSTHs' Gaussian smoothing, SD in bins").positive();
}

namespace {
std::vector<int64_t> conditions_of(const LfadsSplit& s, int64_t per_condition) {
  if (!s.conditions.empty() || per_condition <= 0) return s.conditions;
  std::vector<int64_t> c;
  for (int64_t i : s.inds) c.push_back(i / per_condition);
  return c;
}
}  // namespace

void write_nlb_tensors(H5File& out, const LfadsData& d, const H5File& in, const NlbSettings& s) {
  const size_t T = d.train.data.dim(1), D = d.train.data.dim(2);
  const size_t out_units = s.hold_out >= 0 ? size_t(s.hold_out) : D / 4, K = s.forward_bins >= 0 ? size_t(s.forward_bins) : T / 5;
  if (out_units < 1 || out_units >= D)
    throw UsageError("--hold-out " + std::to_string(out_units) + " of " + std::to_string(D) +
                     " units: NLB needs held-in and held-out units");
  if (K < 1 || K >= T)
    throw UsageError("--forward-bins " + std::to_string(K) + " of " + std::to_string(T) +
                     " bins: NLB needs observed and forward bins");
  const size_t Din = D - out_units, Tobs = T - K;
  int64_t per_condition = s.trials_per_condition;
  if (per_condition == 0 && in.has_dataset("n_trials_per_init_cond"))
    per_condition = int64_t(in.read<double>("n_trials_per_init_cond")[0]);
  std::vector<int64_t> cond[2];
  for (int k = 0; k < 2; ++k) {
    const LfadsSplit& sp = k == 0 ? d.train : d.valid;
    const std::string p = k == 0 ? "train" : "eval";
    out.write(p + "_spikes_heldin", bins_and_units(sp.data, 0, Tobs, 0, Din));
    out.write(p + "_spikes_heldout", bins_and_units(sp.data, 0, Tobs, Din, D));
    out.write(p + "_spikes_heldin_forward", bins_and_units(sp.data, Tobs, T, 0, Din));
    out.write(p + "_spikes_heldout_forward", bins_and_units(sp.data, Tobs, T, Din, D));
    if (sp.lowd.size()) out.write(p + "_behavior", bins_and_units(sp.lowd, 0, Tobs, 0, sp.lowd.dim(2)));
    cond[k] = conditions_of(sp, per_condition);
    if (!cond[k].empty()) out.write(p + "_conditions", Shape{cond[k].size()}, cond[k].data());
  }
  if (!d.train.lowd.size()) log_warning(in.name() + " has no *_lowd: no behaviour to decode is written");
  if (cond[0].empty() || cond[1].empty()) {
    log_warning(in.name() + " has no *_conditions (nor n_trials_per_init_cond): no PSTHs are written");
    return;
  }
  // PSTHs of the eval trials: smoothed spikes of both splits, leave-one-out within each condition.
  const size_t Btr = d.train.data.dim(0), Bev = d.valid.data.dim(0);
  Array<double> all({Btr + Bev, Tobs, D});
  const Array<float> a = bins_and_units(d.train.data, 0, Tobs, 0, D), b = bins_and_units(d.valid.data, 0, Tobs, 0, D);
  std::copy(a.data.begin(), a.data.end(), all.data.begin());
  std::copy(b.data.begin(), b.data.end(), all.data.begin() + long(a.size()));
  std::vector<int64_t> both = cond[0];
  both.insert(both.end(), cond[1].begin(), cond[1].end());
  std::map<int64_t, int> trials;
  for (int64_t c : both) ++trials[c];
  for (int64_t c : cond[1])
    if (trials[c] < 2)
      throw Error(in.name() + ": condition " + std::to_string(c) +
                  " has a single trial: its PSTH needs another (see --trials-per-condition)");
  std::vector<size_t> eval_rows;
  for (size_t i = 0; i < Bev; ++i) eval_rows.push_back(Btr + i);
  const Array<double> psth = leave_one_out_psth(smooth_in_time(all, s.psth_sd), both, eval_rows);
  out.write("psth", Shape{Bev * Tobs, D}, psth.ptr());
}

}  // namespace ctd
