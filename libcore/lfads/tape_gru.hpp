// An LFADS GRU on the reverse-mode tape: the tutorials' GRU cell of nn/
// (nn/gru_cell.cpp, docs/methods.md §2) over the model's own parameters,
// where they lie in the LFADS parameter vector, one tape operation per time
// step. Training, the fixed-point map and the tape share the one cell.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "autodiff/tape.hpp"
#include "nn/cell.hpp"

namespace ctd {

template <class S>
class TapeGru {
 public:
  using Var = typename Tape<S>::Var;
  // The GRU `name` ("enc/fwd", "con", "gen") of an LFADS layout, H units and
  // I inputs; `grad` (may be null: no gradient) is laid out as `params`.
  TapeGru(Tape<S>& tape, const std::vector<ParamEntry>& layout, const std::string& name, int H, int I, double bfg,
          const S* params, S* grad);
  // h' [B,H] from h [B,H] and x [B,I].
  Var step(Var h, Var x);
  // The inputs of the next xs.size() steps, in the order of the steps, known
  // before them (an encoder's data): their share of the pre-activations in
  // one product over all their rows rather than one small product per step,
  // each of which packs the whole weight matrix again. Each step must still
  // be given its x.
  void project_ahead(const std::vector<Var>& xs);

 private:
  Tape<S>* tape_;
  std::shared_ptr<const RecurrentCell<S>> cell_;
  S* grad_;
  typename Tape<S>::Mat ahead_;  // project_ahead's rows: step k's at [k·B, (k+1)·B)
  int steps_ahead_ = 0, steps_ = 0;
};

}  // namespace ctd
