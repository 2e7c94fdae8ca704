// C += Z·Zᵀ on C's lower triangle (column-major, double): the normal
// equations of a least-squares fit, as OpenBLAS's dsyrk computes them — half
// the work of a product, and measured twice as fast here as Eigen's
// rankUpdate at n = 1000 (bench/RESULTS.md, session 17).
#pragma once

namespace ctd {

// C [n,n] (leading dimension ldc) += Z [n,k] (leading dimension ldz) · Zᵀ.
void syrk_lower_add(long n, long k, const double* Z, long ldz, double* C, long ldc);

}  // namespace ctd
