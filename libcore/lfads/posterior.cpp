#include "lfads/posterior.hpp"

#include <Eigen/QR>
#include <cmath>

#include "scoring/bits_per_spike.hpp"
#include "util/threads.hpp"

namespace ctd {

LfadsPosterior lfads_posterior(const LfadsSpec& s, const AlignedVector<float>& params, const LfadsSplit& split,
                               int samples, uint64_t seed, int threads) {
  const Array<float>& counts = split.data;
  const size_t B = counts.dim(0), T = counts.dim(1), D = counts.dim(2), X = size_t(s.ext);
  const size_t G = size_t(s.gen), F = size_t(s.factors), C = size_t(s.con), I = size_t(s.ii);
  const Shape per_input{B, T, I};
  LfadsPosterior p{Array<float>({B, T, D}), Array<float>({B, T, F}), Array<float>({B, T, G}),
                   Array<float>({B, T, I > 0 ? C : 0}), Array<float>(per_input), Array<float>(per_input),
                   Array<float>(per_input), Array<float>(per_input), Array<float>({B, G}), Array<float>({B, G}),
                   Array<float>({B, G})};
  const ObservationModel obs = observation_model(s);
  const bool poisson = obs.kind == Observation::Poisson;
  const size_t P = size_t(observation_param_count(obs.kind));
  if (!poisson) p.obs_params.assign(P, Array<float>({B, T, D}));
  const float vm = float(s.varmin);
  auto stdev = [vm](const typename Tape<float>::Mat& logvar) {
    typename Tape<float>::Mat sd(logvar.rows(), logvar.cols());
    for (long i = 0; i < logvar.size(); ++i) sd(i) = std::sqrt(std::exp(logvar(i)) + vm);
    return sd;
  };
  const int S = samples;
  RegionErrors errors;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (long b = 0; b < long(B); ++b) errors.guard([&] {
    // `samples` copies of trial b, each with its own draws (keep = 1: no dropout).
    std::vector<float> x(size_t(S) * T * D), u(size_t(S) * T * X);
    for (int k = 0; k < S; ++k) {
      std::copy_n(counts.ptr() + size_t(b) * T * D, T * D, x.data() + size_t(k) * T * D);
      if (X > 0) std::copy_n(split.ext.ptr() + size_t(b) * T * X, T * X, u.data() + size_t(k) * T * X);
    }
    LfadsDraws<float> d = lfads_draws<float>(s, S, int(T), seed, uint64_t(b) * uint64_t(S), false);
    LfadsTrace<float> tr;
    lfads_pass<float>(s, params.data(), nullptr, x.data(), u.data(), S, int(T), d, 1.0, S, &tr);
    auto avg = [&](const std::vector<typename Tape<float>::Mat>& per_t, Array<float>& into, bool exp) {
      const size_t K = into.dim(2);
      for (size_t t = 0; t < T && K > 0; ++t) {
        Eigen::RowVectorXf m = exp ? Eigen::RowVectorXf(per_t[t].array().exp().colwise().mean())
                                   : Eigen::RowVectorXf(per_t[t].colwise().mean());
        std::copy_n(m.data(), K, into.ptr() + (size_t(b) * T + t) * K);
      }
    };
    if (poisson) {
      avg(tr.readout, p.rates, true);
    } else {  // each sample's mean and parameters, then their average over the samples
      std::vector<typename Tape<float>::Mat> mean(T), par(T);
      for (size_t t = 0; t < T; ++t) {
        mean[t].resize(S, long(D));
        par[t].resize(S, long(P * D));
        observation_mean<float>(obs, tr.readout[t].data(), S, long(D), mean[t].data(), par[t].data());
      }
      avg(mean, p.rates, false);
      for (size_t k = 0; k < P; ++k) {
        std::vector<typename Tape<float>::Mat> one(T);
        for (size_t t = 0; t < T; ++t) one[t] = par[t].middleCols(long(k * D), long(D));
        avg(one, p.obs_params[k], false);
      }
    }
    avg(tr.factors, p.factors, false);
    avg(tr.gen, p.gen_states, false);
    if (I > 0) {
      avg(tr.con, p.con_states, false);
      avg(tr.ii, p.inferred_inputs, false);
      avg(tr.ii_mean, p.ii_mean, false);
      avg(tr.ii_logvar, p.ii_logvar, false);
      std::vector<typename Tape<float>::Mat> sd(T);
      for (size_t t = 0; t < T; ++t) sd[t] = stdev(tr.ii_logvar[t]);
      avg(sd, p.ii_std, false);
    }
    Eigen::RowVectorXf gm = tr.g0_mean.colwise().mean(), gl = tr.g0_logvar.colwise().mean(),
                       gs = stdev(tr.g0_logvar).colwise().mean();
    std::copy_n(gm.data(), G, p.g0_mean.ptr() + size_t(b) * G);
    std::copy_n(gl.data(), G, p.g0_logvar.ptr() + size_t(b) * G);
    std::copy_n(gs.data(), G, p.g0_std.ptr() + size_t(b) * G);
  });
  errors.rethrow();
  return p;
}

double bits_per_spike(const Array<float>& rates, const Array<float>& spikes, size_t first, size_t bin0, size_t bin1) {
  const size_t T = spikes.dim(1), D = spikes.dim(2), end = std::max(bin0, std::min(bin1, T));
  auto as_double = [&](const Array<float>& a) {
    const Array<float> p = bins_and_units(a, bin0, end, std::min(first, D), D);
    Array<double> d(p.shape);
    std::copy(p.data.begin(), p.data.end(), d.data.begin());
    return d;
  };
  return bits_per_spike(as_double(rates), as_double(spikes), "rates");
}

double mean_r2_per_unit_trial(const Array<float>& pred, const Array<float>& truth, double scale) {
  const size_t B = truth.dim(0), T = truth.dim(1), D = truth.dim(2);
  double sum = 0;
  size_t n = 0;
  for (size_t b = 0; b < B; ++b)
    for (size_t k = 0; k < D; ++k) {
      double mean = 0;
      for (size_t t = 0; t < T; ++t) mean += truth[(b * T + t) * D + k];
      mean /= double(T);
      double ss_res = 0, ss_tot = 0;
      for (size_t t = 0; t < T; ++t) {
        const size_t i = (b * T + t) * D + k;
        ss_res += std::pow(truth[i] - scale * pred[i], 2);
        ss_tot += std::pow(truth[i] - mean, 2);
      }
      if (ss_tot > 0) {
        sum += 1 - ss_res / ss_tot;
        ++n;
      }
    }
  return n ? sum / double(n) : 0.0;
}

double mean_r2_per_unit(const Array<float>& pred, const Array<float>& truth, double scale) {
  const size_t n = truth.dim(0) * truth.dim(1), D = truth.dim(2);
  double sum = 0;
  size_t units = 0;
  for (size_t k = 0; k < D; ++k) {
    double mean = 0;
    for (size_t i = 0; i < n; ++i) mean += truth[i * D + k];
    mean /= double(n);
    double ss_res = 0, ss_tot = 0;
    for (size_t i = 0; i < n; ++i) {
      ss_res += std::pow(truth[i * D + k] - scale * pred[i * D + k], 2);
      ss_tot += std::pow(truth[i * D + k] - mean, 2);
    }
    if (ss_tot > 0) {
      sum += 1 - ss_res / ss_tot;
      ++units;
    }
  }
  return units ? sum / double(units) : 0.0;
}

std::vector<double> affine_r2(const Array<float>& x, const Array<float>& y) {
  const long N = long(x.dim(0) * x.dim(1)), P = long(x.dim(2)), Q = long(y.dim(2));
  Eigen::MatrixXd X(N, P + 1), Y(N, Q);
  for (long i = 0; i < N; ++i) {
    for (long j = 0; j < P; ++j) X(i, j) = x[size_t(i * P + j)];
    X(i, P) = 1.0;
    for (long j = 0; j < Q; ++j) Y(i, j) = y[size_t(i * Q + j)];
  }
  Eigen::MatrixXd W = X.colPivHouseholderQr().solve(Y), R = Y - X * W;
  std::vector<double> r2(static_cast<size_t>(Q));
  for (long j = 0; j < Q; ++j) {
    double ss_tot = (Y.col(j).array() - Y.col(j).mean()).square().sum();
    r2[size_t(j)] = ss_tot > 0 ? 1 - R.col(j).squaredNorm() / ss_tot : 0.0;
  }
  return r2;
}

}  // namespace ctd
