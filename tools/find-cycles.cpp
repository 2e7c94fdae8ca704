// find-cycles: periodic orbits of a trained RNN with its input held, each with its
// Floquet multipliers (docs/methods.md §3): memories held on stable 2-cycles,
// where find-fixed-points reports no stable point.
#include <iostream>

#include "cli/tool.hpp"
#include "fixedpoints/cycles.hpp"
#include "io/provenance.hpp"
#include "io/dataset_ref.hpp"
#include "io/output.hpp"
#include "lfads/generator.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/threads.hpp"

namespace {
// One line per orbit: its period, q, largest multiplier modulus and stability (or one JSON object).
std::string report(const ctd::CycleSearch& found, bool json) {
  std::string text = json ? "{\"orbits\": [" : "";
  for (size_t i = 0; i < found.cycles.size(); ++i) {
    const ctd::Cycle& c = found.cycles[i];
    const double top = std::abs(c.floquet.front());
    if (json)
      text += std::string(i ? ", " : "") + "{\"period\": " + std::to_string(c.period) + ", \"q\": " + ctd::fmt("%.3g", c.q) +
              ", \"max_multiplier\": " + ctd::fmt("%.6g", top) + ", \"unstable\": " + std::to_string(c.unstable) + "}";
    else
      text += "period " + std::to_string(c.period) + "  q " + ctd::fmt("%.2e", c.q) + "  max|mu| " + ctd::fmt("%.6g", top) +
              "  unstable " + std::to_string(c.unstable) + (c.unstable ? "  saddle\n" : "  stable\n");
  }
  return text + (json ? "]}\n" : "");
}

// The orbits one after another in `points` (orbit i from row orbit_start[i]), their multipliers.
void write_cycles(ctd::H5File& h5, const ctd::CycleSearch& found, int dim) {
  const size_t n = found.cycles.size();
  std::vector<int64_t> period, start, unstable;
  std::vector<double> q, re(n * size_t(dim)), im(n * size_t(dim)), points;
  for (size_t i = 0; i < n; ++i) {
    const ctd::Cycle& c = found.cycles[i];
    start.push_back(int64_t(points.size() / size_t(dim)));
    period.push_back(c.period);
    unstable.push_back(c.unstable);
    q.push_back(c.q);
    for (long j = 0; j < c.points.rows(); ++j)
      for (long k = 0; k < dim; ++k) points.push_back(c.points(j, k));
    for (int k = 0; k < dim; ++k) {
      re[i * size_t(dim) + size_t(k)] = c.floquet[size_t(k)].real();
      im[i * size_t(dim) + size_t(k)] = c.floquet[size_t(k)].imag();
    }
  }
  h5.write("points", ctd::Shape{points.size() / size_t(dim), size_t(dim)}, points.data());
  h5.write("orbit_start", ctd::Shape{n}, start.data());
  h5.write("period", ctd::Shape{n}, period.data());
  h5.write("q", ctd::Shape{n}, q.data());
  h5.write("unstable", ctd::Shape{n}, unstable.data());
  h5.write("floquet_real", ctd::Shape{n, size_t(dim)}, re.data());
  h5.write("floquet_imag", ctd::Shape{n, size_t(dim)}, im.data());
}
}  // namespace

int main(int argc, char** argv) {
  ctd::Tool tool("find-cycles",
                 "Periodic orbits of a trained RNN with its input held at x*: states with F^k(h) = h for k up to "
                 "--max-period, by Levenberg-Marquardt on the k-step residual from random starts (and from where "
                 "they settle), each orbit once with its minimal period, its points and its Floquet multipliers. "
                 "One line per orbit on stdout.",
                 "find-cycles -p flipflop_params.h5 --max-period 2 -o cycles.h5");
  auto& o = tool.options();
  ctd::CycleSettings settings;
  std::vector<double> x_star;
  bool json = false;
  tool.add_params("Parameter file of the network (ctd, PyTorch), or a fit-lfads model file (its generator)").needed();
  ctd::RnnReadOptions reading;
  ctd::register_options(o, reading);
  tool.add_output("Also write the orbits to this file", false);
  o.add("x-star", x_star, "The held input x*: U comma-separated values (default zeros)");
  o.add("json", json, "Print the orbits as one JSON object").unrecorded();
  ctd::register_options(o, settings);

  return tool.run(argc, argv, [&] {
    const ctd::RnnModel model = ctd::read_network(ctd::H5File::open(tool.params), reading);
    const Eigen::VectorXd xs = ctd::vector_or_zeros(x_star, model.spec.U, "--x-star");
    const ctd::RnnMap<double> map(model, xs);
    const Eigen::MatrixXd candidates = ctd::cycle_candidates(map, ctd::initial_state(model, map.dim()), settings, tool.seed);
    const ctd::CycleSearch found = ctd::find_cycles(map, candidates, settings, ctd::thread_count());
    const size_t n = found.cycles.size();
    ctd::log_info(std::to_string(n) + (n == 1 ? " orbit" : " orbits") + " of period <= " + std::to_string(settings.max_period) + " from " +
             std::to_string(found.candidates) + " searches (" + std::to_string(found.converged) + " converged, " +
             std::to_string(found.outside) + " orbits outside the cell's range dropped)");
    std::cout << report(found, json);
    if (tool.output.empty()) return;
    ctd::OutputFile out(tool.output);
    write_cycles(out.h5(), found, map.dim());
    out.h5().write("x_star", ctd::Shape{size_t(xs.size())}, xs.data());
    out.h5().write_attribute("params_file", tool.params);
    ctd::write_provenance(out.h5(), "cycles", tool.run_info(), "");
    out.commit();
  });
}
