#include "nn/rnn_model.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"
#include "util/log.hpp"
#include "util/memory.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, RnnSpec& spec, RnnInit& init) {
  o.group("Network");
  o.add("hidden", spec.N, "Hidden units N").min(1);
  o.add("init-scale", init.recurrent_scale, "g: recurrent weights ~ g*N(0,1)/sqrt(N) (vanilla, gru, leaky)")
      .range(0, 1e3);
  o.add("bfg", spec.bfg, "gru: fixed bias on the update gate").range(-1e3, 1e3);
  o.add("alpha", spec.alpha, "leaky: alpha = dt/tau, the share of the new activation in each step").range(0, 1)
      .min(0, true);
}

void register_options(OptionSet& o, RnnReadOptions& r) {
  o.add("nonlinearity", r.nonlinearity,
        "torch-rnn: tanh | relu, for a PyTorch nn.RNN file that does not say (default: the file's 'nonlinearity' "
        "attribute, else tanh)").one_of({"", "tanh", "relu"});
}

const float* RnnModel::param(const std::string& name) const {
  return params.data() + find_param(param_layout(spec), name).offset;
}
float* RnnModel::param(const std::string& name) {
  return params.data() + find_param(param_layout(spec), name).offset;
}

std::vector<float> RnnModel::initial_state() const {
  if (torch_layout(spec.cell)) return std::vector<float>(size_t(state_size(spec)), 0.0f);
  const float* h0 = param("h0");
  return std::vector<float>(h0, h0 + spec.N);
}

namespace {
// One parameter tensor's initial values (biases of the tutorial cells stay 0).
void init_entry(const RnnSpec& spec, const RnnInit& init, const ParamEntry& e, RngStream& rng, float* p) {
  const double N = spec.N, U = spec.U;
  auto fill = [&](auto draw) {
    for (size_t i = 0; i < e.size(); ++i) p[i] = float(draw(i));
  };
  if (torch_layout(spec.cell) && spec.cell != Cell::Leaky) {  // PyTorch's reset_parameters
    const double k = 1 / std::sqrt(N);
    fill([&](size_t) { return k * (2 * rng.uniform() - 1); });
  } else if (e.name == "h0") {
    fill([&](size_t) { return init.h0_scale * rng.normal(); });
  } else if (e.name == "wI" || e.name == "rnn.weight_ih_l0") {
    fill([&](size_t) { return rng.normal() / std::sqrt(U); });
  } else if (e.name == "wR" || e.name == "rnn.weight_hh_l0") {
    fill([&](size_t) { return init.recurrent_scale * rng.normal() / std::sqrt(N); });
  } else if (e.name == "wO" || e.name == "readout.weight") {
    fill([&](size_t) { return rng.normal() / std::sqrt(N); });
  } else if (e.name == "wRUHX" || e.name == "wCHX") {
    // Columns 0..N-1 act on the state, the rest on the input.
    const size_t cols = e.shape[1];
    fill([&](size_t i) {
      bool state_col = i % cols < size_t(spec.N);
      return (state_col ? init.recurrent_scale / std::sqrt(N) : init.input_scale / std::sqrt(U)) * rng.normal();
    });
  }
}
}  // namespace

RnnModel init_rnn(const RnnSpec& spec, const RnnInit& init, uint64_t seed) {
  RnnModel m{spec, AlignedVector<float>(param_count(spec), 0.0f)};
  auto layout = param_layout(spec);
  for (size_t k = 0; k < layout.size(); ++k) {
    RngStream rng(seed, RngDomain::Init, k);
    init_entry(spec, init, layout[k], rng, m.params.data() + layout[k].offset);
  }
  return m;
}

void write_rnn_params(H5File& out, const RnnModel& model) {
  const RnnSpec& s = model.spec;
  for (const auto& e : param_layout(s)) out.write(e.name, e.shape, model.params.data() + e.offset);
  out.write_attribute("cell", std::string(cell_name(s.cell)));
  if (s.cell == Cell::Gru) out.write_attribute("bfg", s.bfg);
  if (s.cell == Cell::TorchRnn || s.cell == Cell::Leaky)
    out.write_attribute("nonlinearity", std::string(activation_name(s.act)));
  if (s.cell == Cell::Leaky) out.write_attribute("alpha", s.alpha);
  write_constraints(out, model.constraints);
}

