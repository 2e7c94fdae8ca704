#include <doctest/doctest.h>
#include <unistd.h>

#include <Eigen/Dense>
#include <cmath>
#include <omp.h>

#include "esn/esn_file.hpp"
#include "esn/targets.hpp"
#include "helpers.hpp"
#include "io/output.hpp"
#include "util/rng.hpp"
#include "util/spin_barrier.hpp"

using namespace ctd;

namespace {
Eigen::VectorXd random_vector(int n, RngStream& r, double scale = 1.0) {
  Eigen::VectorXd v(n);
  for (int i = 0; i < n; ++i) v(i) = scale * r.normal();
  return v;
}
}  // namespace

TEST_CASE("RLS update: P stays symmetric positive definite and P·h after the update equals c·k") {
  const int N = 12;
  RngStream r(3, RngDomain::Task, 0);
  Eigen::MatrixXd P = Eigen::MatrixXd::Identity(N, N), wO = Eigen::MatrixXd::Zero(2, N);
  Eigen::VectorXd k(N);
  for (int step = 0; step < 40; ++step) {
    Eigen::VectorXd h = random_vector(N, r, 0.5), e = random_vector(2, r);
    Eigen::MatrixXd full = P;
    full.triangularView<Eigen::StrictlyLower>() = full.transpose();
    Eigen::VectorXd k_def = full * h;
    double c = 1.0 / (1.0 + h.dot(k_def));
    Eigen::MatrixXd wO_def = wO - c * e * k_def.transpose();
    rls_update(P, wO, h, e, k);
    full = P;
    full.triangularView<Eigen::StrictlyLower>() = full.transpose();
    CHECK((full * h - c * k_def).norm() < 1e-12 * (1 + k_def.norm()));
    CHECK((wO - wO_def).norm() < 1e-12);
    Eigen::LLT<Eigen::MatrixXd> llt(full);
    CHECK(llt.info() == Eigen::Success);
  }
}

TEST_CASE("open-loop RLS from P0 = I/alpha and a zero readout is the ridge solution") {
  const int N = 8, M = 2, T = 300;
  const double alpha = 0.5;
  RngStream r(5, RngDomain::Task, 1);
  Eigen::MatrixXd W = Eigen::MatrixXd::Random(M, N);
  Eigen::MatrixXd P = Eigen::MatrixXd::Identity(N, N) / alpha, wO = Eigen::MatrixXd::Zero(M, N);
  Eigen::MatrixXd H(N, T), F(M, T);
  Eigen::VectorXd k(N);
  for (int t = 0; t < T; ++t) {
    Eigen::VectorXd h = random_vector(N, r).array().tanh();
    Eigen::VectorXd f = W * h + random_vector(M, r, 0.1);
    H.col(t) = h;
    F.col(t) = f;
    Eigen::VectorXd e = wO * h - f;
    rls_update(P, wO, h, e, k);
  }
  Eigen::MatrixXd ridge = (F * H.transpose()) * (H * H.transpose() + alpha * Eigen::MatrixXd::Identity(N, N)).inverse();
  CHECK((wO - ridge).norm() < 1e-9 * ridge.norm());
}

TEST_CASE("a small network learns a sine and runs it without learning") {
  EsnSpec spec;
  spec.N = 200;
  spec.M = 1;
  spec.g = 1.5;
  EsnParams p = init_esn(spec, 7);
  TimeSeries f = sum_of_sines(600, 1, spec.dt, 6.0);  // period 12 time units = 120 steps
  ForceNetwork<double> net(p);
  PassStats first = net.pass(600, nullptr, f.data(), 0, (double*)nullptr, nullptr, nullptr);
  for (int i = 0; i < 5; ++i) net.pass(600, nullptr, f.data(), 1, (double*)nullptr, nullptr, nullptr);
  PassStats test = net.pass(600, nullptr, f.data(), 0, (double*)nullptr, nullptr, nullptr);
  CHECK(first.nmse > 0.5);
  CHECK(test.nmse < 1e-2);
  CHECK(test.correlation > 0.99);
}

