#include <doctest/doctest.h>

#include "helpers.hpp"
#include "io/output.hpp"
#include "plot/figure.hpp"
#include "plot/gnuplot.hpp"
#include "plot/pca.hpp"
#include "util/error.hpp"

using namespace ctd;

namespace {
// A fixed-points file with K points of dimension D (K may be 0).
std::string fixed_points_file(const test::TempDir& dir, size_t K, size_t D) {
  const std::string path = dir.file("fps" + std::to_string(K) + ".h5");
  OutputFile out(path);
  std::vector<double> pts(K * D, 0.5), q(K, 1e-20);
  out.h5().write("fps", Shape{K, D}, pts.data());
  out.h5().write("q", Shape{K}, q.data());
  out.h5().write_attribute("ctd_kind", std::string("fixed-points"));
  out.commit();
  return path;
}
}  // namespace

TEST_CASE("figures: datablocks, quoting and index choices") {
  DataBlock b("$d");
  b.row({1, 2.5}).row({NAN, 3}).break_line();
  CHECK(b.text() == "$d << EOD\n1 2.5\nNaN 3\n\nEOD\n");
  // A path keeps its bytes; what gnuplot would expand (backquotes, @, $) and
  // every byte outside printable ASCII go as octal escapes.
  CHECK(quoted("my_fig \"x\".png") == "\"my_fig \\\"x\\\".png\"");
  CHECK(quoted("`rm -rf ~` @m $d\n\xff") == "\"\\140rm -rf ~\\140 \\100m \\044d\\012\\377\"");
  // Text shows as itself: enhanced-text markup escaped, bad bytes as U+FFFD.
  CHECK(literal_text("a_b^c{d}@e&f~g\\h") == "a\\_b\\^c\\{d\\}\\@e\\&f\\~g\\\\h");
  CHECK(literal_text("x\xffy\x1bz \xc3\xa9") == "x\xef\xbf\xbdy\xef\xbf\xbdz \xc3\xa9");
  CHECK(label("valid_data") == "\"valid\\\\_data\"");
  CHECK(pick({}, {0, 1, 2}, 2, "trial") == std::vector<int64_t>{0, 1});  // a default never asks for more than there is
  CHECK_THROWS_WITH_AS(pick({5}, {0}, 3, "trial"), "trial 5 does not exist: there are 3 (0..2)", Error);
  CHECK(format_of("fig.svg", "png") == "svg");
  CHECK(format_of("-", "pdf") == "pdf");
  CHECK_THROWS_AS(format_of("fig.jpg", "png"), UsageError);
}

TEST_CASE("figures: an empty fixed-point set is an error, not an empty frame") {
  test::TempDir dir;
  H5File empty = H5File::open(fixed_points_file(dir, 0, 3));
  for (const char* name : {"fps", "q"})
    CHECK_THROWS_AS(make_figure(empty, name, PlotRequest{}), Error);
  H5File full = H5File::open(fixed_points_file(dir, 4, 3));
  Figure f = make_figure(full, "", PlotRequest{});  // the main figure: fps
  CHECK(f.data.front().name() == "$stable");
  CHECK(f.commands.find("multiplot") != std::string::npos);
  CHECK_THROWS_AS(make_figure(full, "pca", PlotRequest{}), UsageError);  // not a figure of this kind
  CHECK_THROWS_WITH_AS(figures_of("rnn-checkpoint"), doctest::Contains("no figures for files of kind 'rnn-checkpoint'"), Error);
}

TEST_CASE("principal axes of a flat cloud: the plane, largest variance first") {
  RowMatD X(200, 3);
  const double pts[4][3] = {{3, 0, 0}, {-3, 0, 0}, {0, 0.5, 0}, {0, -0.5, 0}};  // uncorrelated axes
  for (int i = 0; i < 200; ++i) X.row(i) << pts[i % 4][0], pts[i % 4][1], pts[i % 4][2];
  Projection p = principal_axes(X, 2);
  CHECK(std::abs(p.axes(0, 0)) == doctest::Approx(1).epsilon(1e-6));
  CHECK(std::abs(p.axes(1, 1)) == doctest::Approx(1).epsilon(1e-6));
  CHECK(p.share(0) == doctest::Approx(36.0 / 37));  // variances 4.5 and 0.125
  CHECK(p.share(1) == doctest::Approx(1.0 / 37));
}

TEST_CASE("figures: run-esn's error per pass splits training from test passes, and a bad pass count is an error") {
  test::TempDir dir;
  for (const double passes : {2.0, double(INFINITY), double(NAN), -1.0, 4.0, 1.5}) {
    const std::string path = dir.file("esn.h5");
    {
      OutputFile out(path);
      out.h5().write_attribute("ctd_kind", std::string("esn"));
      out.h5().write_attribute("pass_nmse", std::vector<double>{1e-2, 1e-3, 2e-3});
      out.h5().write_attribute("passes", passes);
      out.commit();
    }
    CAPTURE(passes);
    H5File f = H5File::open(path);
    if (passes == 2.0) {
      const Figure fig = make_figure(f, "nmse", PlotRequest{});
      REQUIRE(fig.data.size() == 2);
      CHECK(fig.data.front().text() == "$train << EOD\n1 0.01\n2 0.001\nEOD\n");
      CHECK(fig.data.back().text() == "$test << EOD\n3 0.002\nEOD\n");
    } else {
      CHECK_THROWS_WITH_AS(make_figure(f, "nmse", PlotRequest{}), doctest::Contains("attribute 'passes'"), Error);
    }
  }
}

TEST_CASE("figures: find-cycles' orbits, closed paths; an orbit that points past the points is an error") {
  test::TempDir dir;
  auto cycles_file = [&](const char* name, double first_start) {
    const std::string path = dir.file(name);
    OutputFile out(path);
    const std::vector<double> pts = {0.0, 0.9, -0.9}, start = {0, first_start}, period = {1, 2}, unstable = {1, 0};
    out.h5().write("points", Shape{3, 1}, pts.data());
    out.h5().write("orbit_start", Shape{2}, start.data());
    out.h5().write("period", Shape{2}, period.data());
    out.h5().write("unstable", Shape{2}, unstable.data());
    out.h5().write_attribute("ctd_kind", std::string("cycles"));
    out.commit();
    return path;
  };
  const Figure f = make_figure(H5File::open(cycles_file("good.h5", 1)), "", PlotRequest{});
  REQUIRE(f.data.size() == 2);
  // The 2-cycle on the return map: (0.9, −0.9), (−0.9, 0.9), back to the first.
  CHECK(f.data[0].text() == "$stable << EOD\n0.9 -0.9\n-0.9 0.9\n0.9 -0.9\n\nEOD\n");
  CHECK(f.data[1].text() == "$saddles << EOD\n0 0\n0 0\n\nEOD\n");
  CHECK(f.commands.find("1 stable, 1 unstable") != std::string::npos);
  CHECK_THROWS_WITH_AS(make_figure(H5File::open(cycles_file("past.h5", 2)), "", PlotRequest{}),
                       doctest::Contains("orbit 1 does not lie inside the 3 points"), Error);
  CHECK_THROWS_AS(make_figure(H5File::open(cycles_file("nan.h5", NAN)), "", PlotRequest{}), Error);
}
