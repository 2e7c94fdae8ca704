#include "io/matrix_io.hpp"

#include "util/error.hpp"

namespace ctd {

void write_matrix(H5File& out, const std::string& name, const Eigen::MatrixXd& m) {
  RowMatD r = m;
  out.write(name, Shape{size_t(m.rows()), size_t(m.cols())}, r.data());
}

void write_matrix_f32(H5File& out, const std::string& name, const Eigen::MatrixXd& m) {
  Eigen::Matrix<float, -1, -1, Eigen::RowMajor> r = m.cast<float>();
  out.write(name, Shape{size_t(m.rows()), size_t(m.cols())}, r.data());
}

Eigen::MatrixXd read_matrix(const H5File& in, const std::string& name, size_t rows, size_t cols) {
  Array<double> a = in.read<double>(name);
  if (a.shape != Shape{rows, cols})
    throw Error(in.where(name) + " has shape " + shape_string(a.shape) + " but " + shape_string({rows, cols}) +
                " is required");
  require_finite(a, in.where(name));
  return Eigen::Map<RowMatD>(a.ptr(), long(rows), long(cols));
}

}  // namespace ctd
