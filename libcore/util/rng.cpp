#include "util/rng.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

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

namespace {
#if defined(__AVX2__)
// hi and lo words of a · b per 32-bit lane (eight lanes): the even lanes' and
// the odd lanes' 64-bit products, interleaved back.
inline void mulhilo8(__m256i a, __m256i b, __m256i& hi, __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(a, b), odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32));
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}
#endif

// Blocks counter, counter + 1, … (the first word wrapping, as next_u32's)
// into out, 4 words each: the rounds of philox4x32_10 over eight counters at
// a time in AVX2 builds (dropout masks are millions of words per batch).
void philox_blocks(std::array<uint32_t, 4>& counter, std::array<uint32_t, 2> key, size_t blocks, uint32_t* out) {
  size_t b0 = 0;
#if defined(__AVX2__)
  const __m256i m0 = _mm256_set1_epi32(int(kMul0)), m1 = _mm256_set1_epi32(int(kMul1));
  for (; b0 + 8 <= blocks; b0 += 8) {
    __m256i c0 = _mm256_add_epi32(_mm256_set1_epi32(int(counter[0] + uint32_t(b0))), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256i c1 = _mm256_set1_epi32(int(counter[1])), c2 = _mm256_set1_epi32(int(counter[2])),
            c3 = _mm256_set1_epi32(int(counter[3]));
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; ++round) {
      __m256i hi0, lo0, hi1, lo1;
      mulhilo8(m0, c0, hi0, lo0);
      mulhilo8(m1, c2, hi1, lo1);
      c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(int(k0)));
      c1 = lo1;
      c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(int(k1)));
      c3 = lo0;
      k0 += kWeyl0;
      k1 += kWeyl1;
    }
    alignas(32) uint32_t w[4][8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[0]), c0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[1]), c1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[2]), c2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[3]), c3);
    for (size_t l = 0; l < 8; ++l)
      for (size_t j = 0; j < 4; ++j) out[4 * (b0 + l) + j] = w[j][l];
  }
#endif
  for (; b0 < blocks; ++b0) {
    const auto w = philox4x32_10({counter[0] + uint32_t(b0), counter[1], counter[2], counter[3]}, key);
    std::copy(w.begin(), w.end(), out + 4 * b0);
  }
  counter[0] += uint32_t(blocks);
}
}  // namespace

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

void RngStream::fill_u32(uint32_t* out, size_t n) {
  size_t i = 0;
  while (i < n && used_ < 4) out[i++] = block_[size_t(used_++)];
  const size_t blocks = (n - i) / 4;
  philox_blocks(counter_, key_, blocks, out + i);
  for (i += 4 * blocks; i < n; ++i) out[i] = next_u32();
}

void RngStream::fill_uniform(double* out, size_t n) {
  thread_local std::vector<uint32_t> words;
  words.resize(2 * n);
  fill_u32(words.data(), words.size());
  for (size_t i = 0; i < n; ++i) out[i] = uniform_from(words[2 * i], words[2 * i + 1]);
}

double RngStream::uniform() {
  const uint32_t a = next_u32();
  return uniform_from(a, next_u32());
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
