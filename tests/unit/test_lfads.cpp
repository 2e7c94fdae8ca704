#include <doctest/doctest.h>

#include <cmath>

#include "lfads/model.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace ctd;

namespace {
LfadsSpec tiny(int ii, int held_out = 0, int ext = 0, double cd_rate = 0) {
  LfadsSpec s;
  s.D = 5;
  s.held_in = s.D - held_out;
  s.ext = ext;
  s.cd_rate = cd_rate;
  s.enc = 4;
  s.con = 3;
  s.ii = ii;
  s.gen = 4;
  s.factors = 3;
  s.keep = 0.8;
  return s;
}

std::vector<double> counts(int B, int T, int D) {
  RngStream r(2, RngDomain::Spikes, 0);
  std::vector<double> x(size_t(B) * T * D);
  for (double& v : x) v = double(r.poisson(1.5));
  return x;
}

std::vector<double> inputs(int B, int T, int X) {
  RngStream r(3, RngDomain::Task, 0);
  std::vector<double> u(size_t(B) * T * X);
  for (double& v : u) v = r.normal();
  return u;
}

// The whole loss, with fixed draws and dropout masks, against central differences.
// The data an observation model can explain, from counts: shifted to > 0
// (gamma), scaled with their zeros (zero-inflated gamma), centred (gaussian).
std::vector<double> observed(const LfadsSpec& s, std::vector<double> x) {
  for (double& v : x)
    v = s.observation == "gamma" ? v + 0.4 : s.observation == "gaussian" ? v - 1.5 : s.observation == "poisson" ? v : 0.7 * v;
  return x;
}

void check_whole_gradient(LfadsSpec s) {
  const int B = 3, T = 4;
  std::vector<double> x = observed(s, counts(B, T, s.D)), u = inputs(B, T, s.ext);
  if (s.observation == "zero-inflated-gamma") s.location.assign(size_t(s.D), 0.5f);
  AlignedVector<float> init = init_lfads(s, 5);
  RngStream r(8, RngDomain::Init, 99);
  std::vector<double> p(init.begin(), init.end());
  for (double& v : p) v += 0.1 * r.normal();  // biases and priors off their initial values too
  LfadsDraws<double> d = lfads_draws<double>(s, B, T, 4, 0, true);
  const KlWeights kl_weight(0.7, 0.3);  // the two KL terms weighted apart (--kl-ic-weight, --kl-ii-weight)
  std::vector<double> grad(p.size(), 0.0);
  LfadsLoss base = lfads_pass<double>(s, p.data(), grad.data(), x.data(), u.data(), B, T, d, kl_weight, B);
  CHECK(base.nll > 0);
  CHECK(base.kl_ic > 0);
  if (s.ii > 0) CHECK(std::isfinite(base.kl_ii));
  const double h = 1e-6;
  double worst = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    std::vector<double> up = p, down = p;
    up[i] += h;
    down[i] -= h;
    auto loss = [&](const std::vector<double>& q) {
      return lfads_pass<double>(s, q.data(), nullptr, x.data(), u.data(), B, T, d, kl_weight, B).total(kl_weight, B);
    };
    double num = (loss(up) - loss(down)) / (2 * h);
    worst = std::max(worst, std::fabs(num - grad[i]) / std::max(1.0, std::fabs(num)));
  }
  CAPTURE(s.ii);
  CAPTURE(s.held_in);
  CAPTURE(s.ext);
  CAPTURE(s.cd_rate);
  CAPTURE(s.observation);
  CAPTURE(s.gen_dropout);
  CHECK(worst < 1e-6);
}
}  // namespace

TEST_CASE("LFADS: the whole loss's gradient matches finite differences (inferred inputs and autonomous)") {
  check_whole_gradient(tiny(2));
  check_whole_gradient(tiny(0));
}

