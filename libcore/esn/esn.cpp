#include "esn/esn.hpp"

#include <algorithm>
#include <cmath>

#include <omp.h>

#include "util/error.hpp"
#include "util/rng.hpp"
#include "util/spin_barrier.hpp"
#include "util/threads.hpp"

namespace ctd {

EsnParams init_esn(const EsnSpec& s, uint64_t seed) {
  EsnParams p;
  p.spec = s;
  const int N = s.N, U = s.U, M = s.M;
  auto draw = [&](int rows, int cols, uint64_t stream, double scale) {
    RngStream rng(seed, RngDomain::Init, stream);
    Eigen::MatrixXd m(rows, cols);
    for (int i = 0; i < rows; ++i)  // row by row, as the arrays are stored
      for (int j = 0; j < cols; ++j) m(i, j) = scale * rng.normal();
    return m;
  };
  p.a0 = draw(N, 1, 0, 0.25);
  p.wI = draw(N, U, 1, 1.0 / std::sqrt(double(U)));
  if (s.sparsity >= 1.0) {
    p.wR = draw(N, N, 2, s.g / std::sqrt(double(N)));
  } else {
    // Sparse: each entry is present with probability p, scaled so the
    // spectral radius stays about g (Sussillo & Abbott 2009).
    RngStream rng(seed, RngDomain::Init, 2);
    p.wR = Eigen::MatrixXd::Zero(N, N);
    const double scale = s.g / std::sqrt(s.sparsity * N);
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) {
        double u = rng.uniform(), z = rng.normal();
        if (u < s.sparsity) p.wR(i, j) = scale * z;
      }
  }
  p.wO = draw(M, N, 3, 1.0 / std::sqrt(double(N)));
  p.wF = draw(N, M, 4, 1.0);
  return p;
}

template <class S>
void rls_update(Eigen::Matrix<S, -1, -1>& P, Eigen::Matrix<S, -1, -1>& wO, const Eigen::Matrix<S, -1, 1>& h,
                const Eigen::Matrix<S, -1, 1>& e, Eigen::Matrix<S, -1, 1>& k) {
  k.noalias() = P.template selfadjointView<Eigen::Upper>() * h;
  const S c = S(1) / (S(1) + h.dot(k));
  P.template selfadjointView<Eigen::Upper>().rankUpdate(k, -c);
  wO.noalias() -= (c * e) * k.transpose();
}

template <class S>
ForceNetwork<S>::ForceNetwork(const EsnParams& p, int threads)
    : base_(p),
      threads_(std::max(1, std::min({threads > 0 ? threads : thread_count(), p.spec.N, omp_get_thread_limit()}))),
      P_(p.spec.N) {
  const int N = p.spec.N, M = p.spec.M;
  rows_per_thread_ = ((N + threads_ - 1) / threads_ + kLine - 1) / kLine * kLine;
  wI_ = p.wI.cast<S>();
  wR_ = p.wR.cast<S>();
  wF_ = p.wF.cast<S>();
  a0_ = p.a0.cast<S>();
  z_ = Vec::Zero(M);
  for (int b = 0; b < 2; ++b) h_[b] = Vec::Zero(P_.padded());
  p_blocks_ = P_.balanced_blocks(threads_);
  shares_.resize(static_cast<size_t>(threads_));
  auto make_share = [&](int t) {
    auto share = std::make_unique<Share>();
    share->wO = p.wO.middleCols(first_row(t), row_count(t)).template cast<S>();
    share->a = a0_.segment(first_row(t), row_count(t));
    share->kpart.assign(static_cast<size_t>(P_.padded()), S(0));
    for (auto& z : share->zpart) z.assign(static_cast<size_t>(M), S(0));
    shares_[t] = std::move(share);
  };
#pragma omp parallel num_threads(threads_)
  {
    const int id = omp_get_thread_num();
    if (id < threads_) make_share(id);
  }
  for (int t = 0; t < threads_; ++t)  // a smaller team than asked for: the rest here
    if (!shares_[t]) make_share(t);
  reset_rls(1.0, PInit::Alpha);
}

template <class S>
void ForceNetwork<S>::reset_rls(double alpha, PInit init) {
  P_.set_identity(S(init == PInit::Alpha ? alpha : 1.0 / alpha));
}

template <class S>
void ForceNetwork<S>::set_P(const Eigen::MatrixXd& P) {
  P_.set(P);
}

template <class S>
Eigen::MatrixXd ForceNetwork<S>::P() const {
  return P_.full();
}

template <class S>
EsnParams ForceNetwork<S>::params() const {
  EsnParams p = base_;
  for (int t = 0; t < threads_; ++t) p.wO.middleCols(first_row(t), row_count(t)) = shares_[t]->wO.template cast<double>();
  return p;
}

