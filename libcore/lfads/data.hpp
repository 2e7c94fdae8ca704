// Spike counts for LFADS in any of three layouts (docs/formats.md):
//  - ctd's LFADS layout: {train,valid}_data [trials,T,D], optional *_truth
//    rates, *_inputs (known inputs, for evaluation), *_lowd, *_ext_input,
//    *_inds, *_conditions, conversion_factor, and for calcium data *_spikes, *_rates;
//  - lfads-torch's: {train,valid}_encod_data [B,T,D_in] (held-in units, fed to
//    the encoders), {train,valid}_recon_data [B,T,D] (all units, held-in
//    first), optional *_ext_input, *_truth, *_inds, conversion_factor;
//  - NLB's saved tensors: train_spikes_heldin, train_spikes_heldout,
//    eval_spikes_heldin, eval_spikes_heldout (the eval trials validate).
// Every layout becomes counts [B,T,D] whose first D_in units are held in.
#pragma once
#include <cstdint>
#include <vector>

#include "io/hdf5.hpp"

namespace ctd {

struct LfadsSplit {
  Array<float> data;    // counts [B,T,D], held-in units first
  Array<float> truth;   // rates [B,T,D] (empty if absent)
  Array<float> inputs;  // known inputs [B,T,U], for evaluation (empty if absent)
  Array<float> lowd;    // latent state [B,T,L] (empty if absent)
  Array<float> ext;     // external inputs fed to the model [B,T,E] (empty if absent)
  std::vector<int64_t> inds;  // the source's trial index of each row
  std::vector<int64_t> conditions;  // each row's condition (*_conditions; empty if absent): stitching's read-in init
  // Calcium data (simulate-calcium): the spike counts and rates (Hz) behind
  // the traces [B,T,D], kept for evaluation (empty if absent).
  Array<float> spikes, rates;
};

// Number of external inputs (0 without).
size_t ext_width(const LfadsSplit& s);

struct LfadsData {
  LfadsSplit train, valid;
  int held_in = 0;               // units the encoders read (the first ones): D when none is held out; the spec's held_in
  double conversion_factor = 0;  // truth = expected counts per bin × this; 0 if absent
  double valid_fraction = 0;     // > 0: valid was split from the file's training trials
  std::string layout;            // "lfads", "lfads-torch" or "nlb"
  std::string history;
};

struct LfadsReadOptions {
  // Split this share of the training trials off as validation trials (files
  // without a validation split). The split depends only on the fraction and
  // the number of trials, so fitting and --infer agree.
  double valid_fraction = 0;
  // Hold out the last N units of a file in ctd's layout (the other layouts say which units are held out).
  int hold_out = 0;
  // True: both are a model's own (for --infer) and apply only where the file leaves them open.
  bool from_model = false;
  // What the values must be (lfads/observation.hpp): counts >= 0 for poisson
  // (the default), > 0 for gamma, >= 0 for the zero-inflated gamma, any for gaussian.
  std::string observation = "poisson";
  // Forward prediction (--forward-bins): NLB's *_spikes_held{in,out}_forward
  // tensors, where the file has them, are appended to each trial: their first this many bins.
  int forward_bins = 0;
};
class OptionSet;
// --valid-fraction, --hold-out.
void register_options(OptionSet& o, LfadsReadOptions& r);

// Reads whichever layout the file holds. Checks shapes (splits agree in T, D
// and D_in; optional datasets match their counts), values finite and
// observable (LfadsReadOptions::observation); a missing or partial layout is one error naming what is missing.
LfadsData read_lfads_data(const H5File& in, const LfadsReadOptions& options = {});

// The file's conversion_factor dataset (truth = expected counts per bin × it); 0 when absent.
double read_conversion_factor(const H5File& in);
// Writes ctd's layout: {train,valid}_{data,truth,inputs,lowd,ext_input,inds}
// (those present) and conversion_factor.
void write_lfads_data(H5File& out, const LfadsData& d);

}  // namespace ctd
