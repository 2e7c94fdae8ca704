#include "util/threads.hpp"

#include <omp.h>

#include <Eigen/Core>
#include <cstdlib>
#include <string>
#include <thread>

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

int default_thread_count() {
  if (int n = env_int("OMP_NUM_THREADS")) return n;
  if (int n = env_int("SLURM_CPUS_PER_TASK")) return n;
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? int(hw) : 1;
}

void set_thread_count(int n) {
  g_threads = n > 0 ? n : default_thread_count();
  omp_set_num_threads(g_threads);
  // Work is split into exactly --threads parts that meet at barriers; a
  // runtime shrinking teams by load (OMP_DYNAMIC) would leave parts undone.
  omp_set_dynamic(0);
  openblas_set_num_threads(1);
  Eigen::setNbThreads(1);
}

int thread_count() { return g_threads; }

}  // namespace ctd
