#include "scoring/timing.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "util/error.hpp"

namespace ctd {

namespace {
double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = double(a.size());
  double ma = 0, mb = 0;
  for (size_t i = 0; i < a.size(); ++i) ma += a[i] / n, mb += b[i] / n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);  // NaN for a constant series, as scipy's pearsonr
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
}  // namespace

double tp_correlation(const Array<double>& rates, const Array<double>& held_out, const Array<double>& behavior,
                      const std::vector<double>& condition_columns, const std::string& where) {
  const size_t B = held_out.dim(0), T = held_out.dim(1), Dout = held_out.dim(2), D = rates.dim(2),
               Tr = rates.dim(1), C = behavior.dim(1);
  if (rates.dim(0) != B || Tr < T || behavior.dim(0) != B)
    throw Error(where + ": rates " + shape_string(rates.shape) + ", held-out spikes " + shape_string(held_out.shape) +
                " and behaviour " + shape_string(behavior.shape) + " disagree in trials or bins");
  for (double c : condition_columns)
    if (c < 0 || c >= double(C) - 1 || c != std::floor(c))
      throw Error(where + ": condition column " + std::to_string(c) + " is not one of the behaviour's first " +
                  std::to_string(C - 1) + " columns (the last is t_p)");
  std::map<std::vector<double>, std::pair<std::vector<double>, std::vector<double>>> groups;  // speeds, t_p
  for (size_t b = 0; b < B; ++b) {
    std::vector<double> key;
    for (double c : condition_columns) key.push_back(behavior[b * C + size_t(c)]);
    if (std::any_of(key.begin(), key.end(), [](double v) { return std::isnan(v); })) continue;  // no condition
    const double* prev = nullptr;
    double sum = 0;
    size_t steps = 0;
    for (size_t t = 0; t < T; ++t) {
      if (std::isnan(held_out[(b * T + t) * Dout])) continue;
      const double* r = rates.ptr() + (b * Tr + t) * D;
      if (prev) {
        double sq = 0;
        for (size_t k = 0; k < D; ++k) sq += (r[k] - prev[k]) * (r[k] - prev[k]);
        sum += std::sqrt(sq);
        ++steps;
      }
      prev = r;
    }
    if (steps == 0) throw Error(where + ": eval trial " + std::to_string(b) + " has fewer than 2 bins to measure speed over");
    if (!std::isfinite(sum)) throw Error(where + ": NaN rates in eval trial " + std::to_string(b) + "'s valid bins");
    auto& g = groups[key];
    g.first.push_back(sum / double(steps));
    g.second.push_back(behavior[b * C + C - 1]);
  }
  if (groups.empty()) throw Error(where + ": no eval trial has a condition (their condition values are NaN)");
  std::vector<double> rs;
  for (const auto& [key, g] : groups) {
    if (g.first.size() < 2)
      throw Error(where + ": a condition has a single eval trial: a correlation needs at least 2");
    rs.push_back(pearson(g.first, g.second));
  }
  return median(rs);
}

}  // namespace ctd
