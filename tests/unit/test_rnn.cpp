#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "helpers.hpp"
#include "io/hdf5.hpp"
#include "io/output.hpp"
#include "nn/batch_loss.hpp"
#include "nn/rnn_model.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace ctd;
using test::spec_name;

namespace {
struct Problem {
  RnnSpec spec;
  int B, T;
  std::vector<double> params, x, y, mask, h0s;
};

Problem make_problem(const RnnSpec& spec, int B, int T, uint64_t seed) {
  const int U = spec.U, O = spec.O, S = state_size(spec);
  Problem p{spec, B, T, {}, {}, {}, {}, {}};
  RngStream r(seed, RngDomain::Task, 0);
  RnnModel m = init_rnn(p.spec, RnnInit{0.9, 1.0, 0.3}, seed);
  for (float v : m.params) p.params.push_back(v + 0.05 * r.normal());  // non-zero biases too
  for (int i = 0; i < B * T * U; ++i) p.x.push_back(r.normal());
  for (int i = 0; i < B * T * O; ++i) {
    p.y.push_back(r.normal());
    p.mask.push_back(r.uniform() < 0.6 ? 1.0 : 0.0);
  }
  for (int i = 0; i < B * S; ++i) p.h0s.push_back(0.5 * r.normal());
  return p;
}

RnnBatch<double> batch_of(const Problem& p, bool per_trial_h0) {
  RnnBatch<double> b;
  b.B = p.B;
  b.T = p.T;
  b.x = p.x.data();
  b.y = p.y.data();
  b.mask = p.mask.data();
  b.h0s = per_trial_h0 ? p.h0s.data() : nullptr;
  return b;
}

// Central differences of the whole loss against the analytic gradient, for every parameter.
void check_gradient(const RnnSpec& spec, bool per_trial_h0, int threads) {
  Problem p = make_problem(spec, 5, 7, 17);
  const double l2 = 0.01;
  BatchLoss<double> loss(p.spec, p.B, p.T, threads);
  RnnBatch<double> batch = batch_of(p, per_trial_h0);
  std::vector<double> grad(p.params.size());
  loss.loss_and_grad(p.params.data(), batch, l2, grad.data());
  const double h = 1e-6;
  double worst = 0;
  for (size_t i = 0; i < p.params.size(); ++i) {
    std::vector<double> q = p.params;
    q[i] += h;
    double up = loss.loss(q.data(), batch, l2).total();
    q[i] -= 2 * h;
    double down = loss.loss(q.data(), batch, l2).total();
    double fd = (up - down) / (2 * h);
    worst = std::max(worst, std::fabs(fd - grad[i]) / std::max(1e-3, std::fabs(fd) + std::fabs(grad[i])));
  }
  CAPTURE(spec_name(spec));
  CAPTURE(per_trial_h0);
  CAPTURE(threads);
  CHECK(worst < 1e-6);
}
}  // namespace

namespace {
// Largest differences of m's forward pass over a fixture's inputs from its
// stored states and outputs.
std::pair<double, double> forward_error(const RnnModel& m, const H5File& fw) {
  auto x = fw.read<float>("inputs"), hid = fw.read<float>("hiddens"), out = fw.read<float>("outputs");
  const int B = int(x.dim(0)), T = int(x.dim(1));
  std::vector<float> y(out.size(), 0.0f), h(hid.size()), o(out.size());
  RnnBatch<float> b;
  b.B = B;
  b.T = T;
  b.x = x.ptr();
  b.y = y.data();
  BatchLoss<float>(m.spec, B, T, 2).loss(m.params.data(), b, 0.0, h.data(), o.data());
  double dh = 0, dout = 0;
  for (size_t i = 0; i < h.size(); ++i) dh = std::max(dh, double(std::fabs(h[i] - hid[i])));
  for (size_t i = 0; i < o.size(); ++i) dout = std::max(dout, double(std::fabs(o[i] - out[i])));
  return {dh, dout};
}
}  // namespace

