// The buffers a recurrent cell keeps between its forward and backward steps
// (nn/cell.hpp): planes of rows, each plane its own contiguous matrix.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace ctd {

// What a forward step keeps for its backward step (and backward for the
// weight gradients): up to six planes, plane p holding R rows of widths[p]
// values. Planes rather than one interleaved buffer, so that a plane over
// every time step of a batch is one matrix for the weight gradients.
template <class S>
struct Planes {
  std::array<S*, 6> p{};
  // The planes from row `row` on.
  Planes at(size_t row, const std::vector<int>& widths) const {
    Planes out;
    for (size_t i = 0; i < widths.size(); ++i) out.p[i] = p[i] + row * size_t(widths[i]);
    return out;
  }
  operator Planes<const S>() const {
    Planes<const S> c;
    for (size_t i = 0; i < p.size(); ++i) c.p[i] = p[i];
    return c;
  }
};

// Storage for planes of R rows, left uninitialised (the forward step writes
// them before anything reads them): the fixed-point map sizes one per call,
// and zeroing megabytes each time would cost as much as the step.
template <class S>
struct PlaneBuffer {
  Eigen::Matrix<S, -1, 1> data;  // Eigen's aligned storage, as AlignedVector's
  Planes<S> planes;
  void resize(size_t rows, const std::vector<int>& widths) {
    size_t total = 0;
    for (int w : widths) total += rows * size_t(w);
    if (size_t(data.size()) < total) data.resize(Eigen::Index(total));
    planes = {};
    size_t offset = 0;
    for (size_t i = 0; i < widths.size(); ++i) {
      planes.p[i] = data.data() + offset;
      offset += rows * size_t(widths[i]);
    }
  }
};

}  // namespace ctd
