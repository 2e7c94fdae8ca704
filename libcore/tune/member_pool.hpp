// Where the members of a generation train: under mpirun/srun each rank trains
// its share (members r, r+K, …, alone, not data-parallel) and the results
// travel through MPI; on one machine up to -j members train at once, each in
// a forked process of its own (one: in this process). A member's result is
// the same bits wherever it ran, for the same threads per member.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace ctd {

struct MemberJob {
  int member = 0;
  std::vector<double> hp;
  std::vector<char> state;  // empty: a new member
};

struct MemberResult {
  int member = 0;
  bool failed = false;   // training or scoring threw: `failure` says why
  bool stopped = false;  // a signal stopped it (the generation is lost, the run exits 75)
  std::string failure;
  double score = 0;
  double train_seconds = 0, score_seconds = 0;  // where its time went (the overhead's measure)
  std::vector<char> state;
};

using MemberTrainer = std::function<MemberResult(const MemberJob&)>;

// Results in the jobs' order. Errors inside a member become failed results;
// a signal becomes stopped ones.
std::vector<MemberResult> run_members(const std::vector<MemberJob>& jobs, const MemberTrainer& train, int parallel);

// A result's bytes and back (what a pipe or MPI carries).
std::vector<char> pack_results(const std::vector<MemberResult>& results);
std::vector<MemberResult> unpack_results(const std::vector<char>& bytes, const std::string& where);

}  // namespace ctd
