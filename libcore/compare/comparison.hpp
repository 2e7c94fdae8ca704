// Did a fitted model find a reference system's computation (compare-dynamics,
// docs/methods.md §8)? Two systems' trajectories over the same trials, and
// optionally their fixed points: state R² both ways, DSA, and the fixed
// points' correspondence.
#pragma once
#include <string>
#include <vector>

#include "compare/dsa.hpp"
#include "compare/fp_match.hpp"
#include "compare/ridge.hpp"

namespace ctd {

struct System {
  RowMatD states;  // [B·T, N], trial by trial
  long trials = 0, steps = 0;
  std::string where;  // FILE:DATASET, for messages
  RowMatD fps;                // [K, N] (K = 0: none given)
  std::vector<int> labels;    // per point: 0 stable, 1 marginal, 2 unstable
  std::string fps_where;
};

// States from FILE[:DATASET] ([B,T,N]; without DATASET the first of `defaults`).
System read_system(const std::string& spec, const std::vector<std::string>& defaults);
System read_system(const H5File& file, const std::string& dataset);
// Fixed points from FILE[:DATASET] (default `fps`, else the first tolerance
// group's) with their `stability` beside them; N must match the states.
void read_system_fps(System& s, const std::string& spec);
void read_system_fps(System& s, const H5File& file, std::string dataset);

struct ComparisonSettings {
  RidgeSettings ridge;
  DsaSettings dsa;
  double match_tol = 0.2;  // in spreads of the reference's states (their mean distance from the centroid)
};

struct Comparison {
  RidgeScore forward;  // fitted → reference: how much of the truth the model recovered
  RidgeScore reverse;  // reference → fitted: how much of the model the truth explains
  Eigen::MatrixXd reference_operator, fitted_operator;
  double dsa_distance = 0, dsa_relative = 0;  // relative: over the operators' mean Frobenius norm
  double reference_explained = 0, fitted_explained = 0;  // the embeddings' variance shares on the rank directions
  double spread = 0;                          // of the reference's states
  bool has_fps = false;
  RowMatD reference_fps, mapped_fps;  // the fitted points mapped into the reference's space
  std::vector<int> reference_labels, fitted_labels;
  FixedPointMatch fp;
};

// Same trials on both sides (B and T must agree: a clear error otherwise).
Comparison compare_systems(const System& reference, const System& fitted, const ComparisonSettings& s,
                           uint64_t seed);

}  // namespace ctd
