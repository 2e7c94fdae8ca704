// The Lyapunov spectrum of a trained RNN with its input held (docs/methods.md
// §3, "Lyapunov spectrum"): how fast nearby trajectories separate along each
// direction, from the tangent dynamics re-orthonormalised by QR at every step
// (Benettin et al. 1980; Eckmann & Ruelle 1985), and the Kaplan–Yorke
// dimension of the attractor the trajectories settle on.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "fixedpoints/rnn_map.hpp"

namespace ctd {

class OptionSet;

struct LyapunovSettings {
  int exponents = 0;       // the k largest (0: all, the state's size)
  int steps = 2000;        // steps averaged over, per trajectory
  int transient = 500;     // steps run first, to reach the attractor
  int trajectories = 4;    // from the model's initial state plus noise of init_sd
  double init_sd = 0.5;
};
// --exponents, --steps, --transient, --trajectories, --init-sd.
void register_options(OptionSet& o, LyapunovSettings& s);

struct LyapunovSpectrum {
  Eigen::MatrixXd per_trajectory;  // [R,k] exponents per step (natural log), each row descending
  Eigen::VectorXd exponents;       // [k] their mean over trajectories
  Eigen::VectorXd spread;          // [k] their standard deviation over trajectories (0 for one)
  double kaplan_yorke = 0;         // of `exponents`
};

// The exponents of F from each start [R,dim]: h runs `transient` steps, then
// for `steps` steps Q ← qr(J(h)·Q).Q with Q [dim,k] orthonormal (the first k
// unit vectors at first), λ_i = Σ ln|R_ii| / steps. Trajectories run in parallel.
LyapunovSpectrum lyapunov_spectrum(const RnnMap<double>& map, const Eigen::MatrixXd& starts,
                                   const LyapunovSettings& s, int threads);

// Kaplan–Yorke: j the largest with λ_1 + … + λ_j ≥ 0, D = j + (λ_1 + … + λ_j)/|λ_{j+1}|
// (0 when λ_1 < 0; j = k when every partial sum is ≥ 0). λ descending.
double kaplan_yorke_dimension(const Eigen::VectorXd& lambda);

// The starts: the model's initial state h0 [dim] plus N(0, sd²) noise, trajectory r from its own stream.
Eigen::MatrixXd lyapunov_starts(const Eigen::VectorXd& h0, int trajectories, double sd, uint64_t seed);

}  // namespace ctd
