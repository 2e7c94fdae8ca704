#include "lfads/data.hpp"

#include <cmath>

#include "io/provenance.hpp"
#include "util/error.hpp"

namespace ctd {

namespace {
LfadsSplit read_split(const H5File& in, const std::string& name) {
  LfadsSplit s;
  const std::string ds = name + "_data";
  s.data = in.read_finite(ds, "[B,T,D]");
  for (size_t i = 0; i < s.data.size(); ++i)
    if (s.data[i] < 0) throw Error(in.where(ds) + " holds negative counts (Poisson data must be >= 0)");
  if (s.data.dim(0) == 0 || s.data.dim(1) == 0 || s.data.dim(2) == 0)
    throw Error(in.where(ds) + " has shape " + shape_string(s.data.shape) + ": every size must be positive");
  auto optional = [&](const std::string& suffix, Array<float>& into, bool same_shape) {
    const std::string n = name + "_" + suffix;
    if (!in.has_dataset(n)) return;
    into = in.read_finite(n, "[B,T,K]");
    if (into.dim(0) != s.data.dim(0) || into.dim(1) != s.data.dim(1) || (same_shape && into.shape != s.data.shape))
      throw Error(in.where(n) + " has shape " + shape_string(into.shape) + " but " + ds + " is " +
                  shape_string(s.data.shape));
  };
  optional("truth", s.truth, true);
  optional("inputs", s.inputs, false);
  optional("lowd", s.lowd, false);
  if (in.has_dataset(name + "_inds")) s.inds = in.read<int64_t>(name + "_inds").data;
  return s;
}
}  // namespace

LfadsData read_lfads_data(const H5File& in) {
  LfadsData d;
  d.train = read_split(in, "train");
  d.valid = read_split(in, "valid");
  if (d.train.data.dim(1) != d.valid.data.dim(1) || d.train.data.dim(2) != d.valid.data.dim(2))
    throw Error(in.where("valid_data") + " has shape " + shape_string(d.valid.data.shape) + " but train_data is " +
                shape_string(d.train.data.shape) + ": T and D must agree");
  if (in.has_dataset("conversion_factor")) {
    const Array<double> c = in.read<double>("conversion_factor");
    if (c.size() != 1)
      throw Error(in.where("conversion_factor") + " has shape " + shape_string(c.shape) + " but one number is required");
    d.conversion_factor = c[0];
    if (!(d.conversion_factor > 0) || !std::isfinite(d.conversion_factor))
      throw Error(in.where("conversion_factor") + " must be a positive number");
  }
  d.history = read_history(in);
  return d;
}

void write_lfads_data(H5File& out, const LfadsData& d) {
  for (const auto& [name, split] : {std::pair<std::string, const LfadsSplit*>{"train", &d.train}, {"valid", &d.valid}}) {
    out.write(name + "_data", split->data);
    if (split->truth.size()) out.write(name + "_truth", split->truth);
    if (split->inputs.size()) out.write(name + "_inputs", split->inputs);
    if (split->lowd.size()) out.write(name + "_lowd", split->lowd);
    if (!split->inds.empty()) out.write(name + "_inds", Shape{split->inds.size()}, split->inds.data());
  }
  if (d.conversion_factor > 0) out.write("conversion_factor", Shape{1}, &d.conversion_factor);
}

}  // namespace ctd
