#include "lfads/model.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <stdexcept>

#include "lfads/tape_gru.hpp"
#include "util/error.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

void register_options(OptionSet& o, LfadsSpec& s) {
  o.group("Model");
  o.add("enc-dim", s.enc, "Encoder GRU units (each direction)").min(1);
  o.add("ic-enc-dim", s.ic_enc,
        "Separate encoders: the initial condition's encoder GRU units (each direction; 0: --enc-dim, or the one "
        "shared encoder unless another separate-encoder option is set)")
      .non_negative();
  o.add("ci-enc-dim", s.ci_enc, "Separate encoders: the controller's encoder GRU units (each direction; 0: --enc-dim)")
      .non_negative();
  o.add("ic-enc-seq-len", s.ic_enc_seq_len,
        "Separate encoders: the initial condition's encoder reads only the first N bins (0: all)")
      .non_negative();
  o.add("ci-lag", s.ci_lag,
        "The controller at bin t reads the forward encoder at t - lag and the backward one at t + lag (zeros "
        "beyond the trial)")
      .non_negative();
  o.add("forward-bins", s.forward_bins,
        "Forward prediction: the last N bins of every trial are predicted, never read by the encoders (inferred "
        "inputs 0 there); NLB files' *_forward spikes are appended as these bins")
      .non_negative();
  o.add("readout-decay", s.readout_decay,
        "Calcium kernel: the readout reads the factors through an exponential filter with this decay time "
        "constant, in bins (tau_decay / bin width; 0: the factors themselves), so the factors can follow the "
        "spikes while the data follow the calcium")
      .non_negative();
  o.add("readout-rise", s.readout_rise,
        "Calcium kernel: its rise time constant, in bins (needs --readout-decay; 0: an instantaneous rise)")
      .non_negative();
  o.add("con-dim", s.con, "Controller GRU units").min(1);
  o.add("ii-dim", s.ii, "Inferred inputs (0: the autonomous model)").non_negative();
  o.add("gen-dim", s.gen, "Generator GRU units").min(1);
  o.add("factors-dim", s.factors, "Factors").min(1);
  o.add("readin-dim", s.readin,
        "Read-in: the encoders read this many affine combinations of the held-in units, one map per session "
        "(0: the units themselves; with several sessions 0 means --factors-dim)")
      .non_negative();
  o.add("keep-rate", s.keep, "Dropout keep probability in training").range(1e-3, 1);
  o.add("cd-rate", s.cd_rate,
        "Coordinated dropout: share of held-in entries withheld from the encoders in training; the likelihood "
        "counts only those (0: off)")
      .range(0, 0.99);
  o.add("gen-dropout", s.gen_dropout,
        "Where the generator's dropout acts: state (the tutorial: the dropped-out state also feeds the next step; "
        "diverges for keep-rates far below 0.98) or factors (only on the way to the factors)")
      .one_of({"state", "factors"});
  o.add("sample-validation", s.sample_validation,
        "Sample validation: share of held-in entries of every training trial hidden from the encoders and from "
        "the training loss, the same all along; their NLL (curve_sample_valid_nll) shows overfitting (0: off)")
      .range(0, 0.99);
  o.add("varmin", s.varmin, "Variance floor").positive();
  o.add("observation", s.observation,
        "What the readout predicts: poisson (spike counts), gaussian (any continuous signal), gamma (positive "
        "signals) or zero-inflated-gamma (non-negative signals with many zeros: calcium imaging)")
      .one_of(observation_names());
}

namespace {
void add_gru(std::vector<std::pair<std::string, Shape>>& v, const std::string& name, size_t H, size_t I, bool h0) {
  v.push_back({name + "/wRUHX", {2 * H, H + I}});
  v.push_back({name + "/wCHX", {H, H + I}});
  v.push_back({name + "/bRU", {2 * H}});
  v.push_back({name + "/bC", {H}});
  if (h0) v.push_back({name + "/h0", {H}});
}
}  // namespace

