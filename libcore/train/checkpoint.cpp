#include "train/checkpoint.hpp"

#include "io/output.hpp"
#include "io/provenance.hpp"
#include "util/error.hpp"

namespace ctd {

namespace {
const char* kCurveNames[] = {"step", "loss", "lms", "l2", "lr"};

std::vector<double>* curve_field(TrainCurve& c, int k) {
  std::vector<double>* fields[] = {&c.step, &c.loss, &c.lms, &c.l2, &c.lr};
  return fields[k];
}
}  // namespace

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

void write_checkpoint(const std::string& path, const TrainState& state, const RunSignature& signature) {
  OutputFile out(path);
  H5File& f = out.h5();
  f.create_group("params");
  for (const auto& e : param_layout(state.model.spec))
    f.write("params/" + e.name, e.shape, state.model.params.data() + e.offset);
  f.write("adam/m", Shape{state.adam.m.size()}, state.adam.m.data());
  f.write("adam/v", Shape{state.adam.v.size()}, state.adam.v.data());
  TrainCurve curve = state.curve;
  for (int k = 0; k < 5; ++k) {
    auto* v = curve_field(curve, k);
    f.write(std::string("curve/") + kCurveNames[k], Shape{v->size()}, v->data());
  }
  f.write_attribute("batches_done", int64_t(state.step));
  f.write_attribute("cell", std::string(cell_name(state.model.spec.cell)));
  f.write_attribute("bfg", state.model.spec.bfg);
  write_signature(f, signature);
  f.write_attribute("ctd_kind", std::string("rnn-checkpoint"));
  f.write_attribute("ctd_version", std::string(ctd_version()));
  out.commit();
}

TrainState read_checkpoint(const std::string& path, const RunSignature& signature) {
  H5File f = H5File::open(path);
  if (!f.has_attribute("ctd_kind") || f.read_attribute_string("ctd_kind") != "rnn-checkpoint")
    throw Error(path + ": not a train-rnn checkpoint (ctd_kind is not 'rnn-checkpoint')");
  check_signature(f, signature);
  TrainState s;
  RnnSpec spec;
  spec.cell = parse_cell(f.read_attribute_string("cell"));
  spec.bfg = f.read_attribute_double("bfg");
  Shape h0 = f.dataset_shape("params/h0"), wO = f.dataset_shape("params/wO");
  spec.N = int(h0.at(0));
  spec.O = int(wO.at(0));
  Shape w = f.dataset_shape(spec.cell == Cell::Vanilla ? "params/wI" : "params/wRUHX");
  spec.U = spec.cell == Cell::Vanilla ? int(w.at(1)) : int(w.at(1)) - spec.N;
  s.model.spec = spec;
  s.model.params.resize(param_count(spec));
  for (const auto& e : param_layout(spec)) {
    Array<float> a = f.read<float>("params/" + e.name);
    if (a.shape != e.shape) throw Error(f.where("params/" + e.name) + " has an unexpected shape");
    std::copy(a.data.begin(), a.data.end(), s.model.params.begin() + long(e.offset));
  }
  s.adam.m = f.read<float>("adam/m").data;
  s.adam.v = f.read<float>("adam/v").data;
  if (s.adam.m.size() != s.model.params.size() || s.adam.v.size() != s.model.params.size())
    throw Error(path + ": Adam moments do not match the parameters");
  for (int k = 0; k < 5; ++k) *curve_field(s.curve, k) = f.read<double>(std::string("curve/") + kCurveNames[k]).data;
  s.step = uint64_t(f.read_attribute_double("batches_done"));
  return s;
}

}  // namespace ctd
