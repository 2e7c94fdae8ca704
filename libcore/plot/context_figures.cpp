// The figures of a context-analysis file (Mante et al. 2013's analysis): the
// slow points of every context in one principal-component space, and the
// projections of the sensory inputs on each context's selection vector.
#include <algorithm>
#include <cmath>

#include "plot/figure.hpp"
#include "util/error.hpp"

namespace ctd {

namespace {
const char* kColour[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

// "+0.2" / "-0.2": where bar i of n stands from its group's centre.
std::string fmt_offset(double width, size_t i, size_t n) {
  const double x = (double(i) - 0.5 * double(n - 1)) * width;
  return (x < 0 ? "-" : "+") + std::to_string(std::fabs(x));
}

std::vector<std::string> contexts_of(const H5File& f) {
  if (!f.has_attribute("contexts")) throw Error(f.name() + ": no attribute 'contexts': not a context-analysis file");
  std::vector<std::string> names = f.read_attribute_strings("contexts");
  if (names.empty()) throw Error(f.name() + ": attribute 'contexts' names no context");
  return names;
}

Figure slow_points(const H5File& f, const PlotRequest& r) {
  const std::vector<std::string> names = contexts_of(f);
  Figure fig;
  std::string plot = "plot ";
  for (size_t c = 0; c < names.size(); ++c) {
    const std::string ds = names[c] + "/pca";
    const Array<double> p = f.read<double>(ds, "[K,C]");
    require_finite(p, f.where(ds));
    const size_t K = p.dim(0), C = p.dim(1);
    DataBlock& d = fig.block("context" + std::to_string(c));
    for (size_t k = 0; k < K; ++k) d.row({p[k * C], C > 1 ? p[k * C + 1] : 0.0});
    plot += "$context" + std::to_string(c) + " with points pt 7 ps 1.2 lc rgb '" + kColour[c % 6] + "' title " +
            label(names[c] + " context (" + std::to_string(K) + " points)") + ", ";
  }
  plot.resize(plot.size() - 2);
  fig << "set title " + title_of(r, "slow points per context, the context input held (PCA of all points)");
  fig << "set xlabel 'PC1'" << "set ylabel 'PC2'" << "set key outside right top" << plot;
  return fig;
}

Figure projections(const H5File& f, const PlotRequest& r) {
  const std::vector<std::string> names = contexts_of(f);
  const std::vector<std::string> inputs = f.read_attribute_strings("sensory_inputs");
  if (inputs.empty()) throw Error(f.name() + ": attribute 'sensory_inputs' names no input");
  Figure fig;
  DataBlock& d = fig.block("bars");
  std::string tics;
  double lo = 0, hi = 0;  // bars stand on zero: the axis includes it
  for (size_t c = 0; c < names.size(); ++c) {
    std::vector<double> row{double(c)};
    for (const std::string& in : inputs) {
      const std::string attr = "median_projection_" + in;
      const double v = f.has_attribute(attr, names[c]) ? f.read_attribute_double(attr, names[c]) : NAN;
      row.push_back(std::isfinite(v) ? v : 0.0);  // no real slowest mode: no bar
      lo = std::min(lo, row.back());
      hi = std::max(hi, row.back());
    }
    d.row(row);
    tics += (c ? ", " : "") + label(names[c] + " context") + " " + std::to_string(c);
  }
  const double width = 0.8 / double(inputs.size());
  std::string plot = "plot ";
  for (size_t i = 0; i < inputs.size(); ++i)
    plot += std::string(i ? ", " : "") + "$bars using ($1" + fmt_offset(width, i, inputs.size()) + "):" +
            std::to_string(i + 2) + " with boxes lc rgb '" + kColour[i % 6] + "' title " + label(inputs[i] + " input");
  fig << "set title " + title_of(r, "each input's projection on the selection vector (median over the slow points)");
  fig << "set style fill solid 0.85 border -1" << "set boxwidth " + std::to_string(0.95 * width)
      << "set xtics (" + tics + ")";
  const double pad = 0.08 * (hi - lo + 1e-12);
  fig << "set xrange [-0.6:" + std::to_string(double(names.size()) - 0.4) + "]"
      << "set ylabel 'movement along the line per unit input and step'";
  fig << "set yrange [" + std::to_string(lo < 0 ? lo - pad : 0.0) + ":" + std::to_string(hi > 0 ? hi + pad : 0.0) + "]";
  fig << "set key outside right top" << "set xzeroaxis lt -1" << plot;
  return fig;
}
}  // namespace

std::vector<FigureKind> context_figures(const std::string& kind) {
  if (kind == "context-analysis")
    return {{"points", "the slow points of every context on the principal components of all of them", slow_points},
            {"projections", "each sensory input's projection on each context's selection vector", projections}};
  return {};
}

}  // namespace ctd
