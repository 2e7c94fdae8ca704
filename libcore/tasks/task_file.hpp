// Reading and writing `task` files (docs/formats.md): inputs [B,T,U], targets
// [B,T,O], target_mask [B,T,O], optional h0s [B,N] and tokens [B,T].
#pragma once
#include <string>

#include "io/hdf5.hpp"
#include "io/provenance.hpp"
#include "tasks/integrator.hpp"

namespace ctd {

struct TaskFile {
  TaskData data;
  Array<float> h0s;  // empty when the file has none
  std::string history;
  bool has_targets = true;  // false: read without targets (zeros stand in)
  std::string kind;         // the task_kind attribute: integrator | decision | sentiment ("" if absent)
};

// Reads and validates a task file: ranks, agreeing B and T, same shape of
// targets and mask, finite values, mask entries 0 or 1. A missing mask means
// every entry counts. With `targets_required` false, a file without targets
// (e.g. inputs and states only) reads with zero targets and a zero mask.
TaskFile read_task_file(const H5File& in, bool targets_required = true);

// inputs, targets, target_mask and the root attribute task_kind (the task the
// trials are of, which chooses train-rnn's recipe).
void write_task_datasets(H5File& out, const TaskData& data, const std::string& kind);

}  // namespace ctd
