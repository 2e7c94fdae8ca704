#include "esn/esn.hpp"

#include <algorithm>
#include <cmath>

#include <omp.h>

#include "util/rng.hpp"
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

namespace {
// One row of the symmetric rank-1 update fused with the next product:
// P_ij −= c·(k_i·k_j) for all j, then returns Σ_j P_ij·h_j. The product
// k_i·k_j is the same for (i,j) and (j,i), so P stays exactly symmetric.
template <class S>
S update_row_and_dot(S* __restrict row, S c, S ki, const S* __restrict k, const S* __restrict h, int n) {
  S acc = 0;
#pragma omp simd reduction(+ : acc)
  for (int j = 0; j < n; ++j) {
    S p = row[j] - c * (ki * k[j]);
    row[j] = p;
    acc += p * h[j];
  }
  return acc;
}
}  // namespace

template <class S>
ForceNetwork<S>::ForceNetwork(const EsnParams& p, int threads)
    : base_(p), threads_(std::max(1, std::min(threads > 0 ? threads : thread_count(), p.spec.N))) {
  wI_ = p.wI.cast<S>();
  wR_ = p.wR.cast<S>();
  wO_ = p.wO.cast<S>();
  wF_ = p.wF.cast<S>();
  a0_ = p.a0.cast<S>();
  const int N = p.spec.N, M = p.spec.M;
  a_.resize(N);
  z_.resize(M);
  for (int b = 0; b < 2; ++b) {
    h_[b] = Vec::Zero(N);
    k_[b] = Vec::Zero(N);
    zpart_[b] = Eigen::Matrix<S, -1, -1>::Zero(M, threads_);
    hkpart_[b] = Eigen::Matrix<S, -1, 1>::Zero(threads_);
  }
  reset_rls(1.0, PInit::Alpha);
}

template <class S>
void ForceNetwork<S>::reset_rls(double alpha, PInit init) {
  const int N = base_.spec.N;
  P_ = Mat::Identity(N, N) * S(init == PInit::Alpha ? alpha : 1.0 / alpha);
}

template <class S>
void ForceNetwork<S>::set_P(const Eigen::MatrixXd& P) {
  P_ = P.cast<S>();
}

template <class S>
Eigen::MatrixXd ForceNetwork<S>::P() const {
  return P_.template cast<double>();
}

template <class S>
EsnParams ForceNetwork<S>::params() const {
  EsnParams p = base_;
  p.wO = wO_.template cast<double>();
  return p;
}

template <class S>
PassStats ForceNetwork<S>::pass(int T, const double* inputs, const double* targets, int learn_every, S* h_out,
                                S* z_out, double* err_out, bool reset) {
  const int N = base_.spec.N, U = base_.spec.U, M = base_.spec.M, nt = threads_;
  const S alpha = S(base_.spec.dt / base_.spec.tau);
  // h_[0] holds the state the pass starts from.
  if (reset) {
    a_ = a0_;
    h_[0] = a_.array().tanh();
    z_.noalias() = wO_ * h_[0];
  }
  double sse = 0, sum = 0, sum2 = 0, zsum = 0, zsum2 = 0, zf = 0;
  const int rows = (N + nt - 1) / nt;

#pragma omp parallel num_threads(nt)
  {
    const int id = omp_get_thread_num();
    const int r0 = std::min(N, id * rows), nr = std::min(N, r0 + rows) - r0;
    auto wR = wR_.middleRows(r0, nr);
    auto wF = wF_.middleRows(r0, nr);
    auto wI = wI_.middleRows(r0, nr);
    auto Prows = P_.middleRows(r0, nr);
    auto wOcols = wO_.middleCols(r0, nr);
    auto a = a_.segment(r0, nr);
    Vec x = Vec::Zero(U), v(nr), z = z_, e(M);
    S pending_c = S(0);           // the last RLS step's P update, not yet applied
    const Vec* pending_k = nullptr;
    int learn_steps = 0;
    for (int t = 0; t < T; ++t) {
      const int cur = t & 1, nxt = cur ^ 1;
      const Vec& h = h_[cur];
      auto hn = h_[nxt].segment(r0, nr);
      // 1. This thread's rows of the new state.
      v.noalias() = wR * h;
      v.noalias() += wF * z;
      if (inputs) {
        for (int u = 0; u < U; ++u) x(u) = S(inputs[size_t(t) * U + u]);
        v.noalias() += wI * x;
      }
      a += alpha * (v - a);
      hn = a.array().tanh().matrix();
      zpart_[cur].col(id).noalias() = wOcols * hn;
#pragma omp barrier
      // 2. Every thread sums the readout parts in the same order.
      z = zpart_[cur].rowwise().sum();
      const Vec& hnew = h_[nxt];
      double err = 0;
      if (targets) {
        for (int m = 0; m < M; ++m) {
          e(m) = z(m) - S(targets[size_t(t) * M + m]);
          err += double(e(m)) * double(e(m));
        }
        err /= M;
      }
      if (targets && learn_every > 0 && (t + 1) % learn_every == 0) {
        // 3. One sweep over this thread's rows of P: apply the previous
        //    update (deferred to here, so P is read once per step), then
        //    k_i = P_i·h while the row is in L1.
        // k and h·k alternate by learning step: the deferred update still reads the last k.
        const int kb = learn_steps++ & 1;
        auto k = k_[kb].segment(r0, nr);
        for (int i = 0; i < nr; ++i) {
          S* row = Prows.row(i).data();
          k(i) = pending_c != S(0) ? update_row_and_dot(row, pending_c, (*pending_k)(r0 + i), pending_k->data(), hnew.data(), N)
                                   : Eigen::Map<const Vec>(row, N).dot(hnew);
        }
        hkpart_[kb](id) = k.dot(hnew.segment(r0, nr));
#pragma omp barrier
        const S c = S(1) / (S(1) + hkpart_[kb].sum());
        wOcols.noalias() -= (c * e) * k.transpose();
        pending_c = c;
        pending_k = &k_[kb];
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
    if (pending_c != S(0))
      for (int i = 0; i < nr; ++i)
        Prows.row(i).array() -= pending_c * ((*pending_k)(r0 + i) * pending_k->transpose().array());
    if (id == 0) z_ = z;
  }
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