TEST_CASE("saving after some passes and resuming equals one continuous run") {
  test::TempDir dir;
  const test::SmallEsn esn = test::small_esn(60, 3, 100, 2, 9);
  const EsnParams& p = esn.params;
  const TimeSeries& f = esn.targets;
  ForceNetwork<float> straight(p);
  for (int i = 0; i < 4; ++i) straight.pass(100, nullptr, f.data(), 1, nullptr, nullptr, nullptr);

  ForceNetwork<float> first(p);
  for (int i = 0; i < 2; ++i) first.pass(100, nullptr, f.data(), 1, nullptr, nullptr, nullptr);
  {
    OutputFile out(dir.file("esn.h5"));
    write_esn_params(out.h5(), first.params(), first.P());
    out.commit();
  }
  EsnFile back = read_esn_file(H5File::open(dir.file("esn.h5")));
  ForceNetwork<float> resumed(back.params);
  resumed.set_P(back.P);
  for (int i = 0; i < 2; ++i) resumed.pass(100, nullptr, f.data(), 1, nullptr, nullptr, nullptr);
  CHECK(resumed.params().wO == straight.params().wO);
  CHECK(resumed.P() == straight.P());
}

TEST_CASE("on a contended node one thread carries every share, with the team's arithmetic") {
  const test::SmallEsn esn = test::small_esn(90, 3, 120, 4, 5);
  const EsnParams& p = esn.params;
  const TimeSeries& f = esn.targets;
  for (int every : {1, 2}) {
    ForceNetwork<float> team(p, 3), alone(p, 3), handover(p, 3);
    std::vector<float> z_team(120 * 3), z_alone(z_team.size()), z_handover(z_team.size());
    alone.carry_shares_alone(2);
    for (int i = 0; i < 2; ++i) {
      handover.carry_after_phase(i == 0 ? 37 : 120);  // mid-pass, and after the last phase
      team.pass(120, nullptr, f.data(), every, nullptr, z_team.data(), nullptr, false);
      alone.pass(120, nullptr, f.data(), every, nullptr, z_alone.data(), nullptr, false);
      handover.pass(120, nullptr, f.data(), every, nullptr, z_handover.data(), nullptr, false);
    }
    CAPTURE(every);
    CHECK(alone.params().wO == team.params().wO);
    CHECK(alone.P() == team.P());
    CHECK(z_alone == z_team);
    CHECK(handover.params().wO == team.params().wO);
    CHECK(handover.P() == team.P());
    CHECK(z_handover == z_team);
  }
}

TEST_CASE("data-ESN targets are the data network's first units; sines have the right period") {
  EsnSpec data;
  data.N = 30;
  data.M = 4;
  data.g = 1.8;
  TimeSeries f = data_esn_targets(data, 4, 50, 3);
  ForceNetwork<double> net(init_esn(data, 3));
  std::vector<double> h(50 * 30);
  net.pass(50, nullptr, nullptr, 0, h.data(), nullptr, nullptr);
  CHECK(f(49, 3) == h[49 * 30 + 3]);
  TimeSeries s = sum_of_sines(400, 1, 0.1, 6.0);  // repeats every 2·6 time units = 120 steps
  CHECK(s(10, 0) == doctest::Approx(s(130, 0)).epsilon(1e-9));
  CHECK(std::fabs(s(10, 0) - s(70, 0)) > 1e-3);
}

TEST_CASE("the fast pass learns and reads out exactly as the reference RLS update, for 1, 2 and 3 threads") {
  EsnSpec spec;
  spec.N = 41;
  spec.M = 3;
  EsnSpec data = spec;
  data.g = 1.8;
  const int T = 60;
  TimeSeries f = data_esn_targets(data, 3, T, 8);
  for (bool feedback : {false, true})
    for (int every : {1, 2})
      for (int threads : {1, 2, 3}) {
        EsnParams p = init_esn(spec, 4);
        if (!feedback) p.wF.setZero();  // the states do not depend on learning
        ForceNetwork<double> net(p, threads);
        net.reset_rls(0.7, PInit::Alpha);
        std::vector<double> h(size_t(T) * 41), z(size_t(T) * 3);
        net.pass(T, nullptr, f.data(), every, h.data(), z.data(), nullptr);
        // Replay: the same states through the reference update; every
        // readout is wO·h with the updates of the steps before.
        Eigen::MatrixXd P = 0.7 * Eigen::MatrixXd::Identity(41, 41), wO = p.wO;
        Eigen::VectorXd k(41);
        double z_error = 0;
        for (int t = 0; t < T; ++t) {
          Eigen::VectorXd ht = Eigen::Map<Eigen::VectorXd>(h.data() + t * 41, 41);
          Eigen::VectorXd zt = wO * ht;
          z_error = std::max(z_error, (zt - Eigen::Map<Eigen::VectorXd>(z.data() + t * 3, 3)).norm() / zt.norm());
          if ((t + 1) % every == 0) {
            Eigen::VectorXd e = zt - f.row(t).transpose();
            rls_update(P, wO, ht, e, k);
          }
        }
        Eigen::MatrixXd full = P;
        full.triangularView<Eigen::StrictlyLower>() = full.transpose();
        CAPTURE(feedback);
        CAPTURE(every);
        CAPTURE(threads);
        CHECK(z_error < 1e-10);
        CHECK((net.params().wO - wO).norm() < 1e-10 * wO.norm());
        CHECK((net.P() - full).norm() < 1e-10 * full.norm());
        CHECK(net.P() == net.P().transpose());  // exactly symmetric
      }
}

