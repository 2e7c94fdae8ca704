// Every operation of the reverse-mode layer against central finite
// differences, in double: one table, one harness.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "linalg/gemm.hpp"
#include "autodiff/tape.hpp"
#include "util/rng.hpp"

using namespace ctd;
using T = Tape<double>;
using Mat = T::Mat;

namespace {
// A check builds a scalar from parameters (already on the tape) and constants.
struct OpCheck {
  std::string name;
  std::vector<std::pair<int, int>> shapes;  // parameter shapes
  std::function<T::Var(T&, const std::vector<T::Var>&)> build;
  double offset = 0;  // added to parameter values (e.g. keep norms away from 0)
};

Mat randm(int r, int c, RngStream& rng, double scale = 0.7) {
  Mat m(r, c);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < c; ++j) m(i, j) = scale * rng.normal();
  return m;
}

// Turns any matrix output into a scalar with fixed random weights, so every
// entry's gradient is tested.
T::Var weigh(T& t, T::Var v, uint64_t seed = 99) {
  RngStream rng(seed, RngDomain::Task, 0);
  const Mat& m = t.value(v);
  Mat w = randm(int(m.rows()), int(m.cols()), rng);
  return t.sum(t.mul_const(v, w));
}

void run_check(const OpCheck& c) {
  RngStream rng(7, RngDomain::Task, 1);
  std::vector<Mat> values;
  for (auto [r, k] : c.shapes) values.push_back((randm(r, k, rng).array() + c.offset).matrix());
  auto evaluate = [&](const std::vector<Mat>& vals, std::vector<Mat>* grads) {
    T tape;
    std::vector<T::Var> vars;
    if (grads) grads->clear();
    for (size_t i = 0; i < vals.size(); ++i) {
      if (grads) grads->push_back(Mat::Zero(vals[i].rows(), vals[i].cols()));
      vars.push_back(tape.param(vals[i].data(), int(vals[i].rows()), int(vals[i].cols()),
                                grads ? (*grads)[i].data() : nullptr));
    }
    T::Var out = c.build(tape, vars);
    if (grads) tape.backward(out);
    return tape.scalar(out);
  };
  std::vector<Mat> grads;
  evaluate(values, &grads);
  double worst = 0;
  const double h = 1e-6;
  for (size_t p = 0; p < values.size(); ++p)
    for (long i = 0; i < values[p].size(); ++i) {
      std::vector<Mat> up = values, down = values;
      up[p].data()[i] += h;
      down[p].data()[i] -= h;
      double fd = (evaluate(up, nullptr) - evaluate(down, nullptr)) / (2 * h);
      double an = grads[p].data()[i];
      worst = std::max(worst, std::fabs(fd - an) / std::max(1.0, std::fabs(fd)));
    }
  CAPTURE(c.name);
  CHECK(worst < 1e-6);
}
}  // namespace

