// Lyapunov spectra of systems whose exponents are known.
#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>

#include "fixedpoints/lyapunov.hpp"
#include "helpers.hpp"
#include "nn/rnn_model.hpp"
#include "util/error.hpp"

using namespace ctd;

namespace {

LyapunovSpectrum at_origin(const Eigen::MatrixXd& W, int steps) {
  const RnnModel m = test::vanilla_network(W, Eigen::VectorXd::Zero(W.rows()));
  const RnnMap<double> map(m, Eigen::VectorXd::Zero(1));
  LyapunovSettings s;
  s.transient = 0;
  s.steps = steps;
  return lyapunov_spectrum(map, Eigen::MatrixXd::Zero(2, W.rows()), s, 1);
}
}  // namespace

TEST_CASE("Lyapunov: at a fixed point the exponents are the logs of the Jacobian's eigenvalue moduli") {
  // h = tanh(W h) stays at 0, where the tangent map is W itself (float weights: compare against them).
  Eigen::MatrixXd Q = Eigen::HouseholderQR<Eigen::MatrixXd>(Eigen::MatrixXd::Random(3, 3)).householderQ();
  Eigen::MatrixXd W = Q * Eigen::Vector3d(0.5, -0.25, 0.1).asDiagonal() * Q.transpose();
  W = W.cast<float>().cast<double>();
  const Eigen::VectorXcd eig = W.eigenvalues();
  std::vector<double> want;
  for (long i = 0; i < 3; ++i) want.push_back(std::log(std::abs(eig(i))));
  std::sort(want.rbegin(), want.rend());
  const LyapunovSpectrum sp = at_origin(W, 400);
  for (int i = 0; i < 3; ++i) CHECK(sp.exponents(i) == doctest::Approx(want[size_t(i)]).epsilon(1e-3));
  CHECK(sp.exponents(0) == doctest::Approx(std::log(0.5)).epsilon(1e-3));
  CHECK(sp.spread.maxCoeff() < 1e-12);  // the two trajectories are the same
  CHECK(sp.kaplan_yorke == 0);
  // A rotation shrinking by 0.8: a complex pair, both exponents ln 0.8.
  const double c = 0.8 * std::cos(0.7), s = 0.8 * std::sin(0.7);
  Eigen::MatrixXd R(2, 2);
  R << c, -s, s, c;
  const LyapunovSpectrum rot = at_origin(R.cast<float>().cast<double>(), 2000);
  CHECK(rot.exponents(0) == doctest::Approx(std::log(0.8)).epsilon(1e-3));
  CHECK(rot.exponents(1) == doctest::Approx(std::log(0.8)).epsilon(1e-3));
}

TEST_CASE("Lyapunov: a random tanh network is chaotic for gain g > 1 and contracting for g < 1") {
  for (double g : {0.5, 3.0}) {
    CAPTURE(g);
    const RnnModel m = init_rnn({Cell::Vanilla, 60, 1, 1, 0.5}, RnnInit{g, 1.0, 0.1}, 4);
    const RnnMap<double> map(m, Eigen::VectorXd::Zero(1));
    LyapunovSettings s;
    s.exponents = 10;
    s.steps = 1000;
    s.transient = 200;
    const LyapunovSpectrum sp = lyapunov_spectrum(map, lyapunov_starts(Eigen::VectorXd::Zero(60), 2, 0.5, 1), s, 2);
    REQUIRE(sp.exponents.size() == 10);
    for (int i = 1; i < 10; ++i) CHECK(sp.exponents(i) <= sp.exponents(i - 1));
    if (g < 1) {
      CHECK(sp.exponents(0) < -0.3);  // ≈ ln g: every direction contracts onto h = 0
      CHECK(sp.kaplan_yorke == 0);
    } else {
      CHECK(sp.exponents(0) > 0.1);
      CHECK(sp.kaplan_yorke > 1);
      CHECK(sp.spread(0) < 0.1);  // both trajectories on the same chaotic attractor
    }
  }
}

TEST_CASE("Lyapunov: the Kaplan-Yorke dimension of hand cases, and too many exponents refused") {
  CHECK(kaplan_yorke_dimension(Eigen::Vector3d(0.5, -0.2, -1.0)) == doctest::Approx(2.3));
  CHECK(kaplan_yorke_dimension(Eigen::Vector3d(0.5, -1.0, -2.0)) == doctest::Approx(1.5));
  CHECK(kaplan_yorke_dimension(Eigen::Vector3d(-0.1, -0.2, -1.0)) == 0);
  CHECK(kaplan_yorke_dimension(Eigen::Vector2d(0.2, 0.1)) == 2);
  const RnnModel m = test::vanilla_network(Eigen::MatrixXd::Identity(2, 2) * 0.5, Eigen::VectorXd::Zero(2));
  const RnnMap<double> map(m, Eigen::VectorXd::Zero(1));
  LyapunovSettings s;
  s.exponents = 3;
  CHECK_THROWS_AS(lyapunov_spectrum(map, Eigen::MatrixXd::Zero(1, 2), s, 1), UsageError);
}
