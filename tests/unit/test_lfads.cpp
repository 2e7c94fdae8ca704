#include <doctest/doctest.h>

#include <cmath>

#include "lfads/model.hpp"
#include "util/rng.hpp"

using namespace ctd;

namespace {
LfadsSpec tiny(int ii) {
  LfadsSpec s;
  s.D = 5;
  s.enc = 4;
  s.con = 3;
  s.ii = ii;
  s.gen = 4;
  s.factors = 3;
  s.keep = 0.8;
  return s;
}

std::vector<double> counts(int B, int T, int D) {
  RngStream r(2, RngDomain::Spikes, 0);
  std::vector<double> x(size_t(B) * T * D);
  for (double& v : x) v = double(r.poisson(1.5));
  return x;
}

// The whole loss, with fixed draws and dropout masks, against central differences.
void check_whole_gradient(int ii) {
  const LfadsSpec s = tiny(ii);
  const int B = 3, T = 4;
  AlignedVector<float> init = init_lfads(s, 5);
  RngStream r(8, RngDomain::Init, 99);
  std::vector<double> p(init.begin(), init.end());
  for (double& v : p) v += 0.1 * r.normal();  // biases and priors off their initial values too
  std::vector<double> x = counts(B, T, s.D);
  LfadsDraws<double> d = lfads_draws<double>(s, B, T, 4, 0, true);
  const double kl_weight = 0.7;
  std::vector<double> grad(p.size(), 0.0);
  LfadsLoss base = lfads_pass<double>(s, p.data(), grad.data(), x.data(), B, T, d, kl_weight, B);
  CHECK(base.nll > 0);
  CHECK(base.kl_ic > 0);
  if (ii > 0) CHECK(std::isfinite(base.kl_ii));
  const double h = 1e-6;
  double worst = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    std::vector<double> up = p, down = p;
    up[i] += h;
    down[i] -= h;
    double fu = lfads_pass<double>(s, up.data(), nullptr, x.data(), B, T, d, kl_weight, B).total(kl_weight, B);
    double fd = lfads_pass<double>(s, down.data(), nullptr, x.data(), B, T, d, kl_weight, B).total(kl_weight, B);
    double num = (fu - fd) / (2 * h);
    worst = std::max(worst, std::fabs(num - grad[i]) / std::max(1.0, std::fabs(num)));
  }
  CAPTURE(ii);
  CHECK(worst < 1e-6);
}
}  // namespace

TEST_CASE("LFADS: the whole loss's gradient matches finite differences (inferred inputs and autonomous)") {
  check_whole_gradient(2);
  check_whole_gradient(0);
}

TEST_CASE("LFADS: layout, initial priors, and the AR(1) prior's KL of a known case") {
  LfadsSpec s = tiny(1);
  auto layout = lfads_layout(s);
  CHECK(find_param(layout, "con/wRUHX").shape == Shape{6, 3 + 8 + 3});
  CHECK(find_param(layout, "gen/wRUHX").shape == Shape{8, 4 + 1});
  AlignedVector<float> p = init_lfads(s, 1);
  CHECK(p[find_param(layout, "ic_prior/logvar").offset] == doctest::Approx(std::log(0.1)));
  CHECK(p[find_param(layout, "ar_prior/logatau").offset] == doctest::Approx(0.0));
  LfadsSpec a = tiny(0);
  CHECK(lfads_param_count(a) < lfads_param_count(s));
  for (const auto& e : lfads_layout(a)) CHECK(e.name.rfind("con", 0) != 0);
}

TEST_CASE("LFADS: without dropout and with zero noise the pass is deterministic and the trace is complete") {
  LfadsSpec s = tiny(1);
  const int B = 2, T = 3;
  AlignedVector<float> p = init_lfads(s, 2);
  std::vector<double> pd(p.begin(), p.end()), x = counts(B, T, s.D);
  LfadsDraws<double> d = lfads_draws<double>(s, B, T, 1, 0, false);
  LfadsTrace<double> tr;
  LfadsLoss a = lfads_pass<double>(s, pd.data(), nullptr, x.data(), B, T, d, 1.0, B, &tr);
  LfadsLoss b = lfads_pass<double>(s, pd.data(), nullptr, x.data(), B, T, d, 1.0, B);
  CHECK(a.nll == b.nll);
  REQUIRE(tr.lograte.size() == 3);
  CHECK(tr.lograte[0].rows() == 2);
  CHECK(tr.lograte[0].cols() == 5);
  CHECK(tr.factors[2].cols() == 3);
  CHECK(tr.ii_mean[1].cols() == 1);
  // The NLL from the trace's log-rates.
  double nll = 0;
  for (int t = 0; t < T; ++t)
    for (int bb = 0; bb < B; ++bb)
      for (int k = 0; k < s.D; ++k) {
        double l = tr.lograte[size_t(t)](bb, k);
        nll += std::exp(l) - x[(size_t(bb) * T + t) * s.D + k] * l;
      }
  CHECK(a.nll == doctest::Approx(nll).epsilon(1e-12));
}
