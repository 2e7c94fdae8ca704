#include "util/share_runner.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/spin_barrier.hpp"

namespace ctd {

void ShareRunner::run(int last_phase, const std::function<void(int)>& prepare,
                      const std::function<void(int, int)>& phase) {
  const int nt = shares_, T = last_phase;
  // Thread 0 looks at the run queues every 32 phases; the next run follows
  // the majority of this run's looks and one at its start.
  const bool watch = nt > 1 && room_.visible();
  int fit = 0, full = 0;  // this run's looks
  auto look = [&](int n) {
    if (watch && n % 32 == 16) ++(room_.room_for(nt) ? fit : full);
  };
  auto queues_full = [&] { return full >= 2 && full > fit; };
  if (watch) ++(room_.room_for(nt) ? fits_ : fulls_);
  const bool team = nt > 1 && sequential_runs_ == 0 && fits_ >= fulls_;
  std::vector<char> prepared(size_t(nt), 0);  // one byte each: written by different threads
  int carry_from = team ? T + 1 : 0;  // the phase from which one thread runs all shares
  bool short_team = false;
  if (team) {
    SpinBarrier barrier(nt);
    std::atomic<int> carry_at{-1};  // the phase after whose barrier thread 0 goes on alone
#pragma omp parallel num_threads(nt)
    if (omp_get_num_threads() != nt) {
#pragma omp single
      short_team = true;
    } else {
      using Clock = std::chrono::steady_clock;
      const int id = omp_get_thread_num();
      prepare(id);
      prepared[size_t(id)] = 1;
      barrier.wait();  // every share is prepared before a handover can need it
      Clock::duration busy{}, waiting{};
      int startup_sleeps = 0;
      for (int n = 0; n <= T; ++n) {
        const auto t0 = Clock::now();
        phase(id, n);
        const auto t1 = Clock::now();
        busy += t1 - t0;
        // The run queues filled up; or one thread would be faster than the
        // team: it would take about nt times thread 0's busy time, the team
        // takes busy + waiting (judged every 8 phases past the start-up, when
        // a thread that slept between runs may take milliseconds to wake),
        // and three waits long enough to sleep — threads that lose their cores
        // for milliseconds, which an idle node hardly ever shows — settle it early.
        if (id == 0) {
          look(n);
          if (n == 15) startup_sleeps = barrier.sleeps();
          if (queues_full() ||
              (n % 8 == 7 && n > 15 &&
               ((n >= 63 && waiting > busy * (1.2 * nt - 1)) || barrier.sleeps() - startup_sleeps >= 3)) ||
              n == carry_after_phase_)
            carry_at.store(n, std::memory_order_relaxed);
        }
        if (n == T) break;  // the end of the parallel region is the last meeting
        barrier.wait();
        waiting += Clock::now() - t1;
        if (carry_at.load(std::memory_order_relaxed) == n) {
          if (id == 0) carry_from = n + 1;
          break;
        }
      }
    }
    // After a run the team found held up (not by the run queues alone),
    // the next 4, 8, … 64 runs go in one thread before it is tried again.
    if (carry_from <= T && !queues_full())
      sequential_runs_ = 4 << std::min(4, sequential_streak_++);
    else if (carry_from > T)
      sequential_streak_ = 0;
  } else if (sequential_runs_ > 0) {
    --sequential_runs_;
  }
  carry_after_phase_ = -1;
  if (short_team)
    throw Error("OpenMP started fewer than the " + std::to_string(nt) +
                " threads the work was laid out for (is OMP_DYNAMIC or OMP_THREAD_LIMIT set?)");
  for (int id = 0; id < nt; ++id)
    if (!prepared[size_t(id)]) prepare(id);
  for (int n = carry_from; n <= T; ++n) {
    for (int id = 0; id < nt; ++id) phase(id, n);
    look(n);
  }
  fits_ = fit, fulls_ = full;
  phases_in_team_ = team ? std::min(carry_from, T + 1) : 0;
}

}  // namespace ctd
