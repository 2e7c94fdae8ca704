// Dale's law and connectivity masks (nn/weight_constraints.hpp): the map from
// raw to effective weights and its chain rule, the initial spectral radius,
// signs kept through training and resume, and files that break their own
// constraints refused.
#include <doctest/doctest.h>

#include <cmath>

#include <Eigen/Eigenvalues>

#include "helpers.hpp"
#include "io/output.hpp"
#include "nn/weight_constraints.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace ctd;

namespace {
const RnnSpec kLeaky{Cell::Leaky, 10, 2, 1, 0.5, Activation::Relu, 0.2};

// Dale's law with 8 of 10 units excitatory and a mask without self-connections.
WeightConstraints dale_and_mask(int N) {
  WeightConstraints c;
  c.excitatory_fraction = 0.8;
  c.unit_sign = dale_signs(0.8, N);
  c.mask.assign(size_t(N) * N, 1.0f);
  for (int i = 0; i < N; ++i) c.mask[size_t(i) * N + i] = 0.0f;
  return c;
}

double spectral_radius(const RnnModel& m) {
  const int N = m.spec.N;
  Eigen::MatrixXd W(N, N);
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) W(i, j) = m.param("rnn.weight_hh_l0")[i * N + j];
  return Eigen::EigenSolver<Eigen::MatrixXd>(W, false).eigenvalues().cwiseAbs().maxCoeff();
}

TrainOptions short_run() {
  TrainOptions o;
  o.batches = 80;
  o.batch_size = 16;
  o.lr = 0.01;
  o.lr_decay = 0.999;
  o.l2 = 1e-4;
  o.curve_every = 1;
  o.seed = 3;
  o.threads = 2;
  return o;
}

TrainState constrained_start(const RnnSpec& spec, const WeightConstraints& c) {
  TrainState st;
  st.model = init_rnn(spec, RnnInit{0.9, 1.0, 0.1}, 5);
  constrain_initial_state(st, c, 0.9, 0.0);
  return st;
}
}  // namespace

TEST_CASE("Dale's signs: the first round(f*N) units excitatory; fractions that empty a population refused") {
  std::vector<float> s = dale_signs(0.8, 10);
  CHECK(std::count(s.begin(), s.begin() + 8, 1.0f) == 8);
  CHECK(std::count(s.begin() + 8, s.end(), -1.0f) == 2);
  CHECK_THROWS_WITH_AS(dale_signs(0.0, 10), doctest::Contains("strictly between 0 and 1"), UsageError);
  CHECK_THROWS_WITH_AS(dale_signs(1.0, 10), doctest::Contains("strictly between 0 and 1"), UsageError);
  CHECK_THROWS_WITH_AS(dale_signs(0.99, 10), doctest::Contains("leaves no inhibitory unit"), UsageError);
  CHECK_THROWS_WITH_AS(dale_signs(0.01, 10), doctest::Contains("leaves no excitatory unit"), UsageError);
}

