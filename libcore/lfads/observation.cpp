#include "lfads/observation.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {
const std::vector<std::string> kNames = {"poisson", "gaussian", "gamma", "zero-inflated-gamma"};

// Log-parameters are clipped here (the gradient is 0 beyond): exp of them
// stays finite in float, and a runaway readout cannot make a NaN.
constexpr double kClip = 30;
double clip(double a, bool& inside) {
  inside = a > -kClip && a < kClip;
  return std::clamp(a, -kClip, kClip);
}

double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }
double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

// ln Γ(k) and ψ(k) for k > 0 together (std::lgamma is slower and writes a
// global, signgam, from every thread): both shifted up to x ≥ 6 by their
// recurrences, Γ(k) = Γ(k+n)/(k(k+1)…(k+n−1)) and ψ(k) = ψ(k+n) − Σ 1/(k+i),
// then Stirling's and the asymptotic series (error < 1e-10 from there on).
void lgamma_digamma(double k, double& lgamma, double& digamma) {
  double x = k, product = 1, reciprocals = 0;
  while (x < 6) {
    product *= x;
    reciprocals += 1 / x;
    x += 1;
  }
  const double lx = std::log(x), inv = 1 / x, f = inv * inv;
  lgamma = (x - 0.5) * lx - x + 0.5 * std::log(2 * M_PI) + inv * (1.0 / 12 - f * (1.0 / 360 - f / 1260)) -
           std::log(product);
  digamma = lx - 0.5 * inv - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132)))) -
            reciprocals;
}

// The ZIG's value above its location, floored at s/9 (a value at or below s
// on data other than the training data's) so its log stays finite.
double above_location(double x, double s) { return s > 0 ? std::max(x - s, s / 9) : x; }

// One entry: the NLL of x under parameters a[0..P) (a[p] at a + p·stride), gradient into g (may be null).
double entry_nll(const ObservationModel& m, const double* a, double x, double s, double* g) {
  bool in0 = true, in1 = true;
  switch (m.kind) {
    case Observation::Poisson: {
      const double rate = std::exp(a[0]);
      if (g) g[0] = rate - x;
      return rate - x * a[0];
    }
    case Observation::Gaussian: {
      const double lv = clip(a[1], in1), e = std::exp(lv), v = e + m.varmin, r = x - a[0];
      if (g) {
        g[0] = -r / v;
        g[1] = in1 ? 0.5 * (1 / v - r * r / (v * v)) * e : 0;
      }
      return 0.5 * (std::log(2 * M_PI) + std::log(v) + r * r / v);
    }
    case Observation::Gamma: {
      const double la = clip(a[0], in0), lb = clip(a[1], in1), k = std::exp(la), b = std::exp(lb), lx = std::log(x);
      double lg, psi;
      lgamma_digamma(k, lg, psi);
      if (g) {
        g[0] = in0 ? k * (psi - lb - lx) : 0;
        g[1] = in1 ? b * x - k : 0;
      }
      return lg - k * lb - (k - 1) * lx + b * x;
    }
    case Observation::ZeroInflatedGamma: {
      const double z = a[2];
      if (x == 0) {
        if (g) {
          g[0] = g[1] = 0;
          g[2] = sigmoid(z);
        }
        return softplus(z);  // −log(1 − q)
      }
      const double la = clip(a[0], in0), lt = clip(a[1], in1), k = std::exp(la), theta = std::exp(lt);
      const double y = above_location(x, s), ly = std::log(y);
      double lg, psi;
      lgamma_digamma(k, lg, psi);
      if (g) {
        g[0] = in0 ? k * (psi + lt - ly) : 0;
        g[1] = in1 ? k - y / theta : 0;
        g[2] = sigmoid(z) - 1;
      }
      return softplus(-z) + lg + k * lt - (k - 1) * ly + y / theta;
    }
  }
  return 0;
}
}  // namespace

Observation parse_observation(const std::string& name) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (name == kNames[i]) return Observation(i);
  throw UsageError("the observation model must be poisson, gaussian, gamma or zero-inflated-gamma, not '" + name + "'");
}

const std::vector<std::string>& observation_names() { return kNames; }

int observation_param_count(Observation o) { return int(observation_param_names(o).size()); }

const std::vector<std::string>& observation_param_names(Observation o) {
  static const std::vector<std::vector<std::string>> names = {
      {"rate"}, {"mean", "variance"}, {"shape", "rate"}, {"shape", "scale", "q"}};
  return names[size_t(o)];
}

std::vector<float> zig_locations(const float* x, size_t rows, size_t D) {
  std::vector<float> s(D, 0.0f);
  for (size_t d = 0; d < D; ++d) {
    float least = 0;
    for (size_t i = 0; i < rows; ++i) {
      const float v = x[i * D + d];
      if (v > 0 && (least == 0 || v < least)) least = v;
    }
    s[d] = 0.9f * least;
  }
  return s;
}

