#include "util/spin_barrier.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <climits>

namespace ctd {

namespace {
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// std::atomic<unsigned> has the layout of an unsigned: the kernel can watch it.
void futex_wait(std::atomic<unsigned>* word, unsigned expected) {
  syscall(SYS_futex, reinterpret_cast<unsigned*>(word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
}
void futex_wake_all(std::atomic<unsigned>* word) {
  syscall(SYS_futex, reinterpret_cast<unsigned*>(word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}
}  // namespace

void SpinBarrier::wait() {
  const unsigned gen = generation_.load(std::memory_order_acquire);
  if (arrived_.fetch_add(1, std::memory_order_acq_rel) == threads_ - 1) {
    arrived_.store(0, std::memory_order_relaxed);
    generation_.store(gen + 1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) futex_wake_all(&generation_);
    return;
  }
  // Spin while the others are likely just microseconds away ...
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  for (unsigned spins = 1; generation_.load(std::memory_order_acquire) == gen; ++spins) {
    cpu_relax();
    if (spins % 128 == 0 && Clock::now() - start > std::chrono::microseconds(kSpinMicroseconds)) {
      // ... then sleep in the kernel: on a shared node the thread we wait for
      // may not be running, and spinning would take its core.
      sleeps_total_.fetch_add(1, std::memory_order_relaxed);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      while (generation_.load(std::memory_order_seq_cst) == gen) futex_wait(&generation_, gen);
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
      return;
    }
  }
}

}  // namespace ctd
