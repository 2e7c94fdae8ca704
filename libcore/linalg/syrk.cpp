#include "linalg/syrk.hpp"

#include <cblas.h>

namespace ctd {

void syrk_lower_add(long n, long k, const double* Z, long ldz, double* C, long ldc) {
  cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, int(n), int(k), 1.0, Z, int(ldz), 1.0, C, int(ldc));
}

}  // namespace ctd