void require_observable(Observation o, const float* x, size_t B, size_t T, size_t D, const std::string& where) {
  if (o == Observation::Gaussian) return;
  const bool positive = o == Observation::Gamma;
  for (size_t i = 0; i < B * T * D; ++i) {
    if (positive ? x[i] > 0 : x[i] >= 0) continue;
    const std::string at = " at trial " + std::to_string(i / (T * D)) + ", bin " + std::to_string(i / D % T) +
                           ", unit " + std::to_string(i % D);
    if (o == Observation::Poisson)
      throw Error(where + " holds negative counts (" + fmt("%g", x[i]) + at +
                  "): Poisson data must be >= 0 (continuous signals: --observation gaussian)");
    if (positive && x[i] == 0)
      throw Error(where + " holds a zero" + at +
                  ": gamma data must be > 0 (data with zeros: --observation zero-inflated-gamma)");
    throw Error(where + " holds a negative value (" + fmt("%g", x[i]) + at + "): " + kNames[size_t(o)] +
                " data must be " + (positive ? "> 0" : ">= 0") + " (signed signals: --observation gaussian)");
  }
}

template <class S>
double observation_nll(const ObservationModel& m, const S* A, const S* x, const S* w, long B, long D, S* dA) {
  const int P = observation_param_count(m.kind);
  double total = 0, a[3], g[3];
  for (long b = 0; b < B; ++b)
    for (long d = 0; d < D; ++d) {
      const long i = b * D + d;
      for (int p = 0; p < P; ++p) a[p] = double(A[(b * P + p) * D + d]);
      const double s = m.location.empty() ? 0.0 : double(m.location[size_t(d)]);
      const double weight = w ? double(w[i]) : 1.0;
      total += weight * entry_nll(m, a, double(x[i]), s, dA ? g : nullptr);
      if (dA)
        for (int p = 0; p < P; ++p) dA[(b * P + p) * D + d] = S(weight * g[p]);
    }
  return total;
}

template <class S>
void observation_mean(const ObservationModel& m, const S* A, long B, long D, S* mean, S* params) {
  const int P = observation_param_count(m.kind);
  for (long b = 0; b < B; ++b)
    for (long d = 0; d < D; ++d) {
      double a[3], q[3] = {0, 0, 0}, mu = 0;
      bool inside;
      for (int p = 0; p < P; ++p) a[p] = double(A[(b * P + p) * D + d]);
      switch (m.kind) {
        case Observation::Poisson: mu = q[0] = std::exp(a[0]); break;
        case Observation::Gaussian:
          mu = q[0] = a[0];
          q[1] = std::exp(clip(a[1], inside)) + m.varmin;
          break;
        case Observation::Gamma:
          q[0] = std::exp(clip(a[0], inside));
          q[1] = std::exp(clip(a[1], inside));
          mu = q[0] / q[1];
          break;
        case Observation::ZeroInflatedGamma:
          q[0] = std::exp(clip(a[0], inside));
          q[1] = std::exp(clip(a[1], inside));
          q[2] = sigmoid(a[2]);
          mu = q[2] * (double(m.location.empty() ? 0.0f : m.location[size_t(d)]) + q[0] * q[1]);
          break;
      }
      mean[b * D + d] = S(mu);
      if (params)
        for (int p = 0; p < P; ++p) params[(b * P + p) * D + d] = S(q[p]);
    }
}

template <class S>
typename Tape<S>::Var observation_nll(Tape<S>& t, const ObservationModel& m, typename Tape<S>::Var a,
                                      const typename Tape<S>::Mat& x, const typename Tape<S>::Mat* w) {
  using Mat = typename Tape<S>::Mat;
  const Mat& A = t.value(a);
  const bool needs = t.needs_grad(a);
  auto dA = std::make_shared<Mat>(needs ? A.rows() : 0, needs ? A.cols() : 0);
  Mat v(1, 1);
  v(0, 0) = S(observation_nll<S>(m, A.data(), x.data(), w ? w->data() : nullptr, x.rows(), x.cols(),
                                 needs ? dA->data() : nullptr));
  return t.custom(std::move(v), needs, [&t, a, dA](const Mat& g, const Mat&) { t.grad_of(a) += g(0, 0) * *dA; });
}

#define CTD_OBS(S)                                                                                                \
  template double observation_nll<S>(const ObservationModel&, const S*, const S*, const S*, long, long, S*);     \
  template void observation_mean<S>(const ObservationModel&, const S*, long, long, S*, S*);                      \
  template Tape<S>::Var observation_nll<S>(Tape<S>&, const ObservationModel&, Tape<S>::Var, const Tape<S>::Mat&, \
                                           const Tape<S>::Mat*);
CTD_OBS(float)
CTD_OBS(double)
#undef CTD_OBS

}  // namespace ctd
