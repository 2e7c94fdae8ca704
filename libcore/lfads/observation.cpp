#include "lfads/observation.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <array>
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
double clip(double a) { return std::clamp(a, -kClip, kClip); }
double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

using Arr = Eigen::ArrayXd;

// ln Γ(k) and ψ(k) for k > 0 together, vectorised (std::lgamma is one value
// at a time and writes a global, signgam, from every thread): both shifted
// up to x ≥ 6 by their recurrences, Γ(k) = Γ(k+n)/(k(k+1)…(k+n−1)) and
// ψ(k) = ψ(k+n) − Σ 1/(k+i), then Stirling's and the asymptotic series
// (error < 1e-10 from there on).
void lgamma_digamma(const Arr& k, Arr& lgamma, Arr& digamma) {
  Arr x = k, product = Arr::Ones(k.size()), reciprocals = Arr::Zero(k.size());
  for (int i = 0; i < 6; ++i) {
    const auto small = x < 6.0;
    product = small.select(product * x, product);
    reciprocals = small.select(reciprocals + x.inverse(), reciprocals);
    x = small.select(x + 1.0, x);
  }
  const Arr lx = x.log(), inv = x.inverse(), f = inv.square();
  lgamma = (x - 0.5) * lx - x + 0.5 * std::log(2 * M_PI) + inv * (1.0 / 12 - f * (1.0 / 360 - f / 1260)) -
           product.log();
  digamma = lx - 0.5 * inv - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132)))) -
            reciprocals;
}

// log(1 + e^z) as max(z, 0) + log(1 + e^−|z|): exp and log vectorise, log1p does not.
Arr softplus(const Arr& z) { return z.cwiseMax(0.0) + (1.0 + (-z.abs()).exp()).log(); }

// The NLL of n entries x under their parameters a[p] (each [n]), its gradient into g[p].
Arr nll_and_gradient(const ObservationModel& m, const std::array<Arr, 3>& a, const Arr& x, const Arr& location,
                     std::array<Arr, 3>& g) {
  const long n = x.size();
  // Clipped log-parameters: the gradient is 0 where the clip acts.
  auto clipped = [](const Arr& v) { return v.cwiseMax(-kClip).cwiseMin(kClip); };
  auto inside = [](const Arr& v) { return (v > -kClip && v < kClip).cast<double>(); };
  switch (m.kind) {
    case Observation::Poisson: {
      const Arr rate = a[0].exp();
      g[0] = rate - x;
      return rate - x * a[0];
    }
    case Observation::Gaussian: {
      const Arr e = clipped(a[1]).exp(), v = e + m.varmin, r = x - a[0];
      g[0] = -r / v;
      g[1] = inside(a[1]) * 0.5 * (v.inverse() - r.square() / v.square()) * e;
      return 0.5 * (std::log(2 * M_PI) + v.log() + r.square() / v);
    }
    case Observation::Gamma: {
      const Arr lb = clipped(a[1]), k = clipped(a[0]).exp(), b = lb.exp(), lx = x.log();
      Arr lg, psi;
      lgamma_digamma(k, lg, psi);
      g[0] = inside(a[0]) * k * (psi - lb - lx);
      g[1] = inside(a[1]) * (b * x - k);
      return lg - k * lb - (k - 1) * lx + b * x;
    }
    case Observation::ZeroInflatedGamma: {
      // Above zero: y = x − s, floored at s/9 (a value at or below s in data
      // other than the training data's) so that its log stays finite.
      const auto zero = x == 0.0;
      const Arr z = a[2], lt = clipped(a[1]), k = clipped(a[0]).exp(), theta = lt.exp();
      const Arr y = zero.select(Arr::Ones(n), (location > 0).select((x - location).cwiseMax(location / 9), x));
      const Arr ly = y.log(), sp = softplus(z), q = (1 + (-z).exp()).inverse();
      Arr lg, psi;
      lgamma_digamma(k, lg, psi);
      const Arr above = zero.select(Arr::Zero(n), Arr::Ones(n));
      g[0] = above * inside(a[0]) * k * (psi + lt - ly);
      g[1] = above * inside(a[1]) * (k - y / theta);
      g[2] = q - above;
      // −log(1 − q) = softplus(z) at zero; −log q = softplus(z) − z above it.
      return zero.select(sp, sp - z + lg + k * lt - (k - 1) * ly + y / theta);
    }
  }
  return Arr::Zero(n);
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
  const long n = B * D;
  // Every entry's parameters side by side, in double: the likelihood's terms cancel (k ln β against ln Γ(k)).
  std::array<Arr, 3> a, g;
  for (int p = 0; p < P; ++p) {
    a[size_t(p)].resize(n);
    for (long b = 0; b < B; ++b)
      a[size_t(p)].segment(b * D, D) = Eigen::Map<const Eigen::Array<S, -1, 1>>(A + (b * P + p) * D, D).template cast<double>();
  }
  const Arr X = Eigen::Map<const Eigen::Array<S, -1, 1>>(x, n).template cast<double>();
  Arr location = Arr::Zero(n);
  if (!m.location.empty())
    for (long b = 0; b < B; ++b)
      location.segment(b * D, D) = Eigen::Map<const Eigen::ArrayXf>(m.location.data(), D).cast<double>();
  Arr nll = nll_and_gradient(m, a, X, location, g);
  if (w) {
    const Arr W = Eigen::Map<const Eigen::Array<S, -1, 1>>(w, n).template cast<double>();
    nll *= W;
    for (int p = 0; p < P; ++p) g[size_t(p)] *= W;
  }
  if (dA)
    for (int p = 0; p < P; ++p)
      for (long b = 0; b < B; ++b)
        Eigen::Map<Eigen::Array<S, -1, 1>>(dA + (b * P + p) * D, D) = g[size_t(p)].segment(b * D, D).template cast<S>();
  return nll.sum();
}

template <class S>
void observation_mean(const ObservationModel& m, const S* A, long B, long D, S* mean, S* params) {
  const int P = observation_param_count(m.kind);
  for (long b = 0; b < B; ++b)
    for (long d = 0; d < D; ++d) {
      double a[3], q[3] = {0, 0, 0}, mu = 0;
      for (int p = 0; p < P; ++p) a[p] = double(A[(b * P + p) * D + d]);
      switch (m.kind) {
        case Observation::Poisson: mu = q[0] = std::exp(a[0]); break;
        case Observation::Gaussian:
          mu = q[0] = a[0];
          q[1] = std::exp(clip(a[1])) + m.varmin;
          break;
        case Observation::Gamma:
          q[0] = std::exp(clip(a[0]));
          q[1] = std::exp(clip(a[1]));
          mu = q[0] / q[1];
          break;
        case Observation::ZeroInflatedGamma:
          q[0] = std::exp(clip(a[0]));
          q[1] = std::exp(clip(a[1]));
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
