#include "nn/rnn.hpp"

#include <algorithm>

#include "nn/cell.hpp"
#include "util/error.hpp"

namespace ctd {

// In the order of enum Cell.
const std::vector<std::string> kCellNames = {"vanilla", "gru", "torch-rnn", "torch-gru", "lstm", "leaky"};

Cell parse_cell(const std::string& name) {
  for (size_t i = 0; i < kCellNames.size(); ++i)
    if (name == kCellNames[i]) return Cell(i);
  throw UsageError("the cell must be vanilla, gru, torch-rnn, torch-gru, lstm or leaky, not '" + name + "'");
}

const char* cell_name(Cell cell) { return kCellNames[size_t(cell)].c_str(); }

bool torch_layout(Cell cell) { return cell != Cell::Vanilla && cell != Cell::Gru; }

Activation parse_activation(const std::string& name) {
  if (name == "tanh") return Activation::Tanh;
  if (name == "relu") return Activation::Relu;
  if (name == "softplus") return Activation::Softplus;
  throw UsageError("the nonlinearity must be tanh, relu or softplus, not '" + name + "'");
}

const char* activation_name(Activation a) {
  return a == Activation::Tanh ? "tanh" : a == Activation::Relu ? "relu" : "softplus";
}

int state_size(const RnnSpec& spec) { return spec.cell == Cell::Lstm ? 2 * spec.N : spec.N; }

int gate_rows(const RnnSpec& spec) {
  return spec.cell == Cell::TorchGru ? 3 * spec.N : spec.cell == Cell::Lstm ? 4 * spec.N : spec.N;
}

std::vector<ParamEntry> param_layout(const RnnSpec& s) {
  const size_t N = size_t(s.N), U = size_t(s.U), O = size_t(s.O), G = size_t(gate_rows(s));
  std::vector<std::pair<std::string, Shape>> named;
  if (s.cell == Cell::Vanilla)
    named = {{"h0", {N}}, {"wI", {N, U}}, {"wR", {N, N}}, {"wO", {O, N}}, {"bR", {N}}, {"bO", {O}}};
  else if (s.cell == Cell::Gru)
    named = {{"h0", {N}},      {"wRUHX", {2 * N, N + U}}, {"wCHX", {N, N + U}}, {"bRU", {2 * N}},
             {"bC", {N}},      {"wO", {O, N}},           {"bO", {O}}};
  else {
    named = {{"rnn.weight_ih_l0", {G, U}}, {"rnn.weight_hh_l0", {G, N}}, {"rnn.bias_ih_l0", {G}},
             {"rnn.bias_hh_l0", {G}}};
    if (O > 0) named.insert(named.end(), {{"readout.weight", {O, N}}, {"readout.bias", {O}}});
  }
  return pack_layout(named);
}

const char* readout_weight_name(const RnnSpec& spec) { return torch_layout(spec.cell) ? "readout.weight" : "wO"; }
const char* readout_bias_name(const RnnSpec& spec) { return torch_layout(spec.cell) ? "readout.bias" : "bO"; }

std::vector<ParamEntry> pack_layout(const std::vector<std::pair<std::string, Shape>>& named) {
  std::vector<ParamEntry> layout;
  size_t offset = 0;
  for (const auto& [name, shape] : named) {
    layout.push_back({name, shape, offset});
    offset += shape_size(shape);
  }
  return layout;
}

size_t param_count(const RnnSpec& spec) {
  auto layout = param_layout(spec);
  return layout.back().offset + layout.back().size();
}

const ParamEntry& find_param(const std::vector<ParamEntry>& layout, const std::string& name) {
  for (const auto& e : layout)
    if (e.name == name) return e;
  throw std::logic_error("no parameter named " + name);
}

template <class S>
void RnnWorkspace<S>::reserve(const RnnSpec& spec, int b, int t) {
  B = b;
  T = t;
  const size_t TB = size_t(b) * size_t(t), N = size_t(spec.N), SN = size_t(state_size(spec));
  X.resize(TB * size_t(spec.U));
  H.resize((TB + size_t(b)) * SN);
  O.resize(TB * size_t(spec.O));
  dO.resize(TB * size_t(spec.O));
  dh.resize(size_t(b) * SN);
  tmp.resize(size_t(b) * SN);
  // The cell's input shares, its cache and work planes, for every time step
  // (their widths depend on the spec alone: a cell over zeros tells them).
  const AlignedVector<S> zeros(param_count(spec));
  const auto cell = make_cell<S>(spec, zeros.data());
  cache.resize(TB, cell->cache_widths());
  work.resize(TB, cell->work_widths());
  step.resize(size_t(b) * std::max(N, size_t(cell->gates())));
}

template <class S>
double masked_sse_and_grad(const RnnSpec& spec, const RnnBatch<S>& batch, RnnWorkspace<S>& ws, S scale) {
  const int B = batch.B, T = batch.T, O = spec.O;
  double sse = 0.0;
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b)
      for (int k = 0; k < O; ++k) {
        size_t src = (size_t(b) * T + t) * O + k, dst = (size_t(t) * B + b) * O + k;
        S m = batch.mask ? batch.mask[src] : S(1);
        S e = ws.O[dst] - batch.y[src];
        sse += double(m * e * e);
        ws.dO[dst] = scale * S(2) * m * e;
      }
  return sse;
}

template <class S>
void copy_out(const RnnSpec& spec, const RnnWorkspace<S>& ws, S* hiddens, S* outputs) {
  const int B = ws.B, T = ws.T, N = state_size(spec), O = spec.O;
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      if (hiddens) {
        const S* src = ws.H.data() + (size_t(t + 1) * B + b) * N;
        std::copy(src, src + N, hiddens + (size_t(b) * T + t) * N);
      }
      if (outputs) {
        const S* src = ws.O.data() + (size_t(t) * B + b) * O;
        std::copy(src, src + O, outputs + (size_t(b) * T + t) * O);
      }
    }
}

template struct RnnWorkspace<float>;
template struct RnnWorkspace<double>;
template double masked_sse_and_grad<float>(const RnnSpec&, const RnnBatch<float>&, RnnWorkspace<float>&, float);
template double masked_sse_and_grad<double>(const RnnSpec&, const RnnBatch<double>&, RnnWorkspace<double>&,
                                            double);
template void copy_out<float>(const RnnSpec&, const RnnWorkspace<float>&, float*, float*);
template void copy_out<double>(const RnnSpec&, const RnnWorkspace<double>&, double*, double*);

}  // namespace ctd
