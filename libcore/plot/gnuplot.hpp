// gnuplot as ctd-plot's renderer: the complete script of a figure for an
// output format, and running it headless (cairo terminals, no display).
#pragma once
#include <string>
#include <vector>

#include "plot/figure.hpp"

namespace ctd {

struct Canvas {
  std::string format = "png";  // png | svg | pdf
  int width = 900, height = 600;  // pixels (pdf: 1/100 inch)
};

// The format an output name asks for (.png, .svg, .pdf); `fallback` for "-"
// and names without one. Throws UsageError for another extension.
std::string format_of(const std::string& path, const std::string& fallback);

// The whole script: terminal, output name, datablocks, commands.
std::string gnuplot_script(const Figure& figure, const Canvas& canvas, const std::string& output_name);

// Runs gnuplot on the figure and returns the image's bytes. Throws Error
// when gnuplot is missing or fails (with its first error line).
std::vector<char> render(const Figure& figure, const Canvas& canvas);

}  // namespace ctd
