#include "train/validation_rules.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, ValidationRules& r) {
  o.group("Validation");
  o.add("keep-best", r.keep_best,
        "Write the parameters of the lowest smoothed validation loss, not the last ones (attribute best_step)");
  o.add("valid-smoothing", r.smoothing, "Weight of the past in the validation loss's moving average").range(0, 0.999);
  o.add("lr-plateau-patience", r.plateau_patience,
        "Lower the learning rate after this many validation points without improvement (0: never)");
  o.add("lr-plateau-factor", r.plateau_factor, "... multiplying it by this").range(1e-3, 0.999);
  o.add("lr-min", r.lr_min, "... but never below this rate").non_negative();
}

double smoothed_validation(const ValidationRules& r, double v, const BestSoFar& b) {
  return std::isnan(b.smoothed_last) ? v : r.smoothing * b.smoothed_last + (1 - r.smoothing) * v;
}

double apply_validation_rules(const ValidationRules& r, double v, uint64_t step, const float* params, size_t n,
                              double lr_now, BestSoFar& b, OptimizerProgress& p, bool& dropped) {
  dropped = false;
  const double s = smoothed_validation(r, v, b);
  b.smoothed_last = s;
  if (s < b.smoothed_best) {
    b.smoothed_best = s;
    b.step = step;
    b.since_best = 0;
    if (r.keep_best) b.params.assign(params, params + n);
  } else if (++b.since_best >= r.plateau_patience && r.plateau_patience > 0) {
    const double floor = lr_now > 0 ? r.lr_min / lr_now : 0;
    const double scale = std::max(p.lr_scale * r.plateau_factor, std::min(p.lr_scale, floor));
    dropped = scale < p.lr_scale;
    p.lr_scale = scale;
    b.since_best = 0;
  }
  return s;
}

void write_best_so_far(H5File& out, const BestSoFar& b) {
  if (!b.params.empty()) out.write("best/params", Shape{b.params.size()}, b.params.data());
  out.write_attribute("best_step", int64_t(b.step));
  out.write_attribute("best_smoothed", b.smoothed_best);
  out.write_attribute("last_smoothed", b.smoothed_last);
  out.write_attribute("since_best", int64_t(b.since_best));
}

void read_best_so_far(const H5File& in, BestSoFar& b) {
  if (!in.has_attribute("best_step")) return;  // written before the rules existed: nothing recorded
  if (in.has_dataset("best/params")) {
    Array<float> a = in.read<float>("best/params");
    require_finite(a, in.where("best/params"));
    b.params.assign(a.data.begin(), a.data.end());
  }
  b.step = uint64_t(in.read_attribute_in("best_step", 0, 1e15));
  b.smoothed_best = in.read_attribute_double("best_smoothed");
  b.smoothed_last = in.read_attribute_double("last_smoothed");
  b.since_best = uint64_t(in.read_attribute_in("since_best", 0, 1e15));
}

}  // namespace ctd
