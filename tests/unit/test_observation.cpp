// LFADS's observation models (lfads/observation.hpp): each likelihood's
// gradient against finite differences, its value against the density written
// out here, the means, and the data each model refuses.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "io/output.hpp"
#include "lfads/model_file.hpp"
#include "lfads/observation.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace ctd;

namespace {
const long B = 3, D = 4;

ObservationModel model(Observation kind) {
  ObservationModel m;
  m.kind = kind;
  m.varmin = 1e-3;
  if (kind == Observation::ZeroInflatedGamma) m.location = {0.2f, 0.5f, 0.0f, 0.3f};
  return m;
}

// Data each model explains: zeros and values on both sides of the ZIG's locations.
std::vector<double> data(Observation kind) {
  RngStream r(3, RngDomain::Task, 0);
  std::vector<double> x(size_t(B * D));
  for (size_t i = 0; i < x.size(); ++i) {
    const double v = std::fabs(r.normal()) + 0.05;
    x[i] = kind == Observation::Gaussian ? r.normal() : kind == Observation::ZeroInflatedGamma && i % 3 == 0 ? 0.0 : v;
  }
  if (kind == Observation::ZeroInflatedGamma) x[1] = 0.25;  // unit 1, just below its location 0.5: floored
  return x;
}
}  // namespace

TEST_CASE("observation models: the gradient of each NLL matches finite differences, weights included") {
  for (Observation kind : {Observation::Poisson, Observation::Gaussian, Observation::Gamma,
                           Observation::ZeroInflatedGamma}) {
    const ObservationModel m = model(kind);
    const long P = observation_param_count(kind);
    RngStream r(4, RngDomain::Task, 1);
    std::vector<double> a(size_t(B * P * D)), w(size_t(B * D)), g(a.size());
    for (double& v : a) v = 0.8 * r.normal();
    for (double& v : w) v = r.uniform() * 2;
    const std::vector<double> x = data(kind);
    observation_nll<double>(m, a.data(), x.data(), w.data(), B, D, g.data());
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      std::vector<double> up = a, down = a;
      up[i] += 1e-6;
      down[i] -= 1e-6;
      const double fd = (observation_nll<double>(m, up.data(), x.data(), w.data(), B, D, nullptr) -
                         observation_nll<double>(m, down.data(), x.data(), w.data(), B, D, nullptr)) /
                        2e-6;
      worst = std::max(worst, std::fabs(fd - g[i]) / std::max(1.0, std::fabs(fd)));
    }
    CAPTURE(observation_names()[size_t(kind)]);
    CHECK(worst < 1e-7);
  }
}

TEST_CASE("observation models: the NLL is the density written out, and the mean is the distribution's") {
  // One entry each, parameters chosen by hand.
  auto nll = [](Observation kind, std::vector<double> a, double x, double* mean = nullptr) {
    ObservationModel m = model(kind);
    m.location.assign(1, 0.5f);
    double mu = 0;
    observation_mean<double>(m, a.data(), 1, 1, &mu, nullptr);
    if (mean) *mean = mu;
    return observation_nll<double>(m, a.data(), &x, nullptr, 1, 1, nullptr);
  };
  double mean = 0;
  // Gaussian μ = 0.3, variance e^0.2 + 0.001.
  const double v = std::exp(0.2) + 1e-3;
  CHECK(nll(Observation::Gaussian, {0.3, 0.2}, 1.1, &mean) ==
        doctest::Approx(0.5 * std::log(2 * M_PI * v) + 0.5 * 0.64 / v));
  CHECK(mean == doctest::Approx(0.3));
  // Gamma shape k = 2, rate β = 3 at x = 0.7: −log(β^k x^(k−1) e^(−βx) / Γ(k)).
  CHECK(nll(Observation::Gamma, {std::log(2.0), std::log(3.0)}, 0.7, &mean) ==
        doctest::Approx(-(2 * std::log(3.0) + std::log(0.7) - 2.1 - std::lgamma(2.0))));
  CHECK(mean == doctest::Approx(2.0 / 3.0));
  // ZIG: q = σ(0.4), shape 2, scale 0.5, location 0.5; at 0: −log(1 − q); at 1.2: −log q − log Gamma(0.7; 2, 0.5).
  const double q = 1 / (1 + std::exp(-0.4));
  const std::vector<double> zig = {std::log(2.0), std::log(0.5), 0.4};
  CHECK(nll(Observation::ZeroInflatedGamma, zig, 0.0, &mean) == doctest::Approx(-std::log(1 - q)));
  CHECK(mean == doctest::Approx(q * (0.5 + 2 * 0.5)));
  CHECK(nll(Observation::ZeroInflatedGamma, zig, 1.2) ==
        doctest::Approx(-std::log(q) - (std::log(0.7) - 0.7 / 0.5 - 2 * std::log(0.5) - std::lgamma(2.0))));
  // Poisson: λ − x log λ (log x! left out, as the tutorial's).
  CHECK(nll(Observation::Poisson, {std::log(2.5)}, 3.0, &mean) == doctest::Approx(2.5 - 3 * std::log(2.5)));
  CHECK(mean == doctest::Approx(2.5));
}

