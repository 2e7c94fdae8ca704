#include "esn/targets.hpp"

#include <cmath>
#include <vector>

namespace ctd {

TimeSeries data_esn_targets(const EsnSpec& data_spec, int M, int T, uint64_t seed) {
  ForceNetwork<double> net(init_esn(data_spec, seed));
  std::vector<double> h(size_t(T) * data_spec.N);
  net.pass(T, nullptr, nullptr, 0, h.data(), nullptr, nullptr);
  TimeSeries f(T, M);
  for (int t = 0; t < T; ++t)
    for (int m = 0; m < M; ++m) f(t, m) = h[size_t(t) * data_spec.N + m];
  return f;
}

TimeSeries sum_of_sines(int T, int M, double dt, double period_base) {
  TimeSeries f(T, M);
  const double w = M_PI / period_base, amp = 1.3 / 1.5;
  for (int t = 0; t < T; ++t) {
    double s = (t + 1) * dt;
    double v = amp * (std::sin(w * s) + std::sin(2 * w * s) / 2 + std::sin(3 * w * s) / 6 + std::sin(4 * w * s) / 3);
    for (int m = 0; m < M; ++m) f(t, m) = v;
  }
  return f;
}

}  // namespace ctd
