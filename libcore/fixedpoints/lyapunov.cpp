#include "fixedpoints/lyapunov.hpp"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <functional>

#include "util/error.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, LyapunovSettings& s) {
  o.group("Lyapunov spectrum");
  o.add("exponents", s.exponents, "How many exponents, the largest first (0: all, one per state value)").non_negative();
  o.add("steps", s.steps, "Steps each trajectory is averaged over").min(1);
  o.add("transient", s.transient, "Steps run first and not counted, to reach the attractor").non_negative();
  o.add("trajectories", s.trajectories, "Trajectories, each from the initial state plus noise").min(1);
  o.add("init-sd", s.init_sd, "SD of the Gaussian noise added to the initial state of each trajectory").non_negative();
}

double kaplan_yorke_dimension(const Eigen::VectorXd& lambda) {
  const long k = lambda.size();
  double sum = 0;
  for (long j = 0; j < k; ++j) {
    if (sum + lambda(j) < 0) return j == 0 ? 0.0 : double(j) + sum / std::fabs(lambda(j));
    sum += lambda(j);
  }
  return double(k);  // every partial sum >= 0: at least k (more exponents would tell)
}

Eigen::MatrixXd lyapunov_starts(const Eigen::VectorXd& h0, int trajectories, double sd, uint64_t seed) {
  Eigen::MatrixXd starts(trajectories, h0.size());
  for (int r = 0; r < trajectories; ++r) {
    RngStream rng(seed, RngDomain::Candidates, uint64_t(r));
    for (long i = 0; i < h0.size(); ++i) starts(r, i) = h0(i) + sd * rng.normal();
  }
  return starts;
}

LyapunovSpectrum lyapunov_spectrum(const RnnMap<double>& map, const Eigen::MatrixXd& starts,
                                   const LyapunovSettings& s, int threads) {
  const int dim = map.dim(), k = s.exponents > 0 ? s.exponents : dim;
  if (k > dim)
    throw UsageError("--exponents " + std::to_string(k) + " is more than the state's " + std::to_string(dim) + " values");
  if (starts.cols() != dim)
    throw Error("initial states of " + std::to_string(starts.cols()) + " values for a state of " + std::to_string(dim));
  const long R = starts.rows();
  LyapunovSpectrum out;
  out.per_trajectory.resize(R, k);
  bool diverged = false;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (long r = 0; r < R; ++r) {
    Eigen::VectorXd h = starts.row(r).transpose();
    for (int t = 0; t < s.transient; ++t) h = map.step(h);
    Eigen::MatrixXd Q = Eigen::MatrixXd::Identity(dim, k), thin = Eigen::MatrixXd::Identity(dim, k);
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(k);
    for (int t = 0; t < s.steps; ++t) {
      Eigen::HouseholderQR<Eigen::MatrixXd> qr(map.dFdh(h) * Q);
      // ln 0 (a direction the map collapses exactly) stays finite: it is below any float exponent.
      sum += qr.matrixQR().diagonal().head(k).cwiseAbs().cwiseMax(1e-300).array().log().matrix();
      Q = qr.householderQ() * thin;
      h = map.step(h);
    }
    if (!h.allFinite()) diverged = true;
    Eigen::VectorXd lambda = sum / double(s.steps);
    std::sort(lambda.data(), lambda.data() + k, std::greater<double>());
    out.per_trajectory.row(r) = lambda.transpose();
  }
  if (diverged) throw Error("a trajectory diverged (its state is not finite): the network has no bounded attractor there");
  out.exponents = out.per_trajectory.colwise().mean().transpose();
  out.spread = Eigen::VectorXd::Zero(k);
  if (R > 1)
    out.spread = ((out.per_trajectory.rowwise() - out.exponents.transpose()).array().square().colwise().sum() /
                  double(R - 1)).sqrt().matrix().transpose();
  out.kaplan_yorke = kaplan_yorke_dimension(out.exponents);
  return out;
}

}  // namespace ctd
