// A barrier for a fixed team of threads that meets every few microseconds.
// OpenMP's barrier costs ~1.6 µs on two cores of the development machine; this
// one ~0.35 µs, which matters for a network that meets at every time step
// (run-esn). Waiters spin for at most kSpinMicroseconds (2 ms: longer than the
// hiccups of an idle virtual machine), then sleep on a futex,
// so on a shared or oversubscribed node (more threads than free cores) a
// waiting thread gives its core to the thread it waits for.
#pragma once
#include <atomic>

namespace ctd {

class SpinBarrier {
 public:
  explicit SpinBarrier(int threads) : threads_(threads) {}
  SpinBarrier(const SpinBarrier&) = delete;
  SpinBarrier& operator=(const SpinBarrier&) = delete;

  // Returns when all `threads` have called wait(); memory written before the
  // call is visible to every thread after it.
  void wait();
  // How often a waiter had to sleep: a sign that the threads do not have
  // their cores to themselves.
  int sleeps() const { return sleeps_total_.load(std::memory_order_relaxed); }

  static constexpr int kSpinMicroseconds = 2000;

 private:
  alignas(64) std::atomic<int> arrived_{0};
  alignas(64) std::atomic<unsigned> generation_{0};
  std::atomic<int> sleepers_{0};  // threads asleep on generation_
  std::atomic<int> sleeps_total_{0};
  const int threads_;
};

}  // namespace ctd