TEST_CASE("observation models: far-out parameters give finite values, never NaN") {
  for (Observation kind : {Observation::Gaussian, Observation::Gamma, Observation::ZeroInflatedGamma}) {
    const ObservationModel m = model(kind);
    const long P = observation_param_count(kind);
    std::vector<double> a(size_t(B * P * D)), g(a.size()), mean(size_t(B * D)), par(a.size());
    for (size_t i = 0; i < a.size(); ++i) a[i] = i % 2 ? 500.0 : -500.0;
    const std::vector<double> x = data(kind);
    const double v = observation_nll<double>(m, a.data(), x.data(), nullptr, B, D, g.data());
    observation_mean<double>(m, a.data(), B, D, mean.data(), par.data());
    CHECK(std::isfinite(v));
    for (double d : g) CHECK(std::isfinite(d));
    for (double d : mean) CHECK(std::isfinite(d));
  }
}

TEST_CASE("observation models: data a model cannot explain is one clear error") {
  const float zero[] = {1.0f, 0.0f, 2.0f, 0.5f}, negative[] = {1.0f, 0.5f, -0.25f, 2.0f};
  auto message = [](Observation o, const float* x) {
    try {
      require_observable(o, x, 1, 2, 2, "f.h5:/train_data");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message(Observation::Gamma, zero).find("holds a zero at trial 0, bin 0, unit 1") != std::string::npos);
  CHECK(message(Observation::Gamma, zero).find("--observation zero-inflated-gamma") != std::string::npos);
  CHECK(message(Observation::ZeroInflatedGamma, zero).empty());
  CHECK(message(Observation::ZeroInflatedGamma, negative).find("negative value (-0.25 at trial 0, bin 1, unit 0)") !=
        std::string::npos);
  CHECK(message(Observation::Poisson, negative).find("Poisson data must be >= 0") != std::string::npos);
  CHECK(message(Observation::Gaussian, negative).empty());
  CHECK_THROWS_AS(parse_observation("lognormal"), UsageError);
}

TEST_CASE("the zero-inflated gamma's locations: 0.9 x each unit's smallest non-zero value") {
  const float x[] = {0.0f, 2.0f, 0.0f, 0.5f, 1.0f, 0.0f, 0.2f, 4.0f, 0.0f};  // 3 rows of 3 units
  const std::vector<float> s = zig_locations(x, 3, 3);
  CHECK(s[0] == doctest::Approx(0.18));
  CHECK(s[1] == doctest::Approx(0.9));
  CHECK(s[2] == 0.0f);
}

TEST_CASE("a model file's observation model and locations round-trip; a bad one is one clear error") {
  test::TempDir dir;
  LfadsSpec s;
  s.D = s.held_in = 6;
  s.enc = s.con = s.gen = 4;
  s.factors = 3;
  s.observation = "zero-inflated-gamma";
  s.location = {0.1f, 0.2f, 0.0f, 0.4f, 0.5f, 0.6f};
  const AlignedVector<float> p = init_lfads(s, 1);
  auto save = [&](const std::string& name, const std::string& observation, const std::vector<float>& location) {
    OutputFile out(dir.file(name));
    LfadsSpec t = s;
    t.location = location;
    write_lfads_model(out.h5(), t, p);
    out.h5().write_attribute("observation", observation);
    out.commit();
    return dir.file(name);
  };
  const LfadsModel m = read_lfads_model(H5File::open(save("zig.h5", s.observation, s.location)));
  CHECK(m.spec.observation == "zero-inflated-gamma");
  CHECK(m.spec.location == s.location);
  CHECK(m.params.size() == p.size());
  auto error = [](const std::string& path) {
    try {
      read_lfads_model(H5File::open(path));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error(save("bogus.h5", "lognormal", s.location)).find("attribute 'observation'") != std::string::npos);
  CHECK(error(save("noloc.h5", s.observation, {})).find("obs/location") != std::string::npos);
  std::vector<float> negative = s.location;
  negative[2] = -1;
  CHECK(error(save("neg.h5", s.observation, negative)).find("negative location") != std::string::npos);
}
