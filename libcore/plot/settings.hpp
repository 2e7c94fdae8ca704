// ctd-plot's options: which figure, its data selection, the canvas.
#pragma once
#include <string>
#include <vector>

#include "plot/figure.hpp"
#include "plot/gnuplot.hpp"

namespace ctd {

class OptionSet;

struct PlotSettings {
  std::string figure;  // "" : the kind's main figure
  bool list = false, script = false;
  Canvas canvas;
  std::vector<double> trials, units, vectors;  // whole numbers, checked by request()
  std::string labels;                          // comma-separated
  PlotRequest selection;                       // states, data, split, group, title
  // The selection with the index lists and labels filled in. Throws UsageError
  // for an index that is not a whole number >= 0.
  PlotRequest request() const;
};
// --figure, --list, --script, --format, --width, --height, --trials, --units,
// --vectors, --labels, --states, --data, --split, --group, --title.
void register_options(OptionSet& o, PlotSettings& s);

}  // namespace ctd
