// LFADS's GRUs on the tape are the nn/ GRU cell over the model's parameters
// in place: one step's value against the equations written out here, and
// its gradients (state, input, every weight) against finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "lfads/tape_gru.hpp"
#include "util/rng.hpp"

using namespace ctd;
using T = Tape<double>;
using Mat = T::Mat;

namespace {
const int B = 3, H = 4, I = 2;
const double kBfg = 0.5;

// A layout with something before and after the GRU, as inside an LFADS model.
std::vector<ParamEntry> layout() {
  return pack_layout({{"before", {5}},
                      {"g/wRUHX", {2 * H, H + I}},
                      {"g/wCHX", {H, H + I}},
                      {"g/bRU", {2 * H}},
                      {"g/bC", {H}},
                      {"after", {3}}});
}

Mat random(int r, int c, RngStream& rng) {
  Mat m(r, c);
  for (int i = 0; i < m.size(); ++i) m.data()[i] = 0.6 * rng.normal();
  return m;
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// Σ w ∘ h' for fixed weights w, with gradients into p's layout and into h, x.
double loss(const std::vector<double>& p, const Mat& h, const Mat& x, const Mat& w, std::vector<double>* gp,
            Mat* gh, Mat* gx, Mat* value = nullptr) {
  T t;
  TapeGru<double> gru(t, layout(), "g", H, I, kBfg, p.data(), gp ? gp->data() : nullptr);
  Mat dh = Mat::Zero(B, H), dx = Mat::Zero(B, I);
  T::Var hv = t.param(h.data(), B, H, gh ? dh.data() : nullptr), xv = t.param(x.data(), B, I, gx ? dx.data() : nullptr);
  T::Var out = gru.step(hv, xv);
  if (value) *value = t.value(out);
  T::Var l = t.sum(t.mul_const(out, w));
  if (gp) {
    t.backward(l);
    *gh = dh;
    *gx = dx;
  }
  return t.scalar(l);
}
}  // namespace

TEST_CASE("LFADS tape GRU: one step is the GRU's equations, read from the model's parameters in place") {
  RngStream rng(4, RngDomain::Task, 0);
  const auto lay = layout();
  std::vector<double> p(lay.back().offset + lay.back().size());
  for (double& v : p) v = 0.5 * rng.normal();
  const Mat h = random(B, H, rng), x = random(B, I, rng), w = random(B, H, rng);
  Mat got;
  loss(p, h, x, w, nullptr, nullptr, nullptr, &got);
  auto at = [&](const char* n) { return p.data() + find_param(lay, n).offset; };
  Eigen::Map<const Mat> W(at("g/wRUHX"), 2 * H, H + I), Wc(at("g/wCHX"), H, H + I);
  const double *bRU = at("g/bRU"), *bC = at("g/bC");
  for (int b = 0; b < B; ++b) {
    std::vector<double> r(H), u(H);
    for (int i = 0; i < H; ++i) {
      r[size_t(i)] = bRU[i];
      u[size_t(i)] = bRU[H + i] + kBfg;
      for (int j = 0; j < H + I; ++j) {
        const double v = j < H ? h(b, j) : x(b, j - H);
        r[size_t(i)] += W(i, j) * v;
        u[size_t(i)] += W(H + i, j) * v;
      }
    }
    for (int i = 0; i < H; ++i) {
      double c = bC[i];
      for (int j = 0; j < H; ++j) c += Wc(i, j) * sigmoid(r[size_t(j)]) * h(b, j);
      for (int j = 0; j < I; ++j) c += Wc(i, H + j) * x(b, j);
      const double z = sigmoid(u[size_t(i)]);
      CHECK(got(b, i) == doctest::Approx(z * h(b, i) + (1 - z) * std::tanh(c)).epsilon(1e-12));
    }
  }
}

TEST_CASE("LFADS tape GRU: gradients of the state, the input and every weight match finite differences") {
  RngStream rng(5, RngDomain::Task, 0);
  const auto lay = layout();
  std::vector<double> p(lay.back().offset + lay.back().size());
  for (double& v : p) v = 0.5 * rng.normal();
  Mat h = random(B, H, rng), x = random(B, I, rng);
  const Mat w = random(B, H, rng);
  std::vector<double> gp(p.size(), 0.0);
  Mat gh, gx;
  loss(p, h, x, w, &gp, &gh, &gx);
  const double eps = 1e-6;
  double worst = 0;
  auto check = [&](double& v, double analytic) {
    const double keep = v;
    v = keep + eps;
    const double up = loss(p, h, x, w, nullptr, nullptr, nullptr);
    v = keep - eps;
    const double down = loss(p, h, x, w, nullptr, nullptr, nullptr);
    v = keep;
    worst = std::max(worst, std::fabs((up - down) / (2 * eps) - analytic));
  };
  for (size_t i = 0; i < p.size(); ++i) check(p[i], gp[i]);
  for (long i = 0; i < h.size(); ++i) check(h.data()[i], gh.data()[i]);
  for (long i = 0; i < x.size(); ++i) check(x.data()[i], gx.data()[i]);
  CHECK(worst < 1e-8);
  CHECK(gp[0] == 0.0);  // the parameters around the GRU's get nothing
  CHECK(gp.back() == 0.0);
}

namespace {
// Three steps from h with inputs x, x∘x and −x; the loss reads the first two
// steps' states only, so the third step's backward never runs and it must add
// nothing to the gradients.
// With `ahead` the three inputs' projections are made before the steps, in one product.
double loss3(const std::vector<double>& p, const Mat& h, const Mat& x, const Mat& w, std::vector<double>* gp,
             bool ahead = false) {
  T t;
  TapeGru<double> gru(t, layout(), "g", H, I, kBfg, p.data(), gp ? gp->data() : nullptr);
  const std::vector<T::Var> xs{t.input(x), t.input(x.cwiseProduct(x)), t.input(-x)};
  if (ahead) gru.project_ahead(xs);
  T::Var s = t.input(h), h1 = gru.step(s, xs[0]);
  T::Var h2 = gru.step(h1, xs[1]);
  gru.step(h2, xs[2]);
  T::Var l = t.add(t.sum(t.mul_const(h1, w)), t.sum(t.mul_const(h2, w.cwiseAbs())));
  if (gp) {
    t.backward(l);
  }
  return t.scalar(l);
}
}  // namespace

TEST_CASE("LFADS tape GRU: gradients over several steps, with the inputs projected ahead or step by step, match finite differences") {
  RngStream rng(6, RngDomain::Task, 0);
  const auto lay = layout();
  std::vector<double> p(lay.back().offset + lay.back().size());
  for (double& v : p) v = 0.5 * rng.normal();
  const Mat h = random(B, H, rng), x = random(B, I, rng), w = random(B, H, rng);
  std::vector<double> gp(p.size(), 0.0);
  loss3(p, h, x, w, &gp);
  const double eps = 1e-6;
  double worst = 0, largest = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double keep = p[i];
    p[i] = keep + eps;
    const double up = loss3(p, h, x, w, nullptr);
    p[i] = keep - eps;
    const double down = loss3(p, h, x, w, nullptr);
    p[i] = keep;
    worst = std::max(worst, std::fabs((up - down) / (2 * eps) - gp[i]));
    largest = std::max(largest, std::fabs(gp[i]));
  }
  CHECK(largest > 0.1);
  CHECK(worst < 1e-8);
  // Projected ahead: the same loss and the same gradient.
  std::vector<double> ga(p.size(), 0.0);
  CHECK(loss3(p, h, x, w, &ga, true) == doctest::Approx(loss3(p, h, x, w, nullptr)).epsilon(1e-14));
  double apart = 0;
  for (size_t i = 0; i < p.size(); ++i) apart = std::max(apart, std::fabs(ga[i] - gp[i]));
  CHECK(apart < 1e-13);
}
