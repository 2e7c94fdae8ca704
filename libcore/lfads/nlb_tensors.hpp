// An LFADS data file as the Neural Latents Benchmark's tensors (to-nlb;
// docs/formats.md "nlb-data"): held-in and held-out units, the forward
// bins after each trial, behaviour, conditions and the eval trials' PSTHs, in
// NLB's names, so that a system whose truth is known (the Lorenz benchmark, a
// trained network through spikify) is scored as NLB scores.
#pragma once
#include "io/hdf5.hpp"
#include "lfads/data.hpp"

namespace ctd {

class OptionSet;

struct NlbSettings {
  int hold_out = -1;              // the last N units are held out (-1: a quarter)
  int forward_bins = -1;          // the last K bins of every trial are the forward bins (-1: a fifth)
  int trials_per_condition = 0;   // conditions as trial index / N where the file has no *_conditions (0: its n_trials_per_init_cond)
  double psth_sd = 3;             // the PSTHs' Gaussian smoothing, in bins
};
// --hold-out, --forward-bins, --trials-per-condition, --psth-sd.
void register_options(OptionSet& o, NlbSettings& s);

// The train split becomes NLB's train trials, the valid split its eval
// trials: *_spikes_heldin, *_spikes_heldout [B,T−K,·], *_spikes_held{in,out}_forward
// [B,K,·], *_behavior (the *_lowd of the first T−K bins), *_conditions, and
// psth [B_eval·(T−K), D] (each eval trial's condition's mean smoothed spikes
// over the other trials of both splits). `in` is the source (its
// n_trials_per_init_cond). Error when there is nothing to hold out or to forecast.
void write_nlb_tensors(H5File& out, const LfadsData& data, const H5File& in, const NlbSettings& settings);

}  // namespace ctd
