#include "util/threads.hpp"

#include <omp.h>
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>

#include "util/ranks.hpp"

extern "C" void openblas_set_num_threads(int);

namespace ctd {

namespace {
int g_threads = 1;

int env_int(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return 0;
  try {
    int n = std::stoi(v);
    return n > 0 ? n : 0;
  } catch (...) {
    return 0;
  }
}
}  // namespace

int usable_cores() {
  // The CPUs this process may run on (taskset, cpusets, Slurm's binding)...
  int n = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
  if (n <= 0) n = int(std::thread::hardware_concurrency());
  // ... and no more than the cgroup's CPU quota (a container or job step
  // limited to 1.5 CPUs runs 2 threads at most).
  std::ifstream v2("/sys/fs/cgroup/cpu.max");
  std::string quota;
  double period = 0;
  if (v2 >> quota >> period && quota != "max" && period > 0) {
    const double q = std::atof(quota.c_str()) / period;
    if (q > 0) n = std::min(n, std::max(1, int(std::ceil(q))));
  } else {
    std::ifstream q1("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), p1("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
    double q = 0, p = 0;
    if (q1 >> q && p1 >> p && q > 0 && p > 0) n = std::min(n, std::max(1, int(std::ceil(q / p))));
  }
  return std::max(1, n);
}

int default_thread_count() {
  if (int n = env_int("OMP_NUM_THREADS")) return n;
  if (int n = env_int("SLURM_CPUS_PER_TASK")) return n;
  int n = usable_cores();
  // Ranks of one run on one node share it, unless the launcher bound each to its own cores already.
  const int local = ranks().local_size;
  if (local > 1 && n >= int(sysconf(_SC_NPROCESSORS_ONLN))) n = std::max(1, n / local);
  return n;
}

void set_thread_count(int n) {
  g_threads = n > 0 ? n : default_thread_count();
  omp_set_num_threads(g_threads);
  // Work is split into exactly --threads parts that meet at barriers; a
  // runtime shrinking teams by load (OMP_DYNAMIC) would leave parts undone.
  omp_set_dynamic(0);
  openblas_set_num_threads(1);
}

int thread_count() { return g_threads; }

}  // namespace ctd