namespace {
const char* const kVanilla = "vanilla (h0 wI wR wO bR bO)";
const char* const kGru = "GRU (h0 wRUHX wCHX bRU bC wO bO)";

// Sizes as ctd's int fields hold them: a declared shape is not to be trusted.
constexpr size_t kMaxSize = 1000000;

size_t dim_of(const H5File& in, const std::string& name, size_t rank, size_t axis, const char* want) {
  Shape s = in.dataset_shape(name);
  if (s.size() != rank || s[axis] == 0)
    throw Error(in.where(name) + " has shape " + shape_string(s) + " but " + want + " is required");
  if (s[axis] > kMaxSize)
    throw Error(in.where(name) + " has shape " + shape_string(s) + ": more than " + std::to_string(kMaxSize) +
                " units or inputs is beyond any network ctd runs");
  return s[axis];
}

// The names a parameter file may use: PyTorch's (rnn.*, readout.*) and the tutorials'.
bool parameter_name(const std::string& d) {
  static const std::vector<std::string> tutorial = {"h0", "wI", "wR", "wO", "bR", "bO", "wRUHX", "wCHX", "bRU", "bC"};
  return d.rfind("rnn.", 0) == 0 || d.rfind("readout.", 0) == 0 ||
         std::find(tutorial.begin(), tutorial.end(), d) != tutorial.end();
}

// Other keys of a state_dict (FixedPointFinder's learned initial state
// initial_hiddens_1xd, a buffer) are no parameter of the network: said, not
// dropped in silence. A state_dict's keys lie at the root; groups hold what
// ctd reads elsewhere (constraints/, a checkpoint's adam/ and curve/).
void warn_unread_datasets(const H5File& in, const RnnSpec& spec) {
  std::vector<std::string> used;
  for (const auto& e : param_layout(spec)) used.push_back(e.name);
  for (const std::string& d : in.list_datasets()) {
    if (parameter_name(d) || std::find(used.begin(), used.end(), d) != used.end() || d.find('/') != std::string::npos) continue;
    log_warning(in.name() + ": dataset '" + d + "' is not a parameter of the " + cell_name(spec.cell) +
                " network and is not used" +
                (d.find("init") != std::string::npos || d.find("h0") != std::string::npos
                     ? " (PyTorch's cells start from zeros: give a learned initial state as --h0s FILE:" + d + ")"
                     : ""));
  }
}

// A parameter the network would not use is a file that says something else
// (a second layer, the other direction, another naming, a readout bias with
// no weight): running without it would compute another network in silence.
void refuse_unused_parameters(const H5File& in, const RnnSpec& spec) {
  std::vector<std::string> used;
  for (const auto& e : param_layout(spec)) used.push_back(e.name);
  std::string unused;
  bool layers = false;
  for (const std::string& d : in.list_datasets()) {
    if (!parameter_name(d) || std::find(used.begin(), used.end(), d) != used.end()) continue;
    unused += (unused.empty() ? "" : ", ") + d;
    layers = layers || d.find("_reverse") != std::string::npos || d.find("_hr_") != std::string::npos ||
             (d.rfind("rnn.", 0) == 0 && d.find("_l0") == std::string::npos);
  }
  if (unused.empty()) return;
  throw Error(in.name() + ": " + unused + (unused.find(',') == std::string::npos ? " is not a parameter" : " are not parameters") +
              " of the " + cell_name(spec.cell) + " network the file describes" +
              (layers ? " (only one layer, one direction and no projection are supported)"
                      : spec.O == 0 && in.has_dataset("readout.bias") ? " (a readout bias needs readout.weight)" : ""));
}

// The tutorials' names: vanilla or GRU, from the attribute or the datasets.
RnnSpec tutorial_spec(const H5File& in, Cell cell) {
  RnnSpec spec;
  spec.cell = cell;
  const bool vanilla = cell == Cell::Vanilla;
  for (const char* name : vanilla ? std::vector<const char*>{"h0", "wI", "wR", "wO", "bR", "bO"}
                                  : std::vector<const char*>{"h0", "wRUHX", "wCHX", "bRU", "bC", "wO", "bO"})
    if (!in.has_dataset(name))
      throw Error(in.name() + ": no dataset '" + name + "', which " + (vanilla ? kVanilla : kGru) +
                  " parameters need");
  spec.N = int(dim_of(in, "h0", 1, 0, "[N]"));
  spec.O = int(dim_of(in, "wO", 2, 0, "[O,N]"));
  const char* win = vanilla ? "wI" : "wRUHX";
  Shape w = in.dataset_shape(win);
  if (w.size() != 2) throw Error(in.where(win) + " must have 2 dims");
  if (w[1] > 2 * kMaxSize) throw Error(in.where(win) + " has shape " + shape_string(w) + ": too many input columns");
  spec.U = vanilla ? int(w[1]) : int(w[1]) - spec.N;
  if (spec.U <= 0) throw Error(in.where(win) + " has shape " + shape_string(w) + ": no input columns");
  if (!vanilla && in.has_attribute("bfg")) spec.bfg = in.read_attribute_in("bfg", -1e3, 1e3);
  return spec;
}

// PyTorch's state_dict names: the cell from the attribute or the rows of weight_hh.
RnnSpec torch_spec(const H5File& in, const std::string& cell_attr, const RnnReadOptions& options) {
  for (const char* name : {"rnn.weight_ih_l0", "rnn.weight_hh_l0"})
    if (!in.has_dataset(name)) throw Error(in.name() + ": no dataset '" + std::string(name) + "', which a PyTorch RNN needs");
  RnnSpec spec;
  const size_t G = dim_of(in, "rnn.weight_hh_l0", 2, 0, "[G,N]"), N = dim_of(in, "rnn.weight_hh_l0", 2, 1, "[G,N]");
  spec.N = int(N);
  spec.U = int(dim_of(in, "rnn.weight_ih_l0", 2, 1, "[G,U]"));
  if (!cell_attr.empty()) {
    spec.cell = parse_cell(cell_attr);
  } else if (G == N || G == 3 * N || G == 4 * N) {
    spec.cell = G == N ? Cell::TorchRnn : G == 3 * N ? Cell::TorchGru : Cell::Lstm;
  } else {
    throw Error(in.where("rnn.weight_hh_l0") + " has shape " + shape_string({G, N}) +
                " but N, 3N or 4N rows are required (nn.RNN, nn.GRU, nn.LSTM)");
  }
  if (!torch_layout(spec.cell))
    throw Error(in.name() + ": attribute 'cell' is '" + cell_attr + "' but the datasets are PyTorch's");
  spec.O = in.has_dataset("readout.weight") ? int(dim_of(in, "readout.weight", 2, 0, "[O,N]")) : 0;
  std::string act = !options.nonlinearity.empty()       ? options.nonlinearity
                    : in.has_attribute("nonlinearity") ? in.read_attribute_string("nonlinearity")
                                                       : "tanh";
  if (act != "tanh" && act != "relu" && act != "softplus")
    throw Error(in.name() + ": attribute 'nonlinearity' is '" + act + "' but tanh, relu or softplus is required");
  spec.act = parse_activation(act);
  if (spec.cell == Cell::Leaky) {
    if (!in.has_attribute("alpha")) throw Error(in.name() + ": a leaky RNN needs the attribute 'alpha' (dt/tau)");
    spec.alpha = in.read_attribute_in("alpha", 0, 1);
    if (spec.alpha == 0) throw Error(in.name() + ": attribute 'alpha' is 0 but a number in (0, 1] is required");
  }
  return spec;
}
}  // namespace

