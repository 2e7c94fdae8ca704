// The figure of a comparison file (compare-dynamics -o): both systems' fixed
// points in one space — the reference's, and the fitted model's mapped into
// it by the state regression — on the top principal axes of the reference's
// points, with a line for each pair.
#include <algorithm>

#include "plot/figure.hpp"
#include "plot/pca.hpp"
#include "util/error.hpp"

namespace ctd {

namespace {
RowMatD read_points(const H5File& f, const std::string& name) {
  if (!f.has_dataset(name))
    throw Error(f.name() + ": no dataset '" + name + "': compare-dynamics wrote no fixed points (give --reference-fps and --fitted-fps)");
  Array<double> a = f.read<double>(name, "[K,N]");
  require_finite(a, f.where(name));
  return Eigen::Map<const RowMatD>(a.ptr(), long(a.dim(0)), long(a.dim(1)));
}

const char* kClass[3] = {"stable", "marginal", "unstable"};
const char* kColour[3] = {"#1f77b4", "#2ca02c", "#d62728"};

Figure matched_points(const H5File& f, const PlotRequest& r) {
  const RowMatD ref = read_points(f, "reference_fps"), fit = read_points(f, "fitted_fps_mapped");
  if (fit.cols() != ref.cols()) throw Error(f.where("fitted_fps_mapped") + ": not in the reference's space");
  const std::vector<int> rl = read_stability(f, "reference_stability", size_t(ref.rows())),
                         fl = read_stability(f, "fitted_stability", size_t(fit.rows()));
  const Array<double> partner = f.read<double>("fp_partner");
  if (long(partner.size()) != ref.rows()) throw Error(f.where("fp_partner") + " has one entry per reference point");
  const int k = int(std::min<long>(2, ref.cols()));
  const Projection pc = principal_axes(ref, k);
  auto xy = [&](const RowMatD& X, long i) {
    const RowMatD p = project(pc, X.middleRows(i, 1));
    return std::vector<double>{p(0, 0), k > 1 ? p(0, 1) : 0.0};
  };
  Figure fig;
  std::string plot = "plot ";
  DataBlock& pairs = fig.block("pairs");
  for (long i = 0; i < ref.rows(); ++i) {
    const double j = partner[size_t(i)];
    if (j < 0) continue;
    if (j >= double(fit.rows())) throw Error(f.where("fp_partner") + " names a point that does not exist");
    pairs.row(xy(ref, i)).row(xy(fit, long(j))).break_line();
  }
  if (!pairs.empty()) plot += "$pairs with lines lw 1 lc rgb '#999999' title 'pairs', ";
  for (int s = 0; s < 3; ++s) {
    DataBlock& a = fig.block(std::string("ref_") + kClass[s]);
    DataBlock& b = fig.block(std::string("fit_") + kClass[s]);
    for (long i = 0; i < ref.rows(); ++i)
      if (rl[size_t(i)] == s) a.row(xy(ref, i));
    for (long i = 0; i < fit.rows(); ++i)
      if (fl[size_t(i)] == s) b.row(xy(fit, i));
    const std::string colour = std::string(" lc rgb '") + kColour[s] + "'";
    if (!a.empty()) plot += "$ref_" + std::string(kClass[s]) + " with points pt 7 ps 1.8" + colour + " title " + label(std::string("reference, ") + kClass[s]) + ", ";
    if (!b.empty()) plot += "$fit_" + std::string(kClass[s]) + " with points pt 6 ps 2.6 lw 2" + colour + " title " + label(std::string("fitted, ") + kClass[s]) + ", ";
  }
  plot.resize(plot.size() - 2);
  fig << "set title " + title_of(r, std::to_string(ref.rows()) + " reference and " + std::to_string(fit.rows()) +
                                        " fitted fixed points (mapped into the reference's space)");
  fig << "set xlabel " + label("PC1 of the reference's points") << "set ylabel " + label(k > 1 ? "PC2" : "0");
  fig << "set key outside right top" << plot;
  return fig;
}
}  // namespace

std::vector<FigureKind> comparison_figures(const std::string& kind) {
  if (kind == "comparison")
    return {{"fps", "both systems' fixed points in the reference's space by stability, paired points joined", matched_points}};
  return {};
}

}  // namespace ctd
