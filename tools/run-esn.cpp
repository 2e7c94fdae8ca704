// run-esn: echo-state networks trained with FORCE (recursive least squares on
// the readout), SPEC.md §5 — the tutorial's setup, targets from any HDF5 time
// series, and the classic FORCE setup of Sussillo & Abbott (2009).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "cli/tool.hpp"
#include "esn/esn_file.hpp"
#include "esn/targets.hpp"
#include "io/dataset_ref.hpp"
#include "io/output.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"

namespace {

using ctd::fmt;

// "FILE:DATASET" → a [T,K] series (a [T] dataset counts as K = 1).
ctd::TimeSeries read_series(const std::string& spec, const char* option) {
  ctd::DatasetRef ref = ctd::parse_dataset_ref(spec, true, option);
  ctd::H5File f = ctd::H5File::open(ref.file);
  const std::string& ds = ref.dataset;
  ctd::Array<double> a = f.read<double>(ds);
  if (a.rank() != 1 && a.rank() != 2)
    throw ctd::Error(f.where(ds) + " has shape " + ctd::shape_string(a.shape) + " but [T,K] is required");
  ctd::require_finite(a, f.where(ds));
  const long T = long(a.dim(0)), K = a.rank() == 2 ? long(a.dim(1)) : 1;
  if (T == 0 || K == 0) throw ctd::Error(f.where(ds) + " is empty");
  return Eigen::Map<ctd::TimeSeries>(a.ptr(), T, K);
}

struct Settings {
  ctd::EsnSpec spec;
  std::string target_kind = "esn", targets_spec, inputs_spec;
  double target_g = 1.8, sines_period = 60.0, alpha = 1.0;
  uint64_t target_seed = 1;
  int steps = 300, passes = 15, test_passes = 1, update_every = 1;
  std::string p_init = "alpha";
  bool resume = false, use_double = false, carry_state = false, no_states = false, zero_readout = false;
};

template <class S>
void run(ctd::Tool& tool, const Settings& s, ctd::OutputFile& out) {
  // The network: fresh, or from a file.
  ctd::EsnParams params;
  Eigen::MatrixXd saved_P;
  std::string history;
  if (!tool.params.empty()) {
    ctd::H5File in = ctd::H5File::open(tool.params);
    ctd::EsnFile f = ctd::read_esn_file(in);
    params = f.params;
    saved_P = f.P;
    history = ctd::read_history(in);
    if (s.resume && saved_P.size() == 0) throw ctd::Error(tool.params + ": no dataset 'P' to resume learning from");
  } else {
    if (s.resume) throw ctd::UsageError("--resume needs -p FILE (a file written by run-esn)");
    params = ctd::init_esn(s.spec, tool.seed);
    if (s.zero_readout) params.wO.setZero();
  }
  const int N = params.spec.N, M = params.spec.M, U = params.spec.U;

  // The targets and inputs.
  ctd::TimeSeries targets, inputs;
  if (!s.targets_spec.empty()) {
    targets = read_series(s.targets_spec, "--targets");
  } else if (s.target_kind == "esn") {
    ctd::EsnSpec data = params.spec;
    data.g = s.target_g;
    data.sparsity = 1.0;
    if (s.spec.M > N) throw ctd::UsageError("--outputs must not exceed --n for data-ESN targets");
    targets = ctd::data_esn_targets(data, M, s.steps, s.target_seed);
  } else {
    targets = ctd::sum_of_sines(s.steps, M, params.spec.dt, s.sines_period);
  }
  const int T = int(targets.rows());
  if (targets.cols() != M)
    throw ctd::Error(s.targets_spec + ": targets have " + std::to_string(targets.cols()) + " columns but the network has " +
                     std::to_string(M) + " outputs (--outputs)");
  if (!s.targets_spec.empty() && tool.app().count("--steps") && s.steps != T)
    throw ctd::Error(s.targets_spec + ": targets have " + std::to_string(T) + " steps but --steps is " +
                     std::to_string(s.steps));
  if (!s.inputs_spec.empty()) {
    inputs = read_series(s.inputs_spec, "--inputs");
    if (inputs.rows() != T)
      throw ctd::Error(s.inputs_spec + ": inputs have " + std::to_string(inputs.rows()) + " steps but the targets have " +
                       std::to_string(T));
    if (inputs.cols() != U)
      throw ctd::Error(s.inputs_spec + ": inputs have " + std::to_string(inputs.cols()) + " columns but the network has U=" +
                       std::to_string(U) + " (--inputs-dim)");
  }
  const double* x = inputs.size() ? inputs.data() : nullptr;

  ctd::ForceNetwork<S> net(params);
  if (s.resume)
    net.set_P(saved_P);
  else
    net.reset_rls(s.alpha, s.p_init == "alpha" ? ctd::PInit::Alpha : ctd::PInit::InverseAlpha);

  using Clock = std::chrono::steady_clock;
  std::vector<double> pass_nmse;
  ctd::PassStats train{}, test{};
  auto t0 = Clock::now();
  for (int p = 0; p < s.passes; ++p) {
    train = net.pass(T, x, targets.data(), s.update_every, nullptr, nullptr, nullptr, p == 0 || !s.carry_state);
    pass_nmse.push_back(train.nmse);
    ctd::log_verbose("training pass " + std::to_string(p + 1) + "/" + std::to_string(s.passes) + ": NMSE " +
                     fmt("%.3e", train.nmse));
  }
  const double ms_train = s.passes ? std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / s.passes : 0;
  std::vector<S> h(s.no_states ? 0 : size_t(T) * N), z(size_t(T) * M);
  std::vector<double> err(static_cast<size_t>(T));
  t0 = Clock::now();
  for (int p = 0; p < s.test_passes; ++p) {
    test = net.pass(T, x, targets.data(), 0, h.empty() ? nullptr : h.data(), z.data(), err.data(),
                    !s.carry_state || s.passes + p == 0);
    pass_nmse.push_back(test.nmse);
  }
  const double ms_test = s.test_passes ? std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / s.test_passes : 0;
  if (s.test_passes == 0) {  // run-only output of the trained network
    test = net.pass(T, x, targets.data(), 0, h.empty() ? nullptr : h.data(), z.data(), err.data(), !s.carry_state);
  }
  if (s.passes) ctd::log_info("training: " + std::to_string(s.passes) + " passes of " + std::to_string(T) + " steps, NMSE of the last " +
                              fmt("%.3e", train.nmse) + ", " + fmt("%.2f", ms_train) + " ms per pass");
  ctd::log_info("test (no learning): NMSE " + fmt("%.3e", test.nmse) + ", correlation " + fmt("%.5f", test.correlation) +
                (s.test_passes ? ", " + fmt("%.2f", ms_test) + " ms per pass" : ""));

  ctd::H5File& o = out.h5();
  ctd::write_esn_params(o, net.params(), net.P());
  if (!h.empty()) o.write("h", ctd::Shape{size_t(T), size_t(N)}, h.data());
  o.write("z", ctd::Shape{size_t(T), size_t(M)}, z.data());
  o.write("targets", ctd::Shape{size_t(T), size_t(M)}, targets.data());
  o.write("error", ctd::Shape{size_t(T)}, err.data());
  ctd::write_provenance(o, "esn", tool.run_info(), history);
  if (s.passes) o.write_attribute("train_nmse", train.nmse);
  o.write_attribute("test_nmse", test.nmse);
  o.write_attribute("test_correlation", test.correlation);
  o.write_attribute("pass_nmse", pass_nmse);
  o.write_attribute("ms_per_train_pass", ms_train);
  o.write_attribute("ms_per_test_pass", ms_test);
  out.commit();
}

}  // namespace

