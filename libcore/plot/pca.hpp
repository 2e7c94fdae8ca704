// Principal axes of a cloud of states, for drawing high-dimensional
// trajectories and fixed points in two or three dimensions.
#pragma once
#include <Eigen/Core>

#include "io/dataset_ref.hpp"

namespace ctd {

struct Projection {
  Eigen::RowVectorXd mean;
  Eigen::MatrixXd axes;   // [D,k], unit columns, largest variance first
  Eigen::VectorXd share;  // share of the total variance along each axis
};

// The top k principal axes of the rows of X (at most 20000 evenly spaced
// rows are used; k is capped at the dimension).
Projection principal_axes(const RowMatD& X, int k);
// Coordinates of the rows of X on the axes: [rows, k].
RowMatD project(const Projection& p, const RowMatD& X);

}  // namespace ctd
