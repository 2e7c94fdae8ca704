#include "linalg/gemm.hpp"

#include <cblas.h>

namespace ctd {

namespace {
template <class S>
void scale(S* C, long m, long n, long ldc, S beta) {
  for (long i = 0; i < m; ++i)
    for (long j = 0; j < n; ++j) C[i * ldc + j] = beta == S(0) ? S(0) : beta * C[i * ldc + j];
}

template <class S>
void eigen_gemm(bool ta, bool tb, long m, long n, long k, const S* A, long lda, const S* B, long ldb, S beta, S* C,
                long ldc) {
  using RowMat = Eigen::Matrix<S, -1, -1, Eigen::RowMajor>;
  using In = Eigen::Map<const RowMat, 0, Eigen::OuterStride<>>;
  if (m == 0 || n == 0) return;
  Eigen::Map<RowMat, 0, Eigen::OuterStride<>> c(C, m, n, Eigen::OuterStride<>(ldc));
  if (beta != S(1)) scale(C, m, n, ldc, beta);
  if (k == 0) return;
  In a(A, ta ? k : m, ta ? m : k, Eigen::OuterStride<>(lda)), b(B, tb ? n : k, tb ? k : n, Eigen::OuterStride<>(ldb));
  if (!ta && !tb) c.noalias() += a * b;
  if (!ta && tb) c.noalias() += a * b.transpose();
  if (ta && !tb) c.noalias() += a.transpose() * b;
  if (ta && tb) c.noalias() += a.transpose() * b.transpose();
}
}  // namespace

template <>
void gemm_raw<float>(bool ta, bool tb, long m, long n, long k, const float* A, long lda, const float* B, long ldb,
                     float beta, float* C, long ldc) {
#if defined(__AVX512F__)
  // Built for AVX-512: Eigen's own kernels measured faster than OpenBLAS's at LFADS's sizes (bench/RESULTS.md).
  eigen_gemm(ta, tb, m, n, k, A, lda, B, ldb, beta, C, ldc);
#else
  if (m == 0 || n == 0) return;
  if (k == 0) {  // an empty product (a GRU without inputs): BLAS would refuse the strides
    if (beta != 1.0f) scale(C, m, n, ldc, beta);
    return;
  }
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(m), int(n), int(k),
              1.0f, A, int(lda), B, int(ldb), beta, C, int(ldc));
#endif
}

template <>
void gemm_raw<double>(bool ta, bool tb, long m, long n, long k, const double* A, long lda, const double* B, long ldb,
                      double beta, double* C, long ldc) {
  eigen_gemm(ta, tb, m, n, k, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace ctd