TEST_CASE("gradients match central finite differences (double, masks, L2 on)") {
  for (const RnnSpec& spec : test::every_cell(6, 3, 2))
    for (bool per_trial_h0 : {false, true})
      for (int threads : {1, 2}) check_gradient(spec, per_trial_h0, threads);
  // Without a readout (a PyTorch file without `readout.`), nothing to fit: a zero gradient.
  RnnSpec bare{Cell::Lstm, 4, 2, 0};
  Problem p = make_problem(bare, 3, 4, 1);
  BatchLoss<double> loss(bare, 3, 4, 1);
  std::vector<double> grad(p.params.size(), 1.0);
  CHECK(loss.loss_and_grad(p.params.data(), batch_of(p, false), 0.0, grad.data()).total() == 0.0);
  CHECK(*std::max_element(grad.begin(), grad.end()) == 0.0);
}

TEST_CASE("state noise enters the states additively") {
  for (const RnnSpec& spec : test::every_cell(4, 1, 1)) {
    Problem p = make_problem(spec, 3, 5, 3);
    const int S = state_size(spec);
    BatchLoss<double> loss(p.spec, p.B, p.T, 1);
    RnnBatch<double> clean = batch_of(p, false);
    std::vector<double> noise(size_t(p.B) * p.T * S, 0.0), h_clean(noise.size()), h_noisy(noise.size());
    noise[2 * S + 1] = 0.25;  // trial 0, step 2, unit 1
    RnnBatch<double> noisy = clean;
    noisy.noise = noise.data();
    loss.loss(p.params.data(), clean, 0, h_clean.data());
    loss.loss(p.params.data(), noisy, 0, h_noisy.data());
    CAPTURE(spec_name(spec));
    CHECK(h_noisy[2 * S + 1] - h_clean[2 * S + 1] == doctest::Approx(0.25));
    CHECK(h_noisy[1 * S + 1] == h_clean[1 * S + 1]);  // earlier steps untouched
    CHECK(h_noisy[3 * S + 1] != h_clean[3 * S + 1]);  // later steps feel it
  }
}

TEST_CASE("a one-unit vanilla RNN by hand") {
  // h_t = tanh(wI x + bR + wR h_{t-1}), o = wO h + bO, with h0 = 0.5.
  RnnSpec spec{Cell::Vanilla, 1, 1, 1, 0.5};
  std::vector<double> params = {0.5, 2.0, 0.8, 1.5, 0.1, -0.2};  // h0 wI wR wO bR bO
  std::vector<double> x = {0.3, -0.1}, y = {0, 0}, h(2), o(2);
  RnnBatch<double> b;
  b.B = 1;
  b.T = 2;
  b.x = x.data();
  b.y = y.data();
  BatchLoss<double> loss(spec, 1, 2, 1);
  LossParts parts = loss.loss(params.data(), b, 0.0, h.data(), o.data());
  double h1 = std::tanh(2.0 * 0.3 + 0.1 + 0.8 * 0.5), h2 = std::tanh(2.0 * -0.1 + 0.1 + 0.8 * h1);
  CHECK(h[0] == doctest::Approx(h1));
  CHECK(h[1] == doctest::Approx(h2));
  CHECK(o[1] == doctest::Approx(1.5 * h2 - 0.2));
  double o1 = 1.5 * h1 - 0.2, o2 = 1.5 * h2 - 0.2;
  CHECK(parts.data == doctest::Approx((o1 * o1 + o2 * o2) / 2));
  double sq = 0;
  for (double v : params) sq += v * v;
  CHECK(loss.loss(params.data(), b, 0.1).l2 == doctest::Approx(0.1 * sq));
}

TEST_CASE("the tutorials' forward passes are reproduced from their parameter files") {
  for (std::string stem : {"tutorial_vanilla_integrator", "tutorial_gru_decision"}) {
    RnnModel m = read_rnn_params(H5File::open(test::fixture(stem + "_params.h5")));
    CHECK(m.spec.cell == (stem.find("gru") != std::string::npos ? Cell::Gru : Cell::Vanilla));
    CHECK(m.spec.N == 100);
    const auto [dh, dout] = forward_error(m, H5File::open(test::fixture(stem + "_forward.h5")));
    CAPTURE(stem);
    CHECK(dh < 1e-5);
    CHECK(dout < 1e-5);
  }
}