TEST_CASE("the effective weights obey the constraints, and the chain rule matches finite differences") {
  const WeightConstraints c = dale_and_mask(kLeaky.N);
  const ConstrainedParams map(kLeaky, c);
  const size_t P = param_count(kLeaky);
  std::vector<float> raw(P), eff(P), coef(P);
  RngStream rng(7, RngDomain::Init, 0);
  for (size_t i = 0; i < P; ++i) raw[i] = float(rng.normal()), coef[i] = float(rng.normal());
  map.effective(raw.data(), eff.data());
  CHECK(map.violation(eff.data()) == -1);
  const int N = kLeaky.N;
  const RnnModel m{kLeaky, AlignedVector<float>(eff.begin(), eff.end())};
  const float* W = m.param("rnn.weight_hh_l0");
  for (int i = 0; i < N; ++i) {
    CHECK(W[i * N + i] == 0.0f);  // masked
    for (int j = 0; j < N; ++j) CHECK(W[i * N + j] * c.unit_sign[size_t(j)] >= 0.0f);
  }
  for (int j = 8; j < N; ++j) CHECK(m.param("readout.weight")[j] == 0.0f);  // inhibitory units: no readout
  for (size_t u = 0; u < size_t(N) * 2; ++u) CHECK(m.param("rnn.weight_ih_l0")[u] >= 0.0f);
  // raw_of is the fixed point: the effective weights of raw_of(eff) are eff.
  std::vector<float> back(P), again(P);
  map.raw_of(eff.data(), back.data());
  map.effective(back.data(), again.data());
  CHECK(again == eff);

  // L(raw) = Σ coef_i · eff_i(raw)²: dL/draw by the chain rule against central differences.
  auto loss = [&](const std::vector<float>& r) {
    std::vector<float> e(P);
    map.effective(r.data(), e.data());
    double l = 0;
    for (size_t i = 0; i < P; ++i) l += double(coef[i]) * double(e[i]) * double(e[i]);
    return l;
  };
  std::vector<float> grad(P);
  for (size_t i = 0; i < P; ++i) grad[i] = 2.0f * coef[i] * eff[i];
  map.chain(raw.data(), grad.data());
  int checked = 0;
  for (size_t i = 0; i < P; ++i) {
    if (std::fabs(raw[i]) < 0.05f) continue;  // away from the kink of [w]₊
    std::vector<float> up = raw, down = raw;
    up[i] += 1e-2f;
    down[i] -= 1e-2f;
    const double fd = (loss(up) - loss(down)) / (double(up[i]) - double(down[i]));
    CAPTURE(i);
    CHECK(grad[i] == doctest::Approx(fd).epsilon(1e-3).scale(1e-3));
    ++checked;
  }
  CHECK(checked > int(P) / 2);

  // A weight of the wrong sign, or where the mask has no synapse, is found.
  std::vector<float> bad = eff;
  bad[find_param(param_layout(kLeaky), "rnn.weight_hh_l0").offset + 1] = -0.5f;  // unit 1 is excitatory
  CHECK(map.violation(bad.data()) >= 0);
}

TEST_CASE("the initial recurrent matrix has the requested spectral radius, balanced and of Dale's signs") {
  const RnnSpec spec{Cell::Leaky, 40, 3, 2, 0.5, Activation::Relu, 0.2};
  for (const WeightConstraints& c : {dale_and_mask(40), WeightConstraints{0, {}, dale_and_mask(40).mask}}) {
    const TrainState st = constrained_start(spec, c);
    CAPTURE(c.dale());
    CHECK(spectral_radius(st.model) == doctest::Approx(0.9).epsilon(1e-4));
    CHECK(ConstrainedParams(spec, c).violation(st.model.params.data()) == -1);
    if (!c.dale()) continue;
    // Balance: on average over rows, the excitatory and the inhibitory input cancel.
    double total = 0;
    for (size_t i = 0; i < 40 * 40; ++i) total += st.model.param("rnn.weight_hh_l0")[i];
    double scale = 0;
    for (size_t i = 0; i < 40 * 40; ++i) scale += std::fabs(st.model.param("rnn.weight_hh_l0")[i]);
    CHECK(std::fabs(total) < 0.1 * scale);
  }
  WeightConstraints wrong;
  wrong.mask.assign(9, 1.0f);
  CHECK_THROWS_WITH_AS(check_constraints(spec, wrong, "m.h5"), doctest::Contains("but [40,40] (--hidden 40) is required"),
                       Error);
  const WeightConstraints dale = dale_and_mask(40);
  CHECK_THROWS_WITH_AS(check_constraints(RnnSpec{Cell::Gru, 40, 1, 1}, dale, "train-rnn"),
                       doctest::Contains("need a cell with one recurrent matrix (leaky or torch-rnn), not gru"),
                       UsageError);
}

