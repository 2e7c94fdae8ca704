// A dense row-major N-d array: the unit of data that moves between files and
// the numerical code. Deliberately plain: a shape and a contiguous buffer.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace ctd {

using Shape = std::vector<size_t>;

inline size_t shape_size(const Shape& s) {
  size_t n = 1;
  for (size_t d : s) n *= d;
  return n;
}

// "[128,25,1]"
std::string shape_string(const Shape& s);

template <class T>
struct Array {
  Shape shape;
  std::vector<T> data;

  Array() = default;
  explicit Array(Shape s, T fill = T()) : shape(std::move(s)), data(shape_size(shape), fill) {}

  size_t rank() const { return shape.size(); }
  size_t size() const { return data.size(); }
  size_t dim(size_t i) const { return shape.at(i); }
  T* ptr() { return data.data(); }
  const T* ptr() const { return data.data(); }
  T& operator[](size_t i) { return data[i]; }
  const T& operator[](size_t i) const { return data[i]; }
};

// The number of rows of a [..., K] array: the product of all but the last
// axis, so that a zero-width array ([B,T,0]: no inferred inputs) has its rows.
inline size_t leading_rows(const Shape& shape) {
  size_t rows = 1;
  for (size_t d = 0; d + 1 < shape.size(); ++d) rows *= shape[d];
  return rows;
}

// Along the last axis: columns [from, to) of a [..., K] array, and two arrays
// [..., P] and [..., Q] side by side (an array without a shape adds nothing;
// zero widths are arrays like others).
template <class T>
Array<T> last_axis_slice(const Array<T>& a, size_t from, size_t to) {
  const size_t K = a.shape.back(), rows = leading_rows(a.shape), n = to - from;
  Shape shape = a.shape;
  shape.back() = n;
  Array<T> out(shape);
  for (size_t r = 0; r < rows; ++r)
    for (size_t k = 0; k < n; ++k) out[r * n + k] = a[r * K + from + k];
  return out;
}
// Bins [t0, t1) and units [u0, u1) of a [B,T,D] array (a trial's observed or
// forward bins, held-in or held-out units).
template <class V>
Array<V> bins_and_units(const Array<V>& x, size_t t0, size_t t1, size_t u0, size_t u1) {
  const size_t B = x.dim(0), bins = x.dim(1), D = x.dim(2);
  Array<V> out({B, t1 - t0, u1 - u0});
  for (size_t b = 0, i = 0; b < B; ++b)
    for (size_t t = t0; t < t1; ++t)
      for (size_t u = u0; u < u1; ++u) out[i++] = x[(b * bins + t) * D + u];
  return out;
}
template <class T>
Array<T> last_axis_concat(const Array<T>& a, const Array<T>& b) {
  if (a.shape.empty()) return b;
  if (b.shape.empty()) return a;
  const size_t P = a.shape.back(), Q = b.shape.back(), rows = leading_rows(a.shape);
  Shape shape = a.shape;
  shape.back() = P + Q;
  Array<T> out(shape);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t k = 0; k < P; ++k) out[r * (P + Q) + k] = a[r * P + k];
    for (size_t k = 0; k < Q; ++k) out[r * (P + Q) + P + k] = b[r * Q + k];
  }
  return out;
}

}  // namespace ctd
