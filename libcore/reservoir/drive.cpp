#include "reservoir/drive.hpp"

namespace ctd {

Eigen::MatrixXd step_columns(const Array<float>& a, size_t t) {
  const size_t B = a.dim(0), T = a.dim(1), K = a.dim(2);
  Eigen::MatrixXd m(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(B));
  for (size_t b = 0; b < B; ++b)
    for (size_t k = 0; k < K; ++k) m(long(k), long(b)) = a[(b * T + t) * K + k];
  return m;
}

bool step_counts(const Array<float>& mask, size_t b, size_t t) {
  const size_t T = mask.dim(1), K = mask.dim(2);
  for (size_t k = 0; k < K; ++k)
    if (mask[(b * T + t) * K + k] == 0) return false;
  return true;
}

}  // namespace ctd
