// The figure of a Lyapunov spectrum (lyapunov-spectrum -o): each exponent
// against its index, with its spread over trajectories, and the zero line
// that separates expanding from contracting directions.
#include "plot/figure.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {
Figure spectrum(const H5File& f, const PlotRequest& r) {
  const Array<double> lambda = f.read<double>("exponents", "[K]");
  require_finite(lambda, f.where("exponents"));
  Array<double> spread({lambda.size()});
  if (f.has_dataset("exponents_spread")) spread = f.read<double>("exponents_spread", "[K]");
  if (spread.size() != lambda.size()) throw Error(f.where("exponents_spread") + " has not one entry per exponent");
  Figure fig;
  DataBlock& points = fig.block("exponents");
  for (size_t i = 0; i < lambda.size(); ++i) points.row({double(i + 1), lambda[i], spread[i]});
  const double dim = f.has_attribute("kaplan_yorke_dimension") ? f.read_attribute_double("kaplan_yorke_dimension") : 0;
  fig << "set title " + title_of(r, std::to_string(lambda.size()) + " Lyapunov exponents (Kaplan-Yorke dimension " +
                                        fmt("%.3g", dim) + ")");
  fig << "set xlabel " + label("index i (largest first)") << "set ylabel " + label("exponent per step (ln)");
  fig << "set xrange [0.5:" + std::to_string(lambda.size()) + ".5]" << "set key top right";
  fig << "plot 0 with lines dt 2 lc rgb '#999999' title " + label("0: neither expands nor contracts") +
             ", $exponents with yerrorbars pt 7 ps 1.2 lc rgb '#1f77b4' title " +
             label("exponent, +- SD over trajectories");
  return fig;
}
}  // namespace

std::vector<FigureKind> lyapunov_figures(const std::string& kind) {
  if (kind == "lyapunov") return {{"spectrum", "the exponents against their index, with their spread", spectrum}};
  return {};
}

}  // namespace ctd
