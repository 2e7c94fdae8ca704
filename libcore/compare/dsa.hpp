// Dynamical similarity analysis (Ostrow et al., NeurIPS 2023; docs/methods.md
// §7): each system's trajectories are delay-embedded, a reduced-rank linear
// operator is fitted to them (DMD on the top principal directions of the
// embedding), and two systems are as far apart as their operators are after
// the best orthogonal change of coordinates:
//   d(A, B) = min over orthogonal C of ‖A − C B Cᵀ‖_F.
// A rotated copy of a system is at distance ~0; the distance does not
// change when a system's states are scaled or shifted.
#pragma once
#include <Eigen/Core>
#include <cstdint>

#include "io/dataset_ref.hpp"

namespace ctd {

struct DsaSettings {
  int delays = 4;        // copies of the state in a delay vector: [x_t, x_{t-1}, ..., x_{t-delays+1}]
  int rank = 10;         // principal directions of the embedding the operator acts on
  int restarts = 8;      // starts of the orthogonal search: the best sign flip, identity, a reflection, then random
  int iterations = 20000; // per start at most (it stops where the gradient vanishes)
  bool whiten = true;    // unit variance along each principal direction: any invertible linear map then counts as a rotation
};

// The [rank,rank] operator A with z_{t+1} ≈ A z_t, z the coordinates of the
// delay vectors (of the states less their mean) on their top `rank`
// principal directions, fitted by least squares over consecutive steps within each trial of X
// (rows in trials of `steps`). `what` names the system in messages;
// `explained` (if given) receives the share of the embedding's variance on
// those directions (a rank much below the system's dimension compares a
// part of it; far above, its noise).
Eigen::MatrixXd dmd_operator(const RowMatD& X, long steps, const DsaSettings& s, const std::string& what,
                             double* explained = nullptr);

struct ProcrustesFit {
  double distance = 0;  // ‖A − C B Cᵀ‖_F at the best C found
  Eigen::MatrixXd C;
};
// The minimum over orthogonal C by Riemannian gradient descent on O(n) (Cayley
// steps with a backtracking line search) from `restarts` starts; the best.
ProcrustesFit vector_field_procrustes(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const DsaSettings& s,
                                      uint64_t seed);

}  // namespace ctd
