// The three arrays of every task: what a network sees, what it should say,
// and where that counts.
#pragma once
#include "io/array.hpp"

namespace ctd {

struct TaskData {
  Array<float> inputs, targets, target_mask;  // [B,T,U], [B,T,O], [B,T,O]
};

}  // namespace ctd
