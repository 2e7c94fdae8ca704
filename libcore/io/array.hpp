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

}  // namespace ctd
