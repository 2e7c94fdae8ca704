// The figures of a population-based training run (tune-lfads's population
// file): each member's score over the generations, with the generations where
// it took over another member's state marked, and each hyperparameter's
// trajectory per member — how the population moved through the space.
#include <cmath>
#include <map>

#include "plot/figure.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {
struct History {
  std::vector<int64_t> generation, member, parent, failed;
  std::vector<double> score;
  std::vector<std::vector<double>> hp;  // per row
  std::vector<std::string> names, scales;
  std::string metric;
  int64_t members = 0;
};

History read_history(const H5File& f) {
  History h;
  h.generation = f.read<int64_t>("history/generation", "[R]").data;
  h.member = f.read<int64_t>("history/member", "[R]").data;
  h.parent = f.read<int64_t>("history/parent", "[R]").data;
  h.failed = f.read<int64_t>("history/failed", "[R]").data;
  h.score = f.read<double>("history/score", "[R]").data;
  const Array<double> hp = f.read<double>("history/hp", "[R,H]");
  h.names = f.read_attribute_strings("hyperparameters");
  h.scales = f.read_attribute_strings("hp_scale");
  h.metric = f.read_attribute_string("metric");
  const size_t R = h.generation.size(), H = h.names.size();
  if (h.member.size() != R || h.parent.size() != R || h.failed.size() != R || h.score.size() != R ||
      hp.dim(0) != R || hp.dim(1) != H || h.scales.size() != H)
    throw Error(f.name() + ": the history's datasets differ in length");
  if (R == 0) throw Error(f.name() + ": the population has no finished generation to plot");
  for (size_t i = 0; i < R; ++i) {
    h.hp.emplace_back(hp.ptr() + i * H, hp.ptr() + (i + 1) * H);
    if (h.member[i] < 0 || h.member[i] > 100000) throw Error(f.where("history/member") + ": not a member index");
    h.members = std::max(h.members, h.member[i] + 1);
  }
  return h;
}

// One data set per member: generation (1-based), value, whether it was a copy that generation.
void per_member(DataBlock& d, const History& h, const std::function<double(size_t)>& value) {
  for (int64_t m = 0; m < h.members; ++m) {
    if (m > 0) d.next_set();
    for (size_t i = 0; i < h.generation.size(); ++i)
      if (h.member[i] == m) d.row({double(h.generation[i] + 1), value(i), h.parent[i] >= 0 ? 1.0 : 0.0});
  }
}

std::string generation_tics(const History& h) {
  int64_t last = 1;
  for (int64_t g : h.generation) last = std::max(last, g + 1);
  return tic_step(1, double(last));
}

std::string member_plot(const std::string& block, int64_t members, bool copies) {
  std::string plot = "plot for [m=0:" + std::to_string(members - 1) + "] " + block +
                     " index m using 1:2 with linespoints pt 7 ps 0.6 lw 1.5 lc m+1 title sprintf('member %d', m)";
  if (copies)
    plot += ", for [m=0:" + std::to_string(members - 1) + "] " + block +
            " index m using 1:($3 > 0 ? $2 : NaN) with points pt 6 ps 1.6 lc m+1 notitle";
  return plot;
}

Figure scores(const H5File& f, const PlotRequest& r) {
  const History h = read_history(f);
  Figure fig;
  per_member(fig.block("scores"), h, [&](size_t i) { return h.failed[i] ? NAN : h.score[i]; });
  fig << "set title " + title_of(r, "population-based training: " + h.metric + " per member (circled: a copy that generation)");
  fig << "set xlabel 'generation'" << "set xtics " + generation_tics(h) << "set ylabel " + label(h.metric)
      << "set key outside right";
  fig << member_plot("$scores", h.members, true);
  return fig;
}

Figure hyperparameters(const H5File& f, const PlotRequest& r) {
  const History h = read_history(f);
  const size_t H = h.names.size(), cols = H > 1 ? 2 : 1, rows = (H + cols - 1) / cols;
  Figure fig;
  fig << "set multiplot layout " + std::to_string(rows) + "," + std::to_string(cols) + " title " +
             title_of(r, "population-based training: hyperparameters per member");
  fig << "unset key" << "set xlabel 'generation'" << "set xtics " + generation_tics(h);
  for (size_t k = 0; k < H; ++k) {
    const std::string name = "hp" + std::to_string(k);
    per_member(fig.block(name), h, [&](size_t i) { return h.hp[i][k]; });
    fig << "set ylabel " + label(h.names[k]) << (h.scales[k] == "log" ? "set logscale y" : "unset logscale y");
    fig << member_plot("$" + name, h.members, false);
  }
  fig << "unset multiplot";
  return fig;
}
}  // namespace

std::vector<FigureKind> pbt_figures(const std::string& kind) {
  if (kind == "pbt-population")
    return {{"scores", "each member's score over the generations, copies circled", scores},
            {"hyperparameters", "each hyperparameter's trajectory per member", hyperparameters}};
  return {};
}

}  // namespace ctd
