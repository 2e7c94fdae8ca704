// C = β·C + op(A)·op(B) on row-major matrices or blocks of them (the cells' and the tape's
// matrix products). In a build without AVX-512 (-march=x86-64-v3, or a
// native build on an AVX2 machine) float goes to OpenBLAS's sgemm, whose
// kernels are chosen for the CPU at run time: a portable build still gets the
// machine's widest vectors (13 % faster per LFADS batch on an AVX-512 CPU).
// An AVX-512 build and double (the gradient checks) stay in Eigen.
#pragma once
#include <Eigen/Core>

namespace ctd {

// Raw form: op(A) is m×k, op(B) k×n, C m×n; ld* are row strides.
template <class S>
void gemm_raw(bool trans_a, bool trans_b, long m, long n, long k, const S* A, long lda, const S* B, long ldb, S beta,
              S* C, long ldc);

template <class DA, class DB, class DC>
void gemm(const DA& a, bool trans_a, const DB& b, bool trans_b, DC&& c, typename DA::Scalar beta) {
  const long m = trans_a ? a.cols() : a.rows(), k = trans_a ? a.rows() : a.cols(), n = trans_b ? b.rows() : b.cols();
  eigen_assert(c.rows() == m && c.cols() == n && (trans_b ? b.cols() : b.rows()) == k);
  gemm_raw<typename DA::Scalar>(trans_a, trans_b, m, n, k, a.data(), a.outerStride(), b.data(), b.outerStride(), beta,
                                c.data(), c.outerStride());
}

}  // namespace ctd
