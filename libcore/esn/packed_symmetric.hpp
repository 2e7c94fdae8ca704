// The RLS matrix P of FORCE learning, stored as its upper triangle and
// updated in one sweep per learning step (docs/methods.md §5).
//
// Why a triangle: a step reads and writes all of P, and for N = 500 the full
// matrix plus the recurrent weights (2 MB in float) overflow the two cores'
// L2 caches; the triangle halves P's traffic and keeps each core's share
// resident. The rows are grouped in blocks of four that share every load of k
// and h, each block stored from a vector-aligned column so the sweep runs on
// aligned vectors. Columns are padded with zeros up to that alignment; padded
// rows and columns stay zero because k and h are zero there.
#pragma once
#include <Eigen/Core>
#include <vector>

#include "util/aligned_vector.hpp"

namespace ctd {

// The sweep's vector width: one register of the target. With 64-byte vectors
// on a 16-register AVX2 machine the four rows' accumulators spill to memory
// (run-esn's training pass took twice as long there), so AVX2 builds use 32.
#if defined(__AVX512F__)
inline constexpr int kSweepVectorBytes = 64;
#else
inline constexpr int kSweepVectorBytes = 32;
#endif

template <class S>
class PackedSymmetric {
 public:
  static constexpr int kAlign = kSweepVectorBytes / int(sizeof(S));  // columns per vector
  static constexpr int kBlock = 4;                    // rows sharing one sweep

  explicit PackedSymmetric(int n);

  int padded() const { return npad_; }  // length of the vectors a sweep reads
  int blocks() const { return (n_ + kBlock - 1) / kBlock; }

  void set_identity(S diagonal);
  void set(const Eigen::MatrixXd& full);  // takes the upper triangle
  Eigen::MatrixXd full() const;           // both triangles, in double

  // The work of one learning step on the row blocks [b0, b1): first the
  // previous step's update P ← P − c·k·kᵀ (c = 0: none), then this block's
  // share of P·h accumulated into kpart (length padded(); entries from row
  // 4·b0 on are overwritten). Returns hᵀ·kpart. k and h have length padded(),
  // zero past size(). The sum of kpart over a partition of the blocks is P·h.
  S update_and_multiply(int b0, int b1, S c, const S* k, const S* h, S* kpart);
  // Only the update, for the last step of a pass.
  void update(int b0, int b1, S c, const S* k);

  // Block boundaries that give each of `parts` threads about the same work
  // per sweep: part p owns blocks [result[p], result[p+1]).
  std::vector<int> balanced_blocks(int parts) const;

 private:
  int first_column(int b) const { return kBlock * b / kAlign * kAlign; }
  int stride(int b) const { return npad_ - first_column(b); }
  // Row i, indexed by column j >= first_column(i / kBlock).
  S* row(int i) { return data_.data() + offset_[i / kBlock] + size_t(i % kBlock) * stride(i / kBlock) - first_column(i / kBlock); }
  const S* row(int i) const { return const_cast<PackedSymmetric*>(this)->row(i); }

  int n_ = 0, npad_ = 0;
  std::vector<size_t> offset_;  // start of each block in data_
  AlignedVector<S> data_;
};

}  // namespace ctd
