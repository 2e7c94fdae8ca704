// The Neural Latents Benchmark's metrics on cases worked out by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "helpers.hpp"
#include "io/output.hpp"
#include "scoring/bits_per_spike.hpp"
#include "scoring/nlb_score.hpp"
#include "scoring/decoding.hpp"
#include "scoring/psth.hpp"
#include "scoring/timing.hpp"
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

TEST_CASE("tp corr: neural speed over the valid bins, Pearson r per condition, the median") {
  // Trial b moves along unit 0 at speed v_b through its valid bins (bins 1..3);
  // bin 0 is outside the measured period (NaN held-out spikes) and jumps far away.
  const std::vector<double> speed = {1, 2, 3, 1, 2, 1, 2, 4, 9};
  const std::vector<double> tp = {1, 3, 2, 5, 1, 2, 4, 8, 0};
  const std::vector<std::vector<double>> condition = {{0, 0}, {0, 0}, {0, 0}, {1, 0}, {1, 0},
                                                      {0, 1}, {0, 1}, {0, 1}, {NAN, NAN}};
  const size_t B = speed.size(), T = 4, D = 2;
  Array<double> rates({B, T, D}), held_out({B, T, 1}), behavior({B, 4});
  for (size_t b = 0; b < B; ++b) {
    for (size_t t = 0; t < T; ++t) {
      rates[(b * T + t) * D] = t == 0 ? 1000.0 : speed[b] * double(t);
      rates[(b * T + t) * D + 1] = b == B - 1 ? NAN : 0.5;  // the trial without a condition is never read
      held_out[b * T + t] = t == 0 ? NAN : 1.0;
    }
    behavior[b * 4] = condition[b][0];
    behavior[b * 4 + 1] = condition[b][1];
    behavior[b * 4 + 2] = 7;  // t_s, not a condition column here
    behavior[b * 4 + 3] = tp[b];
  }
  // Per condition r = 0.5, −1 and 1 (worked by hand): the median 0.5.
  CHECK(tp_correlation(rates, held_out, behavior, {0, 1}, "r") == doctest::Approx(0.5).epsilon(1e-12));
  CHECK_THROWS_WITH_AS(tp_correlation(rates, held_out, behavior, {0, 3}, "r"), doctest::Contains("condition column 3"),
                       Error);
  behavior[4 * 4] = 5;  // trial 4 alone in a condition of its own
  CHECK_THROWS_WITH_AS(tp_correlation(rates, held_out, behavior, {0, 1}, "r"), doctest::Contains("single eval trial"),
                       Error);
}

TEST_CASE("score_rates: a timing dataset (behaviour [trials, columns]) is scored by tp corr") {
  test::TempDir dir;
  {
    OutputFile out(dir.file("rsg.h5"));
    out.h5().write("eval_spikes_heldout", array({4, 3, 1}, {NAN, 1, 0, NAN, 0, 1, NAN, 1, 1, NAN, 0, 0}));
    out.h5().write("eval_behavior", array({4, 2}, {0, 10, 0, 20, 1, 30, 1, 10}));
    out.commit();
  }
  const H5File data = H5File::open(dir.file("rsg.h5"));
  PredictedRates r;
  r.where = "rates";
  // Speeds (bins 1 and 2): 1, 2 in condition 0 (t_p 10, 20: r = 1); 1, 3 in condition 1 (t_p 30, 10: r = −1).
  r.eval = array({4, 3, 2}, {0, 0, 0.5, 0, 1.5, 0, 0, 0, 0, 1, 0, 3, 0, 0, 2, 0, 3, 0, 0, 0, 0, 0, 3, 0});
  ScoreSettings s;
  s.tp_condition_columns = {0};
  const auto scores = score_rates(r, data, s);
  REQUIRE(scores.size() == 2);
  CHECK(scores[0].first == "co-bps");
  CHECK(scores[1].first == "tp corr");
  CHECK(scores[1].second == doctest::Approx(0).epsilon(1e-12));  // the median of 1 and −1
}
