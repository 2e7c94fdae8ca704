#include "util/ranks.hpp"

#include <cstdlib>
#include <vector>

#include "util/log.hpp"  // log_error

#ifdef CTD_WITH_MPI
#define OMPI_SKIP_MPICXX 1  // the C API only: no C++ bindings to link
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace ctd {

namespace {
RankInfo g_ranks;  // what the training code sees (one rank inside AloneOnThisRank)
RankInfo g_world;  // the real ranks
bool g_started = false;

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

#ifdef CTD_WITH_MPI
bool mpi_active() { return g_ranks.size > 1; }

template <class T>
void sum_in_order(T* data, size_t n, MPI_Datatype type) {
  if (!mpi_active() || n == 0) return;
  std::vector<T> all(n * size_t(g_ranks.size));
  MPI_Allgather(data, int(n), type, all.data(), int(n), type, MPI_COMM_WORLD);
  for (size_t i = 0; i < n; ++i) {
    T s = all[i];
    for (int r = 1; r < g_ranks.size; ++r) s += all[size_t(r) * n + i];
    data[i] = s;
  }
}
#endif
}  // namespace

void start_ranks() {
  if (g_started) return;
  g_started = true;
#ifdef CTD_WITH_MPI
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_ranks.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_ranks.size);
  MPI_Comm local;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
  MPI_Comm_size(local, &g_ranks.local_size);
  MPI_Comm_free(&local);
  g_world = g_ranks;
  std::atexit([] {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  });
#else
  if (launched_by_mpi() && std::getenv("OMPI_COMM_WORLD_RANK") && std::atoi(std::getenv("OMPI_COMM_WORLD_RANK")) == 0)
    log_error("started by an MPI launcher but built without MPI: every rank runs the whole job alone");
#endif
}

const RankInfo& ranks() { return g_ranks; }
bool is_rank0() { return g_ranks.rank == 0; }

std::pair<int, int> my_rows(int B) {
  const int K = g_ranks.size, r = g_ranks.rank, base = B / K, extra = B % K;
  const int first = r * base + std::min(r, extra);
  return {first, first + base + (r < extra ? 1 : 0)};
}

AloneOnThisRank::AloneOnThisRank() : saved_(g_ranks) { g_ranks = RankInfo{}; }
AloneOnThisRank::~AloneOnThisRank() { g_ranks = saved_; }
const RankInfo& world_ranks() { return g_world; }

#ifdef CTD_WITH_MPI
std::vector<std::vector<char>> gather_over_world(const std::vector<char>& mine) {
  if (g_world.size < 2) return {mine};
  const int K = g_world.size;
  const int n = int(mine.size());  // a member's state is far below 2 GB
  std::vector<int> sizes(static_cast<size_t>(K)), offsets(static_cast<size_t>(K), 0);
  MPI_Allgather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD);
  for (int r = 1; r < K; ++r) offsets[size_t(r)] = offsets[size_t(r - 1)] + sizes[size_t(r - 1)];
  std::vector<char> all(size_t(offsets.back()) + size_t(sizes.back()));
  MPI_Allgatherv(mine.data(), n, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR, MPI_COMM_WORLD);
  std::vector<std::vector<char>> out;
  for (int r = 0; r < K; ++r)
    out.emplace_back(all.begin() + offsets[size_t(r)], all.begin() + offsets[size_t(r)] + sizes[size_t(r)]);
  return out;
}
void sum_over_ranks(float* data, size_t n) { sum_in_order(data, n, MPI_FLOAT); }
void sum_over_ranks(double* data, size_t n) { sum_in_order(data, n, MPI_DOUBLE); }
int max_over_ranks(int v) {
  if (!mpi_active()) return v;
  int out = v;
  MPI_Allreduce(&v, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out;
}
void abort_ranks(int code) {
  if (g_world.size > 1) MPI_Abort(MPI_COMM_WORLD, code);
}
#else
std::vector<std::vector<char>> gather_over_world(const std::vector<char>& mine) { return {mine}; }
void sum_over_ranks(float*, size_t) {}
void sum_over_ranks(double*, size_t) {}
int max_over_ranks(int v) { return v; }
void abort_ranks(int) {}
#endif

}  // namespace ctd
