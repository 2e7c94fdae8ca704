#include "tasks/task_file.hpp"

#include "util/error.hpp"

namespace ctd {

TaskFile read_task_file(const H5File& in, bool targets_required) {
  TaskFile f;
  // The task's kind: task_kind, or (files of ctd 0.1) the generator's --task / gen-sentiment's task attribute.
  if (in.has_attribute("task_kind") && !in.attribute_is_string("task_kind"))
    throw Error(in.name() + ": attribute 'task_kind' is not a text (integrator, decision, sentiment, flipflop, ...)");
  for (const char* a : {"task_kind", "task"})
    if (f.kind.empty() && in.has_attribute(a) && in.attribute_is_string(a)) f.kind = in.read_attribute_string(a);
  f.data.inputs = in.read_finite("inputs", "[B,T,U]");
  if (!targets_required && !in.has_dataset("targets")) {
    const Shape& xs = f.data.inputs.shape;
    f.data.targets = Array<float>({xs[0], xs[1], 1}, 0.0f);
    f.data.target_mask = Array<float>({xs[0], xs[1], 1}, 0.0f);
    f.history = read_history(in);
    f.has_targets = false;
    return f;
  }
  f.data.targets = in.read_finite("targets", "[B,T,O]");
  const Shape& xs = f.data.inputs.shape;
  const Shape& ys = f.data.targets.shape;
  if (xs[0] == 0 || xs[1] == 0 || xs[2] == 0 || ys[2] == 0)
    throw Error(in.where("inputs") + " has shape " + shape_string(xs) + ": every size must be positive");
  if (ys[0] != xs[0] || ys[1] != xs[1])
    throw Error(in.where("targets") + " has shape " + shape_string(ys) + " but inputs are " + shape_string(xs) +
                ": B and T must agree");
  if (in.has_dataset("target_mask")) {
    f.data.target_mask = in.read_finite("target_mask", "[B,T,O]");
    if (f.data.target_mask.shape != ys)
      throw Error(in.where("target_mask") + " has shape " + shape_string(f.data.target_mask.shape) +
                  " but targets are " + shape_string(ys));
    bool any = false;
    for (float m : f.data.target_mask.data) {
      if (m != 0.0f && m != 1.0f) throw Error(in.where("target_mask") + " holds values other than 0 and 1");
      any = any || m != 0.0f;
    }
    // Training on it would reach loss 0 and report success having learnt nothing.
    if (!any) throw Error(in.where("target_mask") + " is 0 everywhere: no target to learn or score");
  } else {
    f.data.target_mask = Array<float>(ys, 1.0f);
  }
  if (in.has_dataset("h0s")) {
    f.h0s = in.read_finite("h0s", "[B,N]");
    if (f.h0s.dim(0) != xs[0])
      throw Error(in.where("h0s") + " has " + std::to_string(f.h0s.dim(0)) + " rows but the file has " +
                  std::to_string(xs[0]) + " trials");
  }
  f.history = read_history(in);
  return f;
}

void write_task_datasets(H5File& out, const TaskData& data, const std::string& kind) {
  out.write_attribute("task_kind", kind);
  out.write("inputs", data.inputs);
  out.write("targets", data.targets);
  out.write("target_mask", data.target_mask);
}

}  // namespace ctd
