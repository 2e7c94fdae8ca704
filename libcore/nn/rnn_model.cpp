#include "nn/rnn_model.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, RnnSpec& spec, RnnInit& init) {
  o.group("Network");
  o.add("hidden", spec.N, "Hidden units N").min(1);
  o.add("init-scale", init.recurrent_scale, "g: recurrent weights ~ g*N(0,1)/sqrt(N)").range(0, 1e3);
  o.add("bfg", spec.bfg, "GRU: fixed bias on the update gate").range(-1e3, 1e3);
}

const float* RnnModel::param(const std::string& name) const {
  return params.data() + find_param(param_layout(spec), name).offset;
}
float* RnnModel::param(const std::string& name) {
  return params.data() + find_param(param_layout(spec), name).offset;
}

RnnModel init_rnn(const RnnSpec& spec, const RnnInit& init, uint64_t seed) {
  RnnModel m{spec, AlignedVector<float>(param_count(spec), 0.0f)};
  const double N = spec.N, U = spec.U;
  auto layout = param_layout(spec);
  for (size_t k = 0; k < layout.size(); ++k) {
    const ParamEntry& e = layout[k];
    float* p = m.params.data() + e.offset;
    RngStream rng(seed, RngDomain::Init, k);
    if (e.name == "h0") {
      for (size_t i = 0; i < e.size(); ++i) p[i] = float(init.h0_scale * rng.normal());
    } else if (e.name == "wI") {
      for (size_t i = 0; i < e.size(); ++i) p[i] = float(rng.normal() / std::sqrt(U));
    } else if (e.name == "wR") {
      for (size_t i = 0; i < e.size(); ++i) p[i] = float(init.recurrent_scale * rng.normal() / std::sqrt(N));
    } else if (e.name == "wO") {
      for (size_t i = 0; i < e.size(); ++i) p[i] = float(rng.normal() / std::sqrt(N));
    } else if (e.name == "wRUHX" || e.name == "wCHX") {
      // Columns 0..N-1 act on the state, the rest on the input.
      const size_t cols = e.shape[1];
      for (size_t i = 0; i < e.size(); ++i) {
        bool state_col = i % cols < size_t(spec.N);
        double scale = state_col ? init.recurrent_scale / std::sqrt(N) : init.input_scale / std::sqrt(U);
        p[i] = float(scale * rng.normal());
      }
    }  // biases stay 0
  }
  return m;
}

void write_rnn_params(H5File& out, const RnnModel& model) {
  for (const auto& e : param_layout(model.spec)) out.write(e.name, e.shape, model.params.data() + e.offset);
  out.write_attribute("cell", std::string(cell_name(model.spec.cell)));
  if (model.spec.cell == Cell::Gru) out.write_attribute("bfg", model.spec.bfg);
}

RnnModel read_rnn_params(const H5File& in) {
  RnnSpec spec;
  if (in.has_attribute("cell")) {
    std::string c = in.read_attribute_string("cell");
    if (c != "vanilla" && c != "gru")
      throw Error(in.name() + ": attribute 'cell' is '" + c + "' but 'vanilla' or 'gru' is required");
    spec.cell = parse_cell(c);
  } else if (in.has_dataset("wRUHX")) {
    spec.cell = Cell::Gru;
  } else if (in.has_dataset("wR")) {
    spec.cell = Cell::Vanilla;
  } else {
    throw Error(in.name() + ": not an RNN parameter file: neither vanilla (h0 wI wR wO bR bO) nor GRU "
                            "(h0 wRUHX wCHX bRU bC wO bO) datasets found");
  }
  const char* required = spec.cell == Cell::Vanilla ? "vanilla (h0 wI wR wO bR bO)" : "GRU (h0 wRUHX wCHX bRU bC wO bO)";
  for (const char* name : spec.cell == Cell::Vanilla
                              ? std::vector<const char*>{"h0", "wI", "wR", "wO", "bR", "bO"}
                              : std::vector<const char*>{"h0", "wRUHX", "wCHX", "bRU", "bC", "wO", "bO"})
    if (!in.has_dataset(name))
      throw Error(in.name() + ": no dataset '" + name + "', which " + required + " parameters need");
  Shape h0 = in.dataset_shape("h0"), wO = in.dataset_shape("wO");
  if (h0.size() != 1 || h0[0] == 0) throw Error(in.where("h0") + " has shape " + shape_string(h0) + " but [N] is required");
  if (wO.size() != 2 || wO[0] == 0) throw Error(in.where("wO") + " has shape " + shape_string(wO) + " but [O,N] is required");
  spec.N = int(h0[0]);
  spec.O = int(wO[0]);
  Shape win = in.dataset_shape(spec.cell == Cell::Vanilla ? "wI" : "wRUHX");
  if (win.size() != 2) throw Error(in.where(spec.cell == Cell::Vanilla ? "wI" : "wRUHX") + " must have 2 dims");
  spec.U = spec.cell == Cell::Vanilla ? int(win[1]) : int(win[1]) - spec.N;
  if (spec.U <= 0) throw Error(in.where("wRUHX") + " has shape " + shape_string(win) + ": no input columns");
  if (spec.cell == Cell::Gru && in.has_attribute("bfg")) spec.bfg = in.read_attribute_in("bfg", -1e3, 1e3);

  RnnModel m{spec, AlignedVector<float>(param_count(spec))};
  for (const auto& e : param_layout(spec)) {
    Array<float> a = in.read<float>(e.name);
    if (a.shape != e.shape)
      throw Error(in.where(e.name) + " has shape " + shape_string(a.shape) + " but " + shape_string(e.shape) +
                  " is required (N=" + std::to_string(spec.N) + ", U=" + std::to_string(spec.U) +
                  ", O=" + std::to_string(spec.O) + ")");
    require_finite(a, in.where(e.name));
    std::copy(a.data.begin(), a.data.end(), m.params.begin() + long(e.offset));
  }
  return m;
}

}  // namespace ctd
