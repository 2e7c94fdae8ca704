// Echo-state networks with FORCE learning (SPEC.md §5): a continuous-time
// rate network with output feedback, Euler steps, and recursive least squares
// on the readout. P is symmetric: only its upper triangle is stored and
// updated (a symmetric rank-1 update), so it stays exactly symmetric.
#pragma once
#include <Eigen/Core>
#include <cstdint>

namespace ctd {

struct EsnSpec {
  int N = 500, U = 1, M = 20;  // units, inputs, outputs
  double g = 1.5;              // recurrent gain
  double sparsity = 1.0;       // share of non-zero recurrent weights (1 = dense)
  double dt = 0.1, tau = 1.0;
};

// Parameters, kept in double; a run casts them to its precision.
struct EsnParams {
  EsnSpec spec;
  Eigen::VectorXd a0;  // [N]
  Eigen::MatrixXd wI;  // [N,U]
  Eigen::MatrixXd wR;  // [N,N]
  Eigen::MatrixXd wO;  // [M,N]
  Eigen::MatrixXd wF;  // [N,M]
};

// a0 ~ 0.25·N(0,1); wI ~ N(0,1)/√U; wR ~ g·N(0,1)/√(pN) on a random share p
// of the entries (p = 1: every entry, SPEC.md); wO ~ N(0,1)/√N; wF ~ N(0,1).
EsnParams init_esn(const EsnSpec& spec, uint64_t seed);

enum class PInit { Alpha, InverseAlpha };  // P0 = α·I (the tutorial) or I/α

struct PassStats {
  double mse = 0;   // mean over steps and outputs of (z − f)²
  double nmse = 0;  // mse / variance of the targets
  double correlation = 0;  // Pearson correlation of z and the targets, all outputs pooled
};

// The per-step RLS update on its own (for tests and other learners):
// k = P h; c = 1/(1 + hᵀk); P ← P − c·k·kᵀ (upper triangle); wO ← wO − c·e·kᵀ.
// The reference the fast pass is tested against.
template <class S>
void rls_update(Eigen::Matrix<S, -1, -1>& P, Eigen::Matrix<S, -1, -1>& wO, const Eigen::Matrix<S, -1, 1>& h,
                const Eigen::Matrix<S, -1, 1>& e, Eigen::Matrix<S, -1, 1>& k);

// The network and its learner, laid out for speed: every matrix row-major,
// P stored in full (updated as P_ij −= c·(k_i·k_j), which keeps it exactly
// symmetric), and each thread owning a block of rows of wR, wF, wI and P and
// the matching columns of wO, so that a thread's share stays in its core's
// cache across the steps of a pass. Two barriers per step.
template <class S>
class ForceNetwork {
 public:
  using Mat = Eigen::Matrix<S, -1, -1, Eigen::RowMajor>;
  using Vec = Eigen::Matrix<S, -1, 1>;

  // threads = 0: the --threads setting.
  explicit ForceNetwork(const EsnParams& params, int threads = 0);

  void reset_rls(double alpha, PInit init);
  void set_P(const Eigen::MatrixXd& P);  // a saved P (symmetric)
  Eigen::MatrixXd P() const;
  EsnParams params() const;              // with the current (trained) wO

  // One pass of T steps from a0 (or, with reset = false, from where the last
  // pass ended): a ← a + dt/τ·(−a + wI x + wR h + wF z), h = tanh(a),
  // z = wO h. With learn_every = k > 0, RLS after every k-th step against
  // targets [T,M]. inputs [T,U] may be null (zeros); targets may be null when
  // not learning. Row-major outputs h [T,N], z [T,M] and the per-step mean
  // squared error err [T] are written when non-null.
  PassStats pass(int T, const double* inputs, const double* targets, int learn_every, S* h_out, S* z_out,
                 double* err_out, bool reset = true);

 private:
  EsnParams base_;
  int threads_;
  Mat wI_, wR_, wO_, wF_, P_;
  Vec a0_, a_, z_;
  Vec h_[2], k_[2];                       // double-buffered by step parity
  Eigen::Matrix<S, -1, -1> zpart_[2];     // [M, threads] partial readouts
  Eigen::Matrix<S, -1, 1> hkpart_[2];     // [threads] partial h·k
};

}  // namespace ctd
