// Echo-state networks with FORCE learning (docs/methods.md §5): a continuous-time
// rate network with output feedback, Euler steps, and recursive least squares
// on the readout. P is symmetric: only its upper triangle is stored and
// updated (a symmetric rank-1 update), so it stays exactly symmetric.
#pragma once
#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "esn/packed_symmetric.hpp"
#include "util/share_runner.hpp"

namespace ctd {

struct EsnSpec {
  int N = 500, U = 1, M = 20;  // units, inputs, outputs
  double g = 1.5;              // recurrent gain
  double sparsity = 1.0;       // share of non-zero recurrent weights (1 = dense)
  double dt = 0.1, tau = 1.0;
};
class OptionSet;
// --n, --outputs, --inputs-dim, --g, --sparsity, --dt, --tau.
void register_options(OptionSet& o, EsnSpec& s);

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
// of the entries (p = 1: every entry, docs/methods.md); wO ~ N(0,1)/√N; wF ~ N(0,1).
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

// The network and its learner, laid out for speed: the weights row-major,
// each thread owning a block of rows of wR, wF, wI (and the matching columns
// of wO) and a block of rows of P's upper triangle, so that a thread's share
// stays in its core's cache across the steps of a pass. The threads meet once
// per step, on a spinning barrier (on a node without a free CPU for each of
// them, one thread carries every share, with the same arithmetic). A step's
// RLS update is completed in the next step (its P update during that step's
// sweep over P, so P is read once per step; its wO update before the readout
// is summed, the readout parts having been computed with the old wO and
// corrected by c·e·(kᵀh)).
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

  // Test hooks: run the next `passes` passes with one thread carrying every
  // share; and in the next team pass, hand over to one thread after phase n.
  // Either gives the same result as the team would.
  void carry_shares_alone(int passes) { runner_.carry_alone(passes); }
  void carry_after_phase(int n) { runner_.carry_after_phase(n); }
  // How many phases (steps + 1) of the last pass the team ran; one thread ran the rest.
  int phases_in_team() const { return runner_.phases_in_team(); }

 private:
  static constexpr int kLine = 64 / int(sizeof(S));  // entries per cache line

  // What one thread writes during a pass, allocated by that thread itself so
  // that it lies in the thread's own malloc arena, away from what the other
  // cores write: measured on the development machine, the same wO update ran
  // 8× slower on columns allocated next to the other thread's.
  struct Share {
    Mat wO;                     // its columns of wO [M, rows]
    Vec a;                      // its rows of the state a
    // Partial sums for the other threads, double-buffered by step parity
    // (written in one phase, read in the next).
    AlignedVector<S> kpart[2];  // its part of P·h [P_.padded()]
    AlignedVector<S> zpart[2];  // its part of the readout [M] (wO without the last RLS update)
    S hk[2] = {0, 0};           // its part of hᵀ·P·h
  };

  int first_row(int thread) const { return std::min(base_.spec.N, thread * rows_per_thread_); }
  int row_count(int thread) const { return first_row(thread + 1) - first_row(thread); }

  EsnParams base_;
  int threads_;
  int rows_per_thread_;               // a multiple of 16, so threads never write the same cache line of h
  Mat wR_;
  // Column-major, so the narrow wI and wF multiply as a few long axpys rather
  // than many short dots.
  Eigen::Matrix<S, -1, -1> wI_, wF_;
  PackedSymmetric<S> P_;
  std::vector<int> p_blocks_;         // thread t sweeps P's row blocks [p_blocks_[t], p_blocks_[t+1])
  std::vector<std::unique_ptr<Share>> shares_;
  Vec a0_, z_;
  Vec h_[2];                          // double-buffered by step parity, zero-padded to P_.padded()
  ShareRunner runner_;                // who runs the shares' phases: the team, or one thread
};

}  // namespace ctd
