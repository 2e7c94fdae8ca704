// The figure of a network's periodic orbits (find-cycles -o): every orbit's
// points on the top two principal axes of all the points (a one-value state:
// the return map, h against F(h)), each orbit a closed path in visiting
// order, stable orbits apart from saddles.
#include <cmath>

#include "plot/figure.hpp"
#include "plot/pca.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {
Figure orbits(const H5File& f, const PlotRequest& r) {
  const Array<double> pts = f.read<double>("points", "[M,dim]");
  require_finite(pts, f.where("points"));
  const Array<double> start = f.read<double>("orbit_start", "[n]"), period = f.read<double>("period", "[n]"),
                      unstable = f.read<double>("unstable", "[n]");
  const size_t n = start.size(), M = pts.dim(0), D = pts.dim(1);
  if (period.size() != n || unstable.size() != n)
    throw Error(f.name() + ": orbit_start, period and unstable do not have one entry per orbit");
  if (n == 0 || M == 0) throw Error(f.name() + " holds no orbit: nothing to plot");
  // Each orbit's rows must lie inside `points`: a crafted file must not make us read past it.
  for (size_t i = 0; i < n; ++i)
    if (!(start[i] >= 0 && period[i] >= 1 && start[i] + period[i] <= double(M) && start[i] == std::floor(start[i]) &&
          period[i] == std::floor(period[i])))
      throw Error(f.where("orbit_start") + ": orbit " + std::to_string(i) + " does not lie inside the " +
                  std::to_string(M) + " points");
  const RowMatD X = Eigen::Map<const RowMatD>(pts.ptr(), long(M), long(D));
  RowMatD xy(long(M), 2);
  std::string xlabel = "h", ylabel = "F(h)";
  if (D >= 2) {
    const Projection pc = principal_axes(X, 2);
    xy = project(pc, X);
    xlabel = "PC1 (" + fmt("%.0f", 100 * pc.share(0)) + " %)";
    ylabel = "PC2 (" + fmt("%.0f", 100 * pc.share(1)) + " %)";
  }
  Figure fig;
  DataBlock &stable = fig.block("stable"), &saddle = fig.block("saddles");
  int counts[2] = {0, 0};
  for (size_t i = 0; i < n; ++i) {
    const long s = long(start[i]), p = long(period[i]);
    DataBlock& b = unstable[i] > 0 ? saddle : stable;
    ++counts[unstable[i] > 0];
    for (long j = 0; j <= p; ++j) {  // back to the first point: a closed path
      const long row = s + j % p, next = s + (j + 1) % p;
      if (D >= 2)
        b.row({xy(row, 0), xy(row, 1)});
      else
        b.row({X(row, 0), X(next, 0)});
    }
    b.break_line();
  }
  fig << "set title " + title_of(r, std::to_string(n) + " orbits: " + std::to_string(counts[0]) + " stable, " +
                                        std::to_string(counts[1]) + " unstable");
  fig << "set xlabel " + label(xlabel) << "set ylabel " + label(ylabel) << "set key outside right";
  std::string plot = "plot ";
  if (D < 2) plot += "x with lines dt 2 lc rgb '#999999' title " + label("F(h) = h") + ", ";
  plot += "$stable with linespoints pt 7 ps 1.2 lw 1.5 lc rgb '#1f77b4' title " + label("stable orbits") +
          ", $saddles with linespoints pt 6 ps 1.2 lw 1 dt 3 lc rgb '#d62728' title " + label("saddle orbits");
  fig << plot;
  return fig;
}
}  // namespace

std::vector<FigureKind> cycles_figures(const std::string& kind) {
  if (kind == "cycles") return {{"orbits", "each orbit's points in visiting order, stable orbits and saddles", orbits}};
  return {};
}

}  // namespace ctd
