// ctd-plot: the figures of a ctd file, drawn by gnuplot (headless, cairo):
// training curves, trials, state space, fixed points, spectra, LFADS rates
// and inputs, ESN outputs.
#include <iostream>

#include "cli/tool.hpp"
#include "io/output.hpp"
#include "plot/settings.hpp"
#include "util/error.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("ctd-plot",
                 "Draw a figure of a ctd file with gnuplot: the main figure of the file's kind, or --figure NAME "
                 "(--list shows the choices). The format follows -o: .png, .svg or .pdf.",
                 "ctd-plot fps.h5 --states states.h5 -o fps.png");
  ctd::PlotSettings settings;
  tool.add_input("A ctd file (any kind with figures)").needed();
  tool.add_output("Image file: .png, .svg or .pdf");
  ctd::register_options(tool.options(), settings);

  return tool.run(argc, argv, [&] {
    ctd::H5File file = ctd::H5File::open(tool.input);
    if (settings.list) {
      const std::string kind = ctd::file_kind(file);
      if (kind.empty()) throw ctd::Error(tool.input + ": not a ctd file (no ctd_kind attribute): no figures");
      for (const ctd::FigureKind& f : ctd::figures_of(kind)) std::cout << f.name << "\t" << f.about << "\n";
      return;
    }
    if (tool.output.empty() && !settings.script) throw ctd::UsageError("no output file given (use -o FIG.png, or --script)");
    settings.canvas.format = ctd::format_of(tool.output.empty() ? "-" : tool.output, settings.canvas.format);
    // Checked before the figure is built: a bad destination fails at once and leaves nothing.
    std::unique_ptr<ctd::AtomicOutput> out;
    if (!settings.script) out = std::make_unique<ctd::AtomicOutput>(tool.output, "an image");
    const ctd::Figure figure = ctd::make_figure(file, settings.figure, settings.request());
    if (settings.script) {
      const std::string name = tool.output.empty() || tool.output == "-" ? "figure." + settings.canvas.format : tool.output;
      std::cout << ctd::gnuplot_script(figure, settings.canvas, name);
      return;
    }
    const std::vector<char> image = ctd::render(figure, settings.canvas);
    out->commit(image.data(), image.size());
  });
}
