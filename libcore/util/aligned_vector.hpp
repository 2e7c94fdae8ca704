// Buffers that the matrix products touch. Eigen's kernels take different
// paths (and round differently) for differently aligned data, so a fixed
// alignment is what makes a run repeatable bit for bit.
#pragma once
#include <Eigen/Core>
#include <vector>

namespace ctd {

template <class T>
using AlignedVector = std::vector<T, Eigen::aligned_allocator<T>>;

}  // namespace ctd
