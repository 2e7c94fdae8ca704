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
  Var step(Var h, Var x) const;

 private:
  Tape<S>* tape_;
  std::shared_ptr<const RecurrentCell<S>> cell_;
  S* grad_;
};

}  // namespace ctd
