// How well the linearisation explains a network's response to inputs, and
// where states sit relative to the fixed points (the contextual-processing
// analysis, docs/methods.md §6): for states h and input vectors x, the
// predicted one-step change ∂F/∂x·x next to the true F(h, x*+x) − F(h, x*);
// and for each state its nearest fixed point p, the deflection h − p and its
// alignment with the left eigenvectors of the Jacobian at p.
#pragma once
#include <vector>

#include "fixedpoints/finder.hpp"
#include "io/hdf5.hpp"

namespace ctd {

struct InputEffects {
  RowMatD inputs;  // [V,U]
  // [K,V,N] and [K,V,O], row-major: state k, input v.
  std::vector<double> predicted_delta, true_delta, predicted_readout, true_readout;
  double readout_correlation = 0;  // Pearson, over every state and input
};
InputEffects input_effects(const RnnMap<double>& map, const RowMatD& states, const RowMatD& inputs, int threads);

struct Deflections {
  std::vector<int64_t> nearest;                  // [K] row of the nearest fixed point
  RowMatD deflection;                            // [K,N] h − p
  Eigen::Matrix<std::complex<double>, -1, -1, Eigen::RowMajor> eigvals;  // [K,N] at p
  RowMatD cosines;                               // [K,N] |cos| of the deflection with each left eigenvector
};
Deflections deflections(const RnnMap<double>& map, const RowMatD& states, const RowMatD& fixed_points, EigSort sort,
                        double stability_tol, int threads);

// input_vectors, predicted_delta, true_delta, predicted_readout, true_readout, readout_correlation.
void write_input_effects(H5File& out, const InputEffects& e, size_t K, size_t N, size_t O);
// nearest_fp, deflection, nearest_eigvals, deflection_cosines.
void write_deflections(H5File& out, const Deflections& d);

}  // namespace ctd
