// The Neural Latents Benchmark's metrics on cases worked out by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "helpers.hpp"
#include "io/output.hpp"
#include "scoring/bits_per_spike.hpp"
#include "scoring/nlb_score.hpp"
#include "scoring/decoding.hpp"
#include "scoring/psth.hpp"
#include "util/error.hpp"

using namespace ctd;

namespace {
Array<double> array(Shape shape, std::vector<double> values) {
  Array<double> a(shape);
  a.data = std::move(values);
  return a;
}
}  // namespace

TEST_CASE("bits per spike: a worked case, NaN bins left out, bad rates refused") {
  // One unit, spikes 1 and 0: mean 0.5, NLL(mean) = 1 + ln 2, NLL(rates 1, 0.5) = 1.5.
  const Array<double> y = array({1, 2, 1}, {1, 0}), r = array({1, 2, 1}, {1, 0.5});
  CHECK(bits_per_spike(r, y, "t") == doctest::Approx((1 + std::log(2.0) - 1.5) / std::log(2.0)));
  // A NaN count (a bin the trial lacks) is not scored, whatever the rate there.
  const Array<double> y3 = array({1, 3, 1}, {1, 0, NAN}), r3 = array({1, 3, 1}, {1, 0.5, NAN});
  CHECK(bits_per_spike(r3, y3, "t") == doctest::Approx(bits_per_spike(r, y, "t")));
  // The mean itself scores 0; a zero rate where there is a spike counts as 1e-9.
  CHECK(bits_per_spike(array({1, 2, 1}, {0.5, 0.5}), y, "t") == doctest::Approx(0).epsilon(1e-12));
  CHECK(bits_per_spike(array({1, 2, 1}, {0, 0.5}), y, "t") ==
        doctest::Approx((1 + std::log(2.0) - (0.5 - std::log(1e-9))) / std::log(2.0)));
  CHECK_THROWS_WITH_AS(bits_per_spike(array({1, 2, 1}, {-1, 0.5}), y, "t"), doctest::Contains("negative rate"), Error);
  CHECK_THROWS_WITH_AS(bits_per_spike(array({1, 2, 1}, {NAN, 0.5}), y, "t"), doctest::Contains("NaN rate"), Error);
  CHECK_THROWS_WITH_AS(bits_per_spike(array({1, 1, 2}, {1, 1}), y, "t"), doctest::Contains("shape"), Error);
  CHECK(std::isnan(bits_per_spike(r, array({1, 2, 1}, {0, 0}), "t")));
}

TEST_CASE("ridge decoding: R², the folds, the chosen penalty and the refit") {
  Eigen::MatrixXd y(3, 1), p(3, 1);
  y << 1, 2, 3;
  p << 1, 2, 2;
  CHECK(r2_score(y, p) == doctest::Approx(0.5));  // 1 − 1/2
  // x = y = (−1, 1, −1, 1), 2 folds, α = 2: each fold fits w = 2/(2+2) on its
  // other half and scores 1 − 0.5/2 = 0.75; the refit on all four, w = 4/6,
  // scores 1 − (2/9)/2 on (−1, 1).
  Eigen::MatrixXd x(4, 1), ev(2, 1);
  x << -1, 1, -1, 1;
  ev << -1, 1;
  const RidgeDecoding d = ridge_decode(x, x, ev, ev, {2.0}, 2);
  CHECK(d.cv_r2.at(0) == doctest::Approx(0.75));
  CHECK(d.r2 == doctest::Approx(1 - 1.0 / 9));
  // Noise-free linear behaviour: the smallest penalty wins and R² is 1.
  Eigen::MatrixXd X(40, 2), Y(40, 1);
  for (int i = 0; i < 40; ++i) X(i, 0) = std::sin(i), X(i, 1) = std::cos(0.3 * i), Y(i, 0) = 2 * X(i, 0) - X(i, 1) + 1;
  const RidgeDecoding lin = ridge_decode(X.topRows(30), Y.topRows(30), X.bottomRows(10), Y.bottomRows(10), nlb_ridge_alphas());
  CHECK(lin.alpha == doctest::Approx(1e-4));
  CHECK(lin.r2 > 0.9999);
  CHECK(lin.cv_r2.size() == 9);
  CHECK(lin.cv_r2.front() > lin.cv_r2.back());
}

TEST_CASE("PSTHs: Gaussian smoothing as numpy's 'same' convolution, leave-one-out means, their R²") {
  // sd 1: 6 taps e^(−(n − 2.5)²/2), normalised; an impulse at bin 5 lands on bins 3..8.
  Array<double> x({1, 12, 1});
  x[5] = 1;
  const Array<double> s = smooth_in_time(x, 1.0);
  double total = 0;
  for (int n = 0; n < 6; ++n) total += std::exp(-0.5 * std::pow(n - 2.5, 2));
  CHECK(s[5] == doctest::Approx(std::exp(-0.5 * 0.25) / total));
  CHECK(s[3] == doctest::Approx(std::exp(-0.5 * 6.25) / total));
  CHECK(s[8] == doctest::Approx(std::exp(-0.5 * 6.25) / total));
  CHECK(s[2] == 0);
  CHECK(s[9] == 0);
  // Three trials, conditions 0, 0, 1: each trial's PSTH is the other trials of its condition.
  const Array<double> spikes = array({3, 1, 1}, {1, 3, 5});
  const Array<double> p = leave_one_out_psth(spikes, {0, 0, 1}, {0, 1, 2});
  CHECK(p[0] == 3);
  CHECK(p[1] == 1);
  CHECK(std::isnan(p[2]));
  // R² over the rows with a PSTH: rates (2, 2) against PSTHs (3, 1): 1 − 2/2 = 0.
  CHECK(psth_r2(array({3, 1, 1}, {2, 2, 7}), p, "t") == doctest::Approx(0));
  CHECK(psth_r2(array({3, 1, 1}, {3, 1, NAN}), p, "t") == doctest::Approx(1));
  CHECK_THROWS_WITH_AS(psth_r2(array({3, 1, 1}, {NAN, 1, 0}), p, "t"), doctest::Contains("NaN rate"), Error);
}

TEST_CASE("score_rates: behaviour without a valid bin, and rates that do not cover the data, are refused") {
  test::TempDir dir;
  {
    OutputFile out(dir.file("nlb.h5"));
    out.h5().write("eval_spikes_heldout", array({2, 3, 1}, {0, 1, 0, 1, 0, 0}));
    out.h5().write("train_behavior", array({2, 3, 1}, {NAN, NAN, NAN, NAN, NAN, NAN}));
    out.h5().write("eval_behavior", array({2, 3, 1}, {1, 2, 3, 4, 5, 6}));
    out.commit();
  }
  const H5File data = H5File::open(dir.file("nlb.h5"));
  PredictedRates r;
  r.where = "rates";
  r.eval = array({2, 3, 2}, std::vector<double>(12, 0.4));
  r.train = r.eval;
  CHECK_THROWS_WITH_AS(score_rates(r, data, {}), doctest::Contains("0 valid train bins"), Error);
  r.eval = array({2, 2, 2}, std::vector<double>(8, 0.4));  // fewer bins than the data
  CHECK_THROWS_WITH_AS(score_rates(r, data, {}), doctest::Contains("do not match"), Error);
}