TEST_CASE("PyTorch's own forward passes of nn.RNN (tanh, relu), nn.GRU and nn.LSTM are reproduced") {
  struct Case {
    const char* stem;
    Cell cell;
    const char* nonlinearity;
  };
  for (Case c : {Case{"torch_rnn_tanh", Cell::TorchRnn, ""}, Case{"torch_rnn_relu", Cell::TorchRnn, "relu"},
                 Case{"torch_gru", Cell::TorchGru, ""}, Case{"torch_lstm", Cell::Lstm, ""}}) {
    CAPTURE(c.stem);
    RnnModel m = read_rnn_params(H5File::open(test::fixture(std::string(c.stem) + "_params.h5")), {c.nonlinearity});
    CHECK(m.spec.cell == c.cell);  // from the shapes: the files have no attributes
    CHECK(m.spec.N == 16);
    CHECK(m.spec.O == 2);
    H5File fw = H5File::open(test::fixture(std::string(c.stem) + "_forward.h5"));
    CHECK(fw.dataset_shape("hiddens")[2] == size_t(state_size(m.spec)));
    const auto [dh, dout] = forward_error(m, fw);
    CHECK(dh < 1e-5);
    CHECK(dout < 1e-5);
    if (std::string(c.nonlinearity) == "relu") {  // read as tanh, the same file is another network
      RnnModel wrong = read_rnn_params(H5File::open(test::fixture(std::string(c.stem) + "_params.h5")));
      CHECK(wrong.spec.act == Activation::Tanh);
      CHECK(forward_error(wrong, fw).first > 0.1);
    }
  }
}

