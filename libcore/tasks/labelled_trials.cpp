#include "tasks/labelled_trials.hpp"

#include <algorithm>

#include "tasks/task_file.hpp"
#include "util/error.hpp"
#include "util/memory.hpp"
#include "util/rng.hpp"

namespace ctd {

LabelledTrials::LabelledTrials(size_t trials, size_t steps, size_t inputs, size_t outputs,
                               std::vector<std::string> epochs, std::vector<std::string> names)
    : epoch_names(std::move(epochs)), condition_names(std::move(names)) {
  require_memory(4.0 * double(trials) * double(steps) * double(inputs + 2 * outputs), std::to_string(trials) + " trials");
  data.inputs = Array<float>({trials, steps, inputs});
  data.targets = Array<float>({trials, steps, outputs});
  data.target_mask = Array<float>({trials, steps, outputs});
  epoch_starts = Array<int32_t>({trials, epoch_names.size()});
  conditions.assign(condition_names.size(), std::vector<float>(trials, 0.0f));
}

void LabelledTrials::set_input(size_t b, size_t t0, size_t t1, size_t u, float v) {
  for (size_t t = t0; t < t1; ++t) input(b, t, u) = v;
}

void LabelledTrials::set_target(size_t b, size_t t0, size_t t1, size_t o, float v) {
  for (size_t t = t0; t < t1; ++t) target(b, t, o) = v, mask(b, t, o) = 1.0f;
}

void LabelledTrials::set_mask(size_t b, size_t t0, size_t t1, float m) {
  for (size_t t = t0; t < t1; ++t)
    for (size_t o = 0; o < data.targets.dim(2); ++o) mask(b, t, o) = m;
}

void LabelledTrials::add_input_noise(size_t b, double sd, RngStream& rng) {
  if (sd == 0) return;
  for (size_t t = 0; t < steps(); ++t)
    for (size_t u = 0; u < data.inputs.dim(2); ++u) input(b, t, u) += float(sd * rng.normal());
}

void LabelledTrials::set_epochs(size_t b, const std::vector<size_t>& starts) {
  for (size_t e = 0; e < starts.size(); ++e) epoch_starts[b * epoch_names.size() + e] = int32_t(starts[e]);
}

void LabelledTrials::set_condition(size_t b, const std::string& name, double v) {
  const auto it = std::find(condition_names.begin(), condition_names.end(), name);
  if (it == condition_names.end()) throw Error("internal: no condition '" + name + "'");
  conditions[size_t(it - condition_names.begin())][b] = float(v);
}

void write_labelled_trials(H5File& out, const LabelledTrials& trials, const std::string& kind) {
  write_task_datasets(out, trials.data, kind);
  out.write("epoch_starts", trials.epoch_starts);
  out.write_attribute("epoch_names", trials.epoch_names, "epoch_starts");
  out.create_group("conditions");
  for (size_t c = 0; c < trials.condition_names.size(); ++c)
    out.write("conditions/" + trials.condition_names[c], Shape{trials.trials()}, trials.conditions[c].data());
}

namespace {
// The column of an epoch in the file's epoch_starts [B,E].
size_t epoch_column(const H5File& in, const std::string& name) {
  const std::vector<std::string> names = in.read_attribute_strings("epoch_names", "epoch_starts");
  for (size_t e = 0; e < names.size(); ++e)
    if (names[e] == name) return e;
  throw Error(in.where("epoch_starts") + " has no epoch '" + name + "'");
}
}  // namespace

std::vector<std::pair<size_t, size_t>> epoch_steps(const H5File& in, size_t B, size_t T, const std::string& condition,
                                                   double value, const std::string& from, const std::string& to) {
  const std::string cond = "conditions/" + condition;
  if (!in.has_dataset(cond)) throw Error(in.name() + ": no dataset '" + cond + "' (a gen-task file has it)");
  if (!in.has_dataset("epoch_starts")) throw Error(in.name() + ": no dataset 'epoch_starts' (a gen-task file has it)");
  const Array<double> c = in.read<double>(cond, "[B]");
  const Array<int32_t> epochs = in.read<int32_t>("epoch_starts", "[B,E]");
  if (c.size() != B || epochs.dim(0) != B)
    throw Error(in.name() + ": " + cond + " and epoch_starts must have one row for each of the " + std::to_string(B) +
                " trials");
  const size_t E = epochs.dim(1), first = epoch_column(in, from), last = epoch_column(in, to);
  std::vector<std::pair<size_t, size_t>> steps;
  for (size_t b = 0; b < B; ++b) {
    if (c[b] != value) continue;
    const size_t t0 = size_t(std::max(0, epochs[b * E + first])), t1 = std::min(T, size_t(std::max(0, epochs[b * E + last])));
    for (size_t t = t0; t < t1; ++t) steps.push_back({b, t});
  }
  return steps;
}

}  // namespace ctd
