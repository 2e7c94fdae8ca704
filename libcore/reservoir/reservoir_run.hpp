// run-reservoir's whole job as one call: a reservoir (fresh or saved), the
// sequences of a task file, a readout learnt on their first steps (ridge,
// RLS or LMS), tested on the rest or on a second file, and optionally a
// closed-loop forecast; what it measured, and the file that keeps it all.
#pragma once
#include <string>

#include "io/hdf5.hpp"
#include "reservoir/fit.hpp"
#include "reservoir/fit_metrics.hpp"
#include "reservoir/forecast.hpp"
#include "reservoir/reservoir_file.hpp"

namespace ctd {

class OptionSet;

struct ReservoirRunSettings {
  ReservoirSpec spec;
  ReadoutSettings fit;
  DataSplit split;
  int generate = 0, generate_from = -1;
  double valid_threshold = 0.5;
  double lyapunov_exponent = -1;  // per time unit; -1: the input file's, if it has one
};
void register_options(OptionSet& o, ReservoirRunSettings& s);

struct ReservoirRunResult {
  ReservoirModel model;
  std::string history;         // the -p file's, carried forward
  bool trained = false, tested = false;
  double train_r2 = 0, train_nrmse = 0, test_r2 = 0, test_nrmse = 0;
  Eigen::VectorXd test_r2_per_output, test_squared_correlation;
  double memory_capacity = -1;  // memory-capacity series: Σ over delays of the squared correlation
  Array<float> predictions, test_targets;  // [B,T',M] the tested steps
  size_t test_first_step = 0;
  Forecast forecast;
  bool generated = false;
  double lyapunov_exponent = 0, dt = 1;
  double ms_train = 0, ms_test = 0;
};

// `params_file` empty: a fresh reservoir from `seed`. `options` says which
// reservoir options were given (refused with a saved reservoir).
ReservoirRunResult run_reservoir(const ReservoirRunSettings& s, const OptionSet& options, const std::string& input,
                                 const std::string& params_file, uint64_t seed);

void write_reservoir_run(H5File& out, const ReservoirRunResult& r);

}  // namespace ctd