std::vector<std::string> encoder_names(const LfadsSpec& s) {
  if (!s.separate_encoders()) return {"enc"};
  if (s.ii > 0) return {"ic_enc", "ci_enc"};
  return {"ic_enc"};  // an autonomous model has no controller to encode for
}

LfadsSpec session_view(const LfadsSpec& s, size_t k) {
  if (s.sessions.empty()) return s;
  LfadsSpec v = s;
  const LfadsSession& one = s.sessions.at(k);
  v.D = one.D;
  v.held_in = one.held_in;
  v.location = one.location;
  v.session = int(k);
  return v;
}

std::string session_prefix(const LfadsSpec& s) {
  return s.session >= 0 ? "sessions/" + s.sessions.at(size_t(s.session)).name + "/" : std::string();
}

namespace {
// A session's own parameters: its read-in (if any) and its readout.
void add_session_params(std::vector<std::pair<std::string, Shape>>& v, const LfadsSpec& s, const std::string& prefix,
                        int D, int held_in) {
  if (held_in < 1 || held_in > D)  // set from the data with D; never a stand-in for "all"
    throw std::logic_error("LfadsSpec: held_in " + std::to_string(held_in) + " outside 1.." + std::to_string(D));
  if (s.readin > 0) {
    v.push_back({prefix + "readin/w", {size_t(s.readin), size_t(held_in)}});
    v.push_back({prefix + "readin/b", {size_t(s.readin)}});
  }
  const size_t P = size_t(observation_param_count(parse_observation(s.observation)));
  const std::string readout = prefix + (P == 1 ? "logrates" : "obs");
  v.push_back({readout + "/w", {P * size_t(D), size_t(s.factors)}});
  v.push_back({readout + "/b", {P * size_t(D)}});
}
}  // namespace

std::vector<ParamEntry> lfads_layout(const LfadsSpec& s) {
  if (!s.sessions.empty() && s.readin < 1) throw std::logic_error("LfadsSpec: stitched sessions need a read-in");
  const size_t Din = size_t(s.encoder_input()), C = size_t(s.con), I = size_t(s.ii), G = size_t(s.gen),
               F = size_t(s.factors), X = size_t(s.ext), Eic = size_t(s.ic_width()), Eci = size_t(s.ci_width());
  std::vector<std::pair<std::string, Shape>> v;
  for (const std::string& enc : encoder_names(s)) {
    const size_t E = enc == "ci_enc" ? Eci : Eic;
    add_gru(v, enc + "/fwd", E, Din, true);
    add_gru(v, enc + "/bwd", E, Din, true);
  }
  v.push_back({"ic/w", {2 * G, 2 * Eic}});
  v.push_back({"ic/b", {2 * G}});
  v.push_back({"ic_prior/mean", {G}});
  v.push_back({"ic_prior/logvar", {G}});
  if (I > 0) {
    add_gru(v, "con", C, 2 * Eci + F + X, true);
    v.push_back({"co/w", {2 * I, C}});
    v.push_back({"co/b", {2 * I}});
    v.push_back({"ar_prior/logatau", {I}});
    v.push_back({"ar_prior/lognvar", {I}});
  }
  add_gru(v, "gen", G, I + X, false);
  v.push_back({"factors/w", {F, G}});
  if (s.sessions.empty()) add_session_params(v, s, "", s.D, s.held_in);
  for (const LfadsSession& one : s.sessions) add_session_params(v, s, "sessions/" + one.name + "/", one.D, one.held_in);
  return pack_layout(v);
}

ObservationModel observation_model(const LfadsSpec& s) {
  ObservationModel m;
  m.kind = parse_observation(s.observation);
  m.varmin = s.varmin;
  m.location = s.location;
  if (m.kind == Observation::ZeroInflatedGamma && m.location.size() != size_t(s.D))
    throw std::logic_error("LfadsSpec: the zero-inflated gamma needs a location per unit");
  return m;
}

