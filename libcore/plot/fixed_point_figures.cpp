// Figures of the linear analysis: fixed points in principal-component space
// with trajectories and unstable modes, eigenvalue spectra against the unit
// circle, q per point, and predicted against true input effects.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>

#include "io/dataset_ref.hpp"
#include "plot/figure.hpp"
#include "plot/pca.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {
using cd = std::complex<double>;

std::vector<double> values(const Eigen::RowVectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

// "group/" holding the fixed points: the one asked for, the root, or the first tolerance group.
std::string points_prefix(const H5File& f, const PlotRequest& r) {
  if (!r.group.empty()) {
    if (!f.has_dataset(r.group + "/fps")) throw Error(f.name() + ": no group '" + r.group + "' with fixed points");
    return r.group + "/";
  }
  if (f.has_dataset("fps")) return "";
  for (const std::string& d : f.list_datasets())
    if (d.size() > 4 && d.compare(d.size() - 4, 4, "/fps") == 0) return d.substr(0, d.size() - 3);
  throw Error(f.name() + ": no dataset 'fps': no fixed points to plot");
}

struct Points {
  RowMatD x;                   // [K,D]
  std::vector<int> stability;  // 0 stable, 1 marginal, 2 unstable
  std::string where;
};


Points read_points(const H5File& f, const std::string& prefix, const std::string& dataset) {
  Points p;
  Array<double> a = f.read<double>(prefix + dataset);
  require_finite(a, f.where(prefix + dataset));
  if (a.rank() != 2 || a.dim(0) == 0)
    throw Error(f.where(prefix + dataset) + " has shape " + shape_string(a.shape) + ": no points to plot");
  p.x = Eigen::Map<const RowMatD>(a.ptr(), long(a.dim(0)), long(a.dim(1)));
  p.where = f.name() + (prefix.empty() ? "" : ":" + prefix.substr(0, prefix.size() - 1));
  p.stability = read_stability(f, prefix + "stability", size_t(p.x.rows()));
  return p;
}

const char* kStyle[3] = {"pt 7 ps 1.6 lc rgb '#1f77b4'", "pt 13 ps 1.8 lc rgb '#2ca02c'", "pt 6 ps 1.8 lw 2 lc rgb '#d62728'"};
const char* kName[3] = {"stable", "marginal", "unstable"};

std::string axis_label(const Projection& p, int j) {
  return label("PC" + std::to_string(j + 1) + " (" + std::to_string(int(std::round(100 * p.share(j)))) + " %)");
}

Figure fixed_points(const H5File& f, const PlotRequest& r) {
  const std::string prefix = points_prefix(f, r);
  const Points P = read_points(f, prefix, "fps");
  const long K = P.x.rows(), D = P.x.cols();
  // Trajectories from a states file, and the axes from them when there are.
  RowMatD paths;
  std::vector<int64_t> trials;
  long T = 0;
  if (!r.states.empty()) {
    OpenedRef s = open_dataset_ref(r.states, state_datasets());
    Array<double> h = s.file.read<double>(s.dataset, "[B,T,N]");
    require_finite(h, s.where());
    if (long(h.dim(2)) != D)
      throw Error(s.where() + " has " + std::to_string(h.dim(2)) + " values per state but the fixed points have " +
                  std::to_string(D));
    T = long(h.dim(1));
    paths = Eigen::Map<const RowMatD>(h.ptr(), long(h.dim(0)) * T, D);
    trials = pick(r.trials, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, h.dim(0), "trial");
  }
  const int k = int(std::min<long>(3, D));
  const Projection pc = principal_axes(paths.rows() ? paths : P.x, k);
  const RowMatD xy = project(pc, P.x);
  Figure fig;
  for (int s = 0; s < 3; ++s) {
    DataBlock& d = fig.block(kName[s]);
    for (long i = 0; i < K; ++i)
      if (P.stability[size_t(i)] == s) d.row(values(xy.row(i)));
  }
  DataBlock& traj = fig.block("paths");
  // What the panels span, points and trajectories alike: the tics' steps follow it.
  Eigen::RowVectorXd lo = xy.colwise().minCoeff(), hi = xy.colwise().maxCoeff();
  for (int64_t b : trials) {
    const RowMatD t = project(pc, paths.middleRows(long(b) * T, T));
    for (long i = 0; i < T; ++i) traj.row(values(t.row(i)));
    traj.break_line();
    lo = lo.cwiseMin(t.colwise().minCoeff());
    hi = hi.cwiseMax(t.colwise().maxCoeff());
  }
  // Unstable modes: the top right eigenvector at each unstable point, as a short line.
  DataBlock& modes = fig.block("modes");
  if (f.has_dataset(prefix + "right_eigvecs")) {
    const Array<cd> R = f.read<cd>(prefix + "right_eigvecs");
    if (R.shape != Shape{size_t(K), size_t(D), size_t(D)})
      throw Error(f.where(prefix + "right_eigvecs") + " has shape " + shape_string(R.shape) + " but the " +
                  std::to_string(K) + " points of dimension " + std::to_string(D) + " need " +
                  shape_string({size_t(K), size_t(D), size_t(D)}));
    const double extent = (xy.col(0).maxCoeff() - xy.col(0).minCoeff()) + 1e-9;
    for (long i = 0; i < K; ++i) {
      if (P.stability[size_t(i)] != 2) continue;
      Eigen::VectorXd v(D);
      for (long j = 0; j < D; ++j) v(j) = R[(size_t(i) * D + j) * D + 0].real();
      const Eigen::RowVectorXd along = v.transpose() * pc.axes;  // the mode's shadow on the plot
      if (along.norm() < 1e-12) continue;
      const Eigen::RowVectorXd dir = along * (0.08 * extent / along.norm());
      modes.row(values(xy.row(i) - dir)).row(values(xy.row(i) + dir)).break_line();
    }
  }
  const int counts[3] = {int(std::count(P.stability.begin(), P.stability.end(), 0)),
                         int(std::count(P.stability.begin(), P.stability.end(), 1)),
                         int(std::count(P.stability.begin(), P.stability.end(), 2))};
  const std::string title = std::to_string(K) + " fixed points of " + P.where + ": " + std::to_string(counts[0]) +
                            " stable, " + std::to_string(counts[2]) + " unstable, " + std::to_string(counts[1]) +
                            " marginal";
  const int panels = k >= 3 ? 2 : 1;
  // Panels placed by hand, the same size, above a legend-only strip that
  // spans the width (a panel's own key would be squeezed into its width).
  fig << "set multiplot title " + title_of(r, title) << "unset key";
  fig << "set xtics " + tic_step(lo(0), hi(0)) << "set bmargin at screen 0.22" << "set tmargin at screen 0.9";
  std::vector<std::string> legend;  // the styles once, for the strip
  if (!trials.empty()) legend.push_back("with lines lw 1 lc rgb '#bbbbbb' title 'trajectories'");
  if (!modes.empty()) legend.push_back("with lines lw 2.5 lc rgb '#d62728' title 'unstable modes'");
  for (int s = 0; s < 3; ++s)
    if (counts[s]) legend.push_back("with points " + std::string(kStyle[s]) + " title " + label(kName[s]));
  const double width = 0.88 / panels;
  for (int panel = 0; panel < panels; ++panel) {
    const int ya = panel == 0 ? 2 : 3;
    const std::string cols = " using 1:" + std::to_string(ya);
    const double left = 0.1 + panel * (width + 0.02);
    fig << "set lmargin at screen " + std::to_string(left) << "set rmargin at screen " + std::to_string(left + width - 0.08);
    fig << "set xlabel " + axis_label(pc, 0) << "set ylabel " + (k >= 2 ? axis_label(pc, ya - 1) : label("0"));
    if (k >= 2) fig << "set ytics " + tic_step(lo(ya - 1), hi(ya - 1));
    std::string plot = "plot ";
    bool first = true;
    auto add = [&](const std::string& item) {
      plot += (first ? "" : ", ") + item;
      first = false;
    };
    if (!trials.empty()) add("$paths" + cols + " with lines lw 1 lc rgb '#bbbbbb'");
    if (!modes.empty()) add("$modes" + cols + " with lines lw 2.5 lc rgb '#d62728'");
    for (int s = 0; s < 3; ++s)
      if (counts[s]) add("$" + std::string(kName[s]) + (k >= 2 ? cols : " using 1:(0)") + " with points " + kStyle[s]);
    fig << plot;
  }
  // The legend strip: out-of-range points draw nothing but their key entries.
  fig << "set lmargin at screen 0.02" << "set rmargin at screen 0.98" << "set bmargin at screen 0.01"
      << "set tmargin at screen 0.09" << "unset border" << "unset tics" << "unset xlabel" << "unset ylabel"
      << "set xrange [0:1]" << "set yrange [0:1]" << "set key center center horizontal maxrows 1 samplen 2";
  std::string strip = "plot ";
  for (size_t i = 0; i < legend.size(); ++i) strip += (i ? ", " : "") + std::string("2 ") + legend[i];
  fig << strip << "unset multiplot";
  return fig;
}

// Eigenvalues of every point in the complex plane, with the unit circle.
Figure spectrum(const H5File& f, const PlotRequest& r, const std::string& prefix, const std::string& what) {
  if (!f.has_dataset(prefix + "eigvals")) throw Error(f.name() + ": no dataset '" + prefix + "eigvals' to plot");
  const Array<cd> ev = f.read<cd>(prefix + "eigvals");
  if (ev.rank() != 2 || ev.dim(0) == 0) throw Error(f.where(prefix + "eigvals") + " is empty: nothing to plot");
  const size_t K = ev.dim(0), D = ev.dim(1);
  if (f.has_dataset(prefix + "fps") && f.dataset_shape(prefix + "fps") != Shape{K, D})
    throw Error(f.where(prefix + "eigvals") + " has shape " + shape_string(ev.shape) + " but the points are " +
                shape_string(f.dataset_shape(prefix + "fps")) + ": one eigenvalue per dimension of each point");
  const std::vector<int> stab = read_stability(f, prefix + "stability", K);
  for (const cd& v : ev.data)
    if (!std::isfinite(v.real()) || !std::isfinite(v.imag()))
      throw Error(f.where(prefix + "eigvals") + " contains NaN or Inf: cannot draw it");
  Figure fig;
  double top = 0;
  size_t outside = 0;
  for (int s = 0; s < 3; ++s) {
    DataBlock& d = fig.block(kName[s]);
    for (size_t i = 0; i < K; ++i)
      if (stab[i] == s)
        for (size_t j = 0; j < D; ++j) d.row({ev[i * D + j].real(), ev[i * D + j].imag()});
  }
  for (const cd& v : ev.data) {
    top = std::max(top, std::abs(v));
    outside += std::abs(v) > 1;
  }
  char top_text[32];
  std::snprintf(top_text, sizeof top_text, "%.4g", top);
  fig << "set title " + title_of(r, "eigenvalues of dF/dh at " + std::to_string(K) + " " + what + ": max |λ| " +
                                        top_text + ", " + std::to_string(outside) + " outside the unit circle");
  fig << "set size ratio -1" << "set xlabel 'Re λ'" << "set ylabel 'Im λ'" << "set key below";
  fig << "set parametric" << "set trange [0:2*pi]";
  std::string plot = "plot cos(t), sin(t) with lines lw 1.5 lc rgb '#444444' title 'unit circle'";
  for (int s = 0; s < 3; ++s)
    if (!fig.data[size_t(s)].empty())
      plot += ", $" + std::string(kName[s]) + " using 1:2 with points pt 7 ps 0.6 lc rgb '" +
              (s == 0 ? "#1f77b4" : s == 1 ? "#2ca02c" : "#d62728") + "' title " + label("at " + std::string(kName[s]) + " " + what);
  fig << plot;
  return fig;
}

Figure q_values(const H5File& f, const PlotRequest& r) {
  const std::string prefix = points_prefix(f, r);
  const Array<double> q = f.read<double>(prefix + "q");
  require_finite(q, f.where(prefix + "q"));
  if (q.size() == 0) throw Error(f.where(prefix + "q") + " is empty: nothing to plot");
  Figure fig;
  DataBlock& d = fig.block("q");
  for (size_t i = 0; i < q.size(); ++i) d.row({double(i), std::max(q[i], 1e-300)});
  fig << "set title " + title_of(r, "speed q = mean (h − F(h))² of each fixed point, slowest first");
  fig << "set logscale y" << "set format y '10^{%L}'" << "set xlabel 'point'" << "set ylabel 'q'";
  fig << "set xrange [-0.5:" + std::to_string(double(q.size()) - 0.5) + "]";
  fig << "plot $q using 1:2 with points pt 7 ps 1 lc rgb '#1f77b4'";
  return fig;
}

// A linearization's predicted and true readout effects, [K,V,O] each and of one shape.
std::pair<Array<double>, Array<double>> readout_effects(const H5File& f) {
  for (const char* name : {"predicted_readout", "true_readout"})
    if (!f.has_dataset(name))
      throw Error(f.name() + ": no dataset '" + name + "': run linearize with --inputs or --unit-inputs");
  Array<double> p = f.read<double>("predicted_readout"), t = f.read<double>("true_readout");
  require_finite(p, f.where("predicted_readout"));
  require_finite(t, f.where("true_readout"));
  if (p.rank() != 3 || p.size() == 0) throw Error(f.where("predicted_readout") + " is empty: nothing to plot");
  if (t.shape != p.shape)
    throw Error(f.where("true_readout") + " has shape " + shape_string(t.shape) + " but predicted_readout has " +
                shape_string(p.shape));
  return {std::move(p), std::move(t)};
}

// Predicted (dF/dx·x) against true (F(h, x*+x) - F(h, x*)) readout effects.
Figure effects(const H5File& f, const PlotRequest& r) {
  const auto [p, t] = readout_effects(f);
  Figure fig;
  DataBlock& d = fig.block("effects");
  double lo = 0, hi = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    d.row({p[i], t[i]});
    lo = std::min({lo, p[i], t[i]});
    hi = std::max({hi, p[i], t[i]});
  }
  const std::string corr = f.has_attribute("readout_correlation")
                               ? ", correlation " + std::to_string(f.read_attribute_double("readout_correlation")).substr(0, 6)
                               : "";
  fig << "set title " + title_of(r, "readout effect of each input: linear prediction against the true step" + corr);
  fig << "set size ratio -1" << "set xlabel 'predicted: wO dF/dx x'" << "set ylabel 'true: wO (F(h, x*+x) - F(h, x*))'";
  fig << "set key outside right top";
  const double pad = 0.05 * (hi - lo + 1e-12);
  fig << "set xrange [" + std::to_string(lo - pad) + ":" + std::to_string(hi + pad) + "]" <<
      "set yrange [" + std::to_string(lo - pad) + ":" + std::to_string(hi + pad) + "]";
  fig << "plot x with lines dt 2 lc rgb '#888888' title 'y = x', $effects using 1:2 with points pt 7 ps 0.9 lc rgb '#1f77b4' title 'state x input'";
  return fig;
}

