#include "util/rng.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

namespace ctd {

namespace {
constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;

inline void mulhilo(uint32_t a, uint32_t b, uint32_t& hi, uint32_t& lo) {
  uint64_t p = uint64_t(a) * b;
  hi = uint32_t(p >> 32);
  lo = uint32_t(p);
}
}  // namespace

std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> c, std::array<uint32_t, 2> k) {
  for (int round = 0; round < 10; ++round) {
    uint32_t hi0, lo0, hi1, lo1;
    mulhilo(kMul0, c[0], hi0, lo0);
    mulhilo(kMul1, c[2], hi1, lo1);
    c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
    k[0] += kWeyl0;
    k[1] += kWeyl1;
  }
  return c;
}

RngStream::RngStream(uint64_t seed, RngDomain domain, uint64_t stream)
    : key_{uint32_t(seed), uint32_t(seed >> 32)},
      counter_{0u, uint32_t(domain), uint32_t(stream), uint32_t(stream >> 32)} {}

uint32_t RngStream::next_u32() {
  if (used_ == 4) {
    block_ = philox4x32_10(counter_, key_);
    ++counter_[0];
    used_ = 0;
  }
  return block_[used_++];
}

double RngStream::uniform() {
  // 53 random bits, shifted by half a step so that neither 0 nor 1 occurs.
  uint64_t a = next_u32() >> 5, b = next_u32() >> 6;
  return (double(a * 67108864ull + b) + 0.5) * (1.0 / 9007199254740992.0);
}

double RngStream::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double r = std::sqrt(-2.0 * std::log(uniform()));
  double theta = 2.0 * M_PI * uniform();
  spare_ = r * std::sin(theta);
  has_spare_ = true;
  return r * std::cos(theta);
}

void RngStream::fill_normal(float* out, size_t n, float scale) {
  const long half = long((n + 1) / 2);
  // Aligned buffers only: Eigen computes unaligned heads with scalar code,
  // which rounds differently, and the result must not depend on where `out` is.
  thread_local Eigen::ArrayXf u1, u2, c, s;
  u1.resize(half);
  u2.resize(half);
  for (long i = 0; i < half; ++i) {
    u1[i] = (float(next_u32() >> 8) + 0.5f) * (1.0f / 16777216.0f);  // (0,1): log is finite
    u2[i] = float(next_u32() >> 8) * (1.0f / 16777216.0f);
  }
  u1 = scale * (-2.0f * u1.log()).sqrt();
  u2 *= float(2.0 * M_PI);
  c = u1 * u2.cos();
  s = u1 * u2.sin();
  std::copy_n(c.data(), half, out);
  std::copy_n(s.data(), long(n) - half, out + half);
}

long RngStream::poisson(double lambda) {
  if (lambda <= 0.0) return 0;
  if (lambda < 10.0) {
    // Inversion by sequential search: exact and fast for small means.
    double u = uniform(), p = std::exp(-lambda), cdf = p;
    long k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= lambda / double(k);
      cdf += p;
    }
    return k;
  }
  // PTRS, transformed rejection with squeeze (Hörmann 1993), as numpy uses.
  double slam = std::sqrt(lambda), loglam = std::log(lambda);
  double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    double U = uniform() - 0.5, V = uniform();
    double us = 0.5 - std::fabs(U);
    long k = long(std::floor((2.0 * a / us + b) * U + lambda + 0.43));
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (std::log(V) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -lambda + double(k) * loglam - std::lgamma(double(k) + 1.0))
      return k;
  }
}

void shuffle(std::vector<int64_t>& v, RngStream& rng) {
  for (size_t i = v.size(); i-- > 1;) std::swap(v[i], v[std::min(i, size_t(rng.uniform() * double(i + 1)))]);
}

void partial_shuffle(std::vector<int64_t>& v, size_t k, RngStream& rng) {
  const size_t n = v.size();
  if (k >= n) return;
  for (size_t i = 0; i < k; ++i) std::swap(v[i], v[i + std::min(n - i - 1, size_t(rng.uniform() * double(n - i)))]);
  v.resize(k);
}

}  // namespace ctd