RnnModel read_rnn_params(const H5File& in, const RnnReadOptions& options) {
  const std::string cell_attr = in.has_attribute("cell") ? in.read_attribute_string("cell") : "";
  const bool known = std::find(kCellNames.begin(), kCellNames.end(), cell_attr) != kCellNames.end();
  if (!cell_attr.empty() && !known)
    throw Error(in.name() + ": attribute 'cell' is '" + cell_attr +
                "' but vanilla, gru, torch-rnn, torch-gru, lstm or leaky is required");
  RnnSpec spec;
  if (in.has_dataset("rnn.weight_hh_l0") || (known && torch_layout(parse_cell(cell_attr))))
    spec = torch_spec(in, cell_attr, options);
  else if (cell_attr == "gru" || (cell_attr.empty() && in.has_dataset("wRUHX")))
    spec = tutorial_spec(in, Cell::Gru);
  else if (cell_attr == "vanilla" || in.has_dataset("wR"))
    spec = tutorial_spec(in, Cell::Vanilla);
  else
    throw Error(in.name() + ": not an RNN parameter file: neither " + kVanilla + ", " + kGru +
                " nor PyTorch (rnn.weight_ih_l0 rnn.weight_hh_l0 ...) datasets found");

  refuse_unused_parameters(in, spec);
  if (torch_layout(spec.cell)) warn_unread_datasets(in, spec);
  require_memory(4.0 * double(param_count(spec)), in.name() + ": the parameters (N=" + std::to_string(spec.N) + ")");
  RnnModel m{spec, AlignedVector<float>(param_count(spec), 0.0f)};
  for (const auto& e : param_layout(spec)) {
    // PyTorch modules built with bias=False have no biases: zeros.
    if (torch_layout(spec.cell) && e.name.find(".bias") != std::string::npos && !in.has_dataset(e.name)) continue;
    Array<float> a = in.read<float>(e.name);
    if (a.shape != e.shape)
      throw Error(in.where(e.name) + " has shape " + shape_string(a.shape) + " but " + shape_string(e.shape) +
                  " is required (N=" + std::to_string(spec.N) + ", U=" + std::to_string(spec.U) +
                  ", O=" + std::to_string(spec.O) + ")");
    require_finite(a, in.where(e.name));
    std::copy(a.data.begin(), a.data.end(), m.params.begin() + long(e.offset));
  }
  m.constraints = read_constraints(in, spec, m.params.data());
  return m;
}

}  // namespace ctd
