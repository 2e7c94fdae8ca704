#include "esn/esn.hpp"

#include <algorithm>
#include <memory>
#include <cmath>

#include <omp.h>

#include "util/error.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"
#include "util/threads.hpp"

namespace ctd {

void register_options(OptionSet& o, EsnSpec& s) {
  o.group("Network");
  o.add("n", s.N, "Units N").min(1);
  o.add("outputs", s.M, "Outputs M").min(1);
  o.add("inputs-dim", s.U, "Inputs U (zeros unless --inputs)").min(1);
  o.add("g", s.g, "Gain of the trained network's recurrent weights").range(0, 1e3);
  o.add("sparsity", s.sparsity, "Share of non-zero recurrent weights (1 = dense)").range(1e-6, 1);
  o.add("dt", s.dt, "Euler step").positive();
  o.add("tau", s.tau, "Time constant").positive();
}

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
      P_(p.spec.N),
      runner_(threads_) {
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
    for (auto& k : share->kpart) k.assign(static_cast<size_t>(P_.padded()), S(0));
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

  // What each share keeps between phases (its thread's, or the one thread's
  // that carries every share when the node is contended).
  struct alignas(64) Local {
    Vec x, v, z, e, k;
    S c = S(0);              // the last RLS update: P ← P − c·k·kᵀ, wO ← wO − c·e·kᵀ
    bool p_pending = false;  // its P update still to be applied (during the next sweep)
    bool learned = false;    // the last phase swept P
  };
  // Each thread allocates its share's locals itself, away from what the other
  // cores write (written next to each other they cost as much as the step).
  std::vector<std::unique_ptr<Local>> locals(static_cast<size_t>(nt));
  auto make_local = [&](int id) {
    auto L = std::make_unique<Local>();
    L->x = Vec::Zero(U), L->v = Vec(row_count(id)), L->z = z_, L->e = Vec::Zero(M), L->k = Vec::Zero(np);
    if (reset) shares_[id]->a = a0_.segment(first_row(id), row_count(id));
    locals[size_t(id)] = std::move(L);
  };
  // Completes share id's learning step from all shares' parts (buffer b):
  // k = P·h, c = 1/(1 + hᵀk), and the share's columns of wO ← wO − c·e·kᵀ.
  auto complete_update = [&](int id, Local& L, int b) {
    L.k.setZero();
    S hk = 0;
    for (int p = 0; p < nt; ++p) {
      L.k += Eigen::Map<const Vec>(shares_[p]->kpart[b].data(), np);
      hk += shares_[p]->hk[b];
    }
    L.c = S(1) / (S(1) + hk);
    for (int m = 0; m < M; ++m) shares_[id]->wO.row(m) -= (L.c * L.e(m)) * L.k.segment(first_row(id), row_count(id)).transpose();
    L.p_pending = true;
  };
  // Phase n (n = 0 … T) of share id. It knows h_n and, from phase n − 1, the
  // readout parts of wO·h_n and the parts of P·h_{n−1} if step n − 1
  // learned. It completes z_n and the update of step n − 1, learns from z_n
  // against targets row n − 1 (the sweep over P with h_n), and makes its rows
  // of h_{n+1}. A phase reads only the other parity's buffers of the other
  // shares, so the shares of one phase may run in parallel or one after the
  // other with the same arithmetic.
  auto phase = [&](int id, int n) {
    Local& L = *locals[size_t(id)];
    Share& my = *shares_[id];
    const int r0 = first_row(id), nr = row_count(id), cur = n & 1, prev = cur ^ 1;
    const auto h = h_[cur].head(N);
    double err = 0;
    if (n > 0) {
      S correction = 0;  // the readout parts lack the last update: wO·h − c·e·(kᵀh)
      if (L.learned) {
        complete_update(id, L, prev);
        correction = L.c * L.k.head(N).dot(h);
      }
      L.z.setZero();
      for (int p = 0; p < nt; ++p) L.z += Eigen::Map<const Vec>(shares_[p]->zpart[cur].data(), M);
      if (L.learned) L.z -= correction * L.e;
      L.learned = false;
      if (targets) {
        for (int m = 0; m < M; ++m) {
          L.e(m) = L.z(m) - S(targets[size_t(n - 1) * M + m]);
          err += double(L.e(m)) * double(L.e(m));
        }
        err /= M;
      }
      if (targets && learn_every > 0 && n % learn_every == 0) {
        // One sweep over this share's rows of P: the deferred P update of
        // the last learning step, then this share's part of P·h.
        my.hk[cur] = P_.update_and_multiply(p_blocks_[id], p_blocks_[id + 1], L.p_pending ? L.c : S(0), L.k.data(),
                                            h_[cur].data(), my.kpart[cur].data());
        L.p_pending = false;
        L.learned = true;
      }
      if (id == 0) {
        const size_t t = size_t(n - 1);
        if (z_out) Eigen::Map<Vec>(z_out + t * M, M) = L.z;
        if (err_out) err_out[t] = err;
        if (targets) {
          sse += err;
          for (int m = 0; m < M; ++m) {
            double f = targets[t * M + m], zm = double(L.z(m));
            sum += f;
            sum2 += f * f;
            zsum += zm;
            zsum2 += zm * zm;
            zf += zm * f;
          }
        }
      }
    }
    if (n < T) {
      // This share's rows of h_{n+1} and its part of the readout.
      auto hn = h_[prev].segment(r0, nr);
      L.v.noalias() = wR_.middleRows(r0, nr) * h;
      L.v.noalias() += wF_.middleRows(r0, nr) * L.z;
      if (inputs) {
        for (int u = 0; u < U; ++u) L.x(u) = S(inputs[size_t(n) * U + u]);
        L.v.noalias() += wI_.middleRows(r0, nr) * L.x;
      }
      my.a += alpha * (L.v - my.a);
      hn = my.a.array().tanh().matrix();
      Eigen::Map<Vec>(my.zpart[prev].data(), M).noalias() = my.wO * hn;
      if (h_out) Eigen::Map<Vec>(h_out + size_t(n) * N + r0, nr) = hn;
    }
  };

  // The threads run their shares in step, meeting once per phase (or one
  // thread carries them all: the same arithmetic).
  runner_.run(T, make_local, phase);
  // The last step's learning, completed from every share's part.
  for (int id = 0; id < nt; ++id) {
    Local& L = *locals[size_t(id)];
    if (L.learned) complete_update(id, L, T & 1);
    if (L.p_pending) P_.update(p_blocks_[id], p_blocks_[id + 1], L.c, L.k.data());
  }
  z_ = locals[0]->z;
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
