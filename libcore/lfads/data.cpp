#include "lfads/data.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "io/provenance.hpp"
#include "lfads/observation.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, LfadsReadOptions& r) {
  o.group("Data");
  o.add("valid-fraction", r.valid_fraction,
        "Validate on this share of the training trials (files without validation trials; a fixed split, "
        "recorded as *_inds; --infer reuses the model's)")
      .range(0, 0.99);
  o.add("hold-out", r.hold_out,
        "Hold out the last N units of a file in ctd's layout: the encoders do not see them, --infer scores "
        "them (co-bps)")
      .non_negative();
}

namespace {

Array<float> read_counts(const H5File& in, const std::string& ds, Observation obs) {
  Array<float> a = in.read_finite(ds, "[B,T,D]");
  if (a.dim(0) == 0 || a.dim(1) == 0 || a.dim(2) == 0)
    throw Error(in.where(ds) + " has shape " + shape_string(a.shape) + ": every size must be positive");
  require_observable(obs, a.ptr(), a.dim(0), a.dim(1), a.dim(2), in.where(ds));
  return a;
}

void require_same_trials(const H5File& in, const std::string& ds, const Array<float>& a, const std::string& of,
                         const Array<float>& counts) {
  if (a.dim(0) != counts.dim(0) || a.dim(1) != counts.dim(1))
    throw Error(in.where(ds) + " has shape " + shape_string(a.shape) + " but " + of + " is " +
                shape_string(counts.shape) + ": trials and time bins must agree");
}

// A layout: how one split's counts are named and read.
struct Layout {
  std::string name;
  std::vector<std::string> train_needs;  // datasets of a training split, the first one its marker
  std::string split_prefix(const std::string& split) const { return name == "nlb" && split == "valid" ? "eval" : split; }
};

const std::vector<Layout>& layouts() {
  static const std::vector<Layout> all = {
      {"lfads", {"train_data"}},
      {"lfads-torch", {"train_encod_data", "train_recon_data"}},
      {"nlb", {"train_spikes_heldin"}},
  };
  return all;
}

const Layout& detect_layout(const H5File& in) {
  const Layout* found = nullptr;
  for (const Layout& l : layouts()) {
    bool any = false;
    for (const auto& ds : l.train_needs) any = any || in.has_dataset(ds);
    if (!any) continue;
    if (found) throw Error(in.name() + " holds both the " + found->name + " and the " + l.name + " layouts: keep one");
    found = &l;
  }
  if (!found)
    throw Error(in.name() + ": no spike counts found: expected train_data (LFADS layout), train_encod_data and "
                            "train_recon_data (lfads-torch) or train_spikes_heldin (NLB)");
  std::string missing;
  for (const auto& ds : found->train_needs)
    if (!in.has_dataset(ds)) missing += (missing.empty() ? "" : ", ") + ds;
  if (!missing.empty()) throw Error(in.name() + ": the " + found->name + " layout is incomplete: no " + missing);
  return *found;
}

// NLB's forward spikes after a split's trials: the first `bins` bins of
// HI_forward (and HO_forward, when the split has held-out units) appended in time.
void append_forward(const H5File& in, const std::string& hi, const std::string& ho, int bins, Observation obs,
                    Array<float>& data) {
  Array<float> fwd = read_counts(in, hi + "_forward", obs);
  if (in.has_dataset(ho)) {
    if (!in.has_dataset(ho + "_forward"))
      throw Error(in.name() + ": " + hi + "_forward without " + ho + "_forward: forward bins need every unit");
    Array<float> out = read_counts(in, ho + "_forward", obs);
    require_same_trials(in, ho + "_forward", out, hi + "_forward", fwd);
    fwd = last_axis_concat(fwd, out);
  }
  const size_t B = data.dim(0), T = data.dim(1), D = data.dim(2), K = size_t(bins);
  if (fwd.dim(0) != B || fwd.dim(2) != D)
    throw Error(in.where(hi + "_forward") + " has shape " + shape_string(fwd.shape) + " but the trials are " +
                shape_string(data.shape));
  if (fwd.dim(1) < K)
    throw UsageError("--forward-bins " + std::to_string(bins) + ": " + in.where(hi + "_forward") + " has only " +
                     std::to_string(fwd.dim(1)) + " bins");
  Array<float> joined({B, T + K, D});
  for (size_t b = 0; b < B; ++b) {
    std::copy_n(data.ptr() + b * T * D, T * D, joined.ptr() + b * (T + K) * D);
    std::copy_n(fwd.ptr() + b * fwd.dim(1) * D, K * D, joined.ptr() + (b * (T + K) + T) * D);
  }
  data = std::move(joined);
}

// Counts of one split and how many units are held in; false if the file has no such split.
bool read_split_counts(const H5File& in, const Layout& l, const std::string& split, Observation obs, int forward_bins,
                       LfadsSplit& s, int& held_in) {
  const std::string p = l.split_prefix(split);
  if (l.name == "lfads") {
    if (!in.has_dataset(p + "_data")) return false;
    s.data = read_counts(in, p + "_data", obs);
    held_in = int(s.data.dim(2));
  } else if (l.name == "lfads-torch") {
    const std::string en = p + "_encod_data", rn = p + "_recon_data";
    if (!in.has_dataset(en) && !in.has_dataset(rn)) return false;
    if (!in.has_dataset(en) || !in.has_dataset(rn))
      throw Error(in.name() + ": the lfads-torch layout is incomplete: no " + (in.has_dataset(en) ? rn : en));
    Array<float> encod = read_counts(in, en, obs);
    s.data = read_counts(in, rn, obs);
    require_same_trials(in, en, encod, rn, s.data);
    const size_t Din = encod.dim(2), D = s.data.dim(2), rows = encod.dim(0) * encod.dim(1);
    if (Din > D) throw Error(in.where(en) + " has more units (" + std::to_string(Din) + ") than " + rn + " (" +
                             std::to_string(D) + "): recon_data holds every unit, held-in first");
    for (size_t r = 0; r < rows; ++r)
      if (!std::equal(encod.ptr() + r * Din, encod.ptr() + (r + 1) * Din, s.data.ptr() + r * D))
        throw Error(in.where(rn) + " does not start with " + en + " (trial " + std::to_string(r / encod.dim(1)) +
                    "): the recon data must hold the held-in units first, as lfads-torch writes them");
    held_in = int(Din);
  } else {
    const std::string hi = p + "_spikes_heldin", ho = p + "_spikes_heldout";
    if (!in.has_dataset(hi)) return false;
    // NLB's test-phase eval trials have no held-out spikes: they cannot validate.
    if (split == "valid" && !in.has_dataset(ho) && in.has_dataset("train_spikes_heldout")) {
      log_warning(in.name() + ": eval_spikes_heldin without eval_spikes_heldout: the eval trials are not used");
      return false;
    }
    s.data = read_counts(in, hi, obs);
    held_in = int(s.data.dim(2));
    if (in.has_dataset(ho)) {
      Array<float> out = read_counts(in, ho, obs);
      require_same_trials(in, ho, out, hi, s.data);
      s.data = last_axis_concat(s.data, out);
    }
    if (forward_bins > 0 && in.has_dataset(hi + "_forward")) append_forward(in, hi, ho, forward_bins, obs, s.data);
  }
  return true;
}

void read_extras(const H5File& in, const Layout& l, const std::string& split, LfadsSplit& s) {
  const std::string p = l.split_prefix(split), counts = p + (l.name == "lfads-torch" ? "_recon_data" : "_data");
  auto optional = [&](const std::string& suffix, Array<float>& into, bool same_shape) {
    const std::string n = p + "_" + suffix;
    if (!in.has_dataset(n)) return;
    into = in.read_finite(n, "[B,T,K]");
    require_same_trials(in, n, into, counts, s.data);
    if (same_shape && into.shape != s.data.shape)
      throw Error(in.where(n) + " has shape " + shape_string(into.shape) + " but " + counts + " is " +
                  shape_string(s.data.shape));
  };
  if (l.name != "nlb") {
    optional("truth", s.truth, true);
    optional("inputs", s.inputs, false);
    optional("lowd", s.lowd, false);
    optional("ext_input", s.ext, false);
    optional("spikes", s.spikes, true);
    optional("rates", s.rates, true);
  }
  const std::string inds = p + "_inds";
  if (in.has_dataset(inds)) {
    s.inds = in.read<int64_t>(inds).data;
    if (s.inds.size() != s.data.dim(0))
      throw Error(in.where(inds) + " has " + std::to_string(s.inds.size()) + " entries for " +
                  std::to_string(s.data.dim(0)) + " trials");
  } else {
    s.inds.resize(s.data.dim(0));
    std::iota(s.inds.begin(), s.inds.end(), int64_t(0));
  }
  const std::string conditions = p + "_conditions";
  if (in.has_dataset(conditions)) {
    const Array<int64_t> c = in.read<int64_t>(conditions);
    s.conditions = c.data;
    if (c.rank() != 1 || s.conditions.size() != s.data.dim(0))
      throw Error(in.where(conditions) + " has " + std::to_string(s.conditions.size()) + " entries for " +
                  std::to_string(s.data.dim(0)) + " trials");
  }
}

// Rows `rows` (in order) of every per-trial array of a split.
LfadsSplit select_trials(const LfadsSplit& s, const std::vector<size_t>& rows) {
  auto pick = [&](const Array<float>& a) {
    if (a.size() == 0) return a;
    Shape shape = a.shape;
    shape[0] = rows.size();
    Array<float> out(shape);
    const size_t row = a.size() / a.dim(0);
    for (size_t i = 0; i < rows.size(); ++i) std::copy_n(a.ptr() + rows[i] * row, row, out.ptr() + i * row);
    return out;
  };
  LfadsSplit o{pick(s.data), pick(s.truth), pick(s.inputs), pick(s.lowd), pick(s.ext), {}, {}, pick(s.spikes), pick(s.rates)};
  for (size_t r : rows) o.inds.push_back(s.inds[r]);
  for (size_t r = 0; r < rows.size() && !s.conditions.empty(); ++r) o.conditions.push_back(s.conditions[rows[r]]);
  return o;
}

// Training trials split in two: a fixed permutation (seed 0), its first
// round(F·n) trials validate; both keep the file's order.
void split_off_validation(const H5File& in, LfadsData& d, double F) {
  const size_t n = d.train.data.dim(0);
  const size_t nv = size_t(std::llround(F * double(n)));
  if (nv < 1 || nv >= n)
    throw UsageError("--valid-fraction " + std::to_string(F) + " of " + std::to_string(n) + " trials in " + in.name() +
                     " leaves " + (nv < 1 ? "no validation" : "no training") + " trial");
  std::vector<size_t> perm(n);
  std::iota(perm.begin(), perm.end(), size_t(0));
  RngStream rng(0, RngDomain::Sampling, uint64_t(1) << 40);
  for (size_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[std::min(i, size_t(rng.uniform() * double(i + 1)))]);
  std::vector<size_t> valid(perm.begin(), perm.begin() + long(nv)), train(perm.begin() + long(nv), perm.end());
  std::sort(valid.begin(), valid.end());
  std::sort(train.begin(), train.end());
  const LfadsSplit all = std::move(d.train);
  d.train = select_trials(all, train);
  d.valid = select_trials(all, valid);
  d.valid_fraction = F;
}

}  // namespace