TEST_CASE("LFADS: the gradient with the generator's dropout on the factors alone, and where it acts") {
  LfadsSpec s = tiny(2);
  s.keep = 0.6;
  s.gen_dropout = "factors";
  check_whole_gradient(s);
  // The state feeds the recurrence undropped: with every generator unit dropped at t = 0 the
  // factors there are 0, yet the later log-rates equal those of a pass without that step's mask
  // (autonomous: no controller reads the factors back).
  s = tiny(0);
  s.gen_dropout = "factors";
  const int B = 2, T = 3;
  std::vector<double> x = counts(B, T, s.D), u = inputs(B, T, s.ext);
  AlignedVector<float> init = init_lfads(s, 5);
  std::vector<double> p(init.begin(), init.end());
  LfadsDraws<double> none = lfads_draws<double>(s, B, T, 4, 0, false), first = none;
  first.drop_gen.assign(size_t(T), LfadsDraws<double>::Mat::Ones(B, s.gen));
  first.drop_gen[0].setZero();
  LfadsTrace<double> a, b;
  lfads_pass<double>(s, p.data(), nullptr, x.data(), u.data(), B, T, none, 1.0, B, &a);
  lfads_pass<double>(s, p.data(), nullptr, x.data(), u.data(), B, T, first, 1.0, B, &b);
  CHECK(b.factors[0].norm() == 0.0);
  CHECK((a.readout[2] - b.readout[2]).norm() < 1e-12);
  s.gen_dropout = "state";  // the tutorial's: the zeroed state is the next step's
  lfads_pass<double>(s, p.data(), nullptr, x.data(), u.data(), B, T, first, 1.0, B, &b);
  CHECK((a.readout[2] - b.readout[2]).norm() > 1e-6);
}

TEST_CASE("LFADS: the recurrent weights --l2-gen and --l2-con penalise are the state columns") {
  LfadsSpec s = tiny(2);
  for (const std::string gru : {"gen", "con"}) {
    const size_t H = size_t(gru == "gen" ? s.gen : s.con);
    size_t n = 0;
    for (const auto& [offset, len] : recurrent_weight_spans(s, gru)) {
      n += len;
      CHECK(len == H);
    }
    CHECK(n == 3 * H * H);  // the r, u and candidate gates' state columns
    const auto layout = lfads_layout(s);
    const auto ru = std::find_if(layout.begin(), layout.end(), [&](const ParamEntry& e) { return e.name == gru + "/wRUHX"; });
    CHECK(recurrent_weight_spans(s, gru).front().first == ru->offset);
    CHECK(recurrent_weight_spans(s, gru)[1].first == ru->offset + ru->shape[1]);
  }
}

TEST_CASE("LFADS: gradients with held-out units, external inputs and coordinated dropout") {
  check_whole_gradient(tiny(2, 2));           // encoders read 3 of 5 units
  check_whole_gradient(tiny(0, 0, 2));        // external inputs through the generator alone
  check_whole_gradient(tiny(2, 0, 2));        // ... and the controller
  check_whole_gradient(tiny(2, 2, 0, 0.4));   // coordinated dropout: the masked likelihood
  check_whole_gradient(tiny(0, 1, 1, 0.3));
}

TEST_CASE("LFADS: separate initial-condition and controller encoders, a short IC window and a controller lag") {
  LfadsSpec s = tiny(2, 1, 1, 0.3);
  CHECK(encoder_names(s) == std::vector<std::string>{"enc"});  // the tutorial's shared encoder by default
  s.ic_enc = 3;
  s.ci_enc = 2;
  s.ic_enc_seq_len = 2;  // of T = 4
  s.ci_lag = 1;
  CHECK(encoder_names(s) == std::vector<std::string>{"ic_enc", "ci_enc"});
  const auto layout = lfads_layout(s);
  CHECK(find_param(layout, "ic_enc/fwd/wRUHX").shape == Shape{6, 3 + 4});
  CHECK(find_param(layout, "ci_enc/bwd/wCHX").shape == Shape{2, 2 + 4});
  CHECK(find_param(layout, "ic/w").shape == Shape{8, 6});
  CHECK(find_param(layout, "con/wRUHX").shape == Shape{6, 3 + 2 * 2 + 3 + 1});
  check_whole_gradient(s);
  LfadsSpec autonomous = tiny(0);
  autonomous.ic_enc_seq_len = 3;
  CHECK(encoder_names(autonomous) == std::vector<std::string>{"ic_enc"});
  check_whole_gradient(autonomous);
  // The IC encoder reads only its window: bins after it leave the initial condition as it was.
  autonomous.ic_enc_seq_len = 2;
  const int B = 3, T = 4;
  AlignedVector<float> p = init_lfads(autonomous, 3);
  std::vector<double> pd(p.begin(), p.end()), x = counts(B, T, autonomous.D), later = x;
  for (int b = 0; b < B; ++b)
    for (size_t i = 2 * size_t(autonomous.D); i < size_t(T) * autonomous.D; ++i) later[size_t(b) * T * autonomous.D + i] += 3;
  const LfadsDraws<double> d = lfads_draws<double>(autonomous, B, T, 4, 0, false);
  LfadsTrace<double> a, b;
  lfads_pass<double>(autonomous, pd.data(), nullptr, x.data(), nullptr, B, T, d, 1.0, B, &a);
  lfads_pass<double>(autonomous, pd.data(), nullptr, later.data(), nullptr, B, T, d, 1.0, B, &b);
  CHECK(a.g0_mean == b.g0_mean);
  autonomous.ic_enc_seq_len = 4;  // the whole trial: now they matter
  lfads_pass<double>(autonomous, pd.data(), nullptr, x.data(), nullptr, B, T, d, 1.0, B, &a);
  lfads_pass<double>(autonomous, pd.data(), nullptr, later.data(), nullptr, B, T, d, 1.0, B, &b);
  CHECK(a.g0_mean != b.g0_mean);
}

