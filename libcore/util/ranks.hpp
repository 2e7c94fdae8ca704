// The processes of a data-parallel run — `mpirun -np K TOOL …` or `srun` —
// or just this one. MPI starts only when a launcher started the process
// (its environment says so), so a tool run without mpirun behaves and
// performs as a plain program: no MPI start-up, no daemons.
//
// Each rank computes its share of every batch; gradients are summed over the
// ranks in rank order, so a run is repeatable for a given K; rank 0 alone
// writes outputs, checkpoints and progress.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ctd {

struct RankInfo {
  int rank = 0, size = 1;
  int local_size = 1;  // ranks on this node
};

// Starts MPI when a launcher started this process (OMPI_COMM_WORLD_SIZE,
// PMI_SIZE or PMIX_RANK in the environment) and was built with MPI; a second
// call does nothing.
void start_ranks();
const RankInfo& ranks();
bool is_rank0();

// Rows [first, end) of a batch of B that this rank computes: contiguous and
// balanced (the first B % K ranks take one row more).
std::pair<int, int> my_rows(int B);

// Sums data over the ranks in rank order: every rank's values are gathered
// and added 0, 1, …, K−1, so every rank gets the same bits, and a run is
// repeatable for a given K whatever MPI's reduction algorithm.
void sum_over_ranks(float* data, size_t n);
void sum_over_ranks(double* data, size_t n);
// The largest value over the ranks (a signal number: one rank's is everyone's).
int max_over_ranks(int v);

// Population-based training gives each rank members of its own: inside this
// scope the training code sees one rank (no batch split, no collectives),
// while the tuner's own exchanges run over the world.
class AloneOnThisRank {
 public:
  AloneOnThisRank();
  ~AloneOnThisRank();
  AloneOnThisRank(const AloneOnThisRank&) = delete;
  AloneOnThisRank& operator=(const AloneOnThisRank&) = delete;

 private:
  RankInfo saved_;
};
// The real ranks, whatever the scope.
const RankInfo& world_ranks();
// Every rank's bytes, in rank order, on every rank (MPI_Allgatherv over the world).
std::vector<std::vector<char>> gather_over_world(const std::vector<char>& mine);

// After an error on one rank the others would wait forever in the next
// collective: ends the whole run with this exit code (a no-op on one rank).
void abort_ranks(int code);

}  // namespace ctd
