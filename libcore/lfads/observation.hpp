// What LFADS's readout predicts about each recorded value (docs/methods.md §4,
// "Observation models"): from the factors, P parameters per unit, and the
// negative log-likelihood of the data under them.
//   poisson               1: log-rate λ (counts; the tutorial's)
//   gaussian              2: mean μ, log-variance (continuous signals)
//   gamma                 2: log-shape, log-rate (positive signals)
//   zero-inflated-gamma   3: log-shape, log-scale, logit q (a point mass at 0
//                            with probability 1−q, else a gamma above the
//                            unit's location s: deconvolved or ΔF/F traces)
// The readout's A [B, P·D] holds parameter p of unit d in column p·D + d.
#pragma once
#include <string>
#include <vector>

#include "autodiff/tape.hpp"

namespace ctd {

enum class Observation { Poisson, Gaussian, Gamma, ZeroInflatedGamma };

Observation parse_observation(const std::string& name);
const std::vector<std::string>& observation_names();
int observation_param_count(Observation o);
// The parameters in their own units, as --infer writes them (obs_NAME).
const std::vector<std::string>& observation_param_names(Observation o);

struct ObservationModel {
  Observation kind = Observation::Poisson;
  double varmin = 1e-3;         // gaussian: variance floor
  std::vector<float> location;  // zero-inflated-gamma: s per unit [D]
};

// The ZIG's location per unit: 0.9 × the unit's smallest non-zero value in
// x [B,T,D] (0 for a unit without any), so every value above zero lies
// strictly above it.
std::vector<float> zig_locations(const float* x, size_t rows, size_t D);

// Checks x [rows, D] against what the model can explain; the first offending
// value is one line naming `where`, its trial, bin and unit.
void require_observable(Observation o, const float* x, size_t B, size_t T, size_t D, const std::string& where);

// Σ w·nll over all entries of x [B,D] under A [B,P·D] (w: per-entry weights,
// may be null), and with dA non-null its gradient. The Poisson NLL omits
// log x!, the others are complete densities.
template <class S>
double observation_nll(const ObservationModel& m, const S* A, const S* x, const S* w, long B, long D, S* dA);

// The model's mean per entry [B,D] (the analogue of rates), and with params
// non-null its parameters in their own units [B, P·D] (observation_param_names).
template <class S>
void observation_mean(const ObservationModel& m, const S* A, long B, long D, S* mean, S* params);

// On the tape: the 1×1 NLL of x given a [B,P·D].
template <class S>
typename Tape<S>::Var observation_nll(Tape<S>& tape, const ObservationModel& m, typename Tape<S>::Var a,
                                      const typename Tape<S>::Mat& x, const typename Tape<S>::Mat* w);

}  // namespace ctd
