#include "scoring/bits_per_spike.hpp"

#include <cmath>
#include <vector>

#include "util/error.hpp"

namespace ctd {

double bits_per_spike(const Array<double>& rates, const Array<double>& spikes, const std::string& what) {
  if (rates.shape != spikes.shape)
    throw Error(what + ": rates of shape " + shape_string(rates.shape) + " but spikes of shape " +
                shape_string(spikes.shape));
  const size_t N = spikes.rank() == 3 ? spikes.dim(2) : 0, rows = N ? spikes.size() / N : 0;
  std::vector<double> mean(N, 0), n(N, 0);
  for (size_t i = 0; i < rows; ++i)
    for (size_t k = 0; k < N; ++k) {
      const double y = spikes[i * N + k], r = rates[i * N + k];
      if (std::isnan(y)) continue;
      if (std::isnan(r))
        throw Error(what + ": a NaN rate (trial " + std::to_string(i / spikes.dim(1)) + ", bin " +
                    std::to_string(i % spikes.dim(1)) + ", unit " + std::to_string(k) + ") where there are spikes");
      if (r < 0)
        throw Error(what + ": a negative rate (" + std::to_string(r) + ", trial " + std::to_string(i / spikes.dim(1)) +
                    ", unit " + std::to_string(k) + "): rates are expected counts per bin");
      mean[k] += y, n[k] += 1;
    }
  double gain = 0, count = 0;
  auto nll = [](double r, double y) { return r - (y > 0 ? y * std::log(r > 0 ? r : 1e-9) : 0.0); };
  for (size_t k = 0; k < N; ++k) mean[k] = n[k] > 0 ? mean[k] / n[k] : 0;
  for (size_t i = 0; i < rows; ++i)
    for (size_t k = 0; k < N; ++k) {
      const double y = spikes[i * N + k];
      if (std::isnan(y)) continue;
      gain += nll(mean[k], y) - nll(rates[i * N + k], y);
      count += y;
    }
  return count > 0 ? gain / count / std::log(2.0) : std::nan("");
}

}  // namespace ctd
