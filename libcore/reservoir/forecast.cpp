#include "reservoir/forecast.hpp"

#include <chrono>
#include <cmath>

#include "reservoir/drive.hpp"
#include "reservoir/fit_metrics.hpp"

namespace ctd {

Forecast closed_loop(const Reservoir& r, const RowMatD& W_out, const TaskData& d, size_t from, size_t G,
                     const Eigen::VectorXd& sd, double threshold) {
  const size_t B = d.inputs.dim(0), T = d.inputs.dim(1), M = d.targets.dim(2);
  const size_t known = std::min(G, T + 1 - from);  // targets from−1 … T−1
  Forecast f;
  f.values = Array<float>({B, G, M});
  f.truth = Array<float>({B, known, M});
  f.error = Array<float>({B, known});
  f.valid_steps.assign(B, double(known));
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(r.N(), long(B)), fb = Eigen::MatrixXd::Zero(long(M), long(B)), y;
  drive(r, &W_out, d, 0, from, x, fb, true, [&](size_t, const Eigen::MatrixXd&, const Eigen::MatrixXd& p) { y = p; });
  FitMetrics pooled{int(M)};
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t j = 0; j < G; ++j) {
    if (j > 0) {
      r.step(x, y, y);
      y = read_out(W_out, x);
    }
    const bool have_truth = j < known;
    const Eigen::MatrixXd truth = have_truth ? step_columns(d.targets, from - 1 + j) : Eigen::MatrixXd();
    for (size_t b = 0; b < B; ++b) {
      for (size_t m = 0; m < M; ++m) f.values[(b * G + j) * M + m] = float(y(long(m), long(b)));
      if (!have_truth) continue;
      double e2 = 0;
      for (size_t m = 0; m < M; ++m) {
        f.truth[(b * known + j) * M + m] = float(truth(long(m), long(b)));
        e2 += std::pow((y(long(m), long(b)) - truth(long(m), long(b))) / sd[long(m)], 2);
      }
      const double e = std::sqrt(e2 / double(M));
      f.error[b * known + j] = float(e);
      if (e > threshold && f.valid_steps[b] == double(known)) f.valid_steps[b] = double(j);
      pooled.add(truth.col(long(b)), y.col(long(b)));
    }
  }
  f.ms_per_step = G ? std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / double(G) : 0;
  f.nrmse = known ? pooled.nrmse() : 0;
  return f;
}

}  // namespace ctd
