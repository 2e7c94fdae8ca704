#include "lfads/nlb_tensors.hpp"

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
  auto observed = [&](const Array<float>& x) {
    const Array<float> p = bins_and_units(x, 0, Tobs, 0, D);
    Array<double> out(p.shape);
    std::copy(p.data.begin(), p.data.end(), out.data.begin());
    return out;
  };
  const size_t Bev = d.valid.data.dim(0);
  const Array<double> psth = eval_trial_psth(observed(d.train.data), observed(d.valid.data), cond[0], cond[1], s.psth_sd,
                                             in.name() + " (see --trials-per-condition)");
  out.write("psth", Shape{Bev * Tobs, D}, psth.ptr());
}

}  // namespace ctd
