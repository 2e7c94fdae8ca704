// Figures of how a run went: training curves (train-rnn, fit-lfads) and the
// ESN's error per pass.
#include <algorithm>
#include <cmath>

#include "plot/figure.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {
std::vector<double> attribute(const H5File& f, const std::string& name) {
  if (!f.has_attribute(name))
    throw Error(f.name() + ": no attribute '" + name + "': the file holds no training curve to plot");
  std::vector<double> v = f.read_attribute_doubles(name);
  for (double x : v)
    if (!std::isfinite(x)) throw Error(f.name() + ": attribute '" + name + "' holds NaN or Inf: cannot draw the curve");
  return v;
}

bool all_positive(const std::vector<std::vector<double>>& columns) {
  for (const auto& c : columns)
    for (double v : c)
      if (!(v > 0)) return false;
  return true;
}

// Columns against x in one panel, as lines; log y when every value is positive.
void panel(Figure& fig, const std::string& block, const std::vector<double>& x,
           const std::vector<std::pair<std::string, std::vector<double>>>& columns, const std::string& ylabel,
           const std::string& xlabel) {
  DataBlock& d = fig.block(block);
  for (size_t i = 0; i < x.size(); ++i) {
    std::vector<double> row{x[i]};
    for (const auto& c : columns) row.push_back(i < c.second.size() ? c.second[i] : NAN);
    d.row(row);
  }
  std::vector<std::vector<double>> values;
  for (const auto& c : columns) values.push_back(c.second);
  fig << (all_positive(values) ? "set logscale y" : "unset logscale y") << "set format y '%g'";
  fig << "set ylabel " + label(ylabel) << "set xlabel " + label(xlabel);
  std::string plot = "plot ";
  for (size_t j = 0; j < columns.size(); ++j)
    plot += (j ? ", " : "") + std::string("$") + block + " using 1:" + std::to_string(j + 2) +
            " with lines lw 2 title " + label(columns[j].first);
  fig << plot;
}

Figure rnn_curve(const H5File& f, const PlotRequest& r) {
  Figure fig;
  const std::vector<double> step = attribute(f, "curve_step");
  fig << "set multiplot layout 2,1 title " + title_of(r, "train-rnn: training curve") << "set key below";
  fig << "set lmargin 12";
  panel(fig, "loss", step, {{"loss (masked MSE + L2)", attribute(f, "curve_loss")}, {"masked MSE", attribute(f, "curve_lms")}},
        "loss", "");
  panel(fig, "lr", step, {{"learning rate", attribute(f, "curve_lr")}}, "learning rate", "batch");
  fig << "unset multiplot";
  return fig;
}

Figure lfads_curve(const H5File& f, const PlotRequest& r) {
  Figure fig;
  const std::vector<double> step = attribute(f, "curve_step"), valid = attribute(f, "curve_valid_loss"),
                            nll = attribute(f, "curve_valid_nll");
  std::vector<double> kl(valid.size());
  for (size_t i = 0; i < kl.size(); ++i) kl[i] = valid[i] - nll[i];
  fig << "set multiplot layout 2,1 title " + title_of(r, "fit-lfads: training curve") << "set key below";
  fig << "set lmargin 12";
  panel(fig, "loss", step, {{"training loss", attribute(f, "curve_train_loss")}, {"validation loss", valid}},
        "loss per trial", "");
  std::vector<std::pair<std::string, std::vector<double>>> parts{{"validation reconstruction (Poisson NLL)", nll},
                                                                  {"validation KL + L2 (loss - NLL)", kl}};
  if (f.has_attribute("curve_valid_nll_smoothed"))
    parts.push_back({"validation NLL, smoothed", attribute(f, "curve_valid_nll_smoothed")});
  // --keep-best: where the written parameters come from.
  const bool kept = f.has_attribute("params_step") && f.has_attribute("batches_done") &&
                    f.read_attribute_double("params_step") < f.read_attribute_double("batches_done");
  if (kept) {
    const std::string at = fmt("%g", f.read_attribute_double("params_step"));
    fig << "set arrow from " + at + ", graph 0 to " + at + ", graph 1 nohead dt 3 lc rgb 'black'"
        << "set label 'kept parameters' at " + at + ", graph 0.9 offset 0.5,0";
  }
  panel(fig, "parts", step, parts, "per trial", "batch");
  if (kept) fig << "unset arrow" << "unset label";
  fig << "unset multiplot";
  return fig;
}

Figure esn_nmse(const H5File& f, const PlotRequest& r) {
  Figure fig;
  const std::vector<double> nmse = attribute(f, "pass_nmse");
  // The training passes come first; `passes` (run-esn's option) says how many.
  size_t passes = nmse.size();
  if (f.has_attribute("passes")) {
    const double p = f.read_attribute_double("passes");
    if (!(p >= 0 && p <= double(nmse.size()) && p == std::floor(p)))
      throw Error(f.name() + ": attribute 'passes' is " + fmt("%g", p) + " but a whole number from 0 to " +
                  std::to_string(nmse.size()) + " (the entries of 'pass_nmse') is required");
    passes = size_t(p);
  }
  DataBlock& train = fig.block("train");
  DataBlock& test = fig.block("test");
  for (size_t i = 0; i < nmse.size(); ++i) (i < passes ? train : test).row({double(i + 1), nmse[i]});
  fig << "set title " + title_of(r, "run-esn: error per pass") << "set key top right";
  fig << "set logscale y" << "set xlabel 'pass'" << "set ylabel 'NMSE'" << "set xtics 1";
  fig << "set xrange [0.5:" + std::to_string(double(nmse.size()) + 0.5) + "]";
  std::string plot = "plot ";
  if (!train.empty()) plot += "$train using 1:2 with linespoints lw 2 pt 7 title 'training (FORCE learning)'";
  if (!test.empty()) plot += std::string(train.empty() ? "" : ", ") + "$test using 1:2 with points pt 9 ps 2 title 'test (no learning)'";
  fig << plot;
  return fig;
}
}  // namespace

std::vector<FigureKind> training_figures(const std::string& kind) {
  if (kind == "rnn-params") return {{"curve", "training curve: loss, masked MSE and learning rate per batch", rnn_curve}};
  if (kind == "lfads-model")
    return {{"curve", "training and validation loss, reconstruction and KL per batch", lfads_curve}};
  if (kind == "esn") return {{"nmse", "error (NMSE) of every training and test pass", esn_nmse}};
  return {};
}

}  // namespace ctd