size_t ext_width(const LfadsSplit& s) { return s.ext.size() ? s.ext.dim(2) : 0; }

LfadsData read_lfads_data(const H5File& in, const LfadsReadOptions& opt) {
  const Layout& l = detect_layout(in);
  LfadsData d;
  d.layout = l.name;
  int held_train = 0, held_valid = 0;
  const Observation obs = parse_observation(opt.observation);
  read_split_counts(in, l, "train", obs, opt.forward_bins, d.train, held_train);
  read_extras(in, l, "train", d.train);
  d.held_in = held_train;
  const std::string valid_name = l.name == "lfads" ? "valid_data" : l.name == "nlb" ? "eval_spikes_heldout" : "valid_encod_data";
  if (read_split_counts(in, l, "valid", obs, opt.forward_bins, d.valid, held_valid)) {
    if (opt.valid_fraction > 0 && !opt.from_model)
      throw UsageError(in.name() + " has validation trials (" + valid_name +
                       "): --valid-fraction splits files that have none");
    read_extras(in, l, "valid", d.valid);
    if (d.train.data.dim(1) != d.valid.data.dim(1) || d.train.data.dim(2) != d.valid.data.dim(2) ||
        held_train != held_valid)
      throw Error(in.name() + ": validation counts have shape " + shape_string(d.valid.data.shape) + " (" +
                  std::to_string(held_valid) + " held in) but training counts " + shape_string(d.train.data.shape) +
                  " (" + std::to_string(held_train) + " held in): T and the units must agree");
    if (ext_width(d.train) != ext_width(d.valid))
      throw Error(in.name() + ": external inputs must be given for both splits, with the same number of inputs");
  } else if (opt.valid_fraction > 0) {
    split_off_validation(in, d, opt.valid_fraction);
  } else {
    throw Error(in.name() + " has no validation trials (no " + valid_name +
                "): split some training trials off with --valid-fraction F");
  }
  d.conversion_factor = read_conversion_factor(in);
  if (opt.hold_out > 0 && (l.name == "lfads" || !opt.from_model)) {
    if (l.name != "lfads")
      throw UsageError("--hold-out: " + in.name() + " is in the " + l.name + " layout, which says itself which units are held out");
    if (size_t(opt.hold_out) >= d.train.data.dim(2))
      throw UsageError("--hold-out " + std::to_string(opt.hold_out) + " leaves no held-in unit of the " +
                       std::to_string(d.train.data.dim(2)) + " in " + in.name());
    d.held_in = int(d.train.data.dim(2)) - opt.hold_out;
  }
  d.history = read_history(in);
  return d;
}

