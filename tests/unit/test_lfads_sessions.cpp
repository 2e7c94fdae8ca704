// Stitching's sessions: names, the checks on what a stitched fit needs, and
// the read-ins' principal-components regression on a case with a known answer.
#include <doctest/doctest.h>

#include <cmath>

#include "lfads/sessions.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace ctd;

namespace {
// A session whose `units` are fixed linear mixtures (weights from `stream`) of
// a shared latent path per condition, plus an offset per unit: train trials
// of C conditions (each repeated twice), 1 validation trial.
LfadsSessionData mixture_session(const std::string& name, size_t units, uint64_t stream, size_t T = 6) {
  const size_t C = 3, L = 2;
  RngStream r(4, RngDomain::Init, stream);
  std::vector<double> w(units * L), offset(units);
  for (double& v : w) v = r.normal();
  for (double& v : offset) v = 2 + r.uniform();
  auto latent = [](size_t c, size_t t, size_t l) { return std::sin(0.7 * double(t) * double(l + 1) + double(c)); };
  LfadsSessionData s;
  s.name = name;
  s.file = name + ".h5";
  s.data.held_in = int(units);
  s.data.train.data = Array<float>({2 * C, T, units});
  for (size_t b = 0; b < 2 * C; ++b) {
    s.data.train.conditions.push_back(int64_t(b % C));
    for (size_t t = 0; t < T; ++t)
      for (size_t d = 0; d < units; ++d) {
        double v = offset[d];
        for (size_t l = 0; l < L; ++l) v += w[d * L + l] * latent(b % C, t, l);
        s.data.train.data[(b * T + t) * units + d] = float(v);
      }
  }
  s.data.valid.data = Array<float>({1, T, units});
  return s;
}
}  // namespace

TEST_CASE("sessions: names from files, and the names refused") {
  CHECK(session_name_of_file("/data/mouse 3/day1.h5") == "day1");
  CHECK(session_name_of_file("rec:2024-05-01.hdf5") == "rec_2024-05-01");
  CHECK(session_name_of_file(".h5x") == "session.h5x");
  for (const char* bad : {"", ".hidden", "a/b", "x y", "\"q\""}) CHECK_THROWS_AS(require_session_name(bad, "t"), Error);
  CHECK_NOTHROW(require_session_name("day_1.a-b", "t"));
}

TEST_CASE("sessions: what stitching needs, one clear error each") {
  std::vector<LfadsSessionData> s = {mixture_session("a", 4, 1), mixture_session("b", 3, 2)};
  CHECK_NOTHROW(check_sessions(s));
  auto message = [&](std::vector<LfadsSessionData> v) {
    try {
      check_sessions(v);
    } catch (const std::exception& e) {  // Error for the data, UsageError for the names
      return std::string(e.what());
    }
    return std::string();
  };
  std::vector<LfadsSessionData> twice = {s[0], s[0]};
  CHECK(message(twice).find("two sessions are named 'a'") != std::string::npos);
  std::vector<LfadsSessionData> longer = {s[0], mixture_session("c", 3, 2, 7)};
  CHECK(message(longer).find("trials of 7 bins but session 'a' of 6") != std::string::npos);
  std::vector<LfadsSessionData> no_valid = s;
  no_valid[1].data.valid.data = Array<float>({0, 6, 3});
  CHECK(message(no_valid).find("session 'b' (b.h5) has no validation trials") != std::string::npos);
  std::vector<LfadsSessionData> empty = s;
  empty[0].data.train.data = Array<float>({0, 6, 4});
  CHECK(message(empty).find("session 'a' (a.h5) has no training trials") != std::string::npos);
  LfadsSpec spec;
  set_sessions(spec, s);
  CHECK(spec.D == 7);
  CHECK(spec.held_in == 7);
  CHECK(spec.sessions[1].name == "b");
  CHECK(session_view(spec, 1).D == 3);
}

TEST_CASE("sessions: principal-components regression reads every session into the same space") {
  // Two sessions with different units mixing the same two latents: after the
  // initialisation, their read-ins map each condition's mean activity to the same point.
  std::vector<LfadsSessionData> s = {mixture_session("a", 5, 1), mixture_session("b", 4, 2)};
  LfadsSpec spec;
  spec.enc = 4, spec.con = 3, spec.gen = 4, spec.factors = 3, spec.ii = 0, spec.readin = 2;
  set_sessions(spec, s);
  AlignedVector<float> p = init_lfads(spec, 1);
  init_readins_pcr(spec, s, 0, p.data());
  const auto layout = lfads_layout(spec);
  auto read_in = [&](size_t k, size_t b, size_t t) {
    const LfadsSpec v = session_view(spec, k);
    const float* w = p.data() + find_param(layout, session_prefix(v) + "readin/w").offset;
    const float* bias = p.data() + find_param(layout, session_prefix(v) + "readin/b").offset;
    const size_t D = size_t(v.D);
    std::vector<double> z(2);
    for (size_t r = 0; r < 2; ++r) {
      z[r] = bias[r];
      for (size_t d = 0; d < D; ++d) z[r] += double(w[r * D + d]) * s[k].data.train.data[(b * 6 + t) * D + d];
    }
    return z;
  };
  double diff = 0, norm = 0, mean = 0;
  for (size_t b = 0; b < 3; ++b)
    for (size_t t = 0; t < 6; ++t) {
      const std::vector<double> za = read_in(0, b, t), zb = read_in(1, b, t);
      for (size_t r = 0; r < 2; ++r) diff += std::pow(za[r] - zb[r], 2), norm += za[r] * za[r], mean += za[r];
    }
  CHECK(norm / 36 == doctest::Approx(1).epsilon(0.05));  // a mean variance of 1 (up to the ridge)
  CHECK(std::fabs(mean / 36) < 1e-4);                     // centred
  CHECK(diff / norm < 1e-3);
}
