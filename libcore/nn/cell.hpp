// One recurrent cell — the tutorials' vanilla RNN and GRU, PyTorch's
// RNN/GRU/LSTM, the leaky rate RNN — as one forward step and one
// vector-Jacobian product for R rows at once. It is the seam between a cell's
// equations and the code that uses them: BPTT in training (nn/cell_passes.cpp)
// and the fixed-point map (q, its gradient, the Jacobians). A new cell is one
// file: a class of this interface, its parameters in param_layout, and a line
// in make_cell.
//
// The input's share of the pre-activations, gi = x W_xᵀ + b [R,G], is
// computed apart (project): step by step while training, once for x* in the
// fixed-point map. All buffers are row-major and contiguous: R rows of
// G = gates(), state() or U values; what a step keeps for its backward step
// lies in planes (nn/planes.hpp) whose widths the cell declares.
#pragma once
#include <memory>
#include <vector>

#include "nn/planes.hpp"
#include "nn/rnn.hpp"

namespace ctd {

template <class S>
class RecurrentCell {
 public:
  virtual ~RecurrentCell() = default;

  const RnnSpec& spec() const { return spec_; }
  int state() const { return state_size(spec_); }  // values per state (LSTM: [h, c])
  int gates() const { return gates_; }             // G: the width of gi
  const std::vector<int>& cache_widths() const { return cache_; }
  const std::vector<int>& work_widths() const { return work_; }

  // gi [R,G] = x [R,U] · W_xᵀ + b.
  virtual void project(int R, const S* x, S* gi) const = 0;
  // One step from hp [R,state] to hn [R,state]; gi holds R rows, or one row
  // that every row shares (shared_gi: a held input). Keeps its cache planes.
  virtual void forward(int R, const S* gi, bool shared_gi, const S* hp, const Planes<S>& cache, S* hn) const = 0;
  // From dL/dhn = dhn [R,state] + dout [R,N] (the readout's share, on h
  // alone; may be null) to dhp = dL/dhp [R,state] (neither dhn nor dout
  // may alias dhp), given the step's hp, hn and cache. The gradients of the
  // pre-activations go to the cache planes (over what backward no longer
  // needs: the cache is consumed) and the work planes, in the cell's own
  // layout — each its own contiguous plane over all rows, so the weight
  // gradients' products run over whole matrices.
  virtual void backward(int R, const S* dhn, const S* dout, const S* hp, const S* hn, const Planes<S>& cache,
                        const Planes<S>& work, S* dhp) const = 0;
  // dx = dL/dx [R,U] from the planes backward left: the vector-Jacobian
  // product through the input's share.
  virtual void input_vjp(int R, const Planes<const S>& cache, const Planes<const S>& work, S* dx) const = 0;
  // Adds the gradients of the cell's own parameters (not h0, not the
  // readout) over R rows — every time step of a batch at once — into grad,
  // laid out as param_layout(spec()), from the planes backward left.
  virtual void add_weight_grads(int R, const S* x, const S* hp, const Planes<const S>& cache,
                                const Planes<const S>& work, S* grad) const = 0;
  // At one state h and input share gi: J = ∂hn/∂h [state,state] and, when
  // Jx is not null, ∂hn/∂x [state,U]. By default one vector-Jacobian
  // product per row of J; cells may write their closed form.
  virtual void jacobians(const S* h, const S* gi, S* J, S* Jx) const;
  // Where a fixed point's state can lie, per value: lo[i] <= h_i <= hi[i]
  // [state] (a tanh unit's [−1, 1]; a GRU's too, for there h = c; ±inf where
  // the cell sets no bound). A point of q ≈ 0 outside is a slow point of a
  // saturated cell, not a fixed point. By default: no bound.
  virtual void fixed_point_bounds(S* lo, S* hi) const;

 protected:
  RecurrentCell(const RnnSpec& spec, std::vector<ParamEntry> layout, int gates, std::vector<int> cache,
                std::vector<int> work)
      : spec_(spec), layout_(std::move(layout)), gates_(gates), cache_(std::move(cache)), work_(std::move(work)) {}
  // A parameter of the layout, by name, inside `base` (the parameters or their gradient).
  template <class P>
  P* at(P* base, const char* name) const {
    return base + find_param(layout_, name).offset;
  }

 private:
  RnnSpec spec_;
  std::vector<ParamEntry> layout_;
  int gates_;
  std::vector<int> cache_, work_;
};

// The cell of spec.cell over parameters laid out as param_layout(spec); the
// parameters must outlive it.
template <class S>
std::unique_ptr<const RecurrentCell<S>> make_cell(const RnnSpec& spec, const S* params);
// The same over parameters laid out as `layout`: the cell's own parameters
// under their param_layout names, at any offsets from `params` (LFADS's GRUs
// inside the model's parameter vector). The gradient add_weight_grads adds
// to is laid out the same way.
template <class S>
std::unique_ptr<const RecurrentCell<S>> make_cell(const RnnSpec& spec, const S* params, std::vector<ParamEntry> layout);

// The cells, each in its own file.
template <class S>
std::unique_ptr<const RecurrentCell<S>> make_vanilla_cell(const RnnSpec& spec, const S* params,
                                                        std::vector<ParamEntry> layout);
template <class S>
std::unique_ptr<const RecurrentCell<S>> make_gru_cell(const RnnSpec& spec, const S* params,
                                                        std::vector<ParamEntry> layout);
template <class S>
std::unique_ptr<const RecurrentCell<S>> make_torch_cell(const RnnSpec& spec, const S* params,
                                                        std::vector<ParamEntry> layout);

}  // namespace ctd
