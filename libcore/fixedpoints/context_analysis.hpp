// The analysis of Mante, Sussillo, Shenoy & Newsome (2013) of a network
// trained on context-dependent integration (docs/methods.md §10): per
// context, the slow points with the context input held; how close they lie to
// a line (their first principal component's share of variance); the slowest
// mode's eigenvalue at each (≈ 1 on a line attractor); the selection vector
// (the left eigenvector of that mode, scaled so that it has product 1 with the
// unit right eigenvector, the line's direction); and each sensory input's
// projection on it — how far one step of that input moves the state along
// the line, the share of the input the network integrates.
#pragma once
#include <string>
#include <vector>

#include "fixedpoints/search.hpp"

namespace ctd {

struct ContextInput {
  std::string name;        // e.g. motion
  Eigen::VectorXd x_star;  // the held input: the context cue on, the sensory inputs 0
  RowMatD candidates;      // states to start the search from [K,N]
};

struct ContextPoints {
  std::string name;
  Eigen::VectorXd x_star;
  FixedPointSet points;         // the slow points kept, slowest first
  double pc1_fraction = 0;      // share of the points' variance on their first principal component
  Eigen::VectorXd top_eigval;   // [K] the largest real part of the Jacobian's eigenvalues
  std::vector<uint8_t> real_mode;  // [K] 1 where that eigenvalue is real (a line attractor's is)
  // Where the mode is real (elsewhere NaN: a complex pair is a rotation, no line):
  RowMatD line;                 // [K,N] unit right eigenvector of that mode, oriented so the readout grows along it
  RowMatD selection;            // [K,N] its left eigenvector, selection·line = 1
  RowMatD projection;           // [K,S] selection · ∂F/∂x_s for each sensory input s
};

struct ContextAnalysis {
  std::vector<std::string> sensory_names;  // [S]
  std::vector<ContextPoints> contexts;
  RowMatD pca_components;  // [3,N] (fewer when N < 3): principal directions of every context's points together
  Eigen::VectorXd pca_mean;
  std::vector<RowMatD> pca_points;  // per context [K,3]: its points in that space
};

// `sensory` are the input channels whose projections are measured (named by
// `sensory_names`). Each context's search runs with `search` from its own
// candidates; a context that keeps fewer than 3 points is an Error naming it.
ContextAnalysis analyze_contexts(const RnnModel& model, const std::vector<ContextInput>& contexts,
                                 const std::vector<int>& sensory, const std::vector<std::string>& sensory_names,
                                 const FixedPointSearch& search, uint64_t seed, int threads);

// The median of each per-point measure, for the table (projections over the
// points whose slowest mode is real; NaN when there is none).
struct ContextSummary {
  size_t points = 0, real_modes = 0;
  double pc1_fraction = 0, top_eigval = 0;
  std::vector<double> projection;  // [S] medians of the signed projections
};
ContextSummary summarize(const ContextPoints& c);

// The table: one row per context (points, how many have a real slowest mode,
// PC1 share, median top eigenvalue, each sensory input's median projection on
// the selection vector).
std::string context_table(const ContextAnalysis& a);

// One group per context (fps, q, x_star, top_eigval, real_mode, line_direction,
// selection_vector, input_projection, pca; its summary as attributes) and at
// the root pca_components, pca_mean and the attributes contexts,
// sensory_inputs.
void write_context_analysis(H5File& out, const ContextAnalysis& a);

}  // namespace ctd
