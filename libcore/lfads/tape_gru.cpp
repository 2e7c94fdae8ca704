#include "lfads/tape_gru.hpp"

#include <stdexcept>

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
void TapeGru<S>::project_ahead(const std::vector<Var>& xs) {
  if (steps_ > 0 || xs.empty()) throw std::logic_error("TapeGru: project_ahead after the first step");
  const auto& first = tape_->value(xs.front());
  const Eigen::Index B = first.rows(), U = first.cols();
  typename Tape<S>::Mat X(B * Eigen::Index(xs.size()), U);
  for (size_t k = 0; k < xs.size(); ++k) X.middleRows(Eigen::Index(k) * B, B) = tape_->value(xs[k]);
  ahead_.resize(X.rows(), cell_->gates());
  cell_->project(int(X.rows()), X.data(), ahead_.data());
  steps_ahead_ = int(xs.size());
}

template <class S>
typename TapeGru<S>::Var TapeGru<S>::step(Var h, Var x) {
  Tape<S>& tape = *tape_;
  const auto& Hp = tape.value(h);
  const auto& X = tape.value(x);
  const int B = int(Hp.rows()), H = int(Hp.cols());
  typename Tape<S>::Mat gi, hn(B, H);
  // What the step keeps for its backward step, owned by the closure.
  auto cache = std::make_shared<PlaneBuffer<S>>();
  cache->resize(size_t(B), cell_->cache_widths());
  const int k = steps_++;
  const S* share = nullptr;
  if (k < steps_ahead_) {
    if (B * steps_ahead_ != ahead_.rows()) throw std::logic_error("TapeGru: a step of another batch size than projected");
    share = ahead_.data() + size_t(k) * size_t(B) * size_t(cell_->gates());
  } else {
    gi.resize(B, cell_->gates());
    cell_->project(B, X.data(), gi.data());
    share = gi.data();
  }
  cell_->forward(B, share, false, Hp.data(), cache->planes, hn.data());
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
