// Periodic orbits of a trained RNN with its input held (docs/methods.md §3,
// "Periodic orbits"): states with F^k(h) = h for k up to a bound, found by
// Levenberg–Marquardt on the k-step residual, each reported once with its
// minimal period, its points in order and its Floquet multipliers (the
// eigenvalues of the monodromy matrix J(h_{k−1})···J(h_0)). A network can
// hold a memory on a stable 2-cycle where a fixed-point tool reports none.
#pragma once
#include <Eigen/Core>
#include <complex>
#include <cstdint>
#include <vector>

#include "fixedpoints/rnn_map.hpp"

namespace ctd {

class OptionSet;

struct CycleSettings {
  int max_period = 4;       // periods 1..max_period are searched
  int starts = 64;          // random starts: the initial state plus noise of init_sd
  double init_sd = 0.5;
  int transient = 200;      // each start also seeds a candidate after this many steps (0: none)
  int max_iter = 200;       // Levenberg–Marquardt iterations per candidate and period
  double tol = 1e-12;       // a cycle: mean squared residual of F^k(h) − h below this
  double unique_tol = 1e-6; // two orbits are one when a point of each lies this close (RMS per value)
};
// --max-period, --starts, --init-sd, --transient, --max-iter, --tol, --unique-tol.
void register_options(OptionSet& o, CycleSettings& s);

struct Cycle {
  int period = 0;
  Eigen::MatrixXd points;                     // [period, dim]: h, F(h), …, F^{period−1}(h)
  double q = 0;                               // mean squared residual of F^period(h) − h at points.row(0)
  std::vector<std::complex<double>> floquet;  // multipliers, largest modulus first
  int unstable = 0;                           // multipliers of modulus > 1
};

struct CycleSearch {
  std::vector<Cycle> cycles;  // by period, then most stable first
  long candidates = 0;        // candidate × period searches run
  long converged = 0;         // of them, below tol
  long outside = 0;           // converged orbits with a point outside the region the cell can reach
};

// Every distinct orbit of period ≤ s.max_period found from the candidates [R,dim].
CycleSearch find_cycles(const RnnMap<double>& map, const Eigen::MatrixXd& candidates, const CycleSettings& s,
                        int threads);

// The candidates: s.starts states h0 + N(0, init_sd²) noise (start r from its own
// stream), and, with a transient, each of them after s.transient steps of F.
Eigen::MatrixXd cycle_candidates(const RnnMap<double>& map, const Eigen::VectorXd& h0, const CycleSettings& s,
                                 uint64_t seed);

}  // namespace ctd
