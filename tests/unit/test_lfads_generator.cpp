#include <doctest/doctest.h>

#include <cmath>
#include <tuple>

#include "fixedpoints/finder.hpp"
#include "helpers.hpp"
#include "io/output.hpp"
#include "lfads/generator.hpp"
#include "nn/run.hpp"
#include "util/rng.hpp"

using namespace ctd;

namespace {
LfadsSpec small_spec(int ii, int ext) {
  LfadsSpec s;
  s.D = 6;
  s.held_in = 6;
  s.ext = ext;
  s.enc = 4;
  s.con = 3;
  s.ii = ii;
  s.gen = 5;
  s.factors = 3;
  return s;
}

LfadsModel model_of(const LfadsSpec& s, uint64_t seed) {
  LfadsModel m{s, init_lfads(s, seed), 0.0};
  RngStream r(seed, RngDomain::Init, 77);
  for (float& v : m.params) v += float(0.2 * r.normal());  // biases and the prior mean away from 0 too
  return m;
}

template <class Model>  // LfadsModel or const LfadsModel
auto param_of(Model& m, const char* name) {
  const std::vector<ParamEntry> layout = lfads_layout(m.spec);
  return m.params.data() + find_param(layout, name).offset;
}
}  // namespace

TEST_CASE("an LFADS generator run as an RNN follows the model's own pass: states, factors and rates") {
  // The last: a readout through the calcium filter, which lfads_rates applies along the time axis.
  for (const auto& c : {std::tuple{1, 0, 0.0}, std::tuple{2, 1, 0.0}, std::tuple{0, 0, 0.0}, std::tuple{1, 0, 2.5}}) {
    const int ii = std::get<0>(c), ext = std::get<1>(c);  // plain names: CAPTURE takes no structured binding
    const double decay = std::get<2>(c);
    CAPTURE(ii);
    CAPTURE(ext);
    CAPTURE(decay);
    LfadsSpec s = small_spec(ii, ext);
    s.readout_decay = decay;
    s.readout_rise = decay > 0 ? 1.0 : 0.0;
    const LfadsModel m = model_of(s, 3);
    const int B = 3, T = 7;
    std::vector<double> p(m.params.begin(), m.params.end()), x(size_t(B) * T * s.D), u(size_t(B) * T * ext);
    RngStream r(4, RngDomain::Spikes, 0);
    for (double& v : x) v = double(r.poisson(1.2));
    for (double& v : u) v = r.normal();
    // No dropout and g0 at its posterior mean: the generator starts from g0_mean.
    LfadsDraws<double> d = lfads_draws<double>(s, B, T, 5, 0, false);
    d.eps_g0.setZero();
    LfadsTrace<double> tr;
    lfads_pass<double>(s, p.data(), nullptr, x.data(), ext ? u.data() : nullptr, B, T, d, 1.0, B, &tr);

    const RnnModel g = lfads_generator(m);
    REQUIRE(g.spec.cell == Cell::Gru);
    REQUIRE(g.spec.N == s.gen);
    REQUIRE(g.spec.U == ii + ext);
    REQUIRE(g.spec.O == s.factors);
    // The generator's inputs: the inferred inputs the pass drew, then the external ones.
    Array<float> in({size_t(B), size_t(T), size_t(ii + ext)}), h0s({size_t(B), size_t(s.gen)});
    for (int b = 0; b < B; ++b) {
      for (int t = 0; t < T; ++t) {
        for (int k = 0; k < ii; ++k) in[(size_t(b) * T + t) * (ii + ext) + k] = float(tr.ii[size_t(t)](b, k));
        for (int k = 0; k < ext; ++k)
          in[(size_t(b) * T + t) * (ii + ext) + ii + k] = float(u[(size_t(b) * T + t) * ext + k]);
      }
      for (int j = 0; j < s.gen; ++j) h0s[size_t(b) * s.gen + j] = float(tr.g0_mean(b, j));
    }
    const RnnRun run = run_rnn(g, in, h0s, 1);
    const Array<float> rates = lfads_rates(m, run.outputs);
    double worst_g = 0, worst_f = 0, worst_r = 0;
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < T; ++t) {
        const size_t row = size_t(b) * T + t;
        for (int j = 0; j < s.gen; ++j)
          worst_g = std::max(worst_g, std::fabs(run.hiddens[row * s.gen + j] - tr.gen[size_t(t)](b, j)));
        for (int k = 0; k < s.factors; ++k)
          worst_f = std::max(worst_f, std::fabs(run.outputs[row * s.factors + k] - tr.factors[size_t(t)](b, k)));
        for (int k = 0; k < s.D; ++k) {
          const double want = std::exp(tr.readout[size_t(t)](b, k));
          worst_r = std::max(worst_r, std::fabs(rates[row * s.D + k] - want) / want);
        }
      }
    CHECK(worst_g < 1e-5);
    CHECK(worst_f < 1e-5);
    CHECK(worst_r < 1e-5);
    // The run starts, unless told otherwise, from the prior's mean.
    const std::vector<float> start = g.initial_state();
    for (int j = 0; j < s.gen; ++j) CHECK(start[size_t(j)] == param_of(m, "ic_prior/mean")[j]);
  }
}

