// The figures of a reservoir file (run-reservoir): the closed-loop forecast
// against the truth, with where it stopped being valid, and the test's
// one-step predictions against their targets; and of a reservoir-grid file
// (tune-reservoir): the score over the grid.
#include <algorithm>
#include <cmath>

#include "plot/figure.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {

Array<double> read_steps(const H5File& f, const std::string& name) {
  if (!f.has_dataset(name)) throw Error(f.name() + ": no dataset '" + name + "' to plot");
  Array<double> a = f.read<double>(name, "[B,T,M]");
  require_finite(a, f.where(name));
  if (a.size() == 0) throw Error(f.where(name) + " is empty: nothing to plot");
  return a;
}

// One panel per chosen output of one sequence: truth and prediction over the
// steps; `valid` >= 0 marks the valid prediction time.
Figure truth_and_prediction(const Array<double>& truth, const Array<double>& pred, const PlotRequest& r,
                            const std::string& title, const std::string& what, const std::string& xlabel,
                            double first_step, const std::vector<double>& valid) {
  const size_t B = pred.dim(0), T = pred.dim(1), M = pred.dim(2), Tt = truth.dim(1);
  const size_t b = size_t(pick(r.trials, {0}, B, "sequence").front());
  std::vector<int64_t> all;
  for (size_t m = 0; m < std::min<size_t>(M, 3); ++m) all.push_back(int64_t(m));
  const std::vector<int64_t> chosen = pick(r.units, all, M, "output");
  Figure fig;
  fig << "set multiplot layout " + std::to_string(chosen.size()) + ",1 title " + title_of(r, title);
  fig << "set key outside right top" << "set rmargin 26" << "set lmargin 10";
  for (size_t k = 0; k < chosen.size(); ++k) {
    const size_t m = size_t(chosen[k]);
    DataBlock& d = fig.block("out" + std::to_string(m));
    double lo = INFINITY, hi = -INFINITY;
    for (size_t t = 0; t < T; ++t) {
      const double y = t < Tt ? truth[(b * Tt + t) * M + m] : NAN, p = pred[(b * T + t) * M + m];
      d.row({first_step + double(t), y, p});
      lo = std::min({lo, p, std::isnan(y) ? p : y});
      hi = std::max({hi, p, std::isnan(y) ? p : y});
    }
    fig << "set ylabel " + label("output " + std::to_string(m)) << "set ytics " + tic_step(lo, hi);
    fig << (k + 1 == chosen.size() ? "set xlabel " + label(xlabel) : "unset xlabel");
    fig << "unset arrow";
    if (b < valid.size())
      fig << "set arrow from " + std::to_string(first_step + valid[b]) + ", graph 0 to " +
                 std::to_string(first_step + valid[b]) + ", graph 1 nohead dt 2 lc rgb '#d62728'";
    const std::string ref = "$out" + std::to_string(m);
    fig << "plot " + ref + " using 1:2 with lines lw 3 lc rgb '#999999' title 'truth', " + ref +
               " using 1:3 with lines lw 1.5 lc rgb '#1f4e9c' title " + label(what) +
               (b < valid.size() ? ", NaN with lines dt 2 lc rgb '#d62728' title 'valid until'" : "");
  }
  fig << "unset multiplot";
  return fig;
}

Figure test_figure(const H5File& f, const PlotRequest& r) {
  const double first = f.has_attribute("test_first_step") ? f.read_attribute_double("test_first_step") : 0.0;
  return truth_and_prediction(read_steps(f, "test_targets"), read_steps(f, "predictions"), r,
                              "run-reservoir: one step ahead on the test", "prediction", "time step", first, {});
}

Figure forecast_figure(const H5File& f, const PlotRequest& r) {
  if (!f.has_dataset("forecast")) return test_figure(f, r);  // a run without --generate
  const std::vector<double> valid =
      f.has_attribute("valid_steps") ? f.read_attribute_doubles("valid_steps") : std::vector<double>();
  return truth_and_prediction(read_steps(f, "forecast_truth"), read_steps(f, "forecast"), r,
                              "run-reservoir: closed-loop forecast", "forecast",
                              "steps in closed loop", 0, valid);
}

// "set xtics ('0.5' 0, '0.9' 1, ...)": the axis's values at their indices.
std::string value_tics(const char* axis, const std::vector<double>& values) {
  std::string t = std::string("set ") + axis + "tics (";
  for (size_t i = 0; i < values.size(); ++i)
    t += (i ? ", " : "") + quoted(shortest_text(values[i])) + " " + std::to_string(i);
  return t + ")";
}

// The grid's score over spectral radius × leak, each cell the best over the
// input scalings and ridge penalties, written in its cell.
Figure grid_figure(const H5File& f, const PlotRequest& r) {
  const Array<double> score = f.read<double>("score", "[R,A,C,L]");
  const std::vector<double> radii = f.read_attribute_doubles("spectral_radius_values"),
                            leaks = f.read_attribute_doubles("leak_values");
  const size_t R = score.dim(0), A = score.dim(1), C = score.dim(2), L = score.dim(3);
  if (radii.size() != R || leaks.size() != A)
    throw Error(f.where("score") + " has shape " + shape_string(score.shape) +
                " but its axes' attributes list " + std::to_string(radii.size()) + " radii and " +
                std::to_string(leaks.size()) + " leaks");
  const std::string name = f.read_attribute_string("score_name");
  const bool higher = name == "valid-time";
  Figure fig;
  DataBlock& d = fig.block("grid");
  for (size_t a = 0; a < A; ++a)
    for (size_t ri = 0; ri < R; ++ri) {
      double best = NAN;
      for (size_t k = 0; k < C * L; ++k) {
        const double v = score[(ri * A + a) * C * L + k];
        if (!std::isnan(v) && (std::isnan(best) || (higher ? v > best : v < best))) best = v;
      }
      d.row({double(ri), double(a), best});
    }
  fig << "set title " + title_of(r, "tune-reservoir: " + std::string(higher ? "valid time (steps)" : "test NRMSE") +
                                        ", the best over input scaling and ridge");
  fig << "set xlabel 'spectral radius'" << "set ylabel 'leak'" << value_tics("x", radii) << value_tics("y", leaks);
  fig << "set xrange [-0.5:" + std::to_string(R - 0.5) + "]" << "set yrange [-0.5:" + std::to_string(A - 0.5) + "]";
  fig << (higher ? "set palette defined (0 '#f7fbff', 1 '#08306b')" : "set palette defined (0 '#08306b', 1 '#f7fbff')");
  if (!higher) fig << "set logscale cb";
  fig << "set style textbox opaque fc rgb 'white' noborder";
  fig << "plot $grid using 1:2:3 with image notitle, $grid using 1:2:(sprintf('%.3g', $3)) with labels boxed notitle";
  return fig;
}

}  // namespace

std::vector<FigureKind> reservoir_figures(const std::string& kind) {
  if (kind == "reservoir-grid")
    return {{"grid", "the score over spectral radius and leak, the best over input scaling and ridge", grid_figure}};
  if (kind != "reservoir") return {};
  return {{"forecast", "closed-loop forecast against the truth, the valid time marked (--trials: the sequence, "
                       "--units: outputs); the test's predictions when there is no forecast", forecast_figure},
          {"test", "one-step predictions on the test against their targets (--trials, --units)", test_figure}};
}

}  // namespace ctd