ReadoutFilter readout_filter(const LfadsSpec& s) {
  if (s.readout_rise > 0 && s.readout_decay <= 0)
    throw UsageError("--readout-rise needs --readout-decay (the kernel's decay time constant, in bins)");
  ReadoutFilter f;
  if (s.readout_decay <= 0) return f;
  // The AR(2) of a difference of exponentials, as simulate-calcium's kernel: c_t = (d + r)c_{t−1} − d·r·c_{t−2} + s_t.
  const double d = std::exp(-1 / s.readout_decay), r = s.readout_rise > 0 ? std::exp(-1 / s.readout_rise) : 0;
  f.a1 = d + r;
  f.a2 = -d * r;
  f.gain = (1 - d) * (1 - r);
  return f;
}

size_t lfads_param_count(const LfadsSpec& spec) {
  auto l = lfads_layout(spec);
  return l.back().offset + l.back().size();
}

std::vector<std::pair<size_t, size_t>> recurrent_weight_spans(const LfadsSpec& spec, const std::string& gru) {
  std::vector<std::pair<size_t, size_t>> spans;
  for (const ParamEntry& e : lfads_layout(spec)) {
    if (e.name != gru + "/wRUHX" && e.name != gru + "/wCHX") continue;
    const size_t rows = e.shape[0], cols = e.shape[1], H = gru == "gen" ? size_t(spec.gen) : size_t(spec.con);
    for (size_t r = 0; r < rows; ++r) spans.push_back({e.offset + r * cols, H});  // columns [h, x]: h first
  }
  if (spans.empty()) throw std::logic_error("recurrent_weight_spans: no GRU '" + gru + "'");
  return spans;
}

AlignedVector<float> init_lfads(const LfadsSpec& s, uint64_t seed) {
  auto layout = lfads_layout(s);
  AlignedVector<float> p(lfads_param_count(s), 0.0f);
  for (size_t k = 0; k < layout.size(); ++k) {
    const ParamEntry& e = layout[k];
    const std::string& n = e.name;
    float* w = p.data() + e.offset;
    RngStream rng(seed, RngDomain::Init, k);
    auto ends = [&](const char* suffix) { return n.size() >= std::strlen(suffix) && n.compare(n.size() - std::strlen(suffix), std::string::npos, suffix) == 0; };
    if (ends("/wRUHX") || ends("/wCHX")) {
      // Columns 0..H-1 act on the state (N(0,1)/√H), the rest on the input (N(0,1)/√I).
      const size_t rows = e.shape[0], cols = e.shape[1], H = ends("/wRUHX") ? rows / 2 : rows, I = cols - H;
      for (size_t i = 0; i < e.size(); ++i) {
        size_t c = i % cols;
        w[i] = float(rng.normal() / std::sqrt(double(c < H ? H : I)));
      }
    } else if (n == "ic/w" || n == "co/w" || n == "factors/w" || ends("logrates/w") || ends("obs/w") ||
               ends("readin/w")) {
      for (size_t i = 0; i < e.size(); ++i) w[i] = float(rng.normal() / std::sqrt(double(e.shape[1])));
    } else if (n == "ic_prior/logvar") {
      for (size_t i = 0; i < e.size(); ++i) w[i] = float(std::log(s.ic_prior_var));
    } else if (n == "ar_prior/logatau") {
      for (size_t i = 0; i < e.size(); ++i) w[i] = float(std::log(s.ar_tau));
    } else if (n == "ar_prior/lognvar") {
      for (size_t i = 0; i < e.size(); ++i) w[i] = float(std::log(s.ar_noise_var));
    }  // biases, h0s and the IC prior mean start at 0
  }
  return p;
}

