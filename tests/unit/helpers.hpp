// Shared helpers of the unit tests: scratch folders and fixtures.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "esn/targets.hpp"
#include "nn/rnn.hpp"
#include "nn/rnn_model.hpp"

namespace ctd::test {

// A fresh folder under the system temp dir, removed with its contents at scope end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Number of entries in the folder (to check that no temp file remains).
  size_t entries() const;

 private:
  std::filesystem::path path_;
};

// One spec of every cell and nonlinearity, for tests that must hold for all.
inline std::vector<RnnSpec> every_cell(int N, int U, int O) {
  std::vector<RnnSpec> specs;
  for (Cell c : {Cell::Vanilla, Cell::Gru, Cell::TorchRnn, Cell::TorchGru, Cell::Lstm, Cell::Leaky})
    specs.push_back({c, N, U, O, 0.5, Activation::Tanh, c == Cell::Leaky ? 0.3 : 1.0});
  specs.push_back({Cell::TorchRnn, N, U, O, 0.5, Activation::Relu, 1.0});
  specs.push_back({Cell::Leaky, N, U, O, 0.5, Activation::Softplus, 0.2});
  return specs;
}
inline std::string spec_name(const RnnSpec& s) {
  return std::string(cell_name(s.cell)) + "/" + activation_name(s.act);
}

// A vanilla network h' = tanh(W h + w_I x + b) of one input, every input weight
// `input_weight`, for systems whose fixed points and orbits are known by hand.
inline RnnModel vanilla_network(const Eigen::MatrixXd& W, const Eigen::VectorXd& b, float input_weight = 0.0f) {
  const int N = int(W.rows());
  RnnModel m = init_rnn({Cell::Vanilla, N, 1, 1, 0.5}, RnnInit{}, 1);
  for (int i = 0; i < N; ++i) {
    m.param("bR")[i] = float(b(i));
    m.param("wI")[i] = input_weight;
    for (int j = 0; j < N; ++j) m.param("wR")[i * N + j] = float(W(i, j));
  }
  return m;
}

// A small echo-state network (seed `seed`) and targets of the tutorial's kind
// for it: the first M units of a data ESN of gain 1.8 (seed `target_seed`), T steps.
struct SmallEsn {
  EsnParams params;
  TimeSeries targets;
};
inline SmallEsn small_esn(int N, int M, int T, uint64_t seed, uint64_t target_seed) {
  EsnSpec spec;
  spec.N = N;
  spec.M = M;
  EsnSpec data = spec;
  data.g = 1.8;
  return {init_esn(spec, seed), data_esn_targets(data, M, T, target_seed)};
}

inline std::string fixture(const std::string& name) { return std::string(CTD_FIXTURES) + "/" + name; }

}  // namespace ctd::test
