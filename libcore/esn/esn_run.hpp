// run-esn's whole job as one call: a network (fresh or saved), its targets
// (a data ESN's units, a sum of sines, or any time series), FORCE training
// passes, test passes without learning, and what they measured.
#pragma once
#include <string>
#include <vector>

#include "esn/esn.hpp"
#include "esn/targets.hpp"
#include "io/hdf5.hpp"

namespace ctd {

class OptionSet;

struct EsnRunSettings {
  std::string preset = "tutorial";  // tutorial | force
  EsnSpec spec;
  std::string target_kind = "esn", targets_spec, inputs_spec;
  double target_g = 1.8, sines_period = 60.0, alpha = 1.0;
  uint64_t target_seed = 1;
  int steps = 300, passes = 15, test_passes = 1, update_every = 1;
  std::string p_init = "alpha";
  bool resume = false, use_double = false, carry_state = false, no_states = false, zero_readout = false;
  bool steps_given = false;  // --steps was given (it must then agree with --targets)
};
void register_options(OptionSet& o, EsnRunSettings& s);
// The force preset's values for every option the user left open.
void apply_preset(OptionSet& o, EsnRunSettings& s);

struct EsnRunResult {
  EsnParams params;              // with the trained readout
  Eigen::MatrixXd P;             // the RLS state, to resume learning
  TimeSeries targets;            // [T,M]
  std::vector<double> h, z, err; // the last pass: [T,N] (empty with no_states), [T,M], [T]
  std::vector<double> z_first;   // the output during the first training pass [T,M] (empty without one)
  double train_nmse = 0, test_nmse = 0, test_correlation = 0;
  std::vector<double> pass_nmse;
  double ms_per_train_pass = 0, ms_per_test_pass = 0;
  std::string history;           // the -p file's, carried forward
};

// `params_file` empty: a fresh network from `seed`.
EsnRunResult run_esn(const EsnRunSettings& s, const std::string& params_file, uint64_t seed);

// The esn file: parameters and P, the last pass's h (float32 unless double
// precision), z, targets, error, and the measured attributes.
void write_esn_run(H5File& out, const EsnRunSettings& s, const EsnRunResult& r);

}  // namespace ctd