TEST_CASE("LFADS: a read-in, and stitched sessions with their own read-ins and readouts around a shared model") {
  LfadsSpec s = tiny(2, 1, 1, 0.3);
  s.readin = 3;  // the encoders read 3 combinations of the 4 held-in units
  CHECK(find_param(lfads_layout(s), "readin/w").shape == Shape{3, 4});
  CHECK(find_param(lfads_layout(s), "enc/fwd/wRUHX").shape == Shape{8, 4 + 3});
  check_whole_gradient(s);
  LfadsSpec st = tiny(2, 0, 1);
  st.readin = 3;
  st.keep = 0.95;  // dropout's 1/keep compounding in the generator state blows the rates (and the differences) up
  st.sessions = {{"a", 5, 4, {}}, {"b", 4, 2, {}}};
  st.D = 9, st.held_in = 6;
  const auto layout = lfads_layout(st);
  CHECK(find_param(layout, "sessions/a/readin/w").shape == Shape{3, 4});
  CHECK(find_param(layout, "sessions/b/readin/w").shape == Shape{3, 2});
  CHECK(find_param(layout, "sessions/b/logrates/w").shape == Shape{4, 3});
  CHECK_THROWS(find_param(layout, "logrates/w"));
  CHECK(session_view(st, 1).D == 4);
  CHECK(session_prefix(session_view(st, 1)) == "sessions/b/");
  for (size_t k = 0; k < 2; ++k) check_whole_gradient(session_view(st, k));
  // A pass over session a's trials moves none of b's parameters, and all of the shared ones it uses.
  const LfadsSpec a = session_view(st, 0);
  const int B = 2, T = 3;
  AlignedVector<float> init = init_lfads(st, 1);
  std::vector<double> p(init.begin(), init.end()), g(p.size(), 0.0), x = counts(B, T, a.D), u = inputs(B, T, a.ext);
  lfads_pass<double>(a, p.data(), g.data(), x.data(), u.data(), B, T, lfads_draws<double>(a, B, T, 1, 0, false), 1.0, B);
  for (const ParamEntry& e : layout) {
    double norm = 0;
    for (size_t i = 0; i < e.size(); ++i) norm += std::fabs(g[e.offset + i]);
    CAPTURE(e.name);
    if (e.name.rfind("sessions/b/", 0) == 0) CHECK(norm == 0);
    if (e.name.rfind("sessions/a/", 0) == 0 || e.name == "gen/wCHX" || e.name == "factors/w") CHECK(norm > 0);
  }
}

