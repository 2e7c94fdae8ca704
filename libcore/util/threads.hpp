// One knob for all parallelism (--threads): OpenMP loops and BLAS together.
#pragma once

#include <exception>
#include <mutex>

namespace ctd {

// An exception must not leave an OpenMP region (the runtime aborts): run each
// iteration's body through guard(), then rethrow() the first error after it.
class RegionErrors {
 public:
  template <class F>
  void guard(F&& body) noexcept {
    try {
      body();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!first_) first_ = std::current_exception();
    }
  }
  void rethrow() const {
    if (first_) std::rethrow_exception(first_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr first_;
};

// The cores this process may use: its CPU affinity (sched_getaffinity),
// capped by the cgroup's CPU quota (cpu.max, or cfs_quota_us / cfs_period_us).
int usable_cores();

// Thread count when --threads is not given: OMP_NUM_THREADS, else
// SLURM_CPUS_PER_TASK, else usable_cores().
int default_thread_count();

// Sets the number of worker threads (0 = default_thread_count()). BLAS itself
// runs single-threaded: our products are small, and parallelism pays across
// trials of a batch, not inside one product.
void set_thread_count(int n);
int thread_count();

}  // namespace ctd