TEST_CASE("--init-self adds to the self-connections: every unit's, or under Dale's law the excitatory units'") {
  const RnnSpec spec{Cell::Leaky, 10, 2, 1, 0.5, Activation::Relu, 0.2};
  WeightConstraints dale;
  dale.excitatory_fraction = 0.8;
  dale.unit_sign = dale_signs(0.8, 10);
  for (const WeightConstraints& c : {WeightConstraints{}, dale, dale_and_mask(10)}) {
    TrainState without, with;
    without.model = with.model = init_rnn(spec, RnnInit{0.9, 1.0, 0.1}, 5);
    constrain_initial_state(without, c, 0.9, 0.0);
    constrain_initial_state(with, c, 0.9, 1.0);
    CAPTURE(c.dale());
    CAPTURE(c.mask.size());
    const float *W0 = without.model.param("rnn.weight_hh_l0"), *W1 = with.model.param("rnn.weight_hh_l0");
    for (int i = 0; i < 10; ++i)
      for (int j = 0; j < 10; ++j) {
        const bool self = i == j && !(c.dale() && c.unit_sign[size_t(i)] < 0) && c.mask.empty();
        CHECK(W1[i * 10 + j] == doctest::Approx(W0[i * 10 + j] + (self ? 1.0f : 0.0f)).epsilon(1e-6));
      }
    CHECK(ConstrainedParams(spec, c).violation(with.model.params.data()) == -1);
  }
  TrainState gru;
  gru.model = init_rnn(RnnSpec{Cell::Gru, 4, 1, 1}, RnnInit{}, 1);
  CHECK_THROWS_WITH_AS(constrain_initial_state(gru, WeightConstraints{}, 0.9, 1.0),
                       doctest::Contains("--init-self needs a cell with one recurrent matrix"), UsageError);
}

TEST_CASE("training keeps every weight's sign and mask, and resumes exactly") {
  test::TempDir dir;
  IntegratorTask task;
  auto source = synthetic_integrator_source(task, 4);
  const RnnSpec spec{Cell::Leaky, 20, 1, 1, 0.5, Activation::Relu, 0.2};
  const WeightConstraints c = dale_and_mask(20);
  TrainState straight = constrained_start(spec, c);
  const AlignedVector<float> initial = straight.model.params;
  TrainState first = straight;
  const double before = evaluate_rnn(straight.model, source->evaluation_set(128), 2).loss;
  train_rnn(short_run(), *source, straight, nullptr);
  CHECK(evaluate_rnn(straight.model, source->evaluation_set(128), 2).loss < 0.7 * before);
  CHECK(straight.model.params != initial);
  CHECK(ConstrainedParams(spec, c).violation(straight.model.params.data()) == -1);
  // Every recurrent weight with a synapse still has its unit's sign, and none appeared without one.
  const float* W0 = initial.data() + find_param(param_layout(spec), "rnn.weight_hh_l0").offset;
  const float* W = straight.model.param("rnn.weight_hh_l0");
  for (int k = 0; k < 20 * 20; ++k) {
    CHECK(W[k] * W0[k] >= 0.0f);
    if (c.mask[size_t(k)] == 0.0f) CHECK(W[k] == 0.0f);
  }

  train_rnn(short_run(), *source, first, [](const TrainState& s, const StepReport&) { return s.step < 30; });
  RunSignature sig{{"excitatory-fraction", "0.8"}};
  write_checkpoint(dir.file("ck.h5"), first, sig);
  TrainState resumed = read_checkpoint(dir.file("ck.h5"), sig);
  CHECK(resumed.model.constraints.unit_sign == c.unit_sign);
  CHECK(resumed.model.constraints.mask == c.mask);
  CHECK(resumed.raw == first.raw);
  train_rnn(short_run(), *source, resumed, nullptr);
  CHECK(resumed.model.params == straight.model.params);
  CHECK(resumed.raw == straight.raw);
}

TEST_CASE("a file whose weights break its own constraints is refused on reading") {
  test::TempDir dir;
  TrainState st = constrained_start(kLeaky, dale_and_mask(kLeaky.N));
  {
    OutputFile out(dir.file("net.h5"));
    write_rnn_params(out.h5(), st.model);
    out.commit();
  }
  const RnnModel back = read_rnn_params(H5File::open(dir.file("net.h5")));
  CHECK(back.params == st.model.params);
  CHECK(back.constraints.excitatory_fraction == 0.8);
  st.model.param("rnn.weight_hh_l0")[0 * kLeaky.N + 9] = 0.3f;  // unit 9 is inhibitory
  {
    OutputFile out(dir.file("bad.h5"));
    write_rnn_params(out.h5(), st.model);
    out.commit();
  }
  CHECK_THROWS_WITH_AS(read_rnn_params(H5File::open(dir.file("bad.h5"))),
                       doctest::Contains("rnn.weight_hh_l0' breaks the file's own constraints (Dale's law, connectivity mask)"),
                       Error);
}