void init_readout_biases(const LfadsSpec& s, const float* x, size_t rows, float* params) {
  const Observation kind = parse_observation(s.observation);
  if (kind == Observation::Poisson) return;
  const size_t D = size_t(s.D);
  float* b = params + find_param(lfads_layout(s), session_prefix(s) + "obs/b").offset;
  for (size_t d = 0; d < D; ++d) {
    // Moments of the unit's values (above its location and non-zero, for the ZIG).
    const double loc = s.location.empty() ? 0.0 : double(s.location[d]);
    double n = 0, sum = 0, sq = 0;
    for (size_t i = 0; i < rows; ++i) {
      const double v = x[i * D + d];
      if (kind == Observation::ZeroInflatedGamma && v == 0) continue;
      n += 1;
      sum += v - loc;
      sq += (v - loc) * (v - loc);
    }
    const double mean = n > 0 ? sum / n : 1.0, var = n > 1 ? std::max(sq / n - mean * mean, 1e-6) : 1.0;
    const double m = std::max(mean, 1e-6);
    switch (kind) {
      case Observation::Gaussian:
        b[d] = float(mean);
        b[D + d] = float(std::log(var));
        break;
      case Observation::Gamma:  // shape m²/v, rate m/v
        b[d] = float(std::log(m * m / var));
        b[D + d] = float(std::log(m / var));
        break;
      default: {  // shape m²/v, scale v/m, q the share of non-zero values
        const double q = std::clamp(n / double(rows), 0.01, 0.99);
        b[d] = float(std::log(m * m / var));
        b[D + d] = float(std::log(var / m));
        b[2 * D + d] = float(std::log(q / (1 - q)));
      }
    }
  }
}

template <class S>
LfadsDraws<S> lfads_draws(const LfadsSpec& s, int B, int T, uint64_t seed, uint64_t stream0, bool dropout) {
  using Mat = typename LfadsDraws<S>::Mat;
  LfadsDraws<S> d;
  const int G = s.gen, I = s.ii, D = s.D, Din = s.held_in;
  const bool cd = dropout && s.cd_rate > 0;
  d.eps_g0.resize(B, G);
  d.eps_u.assign(size_t(T), Mat(B, I));
  d.eps_kl.assign(size_t(T), Mat(B, I));
  if (dropout) {
    d.drop_x.assign(size_t(T), Mat(B, Din));
    d.drop_enc.assign(size_t(T), Mat(B, 2 * s.ci_width()));
    d.drop_gen.assign(size_t(T), Mat(B, G));
    d.drop_g0.resize(B, 2 * s.ic_width());
  }
  const S inv_keep = S(1.0 / s.keep);
  std::vector<double> draws;
  for (int b = 0; b < B; ++b) {
    RngStream noise(seed, RngDomain::Posterior, stream0 + uint64_t(b));
    for (int j = 0; j < G; ++j) d.eps_g0(b, j) = S(noise.normal());
    for (int t = 0; t < T; ++t)
      for (int j = 0; j < I; ++j) {
        d.eps_u[size_t(t)](b, j) = S(noise.normal());
        d.eps_kl[size_t(t)](b, j) = S(noise.normal());
      }
    if (!dropout) continue;
    // The trial's dropout draws at once, in the order the masks read them.
    RngStream drop(seed, RngDomain::Dropout, stream0 + uint64_t(b));
    const size_t per_bin = size_t(Din + 2 * s.ci_width() + G);
    draws.resize(size_t(T) * per_bin + size_t(2 * s.ic_width()) + (cd ? size_t(T) * size_t(Din) : 0));
    drop.fill_uniform(draws.data(), draws.size());
    const double* next = draws.data();
    auto mask = [&](Mat& m) {
      for (long j = 0; j < m.cols(); ++j) m(b, j) = *next++ < s.keep ? inv_keep : S(0);
    };
    for (int t = 0; t < T; ++t) {
      mask(d.drop_x[size_t(t)]);
      mask(d.drop_enc[size_t(t)]);
      mask(d.drop_gen[size_t(t)]);
    }
    mask(d.drop_g0);
    if (!cd) continue;
    // Drawn after the tutorial's masks, so cd_rate = 0 leaves every other draw as it was.
    if (b == 0) d.recon_w.assign(size_t(T), Mat::Ones(B, D));
    const S pass = S(1.0 / (1.0 - s.cd_rate)), withheld = S(1.0 / s.cd_rate);
    for (int t = 0; t < T; ++t)
      for (int j = 0; j < Din; ++j) {
        const bool seen = *next++ >= s.cd_rate;
        d.drop_x[size_t(t)](b, j) *= seen ? pass : S(0);
        // Forward bins: no encoder reads them, so every entry counts, as it is.
        d.recon_w[size_t(t)](b, j) = t >= T - s.forward_bins ? S(1) : seen ? S(0) : withheld;
      }
  }
  return d;
}

