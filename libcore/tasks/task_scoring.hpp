// Performance on gen-task's tasks as the papers measure it: the fraction of
// trials decided correctly in the response epoch (docs/methods.md §10), read
// from the trials' targets and mask and the network's outputs.
#pragma once
#include <string>

#include "tasks/task_data.hpp"

namespace ctd {

// The share of correct trials, or -1 for a kind without a rule (the
// tutorials' tasks, or a file without a task_kind). `outputs` is [B,T,O].
double task_accuracy(const std::string& kind, const TaskData& trials, const float* outputs);

// The rule, for messages: "the sign of the mean response output", ...
std::string task_accuracy_rule(const std::string& kind);

}  // namespace ctd
