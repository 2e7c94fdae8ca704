// A population of training runs (docs/formats.md, "pbt-population"): each
// member's hyperparameters, lineage, score and trainer state, and the history
// of every generation. One file, rewritten atomically after each generation,
// so a run stopped anywhere continues from the last generation it finished.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/hdf5.hpp"
#include "train/checkpoint.hpp"
#include "tune/search_space.hpp"

namespace ctd {

struct Member {
  std::vector<double> hp;   // one value per hyperparameter of the space, in its order
  int parent = -1;          // the member it was copied from at the last exploit step (-1: none)
  double score = 0;         // after the last generation (NaN when it failed)
  bool failed = false;
  std::string failure;      // why, when it failed
  std::vector<char> state;  // the trainer's state as an HDF5 file image (empty before the first generation)
};

// One row per generation and member: what it trained with and what it scored.
struct GenerationRow {
  int generation = 0, member = 0, parent = -1;
  double score = 0;
  bool failed = false;
  std::vector<double> hp;
};

struct Population {
  SearchSpace space;
  std::string metric;             // what the score is: valid_nll_smoothed or co_bps
  bool higher_is_better = false;  // co_bps: higher; an NLL: lower
  uint64_t seed = 0;              // the exploit/explore draws of generation g come from stream (seed, g)
  int threads = 1;                // per member: a resumed run must use as many to repeat bit for bit
  int generations_done = 0;
  std::vector<Member> members;
  std::vector<GenerationRow> history;
};

// N members with hyperparameters drawn from the space (stream (seed, member)).
Population new_population(const SearchSpace& space, int members, uint64_t seed);

// The population file, written atomically; `signature` is checked on reading,
// as a checkpoint's (only --generations may grow).
void write_population(const std::string& path, const Population& pop, const RunSignature& signature);
Population read_population(const std::string& path, const RunSignature& signature);

// The best member's story in its model file: attributes pbt_member,
// pbt_metric, pbt_score and pbt_lineage (one line per generation, oldest
// first: whose state it carried and the hyperparameters it trained with).
void write_pbt_lineage(H5File& out, const Population& pop, int member);

// The best member that did not fail (ties: the lowest index); -1 when all failed.
int best_member(const Population& pop);

}  // namespace ctd
