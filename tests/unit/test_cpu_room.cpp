#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "esn/esn.hpp"
#include "helpers.hpp"
#include "nn/batch_loss.hpp"
#include "util/rng.hpp"
#include "util/cpu_room.hpp"
#include "util/share_runner.hpp"

using namespace ctd;

namespace {
// Busy child processes, one per online CPU, killed when the scope ends.
class Hogs {
 public:
  explicit Hogs(int n) {
    for (int i = 0; i < n; ++i) {
      const pid_t pid = fork();
      if (pid == 0)
        for (volatile unsigned x = 0;; x = x + 1) {
        }
      if (pid > 0) pids_.push_back(pid);
    }
    usleep(100000);  // until the scheduler has them running
  }
  ~Hogs() {
    for (pid_t p : pids_) kill(p, SIGKILL);
    for (pid_t p : pids_) waitpid(p, nullptr, 0);
  }
  size_t size() const { return pids_.size(); }

 private:
  std::vector<pid_t> pids_;
};
}  // namespace

TEST_CASE("the run queue's numbers are read from /proc's lines") {
  CHECK(loadavg_runnable("0.00 0.01 0.05 3/123 4567\n") == 3);
  CHECK(loadavg_runnable("1.5 1.2 0.9 12/2048 1") == 12);
  CHECK(loadavg_runnable("0.00 0.01 0.05 /123 4567") == -1);
  CHECK(loadavg_runnable("0.00 0.01 0.05 x/123 4567") == -1);
  CHECK(loadavg_runnable("0.00 0.01") == -1);
  CHECK(loadavg_runnable("") == -1);
  std::ifstream real("/proc/loadavg");
  std::string line;
  if (std::getline(real, line)) CHECK(loadavg_runnable(line) >= 1);  // this process runs

  CHECK(stat_line_running("4242 (run-esn) R 1 4242 4242 0 -1"));
  CHECK_FALSE(stat_line_running("4242 (run-esn) S 1 4242 4242 0 -1"));
  CHECK(stat_line_running("17 (a (b) c) R 1"));     // a name with spaces and parentheses
  CHECK_FALSE(stat_line_running("17 (x) R) S 1"));  // the state follows the last ')'
  CHECK_FALSE(stat_line_running("garbage"));
}

TEST_CASE("a team fits when the other runnable tasks leave a CPU for each of its threads") {
  CHECK(free_cpus(2, 1, 1, 2) == 2);  // only us: room for two
  CHECK(free_cpus(2, 2, 2, 2) == 2);  // our two threads running: still ours
  CHECK(free_cpus(2, 2, 1, 2) < 2);  // one other process
  CHECK(free_cpus(2, 4, 2, 2) < 2);  // two others
  CHECK(free_cpus(2, 3, 1, 4) == 2);  // two others on four CPUs
  CHECK(free_cpus(1, 3, 1, 2) == 1);  // one thread always has its CPU
  CHECK(free_cpus(2, 0, 1, 2) == 2);  // a count taken before ours started
  CHECK(free_cpus(4, 3, 1, 4) == 2);  // two others on four CPUs: two of ours
  CHECK(free_cpus(4, 9, 1, 4) == 1);  // a full node: one thread still runs
  CHECK(free_cpus(2, 2, 2, 8) == 2);  // never more than asked for
}

TEST_CASE("beside a CPU-bound process per CPU, the run queues show no room and run-esn's team is not tried") {
  CpuRoom room;
  if (!room.visible()) return;  // confined to some CPUs: the run queues do not tell
  const test::SmallEsn esn = test::small_esn(64, 2, 200, 3, 4);
  ForceNetwork<float> net(esn.params, 2);
  Hogs hogs(int(sysconf(_SC_NPROCESSORS_ONLN)));
  REQUIRE(hogs.size() > 0);
  int full = 0;
  for (int i = 0; i < 9; ++i) full += !room.room_for(2);
  CHECK(full >= 5);
  net.pass(200, nullptr, esn.targets.data(), 1, nullptr, nullptr, nullptr);
  CHECK(net.phases_in_team() == 0);
}

TEST_CASE("beside a CPU-bound process per CPU, short parallel loops run with one thread and the same result") {
  CpuRoom room;
  if (!room.visible()) return;
  const RnnSpec spec{Cell::Gru, 32, 2, 1, 0.5, Activation::Tanh, 1.0};
  const int B = 64, T = 20;
  RngStream rng(7, RngDomain::Init, 0);
  std::vector<float> params(param_count(spec)), x(size_t(B) * T * 2), y(size_t(B) * T);
  for (auto* v : {&params, &x, &y})
    for (float& e : *v) e = 0.3f * float(rng.normal());
  RnnBatch<float> batch;
  batch.B = B, batch.T = T, batch.x = x.data(), batch.y = y.data();
  auto gradient = [&] {
    BatchLoss<float> loss(spec, B, T, 2);
    std::vector<float> g(params.size());
    loss.loss_and_grad(params.data(), batch, 1e-3, g.data());
    return g;
  };
  const std::vector<float> whole_team = gradient();
  Hogs hogs(int(sysconf(_SC_NPROCESSORS_ONLN)));
  int team = 2;
  for (int look = 0; look < 4; ++look, usleep(3000)) team = team_size(2, 0.5);
  CHECK(team == 1);
  CHECK(team_size(2, 50) == 2);  // parts of 50 ms of CPU: the whole team shares the CPUs fairly
  CHECK(gradient() == whole_team);
}

// The runner on its own: phases that read only the other shares' earlier
// phases give the same numbers whoever runs them, and every share is prepared
// once, by the thread that runs it.
TEST_CASE("ShareRunner: a team, one thread, and a handover mid-run do the same arithmetic") {
  constexpr int kShares = 2, kLast = 40;
  auto run = [&](ShareRunner& runner) {
    std::vector<std::vector<double>> x(kShares, std::vector<double>(kLast + 2, 0.0));
    std::vector<int> prepared(kShares, 0);
    runner.run(
        kLast, [&](int id) { ++prepared[size_t(id)], x[size_t(id)][0] = 1.0 + id; },
        [&](int id, int n) {  // reads the other share's value of the last phase
          const double other = x[size_t(1 - id)][size_t(n)];
          x[size_t(id)][size_t(n + 1)] = 0.5 * x[size_t(id)][size_t(n)] + std::sin(other + n);
        });
    CHECK(prepared == std::vector<int>(kShares, 1));
    return x;
  };
  ShareRunner team(kShares), alone(kShares), handover(kShares);
  alone.carry_alone(1);
  handover.carry_after_phase(17);
  const auto a = run(team), b = run(alone), c = run(handover);
  CHECK(a == b);
  CHECK(a == c);
  CHECK(alone.phases_in_team() == 0);
  CHECK(handover.phases_in_team() <= 18);
}