TEST_CASE("the packed triangle's sweep is the dense update followed by P·h, over any partition of its rows") {
  for (int n : {1, 3, 4, 5, 16, 17, 37, 41}) {
    RngStream r(uint64_t(n), RngDomain::Task, 0);
    Eigen::MatrixXd A(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) A(i, j) = r.normal();
    Eigen::MatrixXd dense = A * A.transpose() / n + Eigen::MatrixXd::Identity(n, n);
    dense = (dense + dense.transpose()).eval() / 2;  // exactly symmetric
    PackedSymmetric<double> P(n);
    P.set(dense);
    CHECK(P.full() == dense);
    const int np = P.padded();
    CHECK(np % PackedSymmetric<double>::kAlign == 0);
    Eigen::VectorXd k = Eigen::VectorXd::Zero(np), h = Eigen::VectorXd::Zero(np);
    k.head(n) = random_vector(n, r, 0.3);
    h.head(n) = random_vector(n, r);
    const double c = 0.37;
    Eigen::MatrixXd updated = dense - c * k.head(n) * k.head(n).transpose();
    Eigen::VectorXd want = updated * h.head(n);
    for (int parts : {1, 2, 3}) {
      PackedSymmetric<double> Q(n);
      Q.set(dense);
      std::vector<int> cut = Q.balanced_blocks(parts);
      REQUIRE(cut.size() == size_t(parts) + 1);
      CHECK(cut.front() == 0);
      CHECK(cut.back() == Q.blocks());
      Eigen::VectorXd sum = Eigen::VectorXd::Zero(np);
      double hk = 0;
      for (int p = 0; p < parts; ++p) {
        REQUIRE(cut[p] <= cut[p + 1]);
        Eigen::VectorXd part = Eigen::VectorXd::Constant(np, 99.0);  // overwritten from the part's first row on
        part.head(4 * cut[p]).setZero();
        hk += Q.update_and_multiply(cut[p], cut[p + 1], c, k.data(), h.data(), part.data());
        sum += part;
      }
      CAPTURE(n);
      CAPTURE(parts);
      CHECK((sum.head(n) - want).norm() < 1e-12 * want.norm());
      CHECK(sum.tail(np - n).norm() == 0);
      CHECK(hk == doctest::Approx(h.head(n).dot(want)).epsilon(1e-12));
      CHECK((Q.full() - updated).norm() < 1e-14 * updated.norm());
      // The update alone (the last step of a pass) gives the same matrix.
      PackedSymmetric<double> U(n);
      U.set(dense);
      U.update(0, U.blocks(), c, k.data());
      CHECK((U.full() - Q.full()).norm() < 1e-14 * updated.norm());
    }
  }
}

TEST_CASE("the spinning barrier lets no thread past before all have arrived") {
  // 3 threads, and 9 on this machine's few cores: waiters then sleep on the
  // futex (a thread that arrives late wakes them), and the rounds still line up.
  for (const int threads : {3, 9}) {
  const int rounds = threads == 3 ? 2000 : 300;
  SpinBarrier barrier(threads);
  std::vector<int> slot(threads, 0);
  int bad = 0;
#pragma omp parallel num_threads(threads) reduction(+ : bad)
  {
    const int id = omp_get_thread_num();
    for (int round = 1; round <= rounds; ++round) {
      slot[id] = round;
      barrier.wait();
      for (int t = 0; t < threads; ++t) bad += slot[t] != round;
      if (round % 50 == 0 && id == round / 50 % threads) usleep(200);  // a late thread: the others must sleep
      barrier.wait();
    }
  }
  CAPTURE(threads);
  CHECK(bad == 0);
  }
}