TEST_CASE("the fixed point of a hand-set LFADS generator, read from its model file") {
  // With W = 0 the GRU is h' = u h + (1 − u) tanh(bC), u = σ(b_u + bfg): its
  // one fixed point is h* = tanh(bC), and ∂F/∂h = diag(u) there.
  LfadsSpec s = small_spec(0, 0);
  s.gen = 2;
  s.factors = 2;
  LfadsModel m{s, AlignedVector<float>(lfads_param_count(s), 0.0f), 0.0};
  const float bC[2] = {0.3f, -0.7f}, bU[2] = {0.0f, 1.0f};
  for (int j = 0; j < 2; ++j) {
    param_of(m, "gen/bC")[j] = bC[j];
    param_of(m, "gen/bRU")[2 + j] = bU[j];
  }
  // Factors 2·g₀ and −g₁: unit rows after normalisation.
  float* wf = param_of(m, "factors/w");
  wf[0] = 2;
  wf[3] = -1;
  test::TempDir dir;
  {
    OutputFile out(dir.file("model.h5"));
    write_lfads_model(out.h5(), m.spec, m.params);
    out.commit();
  }
  const H5File f = H5File::open(dir.file("model.h5"));
  REQUIRE(is_lfads_model(f));
  const RnnModel g = read_network(f, {});
  REQUIRE(g.spec.U == 0);
  RnnMap<double> map(g, Eigen::VectorXd::Zero(0));
  RowMatD points(3, 2);
  points << 0.9, 0.9, -0.5, 0.2, 0.0, 0.0;
  const Eigen::VectorXd q = refine_newton(map, points, NewtonSettings{}, 1);
  const auto sigmoid = [](double v) { return 1 / (1 + std::exp(-v)); };
  for (int k = 0; k < 3; ++k) {
    CHECK(q(k) < 1e-20);
    CHECK(points(k, 0) == doctest::Approx(std::tanh(double(bC[0]))).epsilon(1e-6));
    CHECK(points(k, 1) == doctest::Approx(std::tanh(double(bC[1]))).epsilon(1e-6));
  }
  const Linearization lin = linearize_points(map, points.topRows(1), EigSort::Real, false, 1e-3, 1);
  CHECK(lin.eigvals(0, 0).real() == doctest::Approx(sigmoid(1.5)).epsilon(1e-6));
  CHECK(lin.eigvals(0, 1).real() == doctest::Approx(sigmoid(0.5)).epsilon(1e-6));
  CHECK(lin.stability[0] == kStable);
  const auto out = map.readout(points.row(0).transpose());
  CHECK(out(0) == doctest::Approx(std::tanh(double(bC[0]))).epsilon(1e-6));
  CHECK(out(1) == doctest::Approx(-std::tanh(double(bC[1]))).epsilon(1e-6));
}

TEST_CASE("an RNN parameter file still reads as itself through read_network") {
  test::TempDir dir;
  const RnnModel m = init_rnn({Cell::Gru, 4, 2, 1, 0.5}, RnnInit{}, 2);
  {
    OutputFile out(dir.file("rnn.h5"));
    write_rnn_params(out.h5(), m);
    out.commit();
  }
  const H5File f = H5File::open(dir.file("rnn.h5"));
  CHECK_FALSE(is_lfads_model(f));
  LfadsModel lfads;
  const RnnModel back = read_network(f, {}, &lfads);
  CHECK(back.params.size() == m.params.size());
  CHECK(std::equal(back.params.begin(), back.params.end(), m.params.begin()));
  CHECK(lfads.params.empty());
}
