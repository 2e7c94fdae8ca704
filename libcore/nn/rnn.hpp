// The recurrent networks of docs/methods.md §2 — the tutorials' vanilla RNN and
// GRU, PyTorch's nn.RNN/nn.GRU/nn.LSTM and the leaky rate RNN — as a flat
// parameter vector with a named layout, and their batched forward and
// backward passes (BPTT). Templated on the scalar: float for training, double
// for gradient checks.
//
// Batch-major in, time-major inside: a time step of a batch is one matrix
// product over all trials, and weight gradients are accumulated over all time
// steps in one product each.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "io/array.hpp"
#include "nn/planes.hpp"
#include "util/aligned_vector.hpp"

namespace ctd {

// vanilla, gru: the tutorials' cells. The others keep their weights under
// PyTorch's state_dict names ("torch layout", see param_layout) and start
// from the zero state, as PyTorch does.
enum class Cell { Vanilla, Gru, TorchRnn, TorchGru, Lstm, Leaky };
Cell parse_cell(const std::string& name);  // throws UsageError naming the choices
const char* cell_name(Cell cell);
extern const std::vector<std::string> kCellNames;
bool torch_layout(Cell cell);

// The nonlinearity of torch-rnn and leaky cells.
enum class Activation { Tanh, Relu, Softplus };
Activation parse_activation(const std::string& name);  // throws UsageError
const char* activation_name(Activation a);

struct RnnSpec {
  Cell cell = Cell::Vanilla;
  int N = 100, U = 1, O = 1;  // hidden, input, output sizes (O = 0: no readout)
  double bfg = 0.5;           // GRU: fixed bias on the update gate
  Activation act = Activation::Tanh;  // torch-rnn, leaky
  double alpha = 1.0;                 // leaky: dt/tau
};

// Values per stored state: 2N for the LSTM ([h, c], h first), N otherwise.
int state_size(const RnnSpec& spec);
// Rows of the torch layout's weight matrices: N, 3N (r z n) or 4N (i f g o).
int gate_rows(const RnnSpec& spec);

// One named parameter inside the flat vector, in the tutorials' names and shapes.
struct ParamEntry {
  std::string name;
  Shape shape;
  size_t offset;
  size_t size() const { return shape_size(shape); }
};

// vanilla: h0 wI wR wO bR bO;  gru: h0 wRUHX wCHX bRU bC wO bO;
// torch layout: rnn.weight_ih_l0 rnn.weight_hh_l0 rnn.bias_ih_l0
// rnn.bias_hh_l0 readout.weight readout.bias (the readout only when O > 0).
std::vector<ParamEntry> param_layout(const RnnSpec& spec);
// Names of the readout's weight [O,N] and bias [O] in the layout.
const char* readout_weight_name(const RnnSpec& spec);
const char* readout_bias_name(const RnnSpec& spec);
// Consecutive offsets for named shapes, in the given order.
std::vector<ParamEntry> pack_layout(const std::vector<std::pair<std::string, Shape>>& named);
size_t param_count(const RnnSpec& spec);
const ParamEntry& find_param(const std::vector<ParamEntry>& layout, const std::string& name);

// One batch as the passes see it. Pointers are batch-major: x [B,T,U],
// y and mask [B,T,O]; h0s [B,S] per-trial initial states, S = state_size
// (null: the trained h0, or zeros in the torch layout); noise [B,T,S] added
// to each new state (null: none).
template <class S>
struct RnnBatch {
  int B = 0, T = 0;
  const S* x = nullptr;
  const S* y = nullptr;
  const S* mask = nullptr;
  const S* h0s = nullptr;
  const S* noise = nullptr;
};

// Buffers of one thread's passes, sized once and reused across batches.
// Time-major: H holds T+1 slices [B,S] (slice 0 is the initial state).
template <class S>
struct RnnWorkspace {
  int B = 0, T = 0;
  AlignedVector<S> X, H, O;        // inputs [T,B,U], states [T+1,B,S], outputs [T,B,O]
  PlaneBuffer<S> cache, work;      // the cell's planes (nn/cell.hpp), [T,B,width] each
  AlignedVector<S> step;           // one step's gi (forward) or readout share of dL/dh (backward)
  AlignedVector<S> dO, dh, tmp;    // backward: dL/doutputs, dL/dh of two consecutive steps
  void reserve(const RnnSpec& spec, int B, int T);
};

// Runs the network over a batch, keeping what the backward pass needs.
template <class S>
void rnn_forward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws);

// Backpropagates dO ([T,B,O], time-major, in ws.dO) through the last forward
// pass and adds the parameter gradients to `grad`.
template <class S>
void rnn_backward(const RnnSpec& spec, const S* params, const RnnBatch<S>& batch, RnnWorkspace<S>& ws, S* grad);

// Sum over masked entries of (o − y)² for the last forward pass, and writes
// dO = scale · 2·mask·(o − y) into ws.dO for the backward pass.
template <class S>
double masked_sse_and_grad(const RnnSpec& spec, const RnnBatch<S>& batch, RnnWorkspace<S>& ws, S scale);

// Copies the last forward pass out batch-major: hiddens [B,T,S], outputs [B,T,O].
template <class S>
void copy_out(const RnnSpec& spec, const RnnWorkspace<S>& ws, S* hiddens, S* outputs);

}  // namespace ctd
