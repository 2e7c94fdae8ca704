// Figures of trials over time: a task's inputs and targets, a network's
// outputs and its states in principal-component space, an ESN's output, and
// spike rasters.
#include <algorithm>
#include <cmath>

#include "plot/figure.hpp"
#include "plot/pca.hpp"
#include "util/error.hpp"

namespace ctd {

namespace {
Array<double> need(const H5File& f, const std::string& name, size_t rank) {
  if (!f.has_dataset(name)) throw Error(f.name() + ": no dataset '" + name + "' to plot");
  Array<double> a = f.read<double>(name);
  if (a.rank() != rank) throw Error(f.where(name) + " has shape " + shape_string(a.shape) + ": cannot plot it");
  if (a.size() == 0) throw Error(f.where(name) + " is empty: nothing to plot");
  require_finite(a, f.where(name));  // a figure would hide the gaps without a word
  return a;
}

// Up to four channels of a [B,T,C] array: their indices.
std::vector<size_t> channels(size_t C) {
  std::vector<size_t> c;
  for (size_t i = 0; i < std::min<size_t>(C, 4); ++i) c.push_back(i);
  return c;
}

// inputs, targets (masked), outputs (when present) of chosen trials, one panel each.
Figure trials(const H5File& f, const PlotRequest& r) {
  const Array<double> x = need(f, "inputs", 3);
  const bool has_y = f.has_dataset("targets"), has_o = f.has_dataset("outputs");
  const Array<double> y = has_y ? need(f, "targets", 3) : Array<double>(), o = has_o ? need(f, "outputs", 3) : Array<double>();
  const Array<double> m = has_y && f.has_dataset("target_mask") ? need(f, "target_mask", 3) : Array<double>();
  const size_t B = x.dim(0), T = x.dim(1), U = x.dim(2), O = has_y ? y.dim(2) : has_o ? o.dim(2) : 0;
  const std::vector<int64_t> chosen = pick(r.trials, {0, 1, 2}, B, "trial");
  // gen-task's files name their epochs: each trial's boundaries are marked.
  const bool epochs = f.has_dataset("epoch_starts") && f.has_attribute("epoch_names", "epoch_starts");
  const Array<double> starts = epochs ? f.read<double>("epoch_starts", "[B,E]") : Array<double>();
  const std::vector<std::string> epoch_names =
      epochs ? f.read_attribute_strings("epoch_names", "epoch_starts") : std::vector<std::string>();
  if (epochs && (starts.dim(0) != B || starts.dim(1) != epoch_names.size()))
    throw Error(f.where("epoch_starts") + " has shape " + shape_string(starts.shape) + " but one row per trial and one "
                "column per name of its epoch_names is required");
  Figure fig;
  fig << "set multiplot layout " + std::to_string(chosen.size()) + ",1 title " +
             title_of(r, has_o ? "inputs, targets and the network's outputs" : "inputs and targets");
  fig << "set key outside right top vertical Left reverse samplen 2 maxrows 14" << "set lmargin 10" << "set rmargin 22";
  for (size_t k = 0; k < chosen.size(); ++k) {
    const size_t b = size_t(chosen[k]);
    const bool legend = k == 0;  // one legend for all panels
    DataBlock& d = fig.block("trial" + std::to_string(b));
    double lo = INFINITY, hi = -INFINITY;
    for (size_t t = 0; t < T; ++t) {
      std::vector<double> row{double(t)};
      for (size_t u : channels(U)) row.push_back(x[(b * T + t) * U + u]);
      for (size_t c : channels(O)) {
        const size_t i = (b * T + t) * O + c;
        row.push_back(has_y && (m.size() == 0 || m[i] != 0) ? y[i] : NAN);
      }
      if (has_o)
        for (size_t c : channels(O)) row.push_back(o[(b * T + t) * O + c]);
      for (size_t i = 1; i < row.size(); ++i)
        if (std::isfinite(row[i])) lo = std::min(lo, row[i]), hi = std::max(hi, row[i]);
      d.row(row);
    }
    fig << "set ylabel " + label("trial " + std::to_string(b)) << "set ytics " + tic_step(lo, hi);
    fig << "unset arrow" << "unset label";
    for (size_t e = 0; e < epoch_names.size(); ++e) {
      const double t = starts[b * epoch_names.size() + e];
      if (!(t > 0 && t < double(T))) continue;  // the first epoch starts with the trial: no mark
      const std::string at = std::to_string(t - 0.5);  // between the last step of one epoch and the first of the next
      fig << "set arrow from " + at + ", graph 0 to " + at + ", graph 1 nohead dt 3 lc rgb '#aaaaaa'";
      fig << "set label " + label(epoch_names[e]) + " at " + at + ", graph 0.93 offset 0.3,0 font ',8' tc rgb '#777777'";
    }
    fig << (k + 1 == chosen.size() ? "set xlabel 'time step'" : "unset xlabel");
    std::string plot = "plot ";
    size_t col = 2;
    const std::string ref = "$trial" + std::to_string(b);
    auto add = [&](const std::string& style, const std::string& title) {
      if (col > 2) plot += ", ";
      plot += ref + " using 1:" + std::to_string(col) + " " + style + " title " + label(legend ? title : "");
      ++col;
    };
    // Muted colours, one per input channel, apart from the targets' and outputs' strong ones.
    static const char* const kInputColours[] = {"#8fa8c8", "#c8a88f", "#9fc89f", "#c89fc0", "#b0b0b0", "#c8c08f"};
    for (size_t u : channels(U))
      add(std::string("with lines lw 1 lc rgb '") + kInputColours[u % 6] + "'", "input " + std::to_string(u));
    if (has_y)
      for (size_t c : channels(O)) add("with linespoints lw 2 dt 2 pt 7 ps 0.5 lc " + std::to_string(c + 1), "target " + std::to_string(c));
    if (has_o)
      for (size_t c : channels(O)) add("with lines lw 2 lc " + std::to_string(c + 1), "output " + std::to_string(c));
    fig << plot;
  }
  fig << "unset multiplot";
  return fig;
}

// Hidden states of chosen trials on the top two principal axes of all states.
Figure state_space(const H5File& f, const PlotRequest& r) {
  const Array<double> h = need(f, "hiddens", 3);
  const size_t B = h.dim(0), T = h.dim(1), N = h.dim(2);
  const RowMatD all = Eigen::Map<const RowMatD>(h.ptr(), long(B * T), long(N));
  if (N < 2) throw Error(f.where("hiddens") + " has one unit: no plane to project on");
  const Projection p = principal_axes(all, 2);
  const std::vector<int64_t> chosen = pick(r.trials, {0, 1, 2, 3, 4, 5, 6, 7}, B, "trial");
  Figure fig;
  DataBlock& d = fig.block("paths");
  DataBlock& starts = fig.block("starts");
  for (int64_t b : chosen) {
    const RowMatD xy = project(p, all.middleRows(long(size_t(b) * T), long(T)));
    for (long t = 0; t < xy.rows(); ++t) d.row({xy(t, 0), xy(t, 1), double(b)});
    d.next_set();
    starts.row({xy(0, 0), xy(0, 1)});
  }
  fig << "set title " + title_of(r, "hidden states on their top two principal components");
  fig << "set xlabel " + label("PC1 (" + std::to_string(int(std::round(100 * p.share(0)))) + " % of variance)");
  fig << "set ylabel " + label("PC2 (" + std::to_string(int(std::round(100 * p.share(1)))) + " % of variance)");
  fig << "set key outside right top" << "set rmargin 18";
  std::string plot = "plot ";
  for (size_t k = 0; k < chosen.size(); ++k)
    plot += "$paths index " + std::to_string(k) + " using 1:2 with lines lw 2 lc " + std::to_string(k + 1) +
            " title " + label("trial " + std::to_string(chosen[k])) + ", ";
  fig << plot + "$starts using 1:2 with points pt 7 ps 1.2 lc rgb 'black' title 'start'";
  return fig;
}

// The ESN's output against its target, per channel: during the first
// training pass (learning) and the last pass.
Figure esn_output(const H5File& f, const PlotRequest& r) {
  const Array<double> y = need(f, "targets", 2), z = need(f, "z", 2);
  const bool first = f.has_dataset("z_first_pass");
  const Array<double> z0 = first ? need(f, "z_first_pass", 2) : Array<double>();
  const size_t T = y.dim(0), M = y.dim(1);
  std::vector<int64_t> all;
  for (size_t m = 0; m < std::min<size_t>(M, 3); ++m) all.push_back(int64_t(m));
  const std::vector<int64_t> chosen = pick(r.units, all, M, "output channel");
  Figure fig;
  fig << "set multiplot layout " + std::to_string(chosen.size()) + ",1 title " +
             title_of(r, "run-esn: output and target");
  fig << "set key outside right top" << "set rmargin 30" << "set lmargin 10";
  for (size_t k = 0; k < chosen.size(); ++k) {
    const size_t m = size_t(chosen[k]);
    DataBlock& d = fig.block("out" + std::to_string(m));
    double lo = INFINITY, hi = -INFINITY;
    for (size_t t = 0; t < T; ++t) {
      d.row({double(t), y[t * M + m], z[t * M + m], first ? z0[t * M + m] : NAN});
      lo = std::min({lo, y[t * M + m], z[t * M + m]});
      hi = std::max({hi, y[t * M + m], z[t * M + m]});
    }
    const std::string ref = "$out" + std::to_string(m);
    fig << "set ylabel " + label("output " + std::to_string(m)) << "set ytics " + tic_step(lo, hi);
    fig << (k + 1 == chosen.size() ? "set xlabel 'time step'" : "unset xlabel");
    fig << "plot " + (first ? ref + " using 1:4 with lines lw 1 lc rgb '#e08080' title 'first training pass', " : std::string()) +
               ref + " using 1:2 with lines lw 3 lc rgb '#999999' title 'target', " + ref +
               " using 1:3 with lines lw 1.5 lc rgb '#1f4e9c' title 'after training (last pass)'";
  }
  fig << "unset multiplot";
  return fig;
}
}  // namespace

// Spike counts of one trial as an image, neurons by time; shared with the
// posterior's raster.
Figure spike_raster(const H5File& f, const std::string& dataset, const PlotRequest& r) {
  return spike_raster(need(f, dataset, 3), dataset, r);
}

Figure spike_raster(const Array<double>& s, const std::string& dataset, const PlotRequest& r) {
  const size_t B = s.dim(0), T = s.dim(1), D = s.dim(2);
  const size_t b = size_t(pick(r.trials, {0}, B, "trial").front());
  Figure fig;
  DataBlock& d = fig.block("raster");
  for (size_t t = 0; t < T; ++t) {
    for (size_t n = 0; n < D; ++n) d.row({double(t), double(n), s[(b * T + t) * D + n]});
    d.break_line();
  }
  fig << "set title " + title_of(r, "spike counts of trial " + std::to_string(b) + " (" + dataset + ")");
  fig << "set xlabel 'time bin'" << "set ylabel 'neuron'" << "set cblabel 'spikes per bin'";
  fig << "set palette defined (0 'white', 1 '#6baed6', 4 '#08306b')";
  fig << "set xrange [-0.5:" + std::to_string(T - 0.5) + "]" << "set yrange [-0.5:" + std::to_string(D - 0.5) + "]";
  fig << "plot $raster using 1:2:3 with image";
  return fig;
}

std::vector<FigureKind> trial_figures(const std::string& kind) {
  const char* about = "inputs, targets and outputs of a few trials over time (--trials)";
  if (kind == "task") return {{"trials", "inputs and targets of a few trials over time (--trials)", trials}};
  if (kind == "states")
    return {{"trials", about, trials},
            {"pca", "hidden states of a few trials on their top two principal components (--trials)", state_space}};
  if (kind == "esn") return {{"output", "output against target, first training pass and last pass (--units)", esn_output}};
  if (kind == "lfads-data")
    return {{"raster", "spike counts of one trial, neurons by time (--trials, --split)", [](const H5File& f, const PlotRequest& r) {
               return spike_raster(f, r.split + "_data", r);
             }}};
  return {};
}

}  // namespace ctd
