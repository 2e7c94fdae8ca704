#include "lfads/calcium.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/log.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, CalciumSettings& s) {
  o.group("Calcium");
  o.add("tau-decay", s.tau_decay, "Decay time constant of one spike's transient, in seconds").positive();
  o.add("tau-rise", s.tau_rise, "Rise time constant in seconds (0: instantaneous rise, an AR(1) kernel; > 0: AR(2))")
      .non_negative();
  o.add("bin-width", s.bin_width, "Seconds per time bin of the spike counts").positive();
  o.add("gain", s.gain, "Height of one spike's transient (dF/F)").positive();
  o.add("noise", s.noise, "SD of the Gaussian noise added to every bin (dF/F)").non_negative();
  o.add("keep-negative", s.keep_negative,
        "Keep values below 0 (by default they become 0, as after baseline subtraction); fit them with "
        "--observation gaussian");
}

namespace {
// The AR(2) coefficients of the kernel: c_t = a1·c_{t−1} + a2·c_{t−2} + s_t.
void kernel(const CalciumSettings& s, double& a1, double& a2) {
  const double d = std::exp(-s.bin_width / s.tau_decay), r = s.tau_rise > 0 ? std::exp(-s.bin_width / s.tau_rise) : 0;
  a1 = d + r;
  a2 = -d * r;
}

// x [B,T,D] through the kernel, per trial and unit, from c = 0.
Array<float> convolve(const Array<float>& x, double a1, double a2, double gain) {
  const size_t B = x.dim(0), T = x.dim(1), D = x.dim(2);
  Array<float> c(x.shape);
  for (size_t b = 0; b < B; ++b)
    for (size_t d = 0; d < D; ++d) {
      double c1 = 0, c2 = 0;
      for (size_t t = 0; t < T; ++t) {
        const size_t i = (b * T + t) * D + d;
        const double v = a1 * c1 + a2 * c2 + x[i];
        c2 = c1;
        c1 = v;
        c[i] = float(gain * v);
      }
    }
  return c;
}

LfadsSplit calcium_split(const LfadsSplit& in, const CalciumSettings& s, double per_bin, uint64_t seed,
                         uint64_t domain_bit) {
  double a1, a2;
  kernel(s, a1, a2);
  LfadsSplit out = in;
  out.spikes = in.data;
  out.rates = in.truth;
  out.data = convolve(in.data, a1, a2, s.gain);
  const size_t B = in.data.dim(0), row = in.data.size() / std::max<size_t>(B, 1);
  for (size_t b = 0; b < B; ++b) {
    RngStream rng(seed, RngDomain::Spikes, domain_bit | uint64_t(in.inds.empty() ? b : size_t(in.inds[b])));
    for (size_t i = b * row; i < (b + 1) * row; ++i) {
      const double f = out.data[i] + s.noise * rng.normal();
      out.data[i] = float(!s.keep_negative && f < 0 ? 0.0 : f);
    }
  }
  if (in.truth.size()) {
    Array<float> expected(in.truth.shape);
    for (size_t i = 0; i < expected.size(); ++i) expected[i] = float(in.truth[i] / per_bin);
    out.truth = convolve(expected, a1, a2, s.gain);
  }
  return out;
}
}  // namespace

LfadsData simulate_calcium(const LfadsData& d, const CalciumSettings& s, uint64_t seed) {
  if (s.tau_rise >= s.tau_decay)
    throw UsageError("--tau-rise must be shorter than --tau-decay (" + std::to_string(s.tau_decay) + " s)");
  // Truth (Hz) per expected count per bin: the file's, else estimated from the training means.
  double per_bin = d.conversion_factor;
  if (d.train.truth.size() && per_bin <= 0) {
    double st = 0, sc = 0;
    for (size_t i = 0; i < d.train.truth.size(); ++i) st += d.train.truth[i], sc += d.train.data[i];
    per_bin = sc > 0 ? st / sc : 1.0;
    log_warning("no conversion_factor: the truth's rates are taken as " + std::to_string(per_bin) +
                " x the expected counts per bin (the ratio of their means)");
  }
  LfadsData out = d;
  // Distinct streams per split: a trial index may appear in both.
  out.train = calcium_split(d.train, s, per_bin, seed, uint64_t(1) << 42);
  out.valid = calcium_split(d.valid, s, per_bin, seed, uint64_t(1) << 43);
  out.conversion_factor = 1.0;
  return out;
}

}  // namespace ctd
