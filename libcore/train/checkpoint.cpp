#include "train/checkpoint.hpp"

#include "io/output.hpp"
#include "io/provenance.hpp"
#include "util/error.hpp"

namespace ctd {

RunSignature run_signature(const OptionSet& options, const std::vector<std::string>& free) {
  RunSignature sig;
  for (const OptionSpec& s : options.all()) {
    if (!s.recorded) continue;
    bool is_free = false;
    for (const auto& f : free) is_free = is_free || f == s.name;
    if (!is_free) sig.emplace_back(s.key(), s.literal());
  }
  return sig;
}

void write_signature(H5File& out, const RunSignature& signature) {
  for (const auto& [name, value] : signature) out.write_attribute("run_" + name, value);
}

void check_signature(const H5File& f, const RunSignature& signature) {
  for (const auto& [name, value] : signature) {
    std::string saved = f.has_attribute("run_" + name) ? f.read_attribute_string("run_" + name) : "(absent)";
    std::string flag = name;
    for (char& c : flag)
      if (c == '_') c = '-';
    if (saved != value)
      throw UsageError(f.name() + ": the checkpoint was made with --" + flag + " " + saved + " but this run has --" +
                       flag + " " + value + "; resume with the same settings (only --batches may grow)");
  }
}

void write_training_checkpoint(const std::string& path, const std::string& kind,
                               const std::function<void(H5File&)>& write_model, const OptimizerProgress& p,
                               const RunSignature& signature) {
  OutputFile out(path);
  write_training_state(out.h5(), kind, write_model, p, signature);
  out.commit();
}

void write_training_state(H5File& f, const std::string& kind, const std::function<void(H5File&)>& write_model,
                          const OptimizerProgress& p, const RunSignature& signature) {
  write_model(f);
  f.write("adam/m", Shape{p.adam.m.size()}, p.adam.m.data());
  f.write("adam/v", Shape{p.adam.v.size()}, p.adam.v.data());
  p.curve.write_datasets(f, "curve");
  f.write_attribute("batches_done", int64_t(p.step));
  f.write_attribute("lr_scale", p.lr_scale);
  write_signature(f, signature);
  f.write_attribute("ctd_kind", kind);
  f.write_attribute("ctd_version", std::string(ctd_version()));
}

H5File read_training_checkpoint(const std::string& path, const std::string& kind, const RunSignature& signature,
                                OptimizerProgress& p) {
  H5File f = H5File::open(path);
  read_training_state(f, kind, signature, p);
  return f;
}

void read_training_state(const H5File& f, const std::string& kind, const RunSignature& signature,
                         OptimizerProgress& p) {
  const std::string& path = f.name();
  if (!f.has_attribute("ctd_kind") || f.read_attribute_string("ctd_kind") != kind)
    throw Error(path + ": not a checkpoint of this program (ctd_kind is not '" + kind + "')");
  check_signature(f, signature);
  p.adam.m = f.read<float>("adam/m").data;
  p.adam.v = f.read<float>("adam/v").data;
  p.curve.read_datasets(f, "curve");
  const double done = f.read_attribute_double("batches_done");
  if (!(done >= 0 && done < 1e15)) throw Error(path + ": attribute 'batches_done' is not a batch count");
  p.step = uint64_t(done);
  if (f.has_attribute("lr_scale")) p.lr_scale = f.read_attribute_in("lr_scale", 1e-300, 1);
}

namespace {
const char* const kRawParams = "constraints/raw_parameters";  // nn/weight_constraints.hpp
}  // namespace

void write_checkpoint(const std::string& path, const TrainState& state, const RunSignature& signature) {
  write_training_checkpoint(path, "rnn-checkpoint",
                            [&](H5File& f) {
                              write_rnn_params(f, state.model);
                              if (!state.raw.empty()) f.write(kRawParams, Shape{state.raw.size()}, state.raw.data());
                            },
                            state, signature);
}

TrainState read_checkpoint(const std::string& path, const RunSignature& signature) {
  TrainState s;
  H5File f = read_training_checkpoint(path, "rnn-checkpoint", signature, s);
  s.model = read_rnn_params(f);
  if (s.adam.m.size() != s.model.params.size() || s.adam.v.size() != s.model.params.size())
    throw Error(path + ": Adam moments do not match the parameters");
  if (s.model.constraints.active()) {
    // The values Adam trained, of which the weights are the effective ones.
    if (!f.has_dataset(kRawParams)) throw Error(path + ": a constrained network's checkpoint without " + kRawParams);
    Array<float> raw = f.read<float>(kRawParams, "[P]");
    if (raw.size() != s.model.params.size()) throw Error(f.where(kRawParams) + " does not match the parameters");
    require_finite(raw, f.where(kRawParams));
    s.raw.assign(raw.data.begin(), raw.data.end());
  }
  return s;
}

}  // namespace ctd
