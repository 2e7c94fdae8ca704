#include <doctest/doctest.h>

#include <cmath>

#include "helpers.hpp"
#include "nn/adam.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"

using namespace ctd;

TEST_CASE("Adam: two steps by hand, with bias correction and eps") {
  float p[2] = {1.0f, -2.0f};
  AdamState st(2);
  AdamSettings s{0.9, 0.999, 0.1};
  float g1[2] = {0.5f, -1.0f};
  adam_update(p, g1, 2, st, s, 0.01, 0);
  // Step 0: m = 0.1 g, v = 0.001 g²; m̂ = g, v̂ = g²; update lr·g/(|g| + eps).
  CHECK(p[0] == doctest::Approx(1.0 - 0.01 * 0.5 / (0.5 + 0.1)).epsilon(1e-6));
  CHECK(p[1] == doctest::Approx(-2.0 + 0.01 * 1.0 / (1.0 + 0.1)).epsilon(1e-6));
  float g2[2] = {-0.25f, 2.0f};
  float before0 = p[0];
  adam_update(p, g2, 2, st, s, 0.02, 1);
  double m = 0.9 * 0.05 + 0.1 * -0.25, v = 0.999 * 0.00025 + 0.001 * 0.0625;
  double mh = m / (1 - 0.81), vh = v / (1 - 0.998001);
  CHECK(p[0] == doctest::Approx(before0 - 0.02 * mh / (std::sqrt(vh) + 0.1)).epsilon(1e-6));
}

TEST_CASE("global-norm clipping and the learning-rate schedule") {
  float g[3] = {3.0f, 4.0f, 0.0f};
  CHECK(clip_global_norm(g, 3, 10.0) == doctest::Approx(5.0));
  CHECK(g[0] == 3.0f);  // under the limit: untouched
  CHECK(clip_global_norm(g, 3, 1.0) == doctest::Approx(5.0));
  CHECK(g[0] == doctest::Approx(0.6));
  CHECK(g[1] == doctest::Approx(0.8));
  CHECK(decayed_learning_rate(0.025, 0.99975, 0) == 0.025);
  CHECK(decayed_learning_rate(0.025, 0.99975, 1000) == doctest::Approx(0.025 * std::pow(0.99975, 1000)));
}

namespace {
TrainOptions small_options() {
  TrainOptions o;
  o.batches = 150;
  o.batch_size = 32;
  o.lr = 0.02;
  o.lr_decay = 0.999;
  o.l2 = 1e-4;
  o.curve_every = 1;
  o.seed = 4;
  o.threads = 2;
  return o;
}
}  // namespace

TEST_CASE("a short training run lowers the loss, for both cells") {
  for (Cell cell : {Cell::Vanilla, Cell::Gru}) {
    IntegratorTask task;
    auto source = synthetic_integrator_source(task, 4);
    TrainState st;
    st.model = init_rnn({cell, 24, 1, 1, 0.5}, RnnInit{cell == Cell::Gru ? 1.0 : 0.85, 1.0, 0.1}, 4);
    double before = evaluate_rnn(st.model, source->evaluation_set(256), 2).loss;
    train_rnn(small_options(), *source, st, nullptr);
    double after = evaluate_rnn(st.model, source->evaluation_set(256), 2).loss;
    CAPTURE(cell_name(cell));
    CHECK(st.step == 150);
    CHECK(st.curve.column("loss").size() == 150);
    CHECK(after < 0.3 * before);
  }
}

TEST_CASE("checkpoint and resume reproduce an uninterrupted run exactly") {
  test::TempDir dir;
  IntegratorTask task;
  auto source = synthetic_integrator_source(task, 4);
  RnnSpec spec{Cell::Gru, 12, 1, 1, 0.5};
  TrainOptions o = small_options();
  o.state_noise = 0.01;
  TrainState straight;
  straight.model = init_rnn(spec, RnnInit{1.0, 1.0, 0.1}, 4);
  TrainState first = straight;
  train_rnn(o, *source, straight, nullptr);

  // Stop after 60 batches, save, read back, go on to the end.
  train_rnn(o, *source, first, [](const TrainState& s, const StepReport&) { return s.step < 60; });
  CHECK(first.step == 60);
  RunSignature sig{{"lr", "0.02"}, {"cell", "gru"}};
  write_checkpoint(dir.file("ck.h5"), first, sig);
  TrainState resumed = read_checkpoint(dir.file("ck.h5"), sig);
  CHECK(resumed.step == 60);
  train_rnn(o, *source, resumed, nullptr);
  CHECK(resumed.model.params == straight.model.params);
  CHECK(resumed.adam.v == straight.adam.v);
  CHECK(resumed.curve.column("loss") == straight.curve.column("loss"));
  CHECK(resumed.curve.column("lr") == straight.curve.column("lr"));

  RunSignature other{{"lr", "0.03"}, {"cell", "gru"}};
  CHECK_THROWS_WITH_AS(read_checkpoint(dir.file("ck.h5"), other),
                       doctest::Contains("made with --lr 0.02 but this run has --lr 0.03"), UsageError);
}

TEST_CASE("sign accuracy counts ±1 targets under the mask") {
  RnnModel m = init_rnn({Cell::Vanilla, 3, 1, 1, 0.5}, RnnInit{}, 1);
  std::fill(m.params.begin(), m.params.end(), 0.0f);
  m.param("bO")[0] = 0.5f;  // output is always +0.5
  TaskFile f;
  f.data.inputs = Array<float>({4, 2, 1}, 0.0f);
  f.data.targets = Array<float>({4, 2, 1}, 0.0f);
  f.data.target_mask = Array<float>({4, 2, 1}, 0.0f);
  float last[4] = {1, -1, 1, 1};
  for (int b = 0; b < 4; ++b) {
    f.data.targets[size_t(b) * 2 + 1] = last[b];
    f.data.target_mask[size_t(b) * 2 + 1] = 1;
  }
  Evaluation e = evaluate_rnn(m, f, 1);
  CHECK(e.sign_accuracy == doctest::Approx(0.75));
  CHECK(e.loss == doctest::Approx((3 * 0.25 + 2.25) / 4));
}
