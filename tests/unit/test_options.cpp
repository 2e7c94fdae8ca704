// Options declared once: conversion, limits, config files, presets, and the
// pieces of the fixed-point search and spikify that moved out of the tools.
#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <set>

#include "fixedpoints/search.hpp"
#include "helpers.hpp"
#include "lfads/spikify.hpp"
#include "util/error.hpp"
#include "util/options.hpp"

using namespace ctd;
using ctd::test::TempDir;

namespace {
struct Demo {
  double lr = 0.025;
  int steps = 25;
  uint64_t trials = 1024;
  std::string cell = "vanilla";
  bool flag = false;
  std::vector<double> tols;
};
void register_demo(OptionSet& o, Demo& d) {
  o.add("lr", d.lr, "").positive();
  o.add("steps", d.steps, "").min(1);
  o.add("trials", d.trials, "");
  o.add("cell", d.cell, "").one_of({"vanilla", "gru"});
  o.add("flag", d.flag, "");
  o.add("tol", d.tols, "").min(0, true);
}
std::string usage_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}
std::string write_file(TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir.file(name)) << text;
  return dir.file(name);
}
}  // namespace

TEST_CASE("options: given values are converted and checked, NaN and Inf never pass") {
  OptionSet o;
  Demo d;
  register_demo(o, d);
  o.find("lr")->raw = {"0.5"};
  o.find("lr")->set = true;
  o.find("tol")->raw = {"1e-4,1e-5", "2e-6"};
  o.find("tol")->set = true;
  o.apply();
  CHECK(d.lr == 0.5);
  CHECK(d.tols == std::vector<double>{1e-4, 1e-5, 2e-6});
  for (const char* bad : {"nan", "inf", "-1", "0", "1x", ""}) {
    o.find("lr")->raw = {bad};
    CHECK(usage_error([&] { o.apply(); }).rfind("--lr: ", 0) == 0);
  }
  o.find("lr")->raw = {"1"};
  o.find("steps")->raw = {"2.5"};
  o.find("steps")->set = true;
  CHECK(usage_error([&] { o.apply(); }) == "--steps: expected a whole number, got '2.5'");
  o.find("steps")->raw = {"3"};
  o.find("trials")->raw = {"-1"};
  o.find("trials")->set = true;
  CHECK(usage_error([&] { o.apply(); }).find("non-negative whole number") != std::string::npos);
  o.find("trials")->raw = {"7"};
  o.find("cell")->raw = {"lstm"};
  o.find("cell")->set = true;
  CHECK(usage_error([&] { o.apply(); }) == "--cell: must be one of: vanilla, gru, got 'lstm'");
}

TEST_CASE("options: set_default fills only what was not given; config text reads back") {
  OptionSet o;
  Demo d;
  register_demo(o, d);
  o.find("steps")->raw = {"9"};
  o.find("steps")->set = true;
  o.apply();
  o.set_default(d.steps, 50);
  o.set_default(d.lr, 0.04);
  CHECK(d.steps == 9);
  CHECK(d.lr == 0.04);
  d.tols = {1e-4};
  const std::string text = o.config_text();
  CHECK(text.find("lr = 0.04\n") != std::string::npos);
  CHECK(text.find("cell = \"vanilla\"\n") != std::string::npos);
  CHECK(text.find("tol = [1e-04]\n") != std::string::npos);
  TempDir dir;
  OptionSet back;
  Demo e;
  register_demo(back, e);
  back.read_config(write_file(dir, "c.toml", text), "demo");
  back.apply();
  CHECK(e.lr == d.lr);
  CHECK(e.steps == 9);
  CHECK(e.tols == d.tols);
}

TEST_CASE("options: config files are strict") {
  TempDir dir;
  auto error_of = [&](const std::string& text) {
    OptionSet o;
    Demo d;
    register_demo(o, d);
    return usage_error([&] { o.read_config(write_file(dir, "x.toml", text), "demo"); });
  };
  CHECK(error_of("lr = 1\n") == "");
  CHECK(error_of("[demo]\nlr_decay = 1\n").find("x.toml:2: unknown option 'lr_decay'") != std::string::npos);
  CHECK(error_of("[other]\nlr = 1\n").find("x.toml:1: section [other] is not for demo") != std::string::npos);
  CHECK(error_of("lr 1\n").find("x.toml:1: expected `key = value`") != std::string::npos);
  CHECK(error_of("lr = 1\nlr = 2\n").find("'lr' is set twice") != std::string::npos);
  CHECK(error_of("lr = [1, 2]\n").find("takes one value") != std::string::npos);
  CHECK(error_of("cell = \"gru\n").find("unterminated string") != std::string::npos);
  CHECK(error_of(std::string("lr = 1\x01\n")).find("not a text line") != std::string::npos);
  // The command line wins over the file.
  OptionSet o;
  Demo d;
  register_demo(o, d);
  o.find("lr")->raw = {"0.3"};
  o.find("lr")->set = true;
  o.read_config(write_file(dir, "y.toml", "lr = 0.9\ntol = [1e-3, 1e-4]  # two\n"), "demo");
  o.apply();
  CHECK(d.lr == 0.3);
  CHECK(d.tols == std::vector<double>{1e-3, 1e-4});
}

TEST_CASE("fixed-point search: tolerance groups stay distinct, candidates are a seeded subset") {
  CHECK(tolerance_groups({1e-6}) == std::vector<std::string>{""});
  CHECK(tolerance_groups({1e-4, 1e-5}) == std::vector<std::string>{"tol_1e-04", "tol_1e-05"});
  CHECK(tolerance_groups({1e-4, 1.4e-4}) == std::vector<std::string>{"tol_1.0e-04", "tol_1.4e-04"});
  std::vector<int64_t> all = choose_candidates(10, 0, 1), some = choose_candidates(10, 4, 1);
  CHECK(all.size() == 10);
  CHECK(some.size() == 4);
  CHECK(some == choose_candidates(10, 4, 1));
  std::set<int64_t> distinct(some.begin(), some.end());
  CHECK(distinct.size() == 4);
}

TEST_CASE("spikify: split, truth in Hz, counts repeatable, bad shapes refused") {
  Array<float> x({5, 3, 2});
  for (size_t i = 0; i < x.size(); ++i) x[i] = float(i % 3) / 2 - 0.5f;  // -0.5, 0, 0.5
  SpikifySettings s;
  s.max_rate = 100;
  s.bin_width = 0.1;
  s.train_fraction = 0.6;
  LfadsData d = spikify(x, Array<float>(), s, 7, "x");
  CHECK(d.train.data.dim(0) == 3);
  CHECK(d.valid.data.dim(0) == 2);
  CHECK(d.conversion_factor == doctest::Approx(10));
  std::set<int64_t> rows(d.train.inds.begin(), d.train.inds.end());
  rows.insert(d.valid.inds.begin(), d.valid.inds.end());
  CHECK(rows.size() == 5);
  const size_t b = size_t(d.train.inds[0]);
  CHECK(d.train.truth[0] == doctest::Approx((x[b * 6] + 1) / 2 * 100));
  LfadsData again = spikify(x, Array<float>(), s, 7, "x");
  CHECK(again.train.data.data == d.train.data.data);
  Array<float> wrong_inputs({4, 3, 1});
  CHECK_THROWS_AS(spikify(x, wrong_inputs, s, 7, "x"), Error);
  s.max_rate = 1e9;
  s.bin_width = 1e3;
  CHECK_THROWS_AS(spikify(x, Array<float>(), s, 7, "x"), UsageError);
}