template <class S>
PassStats ForceNetwork<S>::pass(int T, const double* inputs, const double* targets, int learn_every, S* h_out,
                                S* z_out, double* err_out, bool reset) {
  const int N = base_.spec.N, U = base_.spec.U, M = base_.spec.M, nt = threads_, np = P_.padded();
  const S alpha = S(base_.spec.dt / base_.spec.tau);
  // h_[0] holds the state the pass starts from.
  if (reset) {
    h_[0].head(N) = a0_.array().tanh();
    z_.setZero();
    for (int t = 0; t < nt; ++t) z_.noalias() += shares_[t]->wO * h_[0].segment(first_row(t), row_count(t));
  }
  double sse = 0, sum = 0, sum2 = 0, zsum = 0, zsum2 = 0, zf = 0;
  SpinBarrier barrier(nt);
  bool short_team = false;

#pragma omp parallel num_threads(nt)
  if (omp_get_num_threads() != nt) {
#pragma omp single
    short_team = true;
  } else {
    const int id = omp_get_thread_num();
    const int r0 = first_row(id), nr = row_count(id);
    const int b0 = p_blocks_[id], b1 = p_blocks_[id + 1];
    auto wR = wR_.middleRows(r0, nr);
    auto wF = wF_.middleRows(r0, nr);
    auto wI = wI_.middleRows(r0, nr);
    Share& my = *shares_[id];
    if (reset) my.a = a0_.segment(r0, nr);
    Vec x = Vec::Zero(U), v(nr), z = z_, e(M), k = Vec::Zero(np);
    S pending_c = S(0);   // the last learning step's P update, P ← P − c·k·kᵀ, not yet applied
    bool learned = false;  // a learning step's P·h waits to be turned into c and k
    // After a learning step's sweep: every thread sums the parts of k = P·h
    // and hᵀk in the same order, then updates its columns of wO.
    auto finish_learning_step = [&] {
      k.setZero();
      S hk = 0;
      for (int p = 0; p < nt; ++p) {
        k += Eigen::Map<const Vec>(shares_[p]->kpart.data(), np);
        hk += shares_[p]->hk;
      }
      const S c = S(1) / (S(1) + hk);
      my.wO.noalias() -= (c * e) * k.segment(r0, nr).transpose();
      pending_c = c;
      learned = false;
    };
    for (int t = 0; t < T; ++t) {
      const int cur = t & 1, nxt = cur ^ 1;
      if (learned) finish_learning_step();
      const auto h = h_[cur].head(N);
      auto hn = h_[nxt].segment(r0, nr);
      // 1. This thread's rows of the new state and its part of the readout.
      v.noalias() = wR * h;
      v.noalias() += wF * z;
      if (inputs) {
        for (int u = 0; u < U; ++u) x(u) = S(inputs[size_t(t) * U + u]);
        v.noalias() += wI * x;
      }
      my.a += alpha * (v - my.a);
      hn = my.a.array().tanh().matrix();
      Eigen::Map<Vec>(my.zpart[cur].data(), M).noalias() = my.wO * hn;
      barrier.wait();
      // 2. Every thread sums the readout parts in the same order.
      z.setZero();
      for (int p = 0; p < nt; ++p) z += Eigen::Map<const Vec>(shares_[p]->zpart[cur].data(), M);
      double err = 0;
      if (targets) {
        for (int m = 0; m < M; ++m) {
          e(m) = z(m) - S(targets[size_t(t) * M + m]);
          err += double(e(m)) * double(e(m));
        }
        err /= M;
      }
      if (targets && learn_every > 0 && (t + 1) % learn_every == 0) {
        // 3. One sweep over this thread's rows of P: the deferred update of
        //    the last learning step, then this thread's part of P·h.
        my.hk = P_.update_and_multiply(b0, b1, pending_c, k.data(), h_[nxt].data(), my.kpart.data());
        pending_c = S(0);
        learned = true;
        barrier.wait();
      }
      if (h_out) Eigen::Map<Vec>(h_out + size_t(t) * N + r0, nr) = hn;
      if (id == 0) {
        if (z_out) Eigen::Map<Vec>(z_out + size_t(t) * M, M) = z;
        if (err_out) err_out[t] = err;
        if (targets) {
          sse += err;
          for (int m = 0; m < M; ++m) {
            double f = targets[size_t(t) * M + m], zm = double(z(m));
            sum += f;
            sum2 += f * f;
            zsum += zm;
            zsum2 += zm * zm;
            zf += zm * f;
          }
        }
      }
    }
    if (learned) finish_learning_step();
    if (pending_c != S(0)) P_.update(b0, b1, pending_c, k.data());
    if (id == 0) z_ = z;
  }
  if (short_team) throw Error("OpenMP started fewer than the " + std::to_string(nt) + " threads the network was laid out for (is OMP_DYNAMIC or OMP_THREAD_LIMIT set?)");
  if (T & 1) h_[0] = h_[1];  // the next pass (with reset = false) starts from the last state
  PassStats st;
  if (targets) {
    const double n = double(T) * M, mean = sum / n, var = sum2 / n - mean * mean;
    st.mse = sse / T;
    st.nmse = var > 0 ? st.mse / var : INFINITY;
    const double zmean = zsum / n, zvar = zsum2 / n - zmean * zmean;
    st.correlation = (zf / n - zmean * mean) / std::sqrt(std::max(1e-300, var * zvar));
  }
  return st;
}

template void rls_update<float>(Eigen::MatrixXf&, Eigen::MatrixXf&, const Eigen::VectorXf&, const Eigen::VectorXf&,
                                Eigen::VectorXf&);
template void rls_update<double>(Eigen::MatrixXd&, Eigen::MatrixXd&, const Eigen::VectorXd&,
                                 const Eigen::VectorXd&, Eigen::VectorXd&);
template class ForceNetwork<float>;
template class ForceNetwork<double>;

}  // namespace ctd
