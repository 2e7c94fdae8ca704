#include "esn/esn.hpp"

#include <algorithm>
#include <cmath>

#include "util/rng.hpp"

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
ForceNetwork<S>::ForceNetwork(const EsnParams& p) : base_(p) {
  wI_ = p.wI.cast<S>();
  wR_ = p.wR.cast<S>();
  wO_ = p.wO.cast<S>();
  wF_ = p.wF.cast<S>();
  a0_ = p.a0.cast<S>();
  const int N = p.spec.N, M = p.spec.M;
  a_.resize(N);
  h_.resize(N);
  z_.resize(M);
  k_.resize(N);
  v_.resize(N);
  e_.resize(M);
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
  Eigen::MatrixXd full = P_.template cast<double>();
  full.template triangularView<Eigen::StrictlyLower>() = full.transpose();
  return full;
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
  const int N = base_.spec.N, U = base_.spec.U, M = base_.spec.M;
  const S alpha = S(base_.spec.dt / base_.spec.tau);
  if (reset) {
    a_ = a0_;
    h_ = a_.array().tanh();
    z_.noalias() = wO_ * h_;
  }
  Vec x = Vec::Zero(U);
  double sse = 0, sum = 0, sum2 = 0, zsum = 0, zsum2 = 0, zf = 0;
  for (int t = 0; t < T; ++t) {
    if (inputs)
      for (int u = 0; u < U; ++u) x(u) = S(inputs[size_t(t) * U + u]);
    v_.noalias() = wR_ * h_;
    v_.noalias() += wF_ * z_;
    if (inputs) v_.noalias() += wI_ * x;
    a_ += alpha * (v_ - a_);
    h_ = a_.array().tanh();
    z_.noalias() = wO_ * h_;
    double err = 0;
    if (targets) {
      for (int m = 0; m < M; ++m) {
        double f = targets[size_t(t) * M + m];
        e_(m) = z_(m) - S(f);
        err += double(e_(m)) * double(e_(m));
        sum += f;
        sum2 += f * f;
        zsum += double(z_(m));
        zsum2 += double(z_(m)) * double(z_(m));
        zf += double(z_(m)) * f;
      }
      err /= M;
      sse += err;
      if (learn_every > 0 && (t + 1) % learn_every == 0) rls_update(P_, wO_, h_, e_, k_);
    }
    if (h_out) Eigen::Map<Vec>(h_out + size_t(t) * N, N) = h_;
    if (z_out) Eigen::Map<Vec>(z_out + size_t(t) * M, M) = z_;
    if (err_out) err_out[t] = err;
  }
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