int main(int argc, char** argv) {
  ctd::Tool tool("run-esn",
                 "Train an echo-state network's readout with FORCE (recursive least squares) and run it: the "
                 "tutorial's setup by default, targets from any HDF5 time series, or the classic FORCE setup.",
                 "run-esn --passes 15 --seed 1 -o esn.h5");
  auto& app = tool.app();
  Settings s;
  std::string preset = "tutorial";
  tool.add_output("Output esn file")->required();
  tool.add_params("Start from a network saved by run-esn (parameters and, with --resume, P)");
  auto* o_preset = app.add_option("--preset", preset,
                                  "tutorial: SPEC.md §5 (N 500, 20 data-ESN targets, 15 passes); force: Sussillo & "
                                  "Abbott 2009 (N 1000, sparse, sum of sines, learn every 2 steps, 4 passes)")
                       ->check(CLI::IsMember({"tutorial", "force"}));
  auto* o_n = app.add_option("--n", s.spec.N, "Units N")->check(CLI::PositiveNumber);
  auto* o_m = app.add_option("--outputs", s.spec.M, "Outputs M")->check(CLI::PositiveNumber);
  app.add_option("--inputs-dim", s.spec.U, "Inputs U (zeros unless --inputs)")->check(CLI::PositiveNumber);
  app.add_option("--g", s.spec.g, "Gain of the trained network's recurrent weights");
  auto* o_sp = app.add_option("--sparsity", s.spec.sparsity, "Share of non-zero recurrent weights (1 = dense)")
                   ->check(CLI::Range(1e-6, 1.0));
  app.add_option("--dt", s.spec.dt, "Euler step")->check(CLI::PositiveNumber);
  app.add_option("--tau", s.spec.tau, "Time constant")->check(CLI::PositiveNumber);
  auto* o_kind = app.add_option("--target", s.target_kind, "Generated targets: esn (a data ESN's first units) | sines")
                     ->check(CLI::IsMember({"esn", "sines"}));
  app.add_option("--target-g", s.target_g, "Gain of the data ESN that makes the targets");
  app.add_option("--target-seed", s.target_seed, "Seed of the data ESN");
  app.add_option("--sines-period", s.sines_period, "Sum of sines: f = 1/period (time units; the pattern repeats every 2·period)")
      ->check(CLI::PositiveNumber);
  app.add_option("--targets", s.targets_spec, "Targets from a file: FILE:DATASET, [T,M]");
  app.add_option("--inputs", s.inputs_spec, "Inputs from a file: FILE:DATASET, [T,U]");
  auto* o_steps = app.add_option("--steps", s.steps, "Steps per pass (generated targets)")->check(CLI::PositiveNumber);
  auto* o_passes = app.add_option("--passes", s.passes, "Training passes over the targets (0: run only)")
                       ->check(CLI::NonNegativeNumber);
  app.add_option("--test-passes", s.test_passes, "Passes without learning after training")->check(CLI::NonNegativeNumber);
  app.add_option("--alpha", s.alpha, "RLS regulariser α")->check(CLI::PositiveNumber);
  app.add_option("--p-init", s.p_init, "P0 = α·I (alpha, the tutorial's) or I/α (inverse-alpha, some libraries')")
      ->check(CLI::IsMember({"alpha", "inverse-alpha"}));
  auto* o_every = app.add_option("--update-every", s.update_every, "RLS update every k steps")->check(CLI::PositiveNumber);
  auto* o_carry = app.add_flag("--carry-state", s.carry_state,
                               "Passes continue from where the last one ended (default: every pass starts at a0)");
  app.add_flag("--resume", s.resume, "With -p: continue learning with the saved P (else P restarts at P0)");
  auto* o_zero = app.add_flag("--zero-readout", s.zero_readout, "Start the readout wO at zero (as Sussillo & Abbott)");
  auto* o_double = app.add_flag("--double", s.use_double, "Compute in double precision (float by default)");
  app.add_flag("--no-states", s.no_states, "Do not write the states h [T,N]");

  tool.on_parsed([&] {
    if (preset == "force") {
      ctd::Tool::set_default(o_n, s.spec.N, 1000);
      ctd::Tool::set_default(o_m, s.spec.M, 1);
      ctd::Tool::set_default(o_sp, s.spec.sparsity, 0.1);
      ctd::Tool::set_default(o_kind, s.target_kind, std::string("sines"));
      ctd::Tool::set_default(o_steps, s.steps, 14400);  // 1440 time units: 12 periods of the target
      // SPEC.md leaves the training time open; with 2 passes (twice the
      // paper's 1440 time units) 2 of seeds 1-6 drifted below a test
      // correlation of 0.99, with 4 passes 1 of seeds 1-12 (bench/RESULTS.md).
      ctd::Tool::set_default(o_passes, s.passes, 4);
      ctd::Tool::set_default(o_every, s.update_every, 2);
      if (o_carry->count() == 0) s.carry_state = true;
      if (o_zero->count() == 0) s.zero_readout = true;
      if (o_double->count() == 0) s.use_double = true;  // 7200 RLS updates at N=1000 drift in float
    }
    (void)o_preset;
  });

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    if (s.use_double)
      run<double>(tool, s, out);
    else
      run<float>(tool, s, out);
  });
}
