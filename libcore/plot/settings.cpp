#include "plot/settings.hpp"

#include <cmath>
#include <sstream>

#include "util/error.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, PlotSettings& s) {
  o.group("Figure");
  o.add("figure", s.figure, "The figure to draw (default: the main figure of the file's kind; --list shows them)");
  o.add("list", s.list, "Print the figures the file offers, one a line, its name first, and exit");
  o.add("script", s.script, "Print the gnuplot script, data included, instead of drawing: `gnuplot` reruns it");
  o.add("format", s.canvas.format, "Image format when -o does not say (-o -, --script): png | svg | pdf")
      .one_of({"png", "svg", "pdf"});
  o.add("width", s.canvas.width, "Width in pixels (pdf: 1/100 inch)").range(100, 10000);
  o.add("height", s.canvas.height, "Height in pixels (pdf: 1/100 inch)").range(100, 10000);
  o.add("title", s.selection.title, "Title instead of the figure's own");
  o.group("Data");
  o.add("trials", s.trials, "Trials to draw, e.g. 0,3,7 (default: the figure's)").min(0);
  o.add("units", s.units, "Neurons, output or readout channels to draw (default: the figure's)").min(0);
  o.add("vectors", s.vectors, "linearization: input vectors to draw (default: all, up to 12)").min(0);
  o.add("labels", s.labels, "linearization: names of those input vectors, comma-separated (e.g. good,bad)");
  o.add("states", s.selection.states, "fixed-points: trajectories to draw with the points: a states file (its hiddens), a fit-lfads posterior (its "
        "generator states) or FILE:DATASET [B,T,N]").reads_file();
  o.add("data", s.selection.data, "lfads-posterior: the lfads data file (default: the posterior's data_file)").reads_file();
  o.add("split", s.selection.split, "lfads: the split to draw").one_of({"valid", "train"});
  o.add("group", s.selection.group, "fixed-points: the tolerance group, e.g. tol_1e-05 (default: the first)");
}

namespace {
std::vector<int64_t> indices(const std::vector<double>& v, const std::string& flag) {
  std::vector<int64_t> out;
  for (double x : v) {
    if (x != std::floor(x) || x > 9e15) throw UsageError(flag + ": expected whole numbers, got " + std::to_string(x));
    out.push_back(int64_t(x));
  }
  return out;
}
}  // namespace

PlotRequest PlotSettings::request() const {
  PlotRequest r = selection;
  r.trials = indices(trials, "--trials");
  r.units = indices(units, "--units");
  r.vectors = indices(vectors, "--vectors");
  std::istringstream in(labels);
  for (std::string label; std::getline(in, label, ',');) r.labels.push_back(label);
  return r;
}

}  // namespace ctd
