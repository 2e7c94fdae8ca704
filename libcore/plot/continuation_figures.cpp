// The bifurcation diagram of a continuation file (continue-fixed-points -o):
// every branch's readout (its first output) against the path, stable stretches
// solid and unstable ones dashed, each bifurcation marked by its kind. The
// x axis is the one input that changes along the path, or λ when several do.
#include <cmath>

#include "plot/figure.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {
const char* const kKinds[] = {"fold", "branch point", "flip", "Neimark-Sacker"};

Figure bifurcation(const H5File& f, const PlotRequest& r) {
  const long n = long(f.read_attribute_in("n_branches", 0, 1e5));
  if (n == 0) throw Error(f.name() + " holds no branch: nothing to plot");
  const Array<double> from = f.read<double>("from", "[U]"), to = f.read<double>("to", "[U]");
  if (from.size() != to.size()) throw Error(f.name() + ": from and to differ in length");
  long moving = -1, changed = 0;  // the one input that changes, if only one does
  for (size_t u = 0; u < from.size(); ++u)
    if (from[u] != to[u]) moving = long(u), ++changed;
  auto x_of = [&](double lambda) { return changed == 1 ? from[size_t(moving)] + lambda * (to[size_t(moving)] - from[size_t(moving)]) : lambda; };
  Figure fig;
  DataBlock &stable = fig.block("stable"), &unstable = fig.block("unstable");
  for (long k = 0; k < n; ++k) {
    const std::string g = "branch_" + std::to_string(k);
    const Array<double> lambda = f.read<double>(g + "/lambda", "[S]"), y = f.read<double>(g + "/readout", "[S,O]"),
                        unst = f.read<double>(g + "/unstable", "[S]");
    require_finite(lambda, f.where(g + "/lambda"));
    require_finite(y, f.where(g + "/readout"));
    const size_t S = lambda.size();
    if (y.dim(0) != S || unst.size() != S || y.dim(1) == 0)
      throw Error(f.where(g) + ": lambda, readout and unstable do not have one row per point");
    // Consecutive points of one stability form a stretch; a stretch also takes the next point, so lines join.
    for (size_t i = 0; i + 1 < S; ++i) {
      DataBlock& b = unst[i] > 0 ? unstable : stable;
      b.row({x_of(lambda[i]), y[i * y.dim(1)]});
      b.row({x_of(lambda[i + 1]), y[(i + 1) * y.dim(1)]});
      b.break_line();
    }
  }
  const Array<double> kind = f.read<double>("bifurcation_kind", "[M]"), bl = f.read<double>("bifurcation_lambda", "[M]"),
                      by = f.read<double>("bifurcation_readout", "[M,O]");
  if (bl.size() != kind.size() || by.dim(0) != kind.size())
    throw Error(f.name() + ": the bifurcation datasets do not have one row per bifurcation");
  std::string marks;
  for (int k = 1; k <= 4; ++k) {
    DataBlock& b = fig.block("kind" + std::to_string(k));
    for (size_t i = 0; i < kind.size(); ++i)
      if (kind[i] == k && by.dim(1) > 0) b.row({x_of(bl[i]), by[i * by.dim(1)]});
    if (!b.empty())
      marks += ", $kind" + std::to_string(k) + " with points pt " + std::to_string(4 + 2 * k) + " ps 1.8 lw 2 title " +
               label(kKinds[k - 1]);
  }
  fig << "set title " + title_of(r, std::to_string(n) + (n == 1 ? " branch, " : " branches, ") + std::to_string(kind.size()) + (kind.size() == 1 ? " bifurcation" : " bifurcations"));
  fig << "set xlabel " + label(changed == 1 ? "input " + std::to_string(moving) : "lambda (along the path)")
      << "set ylabel " + label("readout (output 0)") << "set key outside right";
  std::string lines;  // an empty block is left out: gnuplot refuses to plot one
  if (!stable.empty()) lines += ", $stable with lines lw 2 lc rgb '#1f77b4' title " + label("stable");
  if (!unstable.empty()) lines += ", $unstable with lines lw 1.5 dt 2 lc rgb '#d62728' title " + label("unstable");
  if (lines.empty()) throw Error(f.name() + ": no branch has two points: nothing to plot");
  fig << "plot " + (lines + marks).substr(2);
  return fig;
}
}  // namespace

std::vector<FigureKind> continuation_figures(const std::string& kind) {
  if (kind == "continuation")
    return {{"bifurcation", "the bifurcation diagram: each branch's readout along the path, stable and unstable, and "
                            "its bifurcations", bifurcation}};
  return {};
}

}  // namespace ctd
