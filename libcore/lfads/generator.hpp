// A fitted LFADS model's generator as a recurrent network (docs/methods.md
// §4, "The generator as a dynamical system"): g' = GRU(g, [u, ext]) with the tutorials' GRU, its readout the
// factors f = W_f g (W_f's rows normalised, no bias), its initial state the
// prior's mean g0. As an RnnModel it goes everywhere a trained RNN goes —
// find-fixed-points, linearize, run-rnn — through the same cell (nn/gru_cell).
#pragma once
#include "io/array.hpp"
#include "io/hdf5.hpp"
#include "lfads/model_file.hpp"
#include "nn/rnn_model.hpp"

namespace ctd {

// The generator: cell gru, N = gen_dim, U = ii_dim + ext_dim (the inferred
// inputs first, then the external ones, as the generator reads them),
// O = factors_dim.
RnnModel lfads_generator(const LfadsModel& model);

// Rates (expected counts per bin) from factors [..., F]: exp(W_r f + b_r), [..., D]; for the other
// observation models their mean.
// A stitched model has a readout per session: `session` says whose.
Array<float> lfads_rates(const LfadsModel& model, const Array<float>& factors, size_t session = 0);

// Whether the file is an LFADS model (fit-lfads's model file or a checkpoint's).
bool is_lfads_model(const H5File& in);

// The network of a parameter file: an RNN's (read_rnn_params) or an LFADS
// model's generator. `lfads` receives the LFADS model when it is one.
RnnModel read_network(const H5File& in, const RnnReadOptions& options, LfadsModel* lfads = nullptr);

}  // namespace ctd
