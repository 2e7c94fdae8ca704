#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "util/rng.hpp"

using namespace ctd;

TEST_CASE("philox4x32-10 matches the Random123 known-answer vectors") {
  auto a = philox4x32_10({0, 0, 0, 0}, {0, 0});
  CHECK(a == std::array<uint32_t, 4>{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u});
  auto b = philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu});
  CHECK(b == std::array<uint32_t, 4>{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu});
  auto c = philox4x32_10({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u});
  CHECK(c == std::array<uint32_t, 4>{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u});
}

TEST_CASE("streams are reproducible and distinct") {
  RngStream a(42, RngDomain::Task, 7), b(42, RngDomain::Task, 7);
  RngStream c(42, RngDomain::Task, 8), d(42, RngDomain::Init, 7), e(43, RngDomain::Task, 7);
  for (int i = 0; i < 100; ++i) {
    uint32_t x = a.next_u32();
    CHECK(x == b.next_u32());
    (void)c;
  }
  RngStream a2(42, RngDomain::Task, 7);
  int same_c = 0, same_d = 0, same_e = 0;
  for (int i = 0; i < 1000; ++i) {
    uint32_t x = a2.next_u32();
    same_c += x == c.next_u32();
    same_d += x == d.next_u32();
    same_e += x == e.next_u32();
  }
  CHECK(same_c < 3);
  CHECK(same_d < 3);
  CHECK(same_e < 3);
}

TEST_CASE("uniform and normal draws have the right moments") {
  RngStream r(1, RngDomain::Task, 0);
  const int n = 200000;
  double su = 0, su2 = 0, sn = 0, sn2 = 0, sn4 = 0;
  double umin = 1, umax = 0;
  for (int i = 0; i < n; ++i) {
    double u = r.uniform();
    umin = std::min(umin, u);
    umax = std::max(umax, u);
    su += u;
    su2 += u * u;
    double z = r.normal();
    sn += z;
    sn2 += z * z;
    sn4 += z * z * z * z;
  }
  CHECK(umin > 0.0);
  CHECK(umax < 1.0);
  CHECK(su / n == doctest::Approx(0.5).epsilon(0.005));
  CHECK(su2 / n - std::pow(su / n, 2) == doctest::Approx(1.0 / 12).epsilon(0.01));
  // Standard errors: mean 1/sqrt(n) ≈ 0.0022, variance sqrt(2/n) ≈ 0.0032.
  CHECK(std::fabs(sn / n) < 0.01);
  CHECK(std::fabs(sn2 / n - 1.0) < 0.015);
  CHECK(std::fabs(sn4 / n - 3.0) < 0.08);
}

TEST_CASE("poisson draws have mean and variance lambda") {
  for (double lam : {0.0, 0.3, 3.2, 9.9, 10.0, 25.0, 400.0}) {
    RngStream r(5, RngDomain::Spikes, uint64_t(lam * 10));
    const int n = 100000;
    double s = 0, s2 = 0;
    bool negative = false;
    for (int i = 0; i < n; ++i) {
      long k = r.poisson(lam);
      negative |= k < 0;
      s += double(k);
      s2 += double(k) * double(k);
    }
    double mean = s / n, var = s2 / n - mean * mean;
    CAPTURE(lam);
    CHECK_FALSE(negative);
    // Five standard errors of the mean and (roughly) of the variance.
    CHECK(std::fabs(mean - lam) <= 5 * std::sqrt(lam / n) + 1e-12);
    CHECK(std::fabs(var - lam) <= 5 * std::sqrt((2 * lam * lam + lam) / n) + 1e-12);
  }
}

TEST_CASE("bulk normal floats: moments, scale, reproducibility") {
  std::vector<float> a(200001), b(200001);
  RngStream r1(3, RngDomain::StateNoise, 4), r2(3, RngDomain::StateNoise, 4);
  r1.fill_normal(a.data(), a.size(), 0.5f);
  r2.fill_normal(b.data(), b.size(), 0.5f);
  CHECK(a == b);
  double s = 0, s2 = 0, s4 = 0;
  for (float v : a) {
    double z = v / 0.5;
    s += z;
    s2 += z * z;
    s4 += z * z * z * z;
  }
  const double n = double(a.size());
  CHECK(std::fabs(s / n) < 0.01);
  CHECK(std::fabs(s2 / n - 1.0) < 0.015);
  CHECK(std::fabs(s4 / n - 3.0) < 0.08);
}

TEST_CASE("bulk words and uniforms are the draws one at a time, across block boundaries") {
  for (size_t lead : {0, 1, 3, 4, 7}) {
    for (size_t n : {0, 1, 5, 64, 67, 1001}) {
      RngStream one(9, RngDomain::Dropout, 42), bulk(9, RngDomain::Dropout, 42);
      for (size_t i = 0; i < lead; ++i) {
        CHECK(one.next_u32() == bulk.next_u32());
      }
      std::vector<uint32_t> w(n);
      bulk.fill_u32(w.data(), n);
      size_t same = 0;
      for (size_t i = 0; i < n; ++i) same += one.next_u32() == w[i];
      CHECK(same == n);
      std::vector<double> u(n);
      bulk.fill_uniform(u.data(), n);
      same = 0;
      for (size_t i = 0; i < n; ++i) same += one.uniform() == u[i];
      CHECK(same == n);
      CHECK(one.next_u32() == bulk.next_u32());  // the streams go on together
    }
  }
}