std::vector<uint8_t> sample_validation_mask(const LfadsSpec& s, size_t row, int T) {
  std::vector<uint8_t> hidden(size_t(T) * size_t(s.held_in), 0);
  if (s.sample_validation <= 0) return hidden;
  // Seed 0 and the trial's row: the same entries whatever --seed, batch or thread.
  RngStream rng(0, RngDomain::Sampling, (uint64_t(1) << 42) + row);
  for (auto& h : hidden) h = rng.uniform() < s.sample_validation;
  return hidden;
}

template <class S>
void apply_sample_validation(const LfadsSpec& s, LfadsDraws<S>& d, const std::vector<size_t>& rows, int T,
                             SampleValidation use) {
  using Mat = typename LfadsDraws<S>::Mat;
  if (use == SampleValidation::None || s.sample_validation <= 0) return;
  const int B = int(rows.size()), Din = s.held_in, D = s.D;
  if (d.drop_x.empty()) d.drop_x.assign(size_t(T), Mat::Ones(B, Din));
  // Training counts every entry but the hidden ones (as weighted by coordinated dropout, if on); scoring only them.
  if (d.recon_w.empty()) d.recon_w.assign(size_t(T), Mat::Ones(B, D));
  const S pass = S(1.0 / (1.0 - s.sample_validation));
  for (int b = 0; b < B; ++b) {
    const std::vector<uint8_t> hidden = sample_validation_mask(s, rows[size_t(b)], T);
    for (int t = 0; t < T; ++t) {
      Mat &x = d.drop_x[size_t(t)], &w = d.recon_w[size_t(t)];
      for (int j = 0; j < Din; ++j) {
        const bool h = hidden[size_t(t) * Din + j];
        x(b, j) *= h ? S(0) : pass;
        if (use == SampleValidation::Train && h) w(b, j) = S(0);
        if (use == SampleValidation::Score) w(b, j) = h ? S(1) : S(0);
      }
      if (use == SampleValidation::Score)
        for (int j = Din; j < D; ++j) w(b, j) = S(0);
    }
  }
}

