// lyapunov-spectrum: the Lyapunov exponents of a trained RNN with its input
// held, along its own trajectories, and the Kaplan–Yorke dimension — is the
// network chaotic, how many directions does it keep (docs/methods.md §3)?
#include <cmath>
#include <iostream>

#include "cli/tool.hpp"
#include "fixedpoints/fp_file.hpp"
#include "fixedpoints/lyapunov.hpp"
#include "io/dataset_ref.hpp"
#include "io/output.hpp"
#include "lfads/generator.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/threads.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("lyapunov-spectrum",
                 "The Lyapunov spectrum of a trained RNN with its input held at x*: the k largest exponents (per "
                 "step, natural log) from the tangent dynamics along trajectories, re-orthonormalised by QR every "
                 "step, with their spread over trajectories and the Kaplan-Yorke dimension. One line per exponent "
                 "on stdout.",
                 "lyapunov-spectrum -p integrator_params.h5 --exponents 5 -o spectrum.h5");
  auto& o = tool.options();
  ctd::LyapunovSettings settings;
  std::vector<double> x_star;
  bool json = false;
  tool.add_params("Parameter file of the network (ctd, PyTorch), or a fit-lfads model file (its generator)").needed();
  ctd::RnnReadOptions reading;
  ctd::register_options(o, reading);
  tool.add_output("Also write the spectrum to this file", false);
  o.add("x-star", x_star, "The held input x*: U comma-separated values (default zeros)");
  o.add("json", json, "Print the exponents and the dimension as one JSON object").unrecorded();
  ctd::register_options(o, settings);

  return tool.run(argc, argv, [&] {
    const ctd::RnnModel model = ctd::read_network(ctd::H5File::open(tool.params), reading);
    const Eigen::VectorXd xs = ctd::vector_or_zeros(x_star, model.spec.U, "--x-star");
    const ctd::RnnMap<double> map(model, xs);
    const Eigen::VectorXd h0 = ctd::initial_state(model, map.dim());
    const Eigen::MatrixXd starts = ctd::lyapunov_starts(h0, settings.trajectories, settings.init_sd, tool.seed);
    const ctd::LyapunovSpectrum sp = ctd::lyapunov_spectrum(map, starts, settings, ctd::thread_count());
    const long k = sp.exponents.size();
    std::string text = json ? "{\"exponents\": [" : "";
    for (long i = 0; i < k; ++i)
      text += json ? (i ? ", " : "") + ctd::fmt("%.6g", sp.exponents(i))
                   : "lambda_" + std::to_string(i + 1) + " " + ctd::fmt("%.6g", sp.exponents(i)) + " +- " +
                         ctd::fmt("%.2g", sp.spread(i)) + "\n";
    text += json ? "], \"kaplan_yorke_dimension\": " + ctd::fmt("%.6g", sp.kaplan_yorke) + "}\n"
                 : "kaplan-yorke " + ctd::fmt("%.6g", sp.kaplan_yorke) + "\n";
    std::cout << text;
    if (tool.output.empty()) return;
    ctd::OutputFile out(tool.output);
    ctd::H5File& h5 = out.h5();
    h5.write("exponents", ctd::Shape{size_t(k)}, sp.exponents.data());
    h5.write("exponents_spread", ctd::Shape{size_t(k)}, sp.spread.data());
    const ctd::RowMatD per = sp.per_trajectory;
    h5.write("exponents_per_trajectory", ctd::Shape{size_t(per.rows()), size_t(k)}, per.data());
    h5.write("x_star", ctd::Shape{size_t(xs.size())}, xs.data());
    h5.write_attribute("kaplan_yorke_dimension", sp.kaplan_yorke);
    h5.write_attribute("max_exponent", sp.exponents(0));
    h5.write_attribute("params_file", tool.params);
    ctd::write_provenance(h5, "lyapunov", tool.run_info(), "");
    out.commit();
  });
}