double read_conversion_factor(const H5File& in) {
  if (!in.has_dataset("conversion_factor")) return 0;
  const Array<double> c = in.read<double>("conversion_factor");
  if (c.size() != 1)
    throw Error(in.where("conversion_factor") + " has shape " + shape_string(c.shape) + " but one number is required");
  if (!(c[0] > 0) || !std::isfinite(c[0])) throw Error(in.where("conversion_factor") + " must be a positive number");
  return c[0];
}

void write_lfads_data(H5File& out, const LfadsData& d) {
  for (const auto& [name, split] : {std::pair<std::string, const LfadsSplit*>{"train", &d.train}, {"valid", &d.valid}}) {
    out.write(name + "_data", split->data);
    if (split->truth.size()) out.write(name + "_truth", split->truth);
    if (split->inputs.size()) out.write(name + "_inputs", split->inputs);
    if (split->lowd.size()) out.write(name + "_lowd", split->lowd);
    if (split->ext.size()) out.write(name + "_ext_input", split->ext);
    if (split->spikes.size()) out.write(name + "_spikes", split->spikes);
    if (split->rates.size()) out.write(name + "_rates", split->rates);
    if (!split->inds.empty()) out.write(name + "_inds", Shape{split->inds.size()}, split->inds.data());
    if (!split->conditions.empty())
      out.write(name + "_conditions", Shape{split->conditions.size()}, split->conditions.data());
  }
  if (d.conversion_factor > 0) out.write("conversion_factor", Shape{1}, &d.conversion_factor);
}

}  // namespace ctd
