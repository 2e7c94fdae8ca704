// A discrete-time leaky echo-state reservoir (docs/methods.md §11; Jaeger
// 2001, Lukoševičius 2012): x ← (1−a)·x + a·f(W_in [1; u] + W x + W_fb y),
// f = tanh or the identity. W is sparse, drawn N(0,1) on a random share of
// its entries (or a ring of equal weights) and rescaled to the requested
// spectral radius, which is computed (the largest |eigenvalue|), never assumed.
#pragma once
#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <cstdint>
#include <string>

#include "io/matrix_io.hpp"

namespace ctd {

class OptionSet;

struct ReservoirSpec {
  int units = 100;
  double spectral_radius = 0.9;
  double leak = 1.0;                 // a in (0, 1]; 1: the standard ESN
  double input_scaling = 1.0;        // W_in's entries are ±input_scaling (Bernoulli, as ReservoirPy)
  double bias_scaling = 1.0;         // the bias column's entries are ±bias_scaling
  double connectivity = 0.1;         // share of W's entries that are non-zero
  double input_connectivity = 0.1;   // share of W_in's (and the bias's) entries that are non-zero
  bool feedback = false;             // output feedback W_fb y
  double feedback_scaling = 1.0;
  double feedback_connectivity = 0.1;
  std::string activation = "tanh";   // tanh | identity
  std::string topology = "random";   // random | ring (Rodan & Tiňo 2011's simple cycle reservoir)
};
// --units, --spectral-radius, --leak, --input-scaling, ... (group "Reservoir");
// `searched`: without the three a grid search varies.
void register_options(OptionSet& o, ReservoirSpec& s, bool searched = false);
// The checks the options cannot make alone (one clear line each).
void validate(const ReservoirSpec& s);

struct Reservoir {
  ReservoirSpec spec;
  int inputs = 0, outputs = 0;            // U, and M (the feedback's width)
  Eigen::SparseMatrix<double, Eigen::RowMajor> W;  // [N,N]
  RowMatD W_in;                        // [N,1+U]: column 0 is the bias
  RowMatD W_fb;                        // [N,M], empty without feedback
  double measured_radius = 0;             // W's spectral radius as rescaled

  int N() const { return spec.units; }
  // One step for B sequences at once: x [N,B] (a column per sequence), u
  // [U,B], y [M,B] the fed-back outputs (ignored without feedback).
  void step(Eigen::MatrixXd& x, const Eigen::MatrixXd& u, const Eigen::MatrixXd& y) const;
};

// Draws a reservoir for U inputs and M outputs from `seed`.
Reservoir make_reservoir(const ReservoirSpec& spec, int U, int M, uint64_t seed);

// The largest |eigenvalue| of a square matrix (dense eigen-decomposition: O(N³)).
double spectral_radius(const Eigen::MatrixXd& W);

}  // namespace ctd
