// Eigen matrices to and from 2-D datasets, with the shape checked on reading.
#pragma once
#include <Eigen/Core>
#include <string>

#include "io/hdf5.hpp"

namespace ctd {

using RowMatD = Eigen::Matrix<double, -1, -1, Eigen::RowMajor>;

void write_matrix(H5File& out, const std::string& name, const Eigen::MatrixXd& m);      // float64
void write_matrix_f32(H5File& out, const std::string& name, const Eigen::MatrixXd& m);  // float32
// A [rows,cols] dataset of finite values (an error naming the shapes otherwise).
Eigen::MatrixXd read_matrix(const H5File& in, const std::string& name, size_t rows, size_t cols);

}  // namespace ctd