TEST_CASE("torch-layout files: round trip under PyTorch's names, attributes, and clear errors") {
  test::TempDir dir;
  for (const RnnSpec& spec : test::every_cell(5, 2, 3)) {
    if (!torch_layout(spec.cell)) continue;
    CAPTURE(test::spec_name(spec));
    RnnModel m = init_rnn(spec, RnnInit{}, 9);
    {
      OutputFile out(dir.file("t.h5"));
      write_rnn_params(out.h5(), m);
      out.commit();
    }
    H5File f = H5File::open(dir.file("t.h5"));
    std::vector<std::string> names = f.list_datasets();
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"readout.bias", "readout.weight", "rnn.bias_hh_l0", "rnn.bias_ih_l0",
                                            "rnn.weight_hh_l0", "rnn.weight_ih_l0"});
    RnnModel back = read_rnn_params(f);
    CHECK(back.spec.cell == spec.cell);
    CHECK(back.spec.act == spec.act);
    CHECK(back.spec.alpha == spec.alpha);
    CHECK(back.params == m.params);
  }
  auto error_of = [&](auto write) {
    {
      OutputFile out(dir.file("bad.h5"));
      write(out.h5());
      out.commit();
    }
    try {
      read_rnn_params(H5File::open(dir.file("bad.h5")));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string bad = dir.file("bad.h5");
  CHECK(error_of([](H5File& h) {
          h.write("rnn.weight_ih_l0", Array<float>({10, 2}));
          h.write("rnn.weight_hh_l0", Array<float>({10, 5}));
        }) == bad + ": dataset 'rnn.weight_hh_l0' has shape [10,5] but N, 3N or 4N rows are required (nn.RNN, nn.GRU, nn.LSTM)");
  CHECK(error_of([](H5File& h) {
          h.write("rnn.weight_ih_l0", Array<float>({20, 2}));
          h.write("rnn.weight_hh_l0", Array<float>({20, 5}));
          h.write("rnn.weight_hh_l1", Array<float>({20, 5}));
        }) == bad + ": rnn.weight_hh_l1 is not a parameter of the lstm network the file describes (only one layer, "
                    "one direction and no projection are supported)");
  // Partial second layers and directions, tutorial names beside PyTorch's, a readout bias without its weight:
  // each an error naming what would be left unused.
  CHECK(error_of([](H5File& h) {
          h.write("rnn.weight_ih_l0", Array<float>({5, 2}));
          h.write("rnn.weight_hh_l0", Array<float>({5, 5}));
          h.write("rnn.bias_ih_l1", Array<float>({5}));
          h.write("rnn.weight_ih_l0_reverse", Array<float>({5, 2}));
        }) == bad + ": rnn.bias_ih_l1, rnn.weight_ih_l0_reverse are not parameters of the torch-rnn network the file "
                    "describes (only one layer, one direction and no projection are supported)");
  CHECK(error_of([](H5File& h) {
          h.write("rnn.weight_ih_l0", Array<float>({5, 2}));
          h.write("rnn.weight_hh_l0", Array<float>({5, 5}));
          h.write("wR", Array<float>({5, 5}));
        }) == bad + ": wR is not a parameter of the torch-rnn network the file describes");
  CHECK(error_of([](H5File& h) {
          h.write("rnn.weight_ih_l0", Array<float>({5, 2}));
          h.write("rnn.weight_hh_l0", Array<float>({5, 5}));
          h.write("readout.bias", Array<float>({1}));
        }) == bad + ": readout.bias is not a parameter of the torch-rnn network the file describes (a readout bias "
                    "needs readout.weight)");
  // A declared shape far beyond any network: one line naming the dataset, no allocation tried.
  CHECK(error_of([](H5File& h) {
          h.write("rnn.weight_ih_l0", Array<float>({5, 2}));
          hsize_t dims[2] = {hsize_t(1) << 40, 5}, chunk[2] = {1, 5};
          Hid space(H5Screate_simple(2, dims, nullptr), H5Sclose);
          Hid dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
          H5Pset_chunk(dcpl.get(), 2, chunk);
          Hid d(H5Dcreate2(h.id(), "rnn.weight_hh_l0", H5T_NATIVE_FLOAT, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose);
        }) == bad + ": dataset 'rnn.weight_hh_l0' has shape [1099511627776,5]: more than 1000000 units or inputs is "
                    "beyond any network ctd runs");
  CHECK(error_of([](H5File& h) {
          h.write("rnn.weight_ih_l0", Array<float>({5, 2}));
          h.write("rnn.weight_hh_l0", Array<float>({5, 5}));
          h.write_attribute("cell", std::string("leaky"));
        }) == bad + ": a leaky RNN needs the attribute 'alpha' (dt/tau)");
  // bias=False and no readout: zeros and O = 0.
  RnnModel nobias = init_rnn({Cell::TorchGru, 5, 2, 0}, RnnInit{}, 1);
  {
    OutputFile out(dir.file("nobias.h5"));
    out.h5().write("rnn.weight_ih_l0", Shape{15, 2}, nobias.param("rnn.weight_ih_l0"));
    out.h5().write("rnn.weight_hh_l0", Shape{15, 5}, nobias.param("rnn.weight_hh_l0"));
    out.commit();
  }
  RnnModel nb = read_rnn_params(H5File::open(dir.file("nobias.h5")));
  CHECK(nb.spec.cell == Cell::TorchGru);
  CHECK(nb.spec.O == 0);
  CHECK(nb.param("rnn.bias_hh_l0")[4] == 0.0f);
}

TEST_CASE("parameter files: round trip, and shape errors name the dataset") {
  test::TempDir dir;
  RnnModel m = init_rnn({Cell::Gru, 7, 3, 2, 0.5}, RnnInit{1.0, 1.0, 0.1}, 5);
  {
    OutputFile out(dir.file("p.h5"));
    write_rnn_params(out.h5(), m);
    out.commit();
  }
  RnnModel back = read_rnn_params(H5File::open(dir.file("p.h5")));
  CHECK(back.spec.cell == Cell::Gru);
  CHECK(back.spec.N == 7);
  CHECK(back.spec.U == 3);
  CHECK(back.spec.O == 2);
  CHECK(back.params == m.params);
  {
    OutputFile out(dir.file("bad.h5"));
    write_rnn_params(out.h5(), m);
    out.h5().write("bC", Array<float>({6}));
    out.commit();
  }
  try {
    read_rnn_params(H5File::open(dir.file("bad.h5")));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == dir.file("bad.h5") + ": dataset 'bC' has shape [6] but [7] is required (N=7, U=3, O=2)");
  }
  {
    OutputFile out(dir.file("none.h5"));
    out.h5().write("inputs", Array<float>({2}));
    out.commit();
  }
  CHECK_THROWS_WITH_AS(read_rnn_params(H5File::open(dir.file("none.h5"))),
                       doctest::Contains("not an RNN parameter file"), Error);
}