TEST_CASE("LFADS: forward bins are predicted, never read, and have no inferred input") {
  LfadsSpec s = tiny(2, 1, 1, 0.3);
  s.forward_bins = 1;  // of T = 4
  check_whole_gradient(s);
  const int B = 3, T = 4;
  s.keep = 1, s.cd_rate = 0;
  AlignedVector<float> p = init_lfads(s, 3);
  std::vector<double> pd(p.begin(), p.end()), x = counts(B, T, s.D), later = x, u = inputs(B, T, s.ext);
  for (int b = 0; b < B; ++b)
    for (int d = 0; d < s.D; ++d) later[(size_t(b) * T + 3) * s.D + size_t(d)] += 4;  // only the forward bin differs
  const LfadsDraws<double> dr = lfads_draws<double>(s, B, T, 4, 0, false);
  LfadsTrace<double> a, b;
  const LfadsLoss la = lfads_pass<double>(s, pd.data(), nullptr, x.data(), u.data(), B, T, dr, 1.0, B, &a);
  const LfadsLoss lb = lfads_pass<double>(s, pd.data(), nullptr, later.data(), u.data(), B, T, dr, 1.0, B, &b);
  CHECK(a.g0_mean == b.g0_mean);
  CHECK(a.factors[3] == b.factors[3]);  // the same prediction ...
  CHECK(la.nll != lb.nll);              // ... scored against different counts
  CHECK(la.kl_ii == lb.kl_ii);
  CHECK(a.ii[3].isZero());
  CHECK(!a.ii[2].isZero());
  s.forward_bins = 4;
  CHECK_THROWS_AS(lfads_pass<double>(s, pd.data(), nullptr, x.data(), u.data(), B, T, dr, 1.0, B), UsageError);
}

TEST_CASE("LFADS: gradients through every observation model's readout") {
  for (const char* obs : {"gaussian", "gamma", "zero-inflated-gamma"}) {
    LfadsSpec s = tiny(1, 1, 0, 0.3);
    s.observation = obs;
    check_whole_gradient(s);
  }
}

TEST_CASE("LFADS: gradients through the readout's calcium filter, with and without a rise") {
  for (const auto& kernel : {std::pair{3.0, 0.0}, std::pair{4.0, 1.5}}) {
    const double decay = kernel.first, rise = kernel.second;  // plain names: CAPTURE takes no structured binding
    CAPTURE(decay);
    CAPTURE(rise);
    for (const char* obs : {"poisson", "zero-inflated-gamma"}) {
      LfadsSpec s = tiny(1, 1, 0, 0.3);
      s.observation = obs;
      s.readout_decay = decay;
      s.readout_rise = rise;
      check_whole_gradient(s);
    }
  }
}

TEST_CASE("LFADS: the readout filter is the calcium kernel, passes a constant unchanged, and needs a decay") {
  LfadsSpec s = tiny(0);
  CHECK(!readout_filter(s).active());
  s.readout_decay = 5;
  ReadoutFilter f = readout_filter(s);
  const double d = std::exp(-0.2);
  CHECK(f.a1 == doctest::Approx(d).epsilon(1e-14));
  CHECK(f.a2 == 0);
  CHECK(f.gain == doctest::Approx(1 - d).epsilon(1e-14));
  s.readout_rise = 2;
  f = readout_filter(s);
  const double r = std::exp(-0.5);
  CHECK(f.a1 == doctest::Approx(d + r).epsilon(1e-14));
  CHECK(f.a2 == doctest::Approx(-d * r).epsilon(1e-14));
  CHECK(f.a1 + f.a2 + f.gain == doctest::Approx(1).epsilon(1e-14));
  // An impulse after rest: gain·(d^(n+1) − r^(n+1))/(d − r), the difference of exponentials.
  double y1 = 0, y2 = 0;
  for (int n = 0; n < 8; ++n) {
    const double y = f.a1 * y1 + f.a2 * y2 + f.gain * (n == 0 ? 1 : 0);
    CHECK(y == doctest::Approx(f.gain * (std::pow(d, n + 1) - std::pow(r, n + 1)) / (d - r)).epsilon(1e-12));
    y2 = y1;
    y1 = y;
  }
  s.readout_decay = 0;
  CHECK_THROWS_AS(readout_filter(s), UsageError);
}

