// The cost of one gradient sum over the ranks (util/ranks: gathered, added in
// rank order), at given sizes: what data-parallel training adds per batch.
//   mpicxx -O2 -I libcore bench/mpi_sum.cpp libcore/util/ranks.cpp libcore/util/log.cpp -DCTD_WITH_MPI -o sum
//   mpirun -np 2 ./sum 10401 33602 320000
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "util/ranks.hpp"

int main(int argc, char** argv) {
  ctd::start_ranks();
  for (int a = 1; a < argc; ++a) {
    const size_t n = size_t(std::atol(argv[a]));
    std::vector<float> g(n, 1.0f);
    for (int i = 0; i < 20; ++i) ctd::sum_over_ranks(g.data(), n);  // warm up
    const int reps = 200;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) ctd::sum_over_ranks(g.data(), n);
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / reps;
    if (ctd::is_rank0()) std::printf("%zu floats (%.2f MB): %.1f us per sum over %d ranks\n", n, n * 4e-6, us, ctd::ranks().size);
  }
}
