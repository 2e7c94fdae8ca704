#include <doctest/doctest.h>

#include <cmath>

#include "tasks/integrator.hpp"
#include "util/error.hpp"

using namespace ctd;

TEST_CASE("integrator task: bias and noise moments match docs/methods.md §1") {
  IntegratorTask task;  // bval 0.01, sval 0.025, T 25, duration 1
  const size_t B = 20000;
  const int T = task.steps;
  TaskData d = generate_integrator_task(task, 3, B);
  // Per trial: the mean input estimates the bias (plus noise/sqrt(T));
  // deviations from that mean estimate the noise.
  const double dt = task.duration / T;
  const double noise_sd = task.noise / std::sqrt(dt);  // 0.125
  double sum_mean = 0, sum_mean2 = 0, sum_dev2 = 0;
  for (size_t b = 0; b < B; ++b) {
    double m = 0;
    for (int t = 0; t < T; ++t) m += d.inputs[b * T + t];
    m /= T;
    sum_mean += m;
    sum_mean2 += m * m;
    for (int t = 0; t < T; ++t) sum_dev2 += std::pow(d.inputs[b * T + t] - m, 2);
  }
  double mean_bias = sum_mean / B;
  double var_trial_mean = sum_mean2 / B - mean_bias * mean_bias;
  double noise_var = sum_dev2 / (B * (T - 1.0));
  // E[bias] = bval*2*(0-0.5) = -bval; Var[bias] = 4 bval^2; Var[trial mean] = 4 bval^2 + noise^2/T.
  double expected_var = 4 * task.bias * task.bias + noise_sd * noise_sd / T;
  CHECK(std::fabs(mean_bias - (-task.bias)) < 5 * std::sqrt(expected_var / B));
  CHECK(var_trial_mean == doctest::Approx(expected_var).epsilon(5 * std::sqrt(2.0 / B)));
  CHECK(noise_var == doctest::Approx(noise_sd * noise_sd).epsilon(5 * std::sqrt(2.0 / (B * (T - 1.0)))));
  // Targets are the running sum (no dt), the mask is all ones.
  for (size_t b = 0; b < 50; ++b) {
    double s = 0;
    for (int t = 0; t < T; ++t) {
      s += d.inputs[b * T + t];
      CHECK(d.targets[b * T + t] == doctest::Approx(s).epsilon(1e-5));
      CHECK(d.target_mask[b * T + t] == 1.0f);
    }
  }
}

TEST_CASE("decision task: target is the sign of the integral, only at the last step") {
  IntegratorTask task;
  task.kind = IntegratorKind::Decision;
  const size_t B = 2000;
  const int T = task.steps;
  TaskData d = generate_integrator_task(task, 11, B);
  int positives = 0;
  for (size_t b = 0; b < B; ++b) {
    double s = 0;
    for (int t = 0; t < T; ++t) s += d.inputs[b * T + t];
    for (int t = 0; t < T - 1; ++t) {
      CHECK(d.targets[b * T + t] == 0.0f);
      CHECK(d.target_mask[b * T + t] == 0.0f);
    }
    CHECK(d.target_mask[b * T + T - 1] == 1.0f);
    CHECK(d.targets[b * T + T - 1] == (s > 0 ? 1.0f : -1.0f));
    positives += s > 0;
  }
  // The mean bias is -bval, so slightly fewer than half the trials are positive.
  CHECK(positives > 0.35 * B);
  CHECK(positives < 0.5 * B);
}

TEST_CASE("trial k is the same whatever the batch it is generated in") {
  IntegratorTask task;
  TaskData all = generate_integrator_task(task, 9, 100);
  TaskData part = generate_integrator_task(task, 9, 10, 37);  // trials 37..46
  for (size_t i = 0; i < 10 * size_t(task.steps); ++i) {
    CHECK(part.inputs[i] == all.inputs[37 * task.steps + i]);
    CHECK(part.targets[i] == all.targets[37 * task.steps + i]);
  }
  TaskData again = generate_integrator_task(task, 9, 100);
  CHECK(again.inputs.data == all.inputs.data);
  TaskData other_seed = generate_integrator_task(task, 10, 100);
  CHECK(other_seed.inputs.data != all.inputs.data);
}

TEST_CASE("bad task settings are usage errors") {
  IntegratorTask t;
  t.steps = 0;
  CHECK_THROWS_AS(validate(t), UsageError);
  t = IntegratorTask();
  t.duration = -1;
  CHECK_THROWS_AS(validate(t), UsageError);
  t = IntegratorTask();
  t.noise = std::nan("");
  CHECK_THROWS_AS(validate(t), UsageError);
  CHECK_THROWS_AS(parse_integrator_kind("integrate"), UsageError);
}

TEST_CASE("zero steps append zero inputs and hold the target") {
  IntegratorTask task;
  task.steps = 7;
  task.duration = 0.28;
  task.zero_steps = 1;
  TaskData d = generate_integrator_task(task, 4, 30);
  REQUIRE(d.inputs.shape == Shape{30, 8, 1});
  IntegratorTask plain = task;
  plain.zero_steps = 0;
  TaskData p = generate_integrator_task(plain, 4, 30);
  for (size_t b = 0; b < 30; ++b) {
    for (size_t t = 0; t < 7; ++t) CHECK(d.inputs[b * 8 + t] == p.inputs[b * 7 + t]);
    CHECK(d.inputs[b * 8 + 7] == 0.0f);
    CHECK(d.targets[b * 8 + 7] == d.targets[b * 8 + 6]);
  }
}