TEST_CASE("LFADS: sample validation hides a fixed share of each trial's entries from training, and scores them") {
  LfadsSpec s = tiny(1, 1, 0, 0.3);  // with coordinated dropout and a held-out unit
  s.sample_validation = 0.25;
  const int B = 4, T = 6;
  const std::vector<size_t> rows = {7, 2, 7, 30};  // a batch drawn with replacement: row 7 twice
  // The mask is the row's: the same wherever the row sits, about the share hidden.
  CHECK(sample_validation_mask(s, 7, T) == sample_validation_mask(s, 7, T));
  CHECK(sample_validation_mask(s, 7, T) != sample_validation_mask(s, 2, T));
  double hidden_share = 0;
  for (size_t r = 0; r < 200; ++r)
    for (uint8_t h : sample_validation_mask(s, r, T)) hidden_share += h / (200.0 * T * s.held_in);
  CHECK(hidden_share == doctest::Approx(0.25).epsilon(0.1));
  AlignedVector<float> p = init_lfads(s, 2);
  std::vector<double> pd(p.begin(), p.end()), x = counts(B, T, s.D);
  auto train_pass = [&](const std::vector<double>& data, std::vector<double>* grad) {
    LfadsDraws<double> d = lfads_draws<double>(s, B, T, 9, 0, true);
    apply_sample_validation(s, d, rows, T, SampleValidation::Train);
    return lfads_pass<double>(s, pd.data(), grad ? grad->data() : nullptr, data.data(), nullptr, B, T, d, 1.0, B).nll;
  };
  // Training neither reads nor scores a hidden entry: changing them all changes nothing.
  std::vector<double> changed = x;
  for (int b = 0; b < B; ++b) {
    const auto hidden = sample_validation_mask(s, rows[size_t(b)], T);
    for (int t = 0; t < T; ++t)
      for (int k = 0; k < s.held_in; ++k)
        if (hidden[size_t(t) * s.held_in + k]) changed[(size_t(b) * T + t) * s.D + k] += 5;
  }
  REQUIRE(changed != x);
  std::vector<double> g1(pd.size(), 0.0), g2(pd.size(), 0.0);
  CHECK(train_pass(x, &g1) == train_pass(changed, &g2));
  CHECK(g1 == g2);
  // Scoring: the encoders read the same, the NLL is the Poisson NLL over the hidden entries alone.
  LfadsDraws<double> d = lfads_draws<double>(s, B, T, 9, 0, false);
  apply_sample_validation(s, d, rows, T, SampleValidation::Score);
  LfadsTrace<double> tr;
  const double scored = lfads_pass<double>(s, pd.data(), nullptr, x.data(), nullptr, B, T, d, 1.0, B, &tr).nll;
  double nll = 0;
  for (int b = 0; b < B; ++b) {
    const auto hidden = sample_validation_mask(s, rows[size_t(b)], T);
    for (int t = 0; t < T; ++t)
      for (int k = 0; k < s.held_in; ++k) {
        const double l = tr.readout[size_t(t)](b, k);
        if (hidden[size_t(t) * s.held_in + k]) nll += std::exp(l) - x[(size_t(b) * T + t) * s.D + k] * l;
        CHECK(d.drop_x[size_t(t)](b, k) == (hidden[size_t(t) * s.held_in + k] ? 0.0 : doctest::Approx(1 / 0.75)));
      }
  }
  CHECK(scored == doctest::Approx(nll).epsilon(1e-12));
  CHECK(nll > 0);
}

TEST_CASE("LFADS: with coordinated dropout the likelihood counts only what the encoders did not see") {
  const LfadsSpec s = tiny(1, 2, 0, 0.4);
  const int B = 4, T = 6;
  LfadsDraws<double> d = lfads_draws<double>(s, B, T, 9, 0, true);
  REQUIRE(d.recon_w.size() == size_t(T));
  size_t seen = 0, withheld = 0;
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b) {
      for (int k = 0; k < 3; ++k) {
        const double w = d.recon_w[size_t(t)](b, k), m = d.drop_x[size_t(t)](b, k);
        if (w == 0) {
          ++seen;  // the encoder saw it (unless plain dropout removed it): no likelihood
        } else {
          ++withheld;
          CHECK(w == doctest::Approx(1 / 0.4));
          CHECK(m == 0);  // withheld from the encoder
        }
      }
      for (int k = 3; k < 5; ++k) CHECK(d.recon_w[size_t(t)](b, k) == 1);  // held-out units always count
    }
  CHECK(seen > 0);
  CHECK(withheld > 0);
  // The pass's NLL is the weighted sum over the trace's log-rates: entries the encoder saw add nothing.
  AlignedVector<float> p = init_lfads(s, 2);
  std::vector<double> pd(p.begin(), p.end()), x = counts(B, T, s.D);
  LfadsTrace<double> tr;
  LfadsLoss a = lfads_pass<double>(s, pd.data(), nullptr, x.data(), nullptr, B, T, d, 1.0, B, &tr);
  double nll = 0;
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b)
      for (int k = 0; k < s.D; ++k) {
        const double l = tr.readout[size_t(t)](b, k);
        nll += d.recon_w[size_t(t)](b, k) * (std::exp(l) - x[(size_t(b) * T + t) * s.D + k] * l);
      }
  CHECK(a.nll == doctest::Approx(nll).epsilon(1e-12));
  // And so the gradient: with respect to the log-rates' bias it is Σ w·(exp(l) − x) / B, with
  // nothing from the entries the encoders saw (w = 0).
  std::vector<double> grad(pd.size(), 0.0);
  lfads_pass<double>(s, pd.data(), grad.data(), x.data(), nullptr, B, T, d, 1.0, B);
  const auto layout = lfads_layout(s);
  const ParamEntry& bias = find_param(layout, "logrates/b");
  for (int k = 0; k < s.D; ++k) {
    double g = 0;
    for (int t = 0; t < T; ++t)
      for (int b = 0; b < B; ++b) {
        const double l = tr.readout[size_t(t)](b, k);
        g += d.recon_w[size_t(t)](b, k) * (std::exp(l) - x[(size_t(b) * T + t) * s.D + k]) / B;
      }
    CHECK(grad[bias.offset + size_t(k)] == doctest::Approx(g).epsilon(1e-10));
  }
  // Without coordinated dropout (or at inference) every entry weighs 1.
  CHECK(lfads_draws<double>(tiny(1, 2), B, T, 9, 0, true).recon_w.empty());
  CHECK(lfads_draws<double>(s, B, T, 9, 0, false).recon_w.empty());
}

