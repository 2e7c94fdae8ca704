// The training loss of docs/methods.md §2 over one batch and its gradient, with the
// batch split across threads: each thread runs its slice of trials through
// single-threaded products with its own workspace, and the slices' gradients
// are summed afterwards (parallelism across trials, not inside
// one small product).
//
//   loss = Σ mask·(o − y)² / Σ mask  +  l2 · Σ‖p‖²
#pragma once
#include <vector>

#include "nn/rnn.hpp"
#include "util/cpu_room.hpp"

namespace ctd {

struct LossParts {
  double data = 0;   // masked mean squared error ("lms")
  double l2 = 0;     // l2 · Σ‖p‖²
  double total() const { return data + l2; }
};

template <class S>
class BatchLoss {
 public:
  BatchLoss(const RnnSpec& spec, int max_batch, int steps, int threads);

  // Loss and gradient (written to `grad`, not accumulated). `mask_total` > 0
  // normalises by that instead of this batch's own mask sum: a rank's share
  // of a data-parallel batch is normalised by the whole batch's.
  LossParts loss_and_grad(const S* params, const RnnBatch<S>& batch, double l2, S* grad, double mask_total = 0);
  // Loss only; with `hiddens`/`outputs` non-null also the states and outputs
  // batch-major ([B,T,N], [B,T,O]).
  LossParts loss(const S* params, const RnnBatch<S>& batch, double l2, S* hiddens = nullptr,
                 S* outputs = nullptr);

 private:
  RnnSpec spec_;
  int threads_;
  std::vector<RnnWorkspace<S>> ws_;
  std::vector<AlignedVector<S>> grads_;
  std::vector<double> sse_;
  LoopTeam team_;  // the threads that run the parts: fewer on a busy node
  LossParts run(const S* params, const RnnBatch<S>& batch, double l2, S* grad, S* hiddens, S* outputs,
                double mask_total = 0);
};

// Σ‖p‖² over all parameters (h0 and biases included).
template <class S>
double sum_of_squares(const S* p, size_t n);

}  // namespace ctd
