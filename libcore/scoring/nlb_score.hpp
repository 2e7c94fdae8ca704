// score-rates: a model's rates scored on evaluation data the way the Neural
// Latents Benchmark scores them (docs/methods.md §8): co-bps, fp-bps,
// behaviour-decoding R² and PSTH R², each where the data has what it needs.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "io/hdf5.hpp"

namespace ctd {

class OptionSet;

// Rates [B, T(+K), D] in expected counts per bin, every unit (held-in first),
// the forward bins (if any) after the observed ones; train ones for decoding.
struct PredictedRates {
  Array<double> train, eval;
  std::string where;  // for messages
};

// From -i: a fit-lfads posterior (train/rates, valid/rates; or lfads-torch's
// train_output_params, valid_output_params) or an NLB submission
// ({dataset}/eval_rates_heldin, _heldout, _heldin_forward, _heldout_forward
// and the train ones; the only group, or `dataset`); or from --eval-rates /
// --train-rates FILE:DATASET.
PredictedRates read_predicted_rates(const std::string& input, const std::string& eval_ref, const std::string& train_ref,
                                    const std::string& dataset);

struct ScoreSettings {
  std::string dataset;   // the group of the data (and submission) files to use ("": the root, or their only group)
  double psth_sd = 3;    // PSTHs computed from conditions: Gaussian smoothing SD, bins
  int folds = 5;         // cross-validation folds of the decoder's penalty
  std::vector<double> tp_condition_columns = {0, 1, 2};  // tp corr: eval_behavior's columns defining a condition
  std::string baseline;  // "smoothing": score NLB's smoothing baseline instead of given rates
  std::vector<double> smoothing_sd = {2, 3, 5, 8}, smoothing_alpha = {1e-3, 1e-2, 1e-1};  // its grids
};
// --dataset, --psth-sd, --folds, --tp-condition-columns, --baseline, --smoothing-sd, --smoothing-alpha.
void register_options(OptionSet& o, ScoreSettings& s);

// NLB's smoothing baseline on the data itself (scoring/smoothing_baseline.hpp):
// its rates, and its kernel SD and penalty in `chosen` (two entries).
PredictedRates baseline_rates(const H5File& data, const ScoreSettings& settings,
                              std::vector<std::pair<std::string, double>>& chosen);

// Every metric the evaluation data allows, in NLB's names and order: co-bps
// (eval_spikes_heldout), fp-bps (eval_spikes_held{in,out}_forward, rates with
// forward bins), vel R2 (train_behavior, eval_behavior [B,T,L]; train rates;
// per train/eval_decode_mask column, averaged) with its penalty "vel R2
// alpha", or tp corr where eval_behavior is [B,C] (scoring/timing.hpp),
// psth R2 (psth, or PSTHs from *_conditions and both splits' spikes).
// Errors (one line each) for shapes that disagree, NaN or negative rates,
// behaviour without a valid bin, a condition with a single trial.
std::vector<std::pair<std::string, double>> score_rates(const PredictedRates& rates, const H5File& data,
                                                        const ScoreSettings& settings);

}  // namespace ctd