TEST_CASE("LFADS: layout, initial priors, and the AR(1) prior's KL of a known case") {
  LfadsSpec s = tiny(1);
  auto layout = lfads_layout(s);
  CHECK(find_param(layout, "con/wRUHX").shape == Shape{6, 3 + 8 + 3});
  CHECK(find_param(layout, "gen/wRUHX").shape == Shape{8, 4 + 1});
  AlignedVector<float> p = init_lfads(s, 1);
  CHECK(p[find_param(layout, "ic_prior/logvar").offset] == doctest::Approx(std::log(0.1)));
  CHECK(p[find_param(layout, "ar_prior/logatau").offset] == doctest::Approx(0.0));
  LfadsSpec a = tiny(0);
  CHECK(lfads_param_count(a) < lfads_param_count(s));
  for (const auto& e : lfads_layout(a)) CHECK(e.name.rfind("con", 0) != 0);
  // Held-in units feed the encoders, all units the rates; external inputs the generator and the controller.
  LfadsSpec h = tiny(1, 2, 2);
  auto lh = lfads_layout(h);
  CHECK(find_param(lh, "enc/fwd/wRUHX").shape == Shape{8, 4 + 3});
  CHECK(find_param(lh, "logrates/w").shape == Shape{5, 3});
  CHECK(find_param(lh, "gen/wRUHX").shape == Shape{8, 4 + 1 + 2});
  CHECK(find_param(lh, "con/wRUHX").shape == Shape{6, 3 + 8 + 3 + 2});
}

TEST_CASE("LFADS: without dropout and with zero noise the pass is deterministic and the trace is complete") {
  LfadsSpec s = tiny(1);
  const int B = 2, T = 3;
  AlignedVector<float> p = init_lfads(s, 2);
  std::vector<double> pd(p.begin(), p.end()), x = counts(B, T, s.D);
  LfadsDraws<double> d = lfads_draws<double>(s, B, T, 1, 0, false);
  LfadsTrace<double> tr;
  LfadsLoss a = lfads_pass<double>(s, pd.data(), nullptr, x.data(), nullptr, B, T, d, 1.0, B, &tr);
  LfadsLoss b = lfads_pass<double>(s, pd.data(), nullptr, x.data(), nullptr, B, T, d, 1.0, B);
  CHECK(a.nll == b.nll);
  REQUIRE(tr.readout.size() == 3);
  CHECK(tr.readout[0].rows() == 2);
  CHECK(tr.readout[0].cols() == 5);
  CHECK(tr.factors[2].cols() == 3);
  CHECK(tr.ii_mean[1].cols() == 1);
  // The NLL from the trace's log-rates.
  double nll = 0;
  for (int t = 0; t < T; ++t)
    for (int bb = 0; bb < B; ++bb)
      for (int k = 0; k < s.D; ++k) {
        double l = tr.readout[size_t(t)](bb, k);
        nll += std::exp(l) - x[(size_t(bb) * T + t) * s.D + k] * l;
      }
  CHECK(a.nll == doctest::Approx(nll).epsilon(1e-12));
}
