#include "scoring/psth.hpp"

#include <Eigen/Core>
#include <cmath>
#include <map>

#include "scoring/decoding.hpp"
#include "util/error.hpp"

namespace ctd {

Array<double> smooth_in_time(const Array<double>& x, double sd) {
  const size_t B = x.dim(0), T = x.dim(1), N = x.dim(2);
  const long M = std::max(1L, long(6 * sd));
  std::vector<double> w(static_cast<size_t>(M));
  double total = 0;
  for (long n = 0; n < M; ++n) total += w[size_t(n)] = std::exp(-0.5 * std::pow((double(n) - double(M - 1) / 2) / sd, 2));
  for (double& v : w) v /= total;
  // numpy's 'same': output i is the full convolution at i + (M − 1)/2.
  const long shift = (M - 1) / 2;
  Array<double> out(x.shape);
  for (size_t b = 0; b < B; ++b)
    for (size_t t = 0; t < T; ++t)
      for (size_t k = 0; k < N; ++k) {
        double s = 0;
        for (long j = 0; j < M; ++j) {
          const long src = long(t) + shift - j;
          if (src >= 0 && src < long(T)) s += w[size_t(j)] * x[(b * T + size_t(src)) * N + k];
        }
        out[(b * T + t) * N + k] = s;
      }
  return out;
}

Array<double> leave_one_out_psth(const Array<double>& spikes, const std::vector<int64_t>& conditions,
                                 const std::vector<size_t>& trials) {
  const size_t M = spikes.dim(0), T = spikes.dim(1), N = spikes.dim(2), row = T * N;
  std::map<int64_t, std::vector<double>> sum;
  std::map<int64_t, double> count;
  for (size_t m = 0; m < M; ++m) {
    std::vector<double>& s = sum[conditions[m]];
    s.resize(row, 0.0);
    for (size_t i = 0; i < row; ++i) s[i] += spikes[m * row + i];
    count[conditions[m]] += 1;
  }
  Array<double> out({trials.size(), T, N});
  for (size_t e = 0; e < trials.size(); ++e) {
    const size_t m = trials[e];
    const double others = count[conditions[m]] - 1;
    const std::vector<double>& s = sum[conditions[m]];
    for (size_t i = 0; i < row; ++i)
      out[e * row + i] = others > 0 ? (s[i] - spikes[m * row + i]) / others : std::nan("");
  }
  return out;
}

Array<double> eval_trial_psth(const Array<double>& train, const Array<double>& eval,
                              const std::vector<int64_t>& train_conditions, const std::vector<int64_t>& eval_conditions,
                              double sd, const std::string& what) {
  if (train.dim(1) != eval.dim(1) || train.dim(2) != eval.dim(2) || train_conditions.size() != train.dim(0) ||
      eval_conditions.size() != eval.dim(0))
    throw Error(what + ": the train and eval spikes and conditions do not agree in shape");
  std::vector<int64_t> conditions = train_conditions;
  conditions.insert(conditions.end(), eval_conditions.begin(), eval_conditions.end());
  std::map<int64_t, int> count;
  for (int64_t c : conditions) ++count[c];
  for (int64_t c : eval_conditions)
    if (count[c] < 2) throw Error(what + ": condition " + std::to_string(c) + " has a single trial: its PSTH needs another");
  Array<double> all({train.dim(0) + eval.dim(0), train.dim(1), train.dim(2)});
  std::copy(train.data.begin(), train.data.end(), all.data.begin());
  std::copy(eval.data.begin(), eval.data.end(), all.data.begin() + long(train.size()));
  std::vector<size_t> rows;
  for (size_t i = 0; i < eval.dim(0); ++i) rows.push_back(train.dim(0) + i);
  return leave_one_out_psth(smooth_in_time(all, sd), conditions, rows);
}

double psth_r2(const Array<double>& rates, const Array<double>& psth, const std::string& what) {
  if (rates.shape != psth.shape)
    throw Error(what + ": rates of shape " + shape_string(rates.shape) + " but PSTHs of shape " + shape_string(psth.shape));
  const size_t N = psth.dim(2), rows = psth.size() / std::max<size_t>(1, N);
  std::vector<size_t> keep;
  for (size_t i = 0; i < rows; ++i)
    if (!std::isnan(psth[i * N])) keep.push_back(i);
  if (keep.empty()) return std::nan("");
  Eigen::MatrixXd y(long(keep.size()), long(N)), p(long(keep.size()), long(N));
  for (size_t r = 0; r < keep.size(); ++r)
    for (size_t k = 0; k < N; ++k) {
      y(long(r), long(k)) = psth[keep[r] * N + k];
      p(long(r), long(k)) = rates[keep[r] * N + k];
      if (std::isnan(p(long(r), long(k))))
        throw Error(what + ": a NaN rate (trial " + std::to_string(keep[r] / psth.dim(1)) + ", unit " +
                    std::to_string(k) + ") where the PSTH is defined");
    }
  return r2_score(y, p);
}

}  // namespace ctd
