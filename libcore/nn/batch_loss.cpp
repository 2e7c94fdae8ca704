#include "nn/batch_loss.hpp"

#include <omp.h>

#include <algorithm>

namespace ctd {

template <class S>
double sum_of_squares(const S* p, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += double(p[i]) * double(p[i]);
  return s;
}

template <class S>
BatchLoss<S>::BatchLoss(const RnnSpec& spec, int max_batch, int steps, int threads)
    : spec_(spec), threads_(std::max(1, std::min(threads, max_batch))) {
  ws_.resize(size_t(threads_));
  grads_.assign(size_t(threads_), AlignedVector<S>(param_count(spec)));
  sse_.resize(size_t(threads_));
  const int slice = (max_batch + threads_ - 1) / threads_;
  for (auto& w : ws_) w.reserve(spec, slice, steps);
}

template <class S>
LossParts BatchLoss<S>::run(const S* params, const RnnBatch<S>& batch, double l2, S* grad, S* hiddens,
                            S* outputs, double mask_total) {
  const int B = batch.B, T = batch.T, U = spec_.U, O = spec_.O, N = state_size(spec_);  // values per state
  double mask_sum = 0;
  for (size_t i = 0, n = size_t(B) * T * O; i < n; ++i) mask_sum += batch.mask ? double(batch.mask[i]) : 1.0;
  if (mask_total > 0) mask_sum = mask_total;
  const S scale = mask_sum > 0 ? S(1.0 / mask_sum) : S(0);
  const int nt = std::min(threads_, B);
  const int slice = (B + nt - 1) / nt;
  // The parts of the batch are fixed by the thread count; the team that runs
  // them may be smaller on a busy node (util/cpu_room.hpp), with the same result.
#pragma omp parallel for num_threads(team_.start(nt)) schedule(static, 1)
  for (int k = 0; k < nt; ++k) {
    const LoopTeam::Part timed(team_);
    const int b0 = k * slice, nb = std::min(B, b0 + slice) - b0;
    sse_[size_t(k)] = 0;
    if (nb <= 0) continue;
    RnnBatch<S> part = batch;
    part.B = nb;
    part.x = batch.x + size_t(b0) * T * U;
    part.y = batch.y + size_t(b0) * T * O;
    if (batch.mask) part.mask = batch.mask + size_t(b0) * T * O;
    if (batch.h0s) part.h0s = batch.h0s + size_t(b0) * N;
    if (batch.noise) part.noise = batch.noise + size_t(b0) * T * N;
    RnnWorkspace<S>& ws = ws_[size_t(k)];
    rnn_forward(spec_, params, part, ws);
    sse_[size_t(k)] = masked_sse_and_grad(spec_, part, ws, scale);
    if (hiddens || outputs)
      copy_out(spec_, ws, hiddens ? hiddens + size_t(b0) * T * N : nullptr,
               outputs ? outputs + size_t(b0) * T * O : nullptr);
    if (grad) {
      std::fill(grads_[size_t(k)].begin(), grads_[size_t(k)].end(), S(0));
      rnn_backward(spec_, params, part, ws, grads_[size_t(k)].data());
    }
  }
  const size_t P = param_count(spec_);
  LossParts parts;
  for (int k = 0; k < nt; ++k) parts.data += sse_[size_t(k)];
  parts.data *= double(scale);
  parts.l2 = l2 * sum_of_squares(params, P);
  if (grad) {
    // Summed in a fixed order, so a run is repeatable for a given thread count.
    for (size_t i = 0; i < P; ++i) {
      S g = S(2 * l2) * params[i];
      for (int k = 0; k < nt; ++k) g += grads_[size_t(k)][i];
      grad[i] = g;
    }
  }
  return parts;
}

template <class S>
LossParts BatchLoss<S>::loss_and_grad(const S* params, const RnnBatch<S>& batch, double l2, S* grad,
                                      double mask_total) {
  return run(params, batch, l2, grad, nullptr, nullptr, mask_total);
}

template <class S>
LossParts BatchLoss<S>::loss(const S* params, const RnnBatch<S>& batch, double l2, S* hiddens, S* outputs) {
  return run(params, batch, l2, nullptr, hiddens, outputs);
}

template class BatchLoss<float>;
template class BatchLoss<double>;
template double sum_of_squares<float>(const float*, size_t);
template double sum_of_squares<double>(const double*, size_t);

}  // namespace ctd
