// LFADS (docs/methods.md §4): a sequential variational autoencoder for spike counts,
// with inferred inputs (controller + AR(1) prior) or autonomous (ii = 0).
// The loss of one batch is built on a Tape (autodiff/tape.hpp), so its
// gradient is the tape's backward pass; random draws and dropout masks come
// in from outside, which makes a pass a deterministic function of them (and
// lets the tests check the whole gradient against finite differences).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "autodiff/tape.hpp"
#include "lfads/observation.hpp"
#include "nn/rnn.hpp"

namespace ctd {

// One recording session of a stitched model (docs/methods.md §4, "Several
// sessions"): its own units, read in to the shared space and read out of the
// shared factors by matrices of its own.
struct LfadsSession {
  std::string name;             // a valid HDF5 name: its parameters live under sessions/NAME/
  int D = 0, held_in = 0;       // its units (held-in first) and how many the encoders read
  std::vector<float> location;  // zero-inflated-gamma: each unit's location [D]
};

struct LfadsSpec {
  int D = 100;          // recorded units the likelihood reconstructs (held-in first, then held-out)
  int held_in = 100;    // units the encoders read: the first held_in of D (= D when none is held out)
  int ext = 0;          // external inputs fed to the generator and the controller
  int enc = 128, con = 128, ii = 1, gen = 128, factors = 32;
  double keep = 0.98;   // dropout keep probability in training (1 at inference)
  double cd_rate = 0;   // coordinated dropout in training: share of held-in entries withheld from the encoders
  // Where the generator's dropout acts: "state" (the tutorial: the dropped-out
  // state is also the next step's), or "factors" (only on the way to the factors).
  std::string gen_dropout = "state";
  double sample_validation = 0;  // share of held-in entries of each training trial hidden for sample validation
  double varmin = 0.001;
  double bfg = 0.5;
  double ic_prior_var = 0.1, ar_tau = 1.0, ar_noise_var = 0.1;  // priors' initial values
  std::string observation = "poisson";  // lfads/observation.hpp: poisson | gaussian | gamma | zero-inflated-gamma
  std::vector<float> location;          // zero-inflated-gamma: each unit's location s [D], set from the training data
  // Separate encoders (docs/methods.md §4): one bidirectional GRU for the
  // initial condition, one for the controller. 0, 0, 0: the one shared
  // encoder of `enc` units (the tutorial's).
  int ic_enc = 0, ci_enc = 0;  // their units (0: enc)
  int ic_enc_seq_len = 0;      // the IC encoder reads the first this many bins (0: all)
  int ci_lag = 0;              // the controller at t reads the forward encoder at t − lag, the backward at t + lag
  // Forward prediction: the last forward_bins bins of every trial are
  // reconstructed but never read by the encoders; their inferred inputs are 0.
  int forward_bins = 0;
  // A calcium kernel in the readout (docs/methods.md §4, "Calcium data"):
  // the readout reads the factors filtered in time by the kernel of
  // simulate-calcium, time constants in bins (0, 0: the factors themselves).
  double readout_decay = 0, readout_rise = 0;
  bool separate_encoders() const { return ic_enc > 0 || ci_enc > 0 || ic_enc_seq_len > 0; }
  int ic_width() const { return separate_encoders() && ic_enc > 0 ? ic_enc : enc; }
  int ci_width() const { return separate_encoders() && ci_enc > 0 ? ci_enc : enc; }
  int held_out() const { return D - held_in; }  // the last D - held_in units: reconstructed, never read
  // A read-in layer: the encoders read readin values, an affine map of the
  // held-in units (0: they read the units). Stitching needs one per session.
  int readin = 0;
  // Several sessions (empty: one, the data's, as D and held_in say). Then D
  // and held_in are the sums over the sessions, and a pass sees one session:
  // session_view() sets D, held_in and location to that session's.
  std::vector<LfadsSession> sessions;
  int session = -1;  // the session a view passes over (-1: none, or not stitched)
  int encoder_input() const { return readin > 0 ? readin : held_in; }
};
// The spec a pass over session k's trials uses (the spec itself when not stitched).
LfadsSpec session_view(const LfadsSpec& spec, size_t k);
// Where a session's own parameters live: "sessions/NAME/" in a view of a
// stitched model, "" otherwise.
std::string session_prefix(const LfadsSpec& spec);
class OptionSet;
// --enc-dim, --ic-enc-dim, --ci-enc-dim, --ic-enc-seq-len, --ci-lag, --con-dim, --ii-dim, --gen-dim,
// --factors-dim, --readin-dim, --keep-rate, --cd-rate, --sample-validation, --varmin, --observation
// (D, held_in and ext come from the data).
void register_options(OptionSet& o, LfadsSpec& s);

// Parameters, names mirroring the model: enc/fwd/wRUHX, ... (separate encoders:
// ic_enc/..., ci_enc/...), ic/w, ic/b,
// ic_prior/mean, ic_prior/logvar, con/..., co/w, co/b, ar_prior/logatau,
// ar_prior/lognvar, gen/..., factors/w, and the readout: logrates/w [D,F],
// logrates/b (poisson) or obs/w [P·D,F], obs/b (the other observation models),
// and with a read-in, readin/w [readin, held_in] and readin/b. Stitched: the
// read-ins and readouts of each session under sessions/NAME/.
ObservationModel observation_model(const LfadsSpec& spec);
// The readout filter as a recursion over bins, f~_t = a1·f~_{t−1} + a2·f~_{t−2} + gain·f_t,
// with f~ = f before the first bin (so a constant passes unchanged: gain = 1 − a1 − a2).
struct ReadoutFilter {
  double a1 = 0, a2 = 0, gain = 1;
  bool active() const { return a1 != 0; }
};
ReadoutFilter readout_filter(const LfadsSpec& spec);
std::vector<ParamEntry> lfads_layout(const LfadsSpec& spec);
// The encoders' names: "enc" (shared), or "ic_enc" and (with a controller) "ci_enc".
std::vector<std::string> encoder_names(const LfadsSpec& spec);
size_t lfads_param_count(const LfadsSpec& spec);
// The recurrent weights of GRU `gru` ("gen", "con") as (offset, length) runs
// of the parameter vector: the hidden-state columns of wRUHX and wCHX.
std::vector<std::pair<size_t, size_t>> recurrent_weight_spans(const LfadsSpec& spec, const std::string& gru);
// GRUs and affine layers as docs/methods.md §4; priors at their initial values.
AlignedVector<float> init_lfads(const LfadsSpec& spec, uint64_t seed);
// A model other than Poisson: its readout's biases start where each unit's
// training values x [B,T,D] are (their moments: docs/methods.md §4); the
// Poisson log-rates start at 0, as the tutorial's.
void init_readout_biases(const LfadsSpec& spec, const float* x, size_t rows, float* params);

// Random draws and dropout masks of one batch, [B, ...] per time step.
template <class S>
struct LfadsDraws {
  using Mat = typename Tape<S>::Mat;
  Mat eps_g0;                        // [B,G]
  std::vector<Mat> eps_u, eps_kl;    // T × [B,I]: the inferred input's sample, the KL's fresh sample
  std::vector<Mat> drop_x, drop_enc, drop_gen;  // T × masks (entries 0 or 1/keep); empty: no dropout
  Mat drop_g0;                       // [B,2E]
  // Coordinated dropout (training with cd_rate > 0): drop_x also withholds
  // entries from the encoders (× 0, the rest × 1/(1−cd_rate)), and recon_w
  // weights each entry's likelihood: 0 where the encoder saw it, 1/cd_rate
  // where it was withheld, 1 for held-out units. Empty: every entry weighs 1.
  std::vector<Mat> recon_w;          // T × [B,D]
};

// Sample validation (Keshtkaran & Pandarinath 2019): which held-in entries
// [T, held_in] of training trial `row` are hidden, a fixed draw per row.
std::vector<uint8_t> sample_validation_mask(const LfadsSpec& spec, size_t row, int T);
// Train: the hidden entries of trials `rows` (the batch's training rows) are
// withheld from the encoders (the rest × 1/(1−share)) and from the
// likelihood. Score: the same input, the likelihood over the hidden entries
// alone. None, or a share of 0: the draws stay as they are.
enum class SampleValidation { None, Train, Score };
template <class S>
void apply_sample_validation(const LfadsSpec& spec, LfadsDraws<S>& draws, const std::vector<size_t>& rows, int T,
                             SampleValidation use);

// Draws for trials first..first+B-1 of a batch: trial b from its own streams.
template <class S>
LfadsDraws<S> lfads_draws(const LfadsSpec& spec, int B, int T, uint64_t seed, uint64_t stream0, bool dropout);

// The weights of the two KL terms: the warm-up's κ times each term's scale
// (--kl-ic-weight, --kl-ii-weight; 1 and 1 are the tutorial's single κ).
struct KlWeights {
  double ic = 1, ii = 1;
  KlWeights(double both = 1) : ic(both), ii(both) {}  // NOLINT: one κ for both terms, as the tutorial
  KlWeights(double ic_weight, double ii_weight) : ic(ic_weight), ii(ii_weight) {}
};

struct LfadsLoss {
  double nll = 0, kl_ic = 0, kl_ii = 0;  // sums over the batch, time and dims
  double total(KlWeights kl, int B) const { return (nll + kl.ic * kl_ic + kl.ii * kl_ii) / B; }
};

// Everything a pass can report per trial (posterior sample-and-average).
template <class S>
struct LfadsTrace {
  using Mat = typename Tape<S>::Mat;
  std::vector<Mat> readout, factors, gen, con, ii, ii_mean, ii_logvar;  // T × [B,·]; readout: log-rates or [B,P·D]
  Mat g0_mean, g0_logvar;                                             // [B,G]
};

// One pass over counts [B,T,D] (row-major; the encoders read the first held_in
// units) and external inputs [B,T,ext] (null when ext = 0). With `grad` non-null, adds the
// gradient of (nll + κ_ic·kl_ic + κ_ii·kl_ii) / norm_B to it. With `trace`
// non-null, records the pass.
template <class S>
LfadsLoss lfads_pass(const LfadsSpec& spec, const S* params, S* grad, const S* counts, const S* ext, int B, int T,
                     const LfadsDraws<S>& draws, KlWeights kl, int norm_B, LfadsTrace<S>* trace = nullptr);

}  // namespace ctd
