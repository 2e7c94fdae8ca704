// The Mante–Sussillo analysis (fixedpoints/context_analysis.hpp) on networks
// whose line attractor is known by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "fixedpoints/context_analysis.hpp"
#include "helpers.hpp"
#include "util/error.hpp"

using namespace ctd;

namespace {
// h' = relu(W h + B x + b) with W = diag(1, 0.5), b = (0, 1): for h0 > 0 every
// (h0, 2) is a fixed point — a line along e0 with eigenvalues 1 (along it)
// and 0.5. Inputs (motion, colour, two cues): motion enters unit 0 with
// weight 0.3 (along the line), colour unit 1 with 0.7 (across it). Readout h0.
RnnModel line_network() {
  RnnModel m = init_rnn({Cell::TorchRnn, 2, 4, 1, 0.5, Activation::Relu, 1.0}, RnnInit{}, 1);
  std::fill(m.params.begin(), m.params.end(), 0.0f);
  float* W = m.param("rnn.weight_hh_l0");
  W[0] = 1.0f, W[3] = 0.5f;
  float* B = m.param("rnn.weight_ih_l0");  // [2,4]
  B[0 * 4 + 0] = 0.3f, B[1 * 4 + 1] = 0.7f;
  m.param("rnn.bias_hh_l0")[1] = 1.0f;
  m.param("readout.weight")[0] = 1.0f;
  return m;
}
}  // namespace

TEST_CASE("a line attractor by hand: one line, eigenvalue 1, the selection vector and the inputs' projections") {
  const RnnModel m = line_network();
  ContextInput in;
  in.name = "motion";
  in.x_star = Eigen::Vector4d(0, 0, 1, 0);
  in.candidates.resize(40, 2);
  for (int k = 0; k < 40; ++k) in.candidates.row(k) << 0.5 + 0.1 * k, 2.0 + 0.3 * std::sin(double(k));
  FixedPointSearch search;
  search.tols = {1e-10};
  const ContextAnalysis a = analyze_contexts(m, {in}, {0, 1}, {"motion", "color"}, search, 3, 1);
  REQUIRE(a.contexts.size() == 1);
  const ContextPoints& c = a.contexts[0];
  const Eigen::Index K = c.points.points.rows();
  CHECK(K >= 3);
  CHECK(c.pc1_fraction == doctest::Approx(1.0).epsilon(1e-9));  // every point on h1 = 2
  for (Eigen::Index k = 0; k < K; ++k) {
    CAPTURE(k);
    CHECK(c.points.points(k, 1) == doctest::Approx(2.0).epsilon(1e-9));
    CHECK(c.real_mode[size_t(k)] == 1);
    CHECK(c.top_eigval(k) == doctest::Approx(1.0).epsilon(1e-9));
    CHECK(c.line(k, 0) == doctest::Approx(1.0));  // along e0, the way the readout grows
    CHECK(std::fabs(c.line(k, 1)) < 1e-9);
    CHECK(c.selection.row(k).dot(c.line.row(k)) == doctest::Approx(1.0));
    CHECK(c.projection(k, 0) == doctest::Approx(0.3).epsilon(1e-6));  // motion moves the state along the line
    CHECK(std::fabs(c.projection(k, 1)) < 1e-9);                      // colour only across it
  }
  const ContextSummary s = summarize(c);
  CHECK(s.real_modes == size_t(K));
  CHECK(s.projection[0] == doctest::Approx(0.3).epsilon(1e-6));
  const std::string table = context_table(a);
  CHECK(table.find("proj motion") != std::string::npos);
  CHECK(table.find("+0.30000") != std::string::npos);
  REQUIRE(a.pca_points.size() == 1);
  CHECK(a.pca_points[0].rows() == K);
}

TEST_CASE("a context whose search keeps fewer than 3 points is an error naming it") {
  const RnnModel m = line_network();
  ContextInput in;
  in.name = "color";
  in.x_star = Eigen::Vector4d(0, 0, 0, 1);
  in.candidates.resize(5, 2);  // points of the line closer than --unique-tol: one is kept
  for (int k = 0; k < 5; ++k) in.candidates.row(k) << 1.0 + 0.002 * k, 2.0 + (k % 2 ? 0.1 : -0.1);
  FixedPointSearch search;
  search.tols = {1e-10};
  CHECK_THROWS_WITH_AS(analyze_contexts(m, {in}, {0, 1}, {"motion", "color"}, search, 3, 1),
                       doctest::Contains("context color: only 1 slow points were kept"), Error);
}
