// A figure as ctd-plot builds it: gnuplot commands plus the data they plot,
// carried inline as datablocks, so that a printed script (--script) is
// complete: `gnuplot fig.gp` redraws it without ctd.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "io/hdf5.hpp"

namespace ctd {

// One named inline table ($name): rows of numbers; a blank line breaks a
// line plot, two blank lines start a new data set (gnuplot's `index`).
class DataBlock {
 public:
  explicit DataBlock(std::string name) : name_(std::move(name)) {}
  DataBlock& row(std::initializer_list<double> values);
  DataBlock& row(const std::vector<double>& values);
  DataBlock& break_line();
  DataBlock& next_set();
  const std::string& name() const { return name_; }
  bool empty() const { return rows_ == 0; }
  std::string text() const;

 private:
  std::string name_, body_;
  size_t rows_ = 0;
};

struct Figure {
  std::deque<DataBlock> data;  // a deque: a block stays where it is while more are added
  std::string commands;  // after the terminal and the datablocks
  DataBlock& block(const std::string& name) { return data.emplace_back("$" + name); }
  Figure& operator<<(const std::string& line) {
    commands += line + "\n";
    return *this;
  }
};

// What a user may ask of a figure (ctd-plot's options).
struct PlotRequest {
  std::vector<int64_t> trials;       // which trials (empty: the figure's default)
  std::vector<int64_t> units;        // which units / channels (empty: the figure's default)
  std::string states;                // a states file whose trajectories go with fixed points
  std::string data;                  // the lfads-data file of a posterior (default: its data_file)
  std::string split = "valid";       // lfads: valid | train
  std::string group;                 // fixed-points: a tolerance group ("" : the root, else the first)
  std::vector<int64_t> vectors;      // linearization: which input vectors (empty: all, up to 12)
  std::vector<std::string> labels;   // names for those input vectors
  std::string title;                 // "" : the figure's own
};

// A figure a kind of file offers.
struct FigureKind {
  std::string name, about;
  std::function<Figure(const H5File&, const PlotRequest&)> make;
};

// The figures of a file kind (ctd_kind), the main one first. Throws Error
// for a kind without figures.
const std::vector<FigureKind>& figures_of(const std::string& kind);
// The figure `name` ("" : the main one) of the file, built from its data.
// Throws UsageError naming the choices when the kind lacks it, and Error
// when the file holds nothing to plot.
Figure make_figure(const H5File& file, const std::string& name, const PlotRequest& request);
// The file's kind: ctd_kind, else "" (then make_figure fails with the kinds).
std::string file_kind(const H5File& file);

// Helpers the figure files share.
// A gnuplot string literal holding exactly `bytes` (a path, or text already
// in enhanced-text markup), written so that gnuplot expands nothing in it: no
// backquote (gnuplot runs those as shell commands), macro or variable.
std::string quoted(const std::string& bytes);
// Enhanced-text markup that shows `text` as it is: ^ _ @ & ~ { } \ escaped,
// bytes that are not UTF-8 text (and control characters but the line break)
// shown as U+FFFD.
std::string literal_text(const std::string& text);
// A title, label or key entry that shows `text` as it is: quoted(literal_text(text)).
std::string label(const std::string& text);
// The figure's title: the user's --title, else `fallback`, as a label.
std::string title_of(const PlotRequest& r, const std::string& fallback);
// A round tic step (1, 2 or 5 times a power of ten) giving at most 5 tics
// over [lo, hi], so that small panels stay readable ("autofreq" when flat).
std::string tic_step(double lo, double hi);
// The requested indices, or `fallback` when none; each must be below `count`
// (Error naming `what` otherwise).
std::vector<int64_t> pick(const std::vector<int64_t>& asked, std::vector<int64_t> fallback, size_t count,
                          const std::string& what);
// Each fixed point's class from `dataset` (0 stable, 1 marginal, 2 unstable;
// all marginal without the dataset): one per point of K, each one of the three.
std::vector<int> read_stability(const H5File& f, const std::string& dataset, size_t K);
// Spike counts [B,T,D] of one trial as an image (lfads-data, lfads-posterior).
Figure spike_raster(const H5File& f, const std::string& dataset, const PlotRequest& r);
Figure spike_raster(const Array<double>& counts, const std::string& label, const PlotRequest& r);
// Registered by the figure files for figures_of.
std::vector<FigureKind> training_figures(const std::string& kind);
std::vector<FigureKind> trial_figures(const std::string& kind);
std::vector<FigureKind> fixed_point_figures(const std::string& kind);
std::vector<FigureKind> lfads_figures(const std::string& kind);
std::vector<FigureKind> comparison_figures(const std::string& kind);
std::vector<FigureKind> lyapunov_figures(const std::string& kind);
std::vector<FigureKind> cycles_figures(const std::string& kind);
std::vector<FigureKind> continuation_figures(const std::string& kind);
std::vector<FigureKind> pbt_figures(const std::string& kind);
std::vector<FigureKind> context_figures(const std::string& kind);
std::vector<FigureKind> reservoir_figures(const std::string& kind);

}  // namespace ctd
