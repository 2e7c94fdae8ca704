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

  // Loss and gradient (written to `grad`, not accumulated).
  LossParts loss_and_grad(const S* params, const RnnBatch<S>& batch, double l2, S* grad);
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
  LossParts run(const S* params, const RnnBatch<S>& batch, double l2, S* grad, S* hiddens, S* outputs);
};

// Σ‖p‖² over all parameters (h0 and biases included).
template <class S>
double sum_of_squares(const S* p, size_t n);

}  // namespace ctd
