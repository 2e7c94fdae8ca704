#include "lfads/tape_gru.hpp"

namespace ctd {

namespace {
// The cell's parameters under their nn/ names at their offsets in the LFADS
// layout: the cell reads and writes the model's vectors in place.
std::vector<ParamEntry> cell_layout(const std::vector<ParamEntry>& layout, const std::string& name) {
  std::vector<ParamEntry> out;
  for (const char* p : {"wRUHX", "wCHX", "bRU", "bC"}) {
    ParamEntry e = find_param(layout, name + "/" + p);
    e.name = p;
    out.push_back(e);
  }
  return out;
}
}  // namespace

template <class S>
TapeGru<S>::TapeGru(Tape<S>& tape, const std::vector<ParamEntry>& layout, const std::string& name, int H, int I,
                    double bfg, const S* params, S* grad)
    : tape_(&tape), grad_(grad) {
  RnnSpec spec;
  spec.cell = Cell::Gru;
  spec.N = H;
  spec.U = I;
  spec.O = 0;
  spec.bfg = bfg;
  cell_ = make_cell(spec, params, cell_layout(layout, name));
}

template <class S>
typename TapeGru<S>::Var TapeGru<S>::step(Var h, Var x) const {
  Tape<S>& tape = *tape_;
  const auto& Hp = tape.value(h);
  const auto& X = tape.value(x);
  const int B = int(Hp.rows()), H = int(Hp.cols());
  typename Tape<S>::Mat gi(B, cell_->gates()), hn(B, H);
  // What the step keeps for its backward step, owned by the closure.
  auto cache = std::make_shared<PlaneBuffer<S>>();
  cache->resize(size_t(B), cell_->cache_widths());
  cell_->project(B, X.data(), gi.data());
  cell_->forward(B, gi.data(), false, Hp.data(), cache->planes, hn.data());
  const bool needs = grad_ || tape.needs_grad(h) || tape.needs_grad(x);
  return tape.custom(std::move(hn), needs, [&tape, cell = cell_, grad = grad_, h, x, cache](const auto& G, const auto& Hn) {
    const auto &Hp = tape.value(h), &X = tape.value(x);
    const int B = int(Hp.rows());
    PlaneBuffer<S> work;
    work.resize(size_t(B), cell->work_widths());
    typename Tape<S>::Mat dhp(B, Hp.cols());
    cell->backward(B, G.data(), nullptr, Hp.data(), Hn.data(), cache->planes, work.planes, dhp.data());
    if (tape.needs_grad(h)) tape.grad_of(h) += dhp;
    if (tape.needs_grad(x) && X.cols() > 0) {
      typename Tape<S>::Mat dx(B, X.cols());
      cell->input_vjp(B, cache->planes, work.planes, dx.data());
      tape.grad_of(x) += dx;
    }
    if (grad) cell->add_weight_grads(B, X.data(), Hp.data(), cache->planes, work.planes, grad);
  });
}

template class TapeGru<float>;
template class TapeGru<double>;

}  // namespace ctd