TEST_CASE("every tape operation's gradient matches finite differences") {
  RngStream rng(3, RngDomain::Task, 2);
  const Mat counts = (randm(4, 3, rng).array().abs() * 3).round().matrix();
  const Mat eps = randm(4, 3, rng, 1.0);
  const Mat mask = (randm(4, 3, rng).array() > 0).cast<double>().matrix() / 0.8;
  std::vector<OpCheck> checks = {
      {"matmul_t", {{4, 3}, {5, 3}}, [](T& t, auto v) { return weigh(t, t.matmul_t(v[0], v[1])); }},
      {"add_row", {{4, 3}, {1, 3}}, [](T& t, auto v) { return weigh(t, t.add_row(v[0], v[1])); }},
      {"add_row (column bias)", {{4, 3}, {3, 1}}, [](T& t, auto v) { return weigh(t, t.add_row(v[0], v[1])); }},
      {"add, scale, add_scalar", {{4, 3}, {4, 3}},
       [](T& t, auto v) { return weigh(t, t.add_scalar(t.scale(t.add(v[0], v[1]), -1.7), 0.3)); }},
      {"concat_cols, cols", {{4, 3}, {4, 2}},
       [](T& t, auto v) { return weigh(t, t.cols(t.concat_cols(v[0], v[1]), 1, 3)); }},
      {"mul_const", {{4, 3}}, [mask](T& t, auto v) { return weigh(t, t.mul_const(v[0], mask)); }},
      {"mul_row", {{4, 3}, {1, 3}}, [](T& t, auto v) { return weigh(t, t.mul_row(v[0], v[1])); }},
      {"exp", {{4, 3}}, [](T& t, auto v) { return weigh(t, t.exp(v[0])); }},
      {"log", {{4, 3}}, [](T& t, auto v) { return weigh(t, t.log(t.exp(v[0]))); }},
      {"broadcast_rows", {{1, 3}}, [](T& t, auto v) { return weigh(t, t.broadcast_rows(v[0], 4)); }},
      {"row_normalize", {{5, 3}}, [](T& t, auto v) { return weigh(t, t.row_normalize(v[0])); }},
      {"custom (x³ and its backward written outside the tape)", {{4, 3}},
       [](T& t, auto v) {
         const T::Var x = v[0];
         Mat cube = t.value(x).array().cube().matrix();
         return weigh(t, t.custom(std::move(cube), t.needs_grad(x), [&t, x](const Mat& g, const Mat& out) {
           t.grad_of(x) += (3 * g.array() * out.array() / t.value(x).array()).matrix();
         }));
       }},
      {"sample_gaussian", {{4, 3}, {4, 3}},
       [eps](T& t, auto v) { return weigh(t, t.sample_gaussian(v[0], v[1], eps, 0.001)); }},
      {"poisson_nll", {{4, 3}}, [counts](T& t, auto v) { return t.poisson_nll(v[0], counts); }},
      {"kl_gaussian", {{4, 3}, {4, 3}, {1, 3}, {1, 3}},
       [](T& t, auto v) { return t.kl_gaussian(v[0], v[1], v[2], v[3], 0.001); }},
      {"gaussian_logpdf", {{4, 3}, {4, 3}, {4, 3}},
       [](T& t, auto v) { return t.gaussian_logpdf(v[0], v[1], v[2], 0.001); }},
      {"sum", {{4, 3}}, [](T& t, auto v) { return t.sum(v[0]); }},
  };
  for (const auto& c : checks) run_check(c);
}

TEST_CASE("a parameter used twice collects both gradients; constants get none") {
  Mat w(1, 1);
  w << 3.0;
  Mat g = Mat::Zero(1, 1);
  T t;
  T::Var p = t.param(w.data(), 1, 1, g.data());
  T::Var c = t.input(Mat::Constant(1, 1, 2.0));
  T::Var y = t.sum(t.add(t.mul_row(p, p), t.mul_row(p, c)));  // w² + 2w
  t.backward(y);
  CHECK(t.scalar(y) == doctest::Approx(15.0));
  CHECK(g(0, 0) == doctest::Approx(8.0));  // 2w + 2
}

TEST_CASE("gemm: float (OpenBLAS or Eigen) agrees with double on strided blocks, every transposition, empty products") {
  using MF = Eigen::Matrix<float, -1, -1, Eigen::RowMajor>;
  using MD = Eigen::Matrix<double, -1, -1, Eigen::RowMajor>;
  const MD a = MD::Random(7, 9), b = MD::Random(9, 11);  // blocks of these: strides differ from widths
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      const long m = 4, k = 5, n = 6;
      const MD A = ta ? MD(a.block(0, 0, k, m)) : MD(a.block(0, 0, m, k));
      const MD B = tb ? MD(b.block(0, 0, n, k)) : MD(b.block(0, 0, k, n));
      const MD expected = 0.5 * MD::Ones(m, n) + (ta ? MD(A.transpose()) : A) * (tb ? MD(B.transpose()) : B);
      const MF af = a.cast<float>(), bf = b.cast<float>();
      MF c = MF::Ones(8, 10);
      gemm(ta ? af.block(0, 0, k, m) : af.block(0, 0, m, k), ta, tb ? bf.block(0, 0, n, k) : bf.block(0, 0, k, n), tb,
           c.block(1, 2, m, n), 0.5f);
      CAPTURE(ta);
      CAPTURE(tb);
      CHECK((c.block(1, 2, m, n).cast<double>() - expected).cwiseAbs().maxCoeff() < 1e-5);
      CHECK(c(0, 0) == 1.0f);  // outside the block: untouched
      CHECK(c(1, 8) == 1.0f);
    }
  MF empty(3, 0), w(4, 0), c = MF::Constant(3, 4, 2.0f);
  gemm(empty, false, w, true, c, 0.5f);  // k = 0: C = β·C
  CHECK(c(2, 3) == 1.0f);
}