// The same effects per input vector as grouped bars (mean over the states; readout channel --units, default 0).
Figure effect_bars(const H5File& f, const PlotRequest& r) {
  const auto [p, t] = readout_effects(f);
  const size_t K = p.dim(0), V = p.dim(1), O = p.dim(2);
  std::vector<int64_t> all;
  for (size_t v = 0; v < std::min<size_t>(V, 12); ++v) all.push_back(int64_t(v));
  const std::vector<int64_t> vecs = pick(r.vectors, all, V, "input vector");
  const size_t o = size_t(pick(r.units, {0}, O, "readout channel").front());
  if (!r.labels.empty() && r.labels.size() != vecs.size())
    throw UsageError("--labels: " + std::to_string(r.labels.size()) + " names for " + std::to_string(vecs.size()) +
                     " input vectors");
  Figure fig;
  DataBlock& d = fig.block("bars");
  std::string tics;
  double lo = 0, hi = 0;  // bars stand on zero: the axis includes it
  for (size_t i = 0; i < vecs.size(); ++i) {
    double mp = 0, mt = 0;
    for (size_t k = 0; k < K; ++k) {
      mp += p[(k * V + size_t(vecs[i])) * O + o] / double(K);
      mt += t[(k * V + size_t(vecs[i])) * O + o] / double(K);
    }
    d.row({double(i), mp, mt});
    lo = std::min({lo, mp, mt});
    hi = std::max({hi, mp, mt});
    tics += (i ? ", " : "") + label(r.labels.empty() ? "input " + std::to_string(vecs[i]) : r.labels[i]) + " " + std::to_string(i);
  }
  fig << "set title " + title_of(r, "readout effect of each input" + std::string(K > 1 ? " (mean over " + std::to_string(K) + " states)" : ""));
  fig << "set style fill solid 0.85 border -1" << "set boxwidth 0.38" << "set xtics (" + tics + ")";
  const double pad = 0.08 * (hi - lo + 1e-12);
  fig << "set xrange [-0.6:" + std::to_string(double(vecs.size()) - 0.4) + "]" << "set ylabel 'change of the readout in one step'";
  fig << "set yrange [" + std::to_string(lo < 0 ? lo - pad : 0.0) + ":" + std::to_string(hi > 0 ? hi + pad : 0.0) + "]";
  fig << "set key outside right top" << "set xzeroaxis lt -1";
  fig << "plot $bars using ($1-0.2):2 with boxes lc rgb '#1f77b4' title 'predicted (dF/dx x)', $bars using ($1+0.2):3 with boxes lc rgb '#ff7f0e' title 'true'";
  return fig;
}
}  // namespace

std::vector<FigureKind> fixed_point_figures(const std::string& kind) {
  if (kind == "fixed-points")
    return {{"fps", "fixed points on their top principal components by stability, with trajectories (--states) and "
                    "unstable modes (when saved with --eigvecs)", fixed_points},
            {"spectrum", "eigenvalues of every point against the unit circle",
             [](const H5File& f, const PlotRequest& r) { return spectrum(f, r, points_prefix(f, r), "fixed points"); }},
            {"q", "q of every point, slowest first (log scale)", q_values}};
  if (kind == "linearization")
    return {{"effects", "predicted against true readout effects of the inputs", effects},
            {"bars", "readout effect of each input vector, predicted and true, as grouped bars (--vectors, --labels)", effect_bars},
            {"spectrum", "eigenvalues at every state against the unit circle",
             [](const H5File& f, const PlotRequest& r) { return spectrum(f, r, "", "states"); }}};
  return {};
}

}  // namespace ctd
