#include "esn/packed_symmetric.hpp"

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace ctd {

namespace {
// One register's worth of S through GCC's vector extensions (64 bytes with
// AVX-512, 32 with AVX2). Loads and stores go through memcpy, so they need no
// alignment (aligned data is only faster).
template <class S>
struct Simd {
  static constexpr int W = kSweepVectorBytes / int(sizeof(S));
  using I = std::conditional_t<sizeof(S) == 4, int32_t, int64_t>;
  typedef S V __attribute__((vector_size(kSweepVectorBytes)));
  typedef I Mask __attribute__((vector_size(kSweepVectorBytes)));
  static V load(const S* p) {
    V v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(S* p, V v) { __builtin_memcpy(p, &v, sizeof v); }
  static V splat(S x) { return V{} + x; }
  static Mask lanes_from(I first) {
    Mask m;
    for (int l = 0; l < W; ++l) m[l] = first + l;
    return m;
  }
  static S sum(V v) {
    S s = 0;
    for (int l = 0; l < W; ++l) s += v[l];
    return s;
  }
};

// One block of four rows i0..i0+3, stored from column fc (a multiple of W,
// fc <= i0 < fc + W): P ← P − c·k·kᵀ on the block, then its part of P·h into
// kpart. The first vector holds the triangle's corner, where lanes left of
// the diagonal are not part of the triangle, the diagonal counts once and the
// entries right of it twice (for row i and for column j).
template <class S>
void sweep_block(S* const rows[4], int i0, int fc, int npad, S c, const S* k, const S* h, S* kpart) {
  using X = Simd<S>;
  using V = typename X::V;
  const int W = X::W;
  V ck[4], hi[4], s[4];
  for (int q = 0; q < 4; ++q) {
    ck[q] = X::splat(c * k[i0 + q]);
    hi[q] = X::splat(h[i0 + q]);
    s[q] = V{};
  }
  {
    const typename X::Mask col = X::lanes_from(fc);
    const V kj = X::load(k + fc), hj = X::load(h + fc);
    V kp = X::load(kpart + fc);
    for (int q = 0; q < 4; ++q) {
      const typename X::Mask in = col >= i0 + q, right = col > i0 + q;
      const V r = X::load(rows[q] + fc), p = r - ck[q] * kj;
      X::store(rows[q] + fc, in ? p : r);
      s[q] += in ? p * hj : V{};
      kp += right ? p * hi[q] : V{};
    }
    X::store(kpart + fc, kp);
  }
  S* r0 = rows[0];
  S* r1 = rows[1];
  S* r2 = rows[2];
  S* r3 = rows[3];
  for (int j = fc + W; j < npad; j += W) {
    const V kj = X::load(k + j), hj = X::load(h + j);
    const V p0 = X::load(r0 + j) - ck[0] * kj, p1 = X::load(r1 + j) - ck[1] * kj;
    const V p2 = X::load(r2 + j) - ck[2] * kj, p3 = X::load(r3 + j) - ck[3] * kj;
    X::store(r0 + j, p0);
    X::store(r1 + j, p1);
    X::store(r2 + j, p2);
    X::store(r3 + j, p3);
    s[0] += p0 * hj;
    s[1] += p1 * hj;
    s[2] += p2 * hj;
    s[3] += p3 * hj;
    X::store(kpart + j, X::load(kpart + j) + (p0 * hi[0] + p1 * hi[1]) + (p2 * hi[2] + p3 * hi[3]));
  }
  for (int q = 0; q < 4; ++q) kpart[i0 + q] += X::sum(s[q]);
}
}  // namespace

template <class S>
PackedSymmetric<S>::PackedSymmetric(int n) : n_(n), npad_((n + kAlign - 1) / kAlign * kAlign) {
  size_t total = 0;
  for (int b = 0; b < blocks(); ++b) {
    offset_.push_back(total);
    total += size_t(kBlock) * stride(b);
  }
  data_.assign(total, S(0));
}

template <class S>
void PackedSymmetric<S>::set_identity(S diagonal) {
  std::fill(data_.begin(), data_.end(), S(0));
  for (int i = 0; i < n_; ++i) row(i)[i] = diagonal;
}

template <class S>
void PackedSymmetric<S>::set(const Eigen::MatrixXd& full) {
  std::fill(data_.begin(), data_.end(), S(0));
  for (int i = 0; i < n_; ++i)
    for (int j = i; j < n_; ++j) row(i)[j] = S(full(i, j));
}

template <class S>
Eigen::MatrixXd PackedSymmetric<S>::full() const {
  Eigen::MatrixXd m(n_, n_);
  for (int i = 0; i < n_; ++i)
    for (int j = i; j < n_; ++j) m(i, j) = m(j, i) = double(row(i)[j]);
  return m;
}

template <class S>
S PackedSymmetric<S>::update_and_multiply(int b0, int b1, S c, const S* __restrict k, const S* __restrict h,
                                          S* __restrict kpart) {
  std::fill(kpart + kBlock * b0, kpart + npad_, S(0));
  static_assert(kBlock == 4 && kAlign == Simd<S>::W && kAlign % kBlock == 0,
                "sweep_block works on four rows that share one vector of columns");
  for (int b = b0; b < b1; ++b) {
    S* rows[kBlock] = {row(kBlock * b), row(kBlock * b + 1), row(kBlock * b + 2), row(kBlock * b + 3)};
    sweep_block(rows, kBlock * b, first_column(b), npad_, c, k, h, kpart);
  }
  S hk = 0;
#pragma omp simd reduction(+ : hk)
  for (int j = kBlock * b0; j < npad_; ++j) hk += h[j] * kpart[j];
  return hk;
}

template <class S>
void PackedSymmetric<S>::update(int b0, int b1, S c, const S* __restrict k) {
  for (int i = kBlock * b0; i < kBlock * b1; ++i) {
    S* __restrict r = row(i);
    const S ck = c * k[i];
#pragma omp simd
    for (int j = i; j < npad_; ++j) r[j] -= ck * k[j];
  }
}

template <class S>
std::vector<int> PackedSymmetric<S>::balanced_blocks(int parts) const {
  // A block's sweep costs about its stored columns plus a fixed overhead (the
  // corner, four horizontal sums), measured at ~160 columns on the
  // development machine: cut the cumulative cost evenly.
  constexpr double overhead_columns = 160;
  std::vector<double> cumulative(static_cast<size_t>(blocks()) + 1, 0.0);
  for (int b = 0; b < blocks(); ++b) cumulative[b + 1] = cumulative[b] + stride(b) + overhead_columns;
  std::vector<int> cut(static_cast<size_t>(parts) + 1, blocks());
  cut[0] = 0;
  for (int p = 1; p < parts; ++p) {
    const double goal = cumulative.back() * p / parts;
    cut[p] = int(std::lower_bound(cumulative.begin(), cumulative.end(), goal) - cumulative.begin());
    cut[p] = std::max(cut[p - 1], std::min(cut[p], blocks()));
  }
  return cut;
}

template class PackedSymmetric<float>;
template class PackedSymmetric<double>;

}  // namespace ctd