template <class S>
LfadsLoss lfads_pass(const LfadsSpec& s, const S* params, S* grad, const S* counts, const S* ext, int B, int T,
                     const LfadsDraws<S>& dr, KlWeights klw, int norm_B, LfadsTrace<S>* trace) {
  using Tp = Tape<S>;
  using Var = typename Tp::Var;
  using Mat = typename Tp::Mat;
  const int D = s.D, Din = s.held_in, I = s.ii, G = s.gen, F = s.factors, X = s.ext;
  const S vm = S(s.varmin);
  Tp tape;
  // Parameters on the tape by name (a 1-D parameter is a [1,n] row).
  auto layout = lfads_layout(s);
  auto P = [&](const std::string& name) {
    const ParamEntry& e = find_param(layout, name);
    const int rows = e.shape.size() == 2 ? int(e.shape[0]) : 1, cols = int(e.shape.back());
    return tape.param(params + e.offset, rows, cols, grad ? grad + e.offset : nullptr);
  };
  using Gru = TapeGru<S>;
  std::deque<Gru> grus;  // every GRU of the pass, where references to them stay valid
  auto gru = [&](const std::string& n, int H, int I) -> Gru& {
    return grus.emplace_back(tape, layout, n, H, I, s.bfg, params, grad);
  };
  auto step = [&](Gru& g, Var h, Var x) { return g.step(h, x); };
  auto affine = [&](Var x, Var w, Var b) { return tape.add_row(tape.matmul_t(x, w), b); };
  const bool state_dropout = s.gen_dropout == "state";  // the tutorial's generator dropout
  // Each mask on its own: sample validation's scoring masks the encoders' input alone.
  auto drop = [&](Var v, const std::vector<Mat>& masks, int t) {
    return masks.empty() ? v : tape.mul_const(v, masks[size_t(t)]);
  };

  // Counts and external inputs per time step, [B,D] and [B,X].
  using Row = Eigen::Map<const Eigen::Matrix<S, 1, -1>>;
  std::vector<Mat> x(size_t(T), Mat(B, D)), u_ext(size_t(T), Mat(B, X));
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      x[size_t(t)].row(b) = Row(counts + (size_t(b) * T + t) * D, D);
      if (X > 0) u_ext[size_t(t)].row(b) = Row(ext + (size_t(b) * T + t) * X, X);
    }

  // Encoders: bidirectional GRUs over the first `bins` (dropped-out) bins; the
  // shared one (the tutorial's) serves both the initial condition and the controller.
  // Forward prediction: the last forward_bins bins are reconstructed, never read (the encoders see Tobs bins).
  const int Tobs = T - s.forward_bins;
  if (Tobs < 1)
    throw UsageError("--forward-bins " + std::to_string(s.forward_bins) + " leaves the encoders no bin of the " +
                     std::to_string(T));
  std::vector<Var> xin(static_cast<size_t>(Tobs));
  // The session's own parameters (a stitched model's view) under its prefix.
  const std::string own = session_prefix(s);
  for (int t = 0; t < Tobs; ++t) xin[size_t(t)] = drop(tape.input(x[size_t(t)].leftCols(Din)), dr.drop_x, t);
  if (s.readin > 0) {  // the read-in: the encoders read a shared space of `readin` dimensions
    Var w = P(own + "readin/w"), b = P(own + "readin/b");
    for (int t = 0; t < Tobs; ++t) xin[size_t(t)] = affine(xin[size_t(t)], w, b);
  }
  auto encode = [&](const std::string& name, int E, int bins, std::vector<Var>& hf, std::vector<Var>& hb) {
    Gru &ef = gru(name + "/fwd", E, s.encoder_input()), &eb = gru(name + "/bwd", E, s.encoder_input());
    hf.assign(size_t(bins), Var{});
    hb.assign(size_t(bins), Var{});
    ef.project_ahead(std::vector<Var>(xin.begin(), xin.begin() + bins));
    eb.project_ahead(std::vector<Var>(xin.rend() - bins, xin.rend()));
    Var h = tape.broadcast_rows(P(name + "/fwd/h0"), B);
    for (int t = 0; t < bins; ++t) hf[size_t(t)] = h = step(ef, h, xin[size_t(t)]);
    h = tape.broadcast_rows(P(name + "/bwd/h0"), B);
    for (int t = bins - 1; t >= 0; --t) hb[size_t(t)] = h = step(eb, h, xin[size_t(t)]);
  };
  std::vector<Var> ic_f, ic_b, ci_f, ci_b;
  if (!s.separate_encoders()) {
    encode("enc", s.enc, Tobs, ic_f, ic_b);
    ci_f = ic_f, ci_b = ic_b;
  } else {
    if (s.ic_enc_seq_len > Tobs)
      throw UsageError("--ic-enc-seq-len " + std::to_string(s.ic_enc_seq_len) + " is longer than the trials (" +
                       std::to_string(Tobs) + " bins the encoders read)");
    encode("ic_enc", s.ic_width(), s.ic_enc_seq_len > 0 ? s.ic_enc_seq_len : Tobs, ic_f, ic_b);
    if (I > 0) encode("ci_enc", s.ci_width(), Tobs, ci_f, ci_b);
  }

  // Initial condition: posterior from [e_bwd(1); e_fwd(last bin read)], a sample, the KL to its prior.
  Var g0in = tape.concat_cols(ic_b.front(), ic_f.back());
  if (dr.drop_g0.size()) g0in = tape.mul_const(g0in, dr.drop_g0);
  Var ic = affine(g0in, P("ic/w"), P("ic/b"));
  Var g0_mean = tape.cols(ic, 0, G), g0_logvar = tape.cols(ic, G, G);
  Var kl_ic = tape.kl_gaussian(g0_mean, g0_logvar, P("ic_prior/mean"), P("ic_prior/logvar"), vm);
  Var g = tape.sample_gaussian(g0_mean, g0_logvar, dr.eps_g0, vm);

  Gru& gn = gru("gen", G, I + X);
  Var Wf = tape.row_normalize(P("factors/w"));
  const ObservationModel obs = observation_model(s);
  const bool poisson = obs.kind == Observation::Poisson;
  Var wr = P(own + (poisson ? "logrates/w" : "obs/w")), br = P(own + (poisson ? "logrates/b" : "obs/b"));
  Var nll, kl_ii;
  Var f = tape.input(Mat::Zero(B, F));
  const ReadoutFilter filter = readout_filter(s);
  Var filtered1, filtered2;  // the readout filter's f~_{t−1}, f~_{t−2}
  // Controller and the AR(1) prior of the inferred inputs.
  Gru* cn = nullptr;
  Var c, co_w, co_b, phi, noise_lv, process_lv, z_prev;
  if (I > 0) {
    cn = &gru("con", s.con, 2 * s.ci_width() + F + X);
    c = tape.broadcast_rows(P("con/h0"), B);
    co_w = P("co/w");
    co_b = P("co/b");
    // φ = exp(−exp(−logatau)); noise logvar = lognvar + varmin;
    // process logvar = noise logvar − log(1−φ) − log(1+φ).
    phi = tape.exp(tape.scale(tape.exp(tape.scale(P("ar_prior/logatau"), S(-1))), S(-1)));
    noise_lv = tape.add_scalar(P("ar_prior/lognvar"), vm);
    Var l1 = tape.log(tape.add_scalar(tape.scale(phi, S(-1)), S(1))), l2 = tape.log(tape.add_scalar(phi, S(1)));
    process_lv = tape.add(noise_lv, tape.scale(tape.add(l1, l2), S(-1)));
  }
  if (trace) {
    for (auto* v : {&trace->readout, &trace->factors, &trace->gen, &trace->con, &trace->ii, &trace->ii_mean, &trace->ii_logvar})
      v->assign(size_t(T), Mat());
  }
  Var no_input = tape.input(Mat::Zero(B, I));
  Var no_encoding = tape.input(Mat::Zero(B, s.ci_width()));
  for (int t = 0; t < T; ++t) {
    Var u = no_input;
    Var known = X > 0 ? tape.input(u_ext[size_t(t)]) : Var{};
    if (I > 0 && t >= Tobs) {
      // Forward bins: no data to infer inputs from; the inputs are their prior's mean, 0.
      if (trace) {
        trace->con[size_t(t)] = tape.value(c);
        trace->ii[size_t(t)] = trace->ii_mean[size_t(t)] = Mat::Zero(B, I);
        trace->ii_logvar[size_t(t)] = tape.value(tape.broadcast_rows(process_lv, B));
      }
    } else if (I > 0) {
      // With --ci-lag the forward encoder's state from `lag` bins before, the backward's from `lag` after.
      const int tf = t - s.ci_lag, tb = t + s.ci_lag;
      Var xenc = drop(tape.concat_cols(tf >= 0 ? ci_f[size_t(tf)] : no_encoding, tb < Tobs ? ci_b[size_t(tb)] : no_encoding),
                      dr.drop_enc, t);
      Var cin = tape.concat_cols(xenc, f);
      c = step(*cn, c, X > 0 ? tape.concat_cols(cin, known) : cin);
      Var co = affine(c, co_w, co_b);
      Var mu = tape.cols(co, 0, I), lv = tape.cols(co, I, I);
      u = tape.sample_gaussian(mu, lv, dr.eps_u[size_t(t)], vm);
      // KL by sampling: a fresh z ~ q, log q(z) − log p(z) under the AR(1) prior.
      Var z = tape.sample_gaussian(mu, lv, dr.eps_kl[size_t(t)], vm);
      Var logq = tape.gaussian_logpdf(z, mu, lv, vm);
      Var mean = t == 0 ? tape.input(Mat::Zero(B, I)) : tape.mul_row(z_prev, phi);
      Var logp = tape.gaussian_logpdf(z, mean, tape.broadcast_rows(t == 0 ? process_lv : noise_lv, B), vm);
      Var k = tape.add(logq, tape.scale(logp, S(-1)));
      kl_ii = t == 0 ? k : tape.add(kl_ii, k);
      z_prev = z;
      if (trace) {
        trace->con[size_t(t)] = tape.value(c);
        trace->ii[size_t(t)] = tape.value(u);
        trace->ii_mean[size_t(t)] = tape.value(mu);
        trace->ii_logvar[size_t(t)] = tape.value(lv);
      }
    }
    g = step(gn, g, X > 0 ? tape.concat_cols(u, known) : u);
    const Var g_out = drop(g, dr.drop_gen, t);
    if (state_dropout) g = g_out;
    f = tape.matmul_t(g_out, Wf);
    Var read = f;
    if (filter.active()) {
      if (t == 0) filtered1 = filtered2 = f;
      read = tape.add(tape.scale(filtered1, S(filter.a1)), tape.scale(f, S(filter.gain)));
      if (filter.a2 != 0) read = tape.add(read, tape.scale(filtered2, S(filter.a2)));
      filtered2 = filtered1;
      filtered1 = read;
    }
    Var lr = affine(read, wr, br);
    const Mat* weights = dr.recon_w.empty() ? nullptr : &dr.recon_w[size_t(t)];
    Var n = poisson ? tape.poisson_nll(lr, x[size_t(t)], weights) : observation_nll(tape, obs, lr, x[size_t(t)], weights);
    nll = t == 0 ? n : tape.add(nll, n);
    if (trace) {
      trace->readout[size_t(t)] = tape.value(lr);
      trace->factors[size_t(t)] = tape.value(f);
      trace->gen[size_t(t)] = tape.value(g);
    }
  }
  if (trace) {
    trace->g0_mean = tape.value(g0_mean);
    trace->g0_logvar = tape.value(g0_logvar);
  }
  LfadsLoss out;
  out.nll = double(tape.scalar(nll));
  out.kl_ic = double(tape.scalar(kl_ic));
  out.kl_ii = I > 0 ? double(tape.scalar(kl_ii)) : 0.0;
  if (grad) {
    Var kl = tape.scale(kl_ic, S(klw.ic));
    if (I > 0) kl = tape.add(kl, tape.scale(kl_ii, S(klw.ii)));
    Var loss = tape.scale(tape.add(nll, kl), S(1.0 / norm_B));
    tape.backward(loss);
  }
  return out;
}

template LfadsDraws<float> lfads_draws<float>(const LfadsSpec&, int, int, uint64_t, uint64_t, bool);
template LfadsDraws<double> lfads_draws<double>(const LfadsSpec&, int, int, uint64_t, uint64_t, bool);
template void apply_sample_validation<float>(const LfadsSpec&, LfadsDraws<float>&, const std::vector<size_t>&, int,
                                             SampleValidation);
template void apply_sample_validation<double>(const LfadsSpec&, LfadsDraws<double>&, const std::vector<size_t>&, int,
                                              SampleValidation);
template LfadsLoss lfads_pass<float>(const LfadsSpec&, const float*, float*, const float*, const float*, int, int,
                                     const LfadsDraws<float>&, KlWeights, int, LfadsTrace<float>*);
template LfadsLoss lfads_pass<double>(const LfadsSpec&, const double*, double*, const double*, const double*, int, int,
                                      const LfadsDraws<double>&, KlWeights, int, LfadsTrace<double>*);

}  // namespace ctd
