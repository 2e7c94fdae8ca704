// LFADS beyond the tutorial: the three input layouts, validation split off
// training trials, co-smoothing bits per spike, and the validation rules
// (keep-best, learning-rate plateau) in a real fit.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "helpers.hpp"
#include "io/output.hpp"
#include "lfads/data.hpp"
#include "lfads/fitting.hpp"
#include "lfads/model_file.hpp"
#include "lfads/posterior.hpp"
#include "train/validation_rules.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

using namespace ctd;

namespace {

Array<float> poisson_counts(size_t B, size_t T, size_t D, uint64_t stream) {
  RngStream r(1, RngDomain::Spikes, stream);
  Array<float> a({B, T, D});
  for (size_t b = 0; b < B; ++b)
    for (size_t t = 0; t < T; ++t)
      for (size_t k = 0; k < D; ++k)
        a[(b * T + t) * D + k] = float(r.poisson(std::exp(std::sin(0.3 * double(t)) * (double(k) / double(D) - 0.5))));
  return a;
}

Array<float> units(const Array<float>& a, size_t from, size_t to) { return last_axis_slice(a, from, to); }

using Datasets = std::vector<std::pair<std::string, Array<float>>>;

std::string write_file(const test::TempDir& dir, const std::string& name, const Datasets& sets) {
  const std::string path = dir.file(name);
  OutputFile out(path);
  for (const auto& [n, a] : sets) out.h5().write(n, a);
  out.commit();
  return path;
}

LfadsData read(const std::string& path, double valid_fraction = 0) {
  return read_lfads_data(H5File::open(path), LfadsReadOptions{valid_fraction});
}

std::string error_of(const std::string& path, double valid_fraction = 0) {
  try {
    read(path, valid_fraction);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("LFADS data: ctd's, lfads-torch's and NLB's layouts read to the same counts") {
  test::TempDir dir;
  const Array<float> tr = poisson_counts(6, 5, 7, 0), va = poisson_counts(3, 5, 7, 1);
  const LfadsData native = read(write_file(dir, "native.h5", {{"train_data", tr}, {"valid_data", va}}));
  CHECK(native.layout == "lfads");
  CHECK(native.held_in == 7);
  CHECK(native.train.inds == std::vector<int64_t>{0, 1, 2, 3, 4, 5});

  Array<float> ext({6, 5, 2}, 0.5f), ext_v({3, 5, 2}, -0.5f);
  Array<float> inds({6});
  for (size_t i = 0; i < 6; ++i) inds[i] = float(10 + 2 * i);
  const LfadsData torch = read(write_file(dir, "torch.h5", {{"train_encod_data", units(tr, 0, 4)},
                                                             {"train_recon_data", tr},
                                                             {"valid_encod_data", units(va, 0, 4)},
                                                             {"valid_recon_data", va},
                                                             {"train_ext_input", ext},
                                                             {"valid_ext_input", ext_v},
                                                             {"train_inds", inds}}));
  CHECK(torch.layout == "lfads-torch");
  CHECK(torch.held_in == 4);
  CHECK(torch.train.data.data == tr.data);
  CHECK(torch.valid.data.data == va.data);
  CHECK(ext_width(torch.train) == 2);
  CHECK(torch.valid.ext[3] == -0.5f);
  CHECK(torch.train.inds == std::vector<int64_t>{10, 12, 14, 16, 18, 20});
  CHECK(torch.valid.inds == std::vector<int64_t>{0, 1, 2});

  const LfadsData nlb = read(write_file(dir, "nlb.h5", {{"train_spikes_heldin", units(tr, 0, 5)},
                                                         {"train_spikes_heldout", units(tr, 5, 7)},
                                                         {"eval_spikes_heldin", units(va, 0, 5)},
                                                         {"eval_spikes_heldout", units(va, 5, 7)}}));
  CHECK(nlb.layout == "nlb");
  CHECK(nlb.held_in == 5);
  CHECK(nlb.train.data.data == tr.data);  // held-in units first, then the held-out ones
  CHECK(nlb.valid.data.data == va.data);
}

TEST_CASE("LFADS data: a missing or partial layout is one line naming what is missing") {
  test::TempDir dir;
  const Array<float> tr = poisson_counts(6, 5, 7, 0), va = poisson_counts(3, 5, 7, 1);
  CHECK(error_of(write_file(dir, "none.h5", {{"spikes", tr}})).find("no spike counts found: expected train_data") !=
        std::string::npos);
  CHECK(error_of(write_file(dir, "half.h5", {{"train_encod_data", tr}})).find("incomplete: no train_recon_data") !=
        std::string::npos);
  CHECK(error_of(write_file(dir, "half_valid.h5", {{"train_encod_data", units(tr, 0, 4)},
                                                    {"train_recon_data", tr},
                                                    {"valid_recon_data", va}}))
            .find("no valid_encod_data") != std::string::npos);
  Array<float> shuffled = tr;
  std::swap(shuffled[0], shuffled[6]);  // a held-in unit no longer where encod_data has it
  if (shuffled[0] != tr[0])
    CHECK(error_of(write_file(dir, "order.h5", {{"train_encod_data", units(tr, 0, 4)},
                                                {"train_recon_data", shuffled},
                                                {"valid_encod_data", units(va, 0, 4)},
                                                {"valid_recon_data", va}}))
              .find("does not start with train_encod_data") != std::string::npos);
  CHECK(error_of(write_file(dir, "both.h5", {{"train_data", tr}, {"train_spikes_heldin", tr}}))
            .find("both the lfads and the nlb layouts") != std::string::npos);
  // NLB's test-phase eval split has no held-out spikes: it cannot validate, --valid-fraction can.
  const std::string test_phase = write_file(dir, "eval.h5", {{"train_spikes_heldin", units(tr, 0, 5)},
                                                             {"train_spikes_heldout", units(tr, 5, 7)},
                                                             {"eval_spikes_heldin", units(va, 0, 5)}});
  CHECK(error_of(test_phase).find("no validation trials (no eval_spikes_heldout): split some training trials off with "
                                  "--valid-fraction") != std::string::npos);
  const LfadsData split = read(test_phase, 0.5);
  CHECK(split.valid.data.dim(0) == 3);
  CHECK(split.valid.data.dim(2) == 7);
  const std::string only_train = write_file(dir, "train_only.h5", {{"train_data", tr}});
  CHECK(error_of(only_train).find("no validation trials (no valid_data): split some training trials off with "
                                  "--valid-fraction") != std::string::npos);
  CHECK(error_of(write_file(dir, "has_valid.h5", {{"train_data", tr}, {"valid_data", va}}), 0.2)
            .find("--valid-fraction splits files that have none") != std::string::npos);
  CHECK(error_of(only_train, 0.01).find("leaves no validation trial") != std::string::npos);
}

TEST_CASE("LFADS data: --valid-fraction splits the training trials, the same way every time, indices recorded") {
  test::TempDir dir;
  const Array<float> all = poisson_counts(20, 4, 3, 2);
  const std::string path = write_file(dir, "train_only.h5", {{"train_data", all}});
  const LfadsData d = read(path, 0.25), again = read(path, 0.25);
  CHECK(d.valid.data.dim(0) == 5);
  CHECK(d.train.data.dim(0) == 15);
  CHECK(d.valid_fraction == 0.25);
  CHECK(d.valid.inds == again.valid.inds);
  std::vector<int64_t> every = d.train.inds;
  every.insert(every.end(), d.valid.inds.begin(), d.valid.inds.end());
  std::sort(every.begin(), every.end());
  std::vector<int64_t> expected(20);
  std::iota(expected.begin(), expected.end(), int64_t(0));
  CHECK(every == expected);
  CHECK(d.valid.inds != std::vector<int64_t>{0, 1, 2, 3, 4});  // a shuffle, not the first trials
  // Each row is the input file's trial its index names.
  const size_t row = 4 * 3;
  for (size_t i = 0; i < 5; ++i)
    CHECK(std::equal(d.valid.data.ptr() + i * row, d.valid.data.ptr() + (i + 1) * row,
                     all.ptr() + size_t(d.valid.inds[i]) * row));
}

TEST_CASE("co-bps: a hand-computed case, and the mean rate scores 0") {
  // Unit 0 is held in (ignored); unit 1 held out: counts 0, 2, 1, 1 (mean 1) over 2 trials × 2 bins.
  Array<float> spikes({2, 2, 2}), rates({2, 2, 2}, 9.0f);
  const float y[4] = {0, 2, 1, 1}, r[4] = {0.5f, 1.5f, 1, 1};
  for (size_t i = 0; i < 4; ++i) spikes[2 * i + 1] = y[i], rates[2 * i + 1] = r[i], spikes[2 * i] = 3;
  // Model: Σ r − y log r = 4 − 2 log 1.5; null (rate 1): 4. Gain 2 log 1.5 over 4 spikes, in bits.
  CHECK(bits_per_spike(rates, spikes, 1) == doctest::Approx(0.5 * std::log2(1.5)).epsilon(1e-7));
  Array<float> mean({2, 2, 2}, 1.0f);
  CHECK(bits_per_spike(mean, spikes, 1) == doctest::Approx(0.0).scale(1.0));
  Array<float> none({2, 2, 2}, 0.0f);
  CHECK(std::isnan(bits_per_spike(mean, none, 1)));
}

TEST_CASE("Validation rules: moving average, best point, plateaus that lower the rate to a floor") {
  ValidationRules r;
  r.keep_best = true;
  r.smoothing = 0;
  r.plateau_patience = 2;
  r.plateau_factor = 0.5;
  r.lr_min = 0.3;
  BestSoFar best;
  OptimizerProgress p;
  const double losses[] = {5, 4, 3, 3.5, 4, 5, 6, 7};
  std::vector<float> params(2);
  std::vector<double> scales;
  for (size_t i = 0; i < 8; ++i) {
    params = {float(i), float(-i)};
    bool dropped = false;
    apply_validation_rules(r, losses[i], 100 * (i + 1), params.data(), 2, 1.0, best, p, dropped);
    scales.push_back(p.lr_scale);
  }
  CHECK(best.step == 300);
  CHECK(best.params[0] == 2.0f);
  CHECK(best.smoothed_best == 3);
  CHECK(scales == std::vector<double>{1, 1, 1, 1, 0.5, 0.5, 0.3, 0.3});  // dropped at 4 and 6; 0.25 floored to 0.3
  // Smoothing: s = 0.7·s + 0.3·v.
  ValidationRules sm;
  BestSoFar b2;
  OptimizerProgress p2;
  bool dropped = false;
  CHECK(apply_validation_rules(sm, 10, 1, params.data(), 2, 1.0, b2, p2, dropped) == 10);
  CHECK(apply_validation_rules(sm, 0, 2, params.data(), 2, 1.0, b2, p2, dropped) == doctest::Approx(7));
  CHECK(b2.params.empty());  // keep_best off: nothing copied
}

TEST_CASE("keep-best: a fit whose validation loss rises at the end returns the earlier parameters") {
  std::vector<LfadsSessionData> sessions(1);
  LfadsData& data = sessions[0].data;
  data.train.data = poisson_counts(3, 20, 8, 3);  // three trials: it overfits
  data.valid.data = poisson_counts(6, 20, 8, 4);
  data.held_in = 8;
  sessions[0].name = "one";
  LfadsFitConfig c;
  c.spec.enc = 8, c.spec.con = 4, c.spec.gen = 16, c.spec.factors = 4, c.spec.ii = 0;
  c.train.batches = 400;
  c.train.batch_size = 8;
  c.train.kl_warmup_start = c.train.kl_warmup_end = 0;
  c.valid_every = 20;
  c.rules.keep_best = true;
  LfadsFit fit = fit_lfads(c, sessions, {}, 0, 1);
  const std::vector<double>& smoothed = fit.state.curve.column("valid_nll_smoothed");
  const std::vector<double>& steps = fit.state.curve.column("step");
  const size_t at = size_t(std::min_element(smoothed.begin(), smoothed.end()) - smoothed.begin());
  CHECK(fit.best.step == uint64_t(steps[at]));
  REQUIRE(fit.best.step < 400);  // the loss rose after its minimum
  CHECK(smoothed.back() > smoothed[at]);
  CHECK(fit.best.params != fit.state.params);
  // The model file holds the best parameters and says which batch they are from.
  test::TempDir dir;
  {
    OutputFile out(dir.file("m.h5"));
    write_lfads_fit(out.h5(), fit);
    out.commit();
  }
  H5File f = H5File::open(dir.file("m.h5"));
  CHECK(f.read_attribute_double("params_step") == double(fit.best.step));
  LfadsModel m = read_lfads_model(f);
  CHECK(std::equal(m.params.begin(), m.params.end(), fit.best.params.begin()));
}
