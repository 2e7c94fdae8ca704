// linearize: the linear analysis of a trained RNN at arbitrary states — the
// Jacobians, their eigendecomposition, and how well the input Jacobian
// predicts the effect of given inputs (the contextual-processing analysis).
#include "cli/tool.hpp"
#include "fixedpoints/fp_file.hpp"
#include "fixedpoints/input_effects.hpp"
#include "io/output.hpp"
#include "lfads/generator.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/threads.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("linearize",
                 "Linearise a trained RNN at given states: dF/dh and dF/dx, eigenvalues and eigenvectors, and for "
                 "given input vectors x the predicted one-step change dF/dx*x and its readout next to the true "
                 "change F(h, x* + x) - F(h, x*).",
                 "linearize -p sentiment_params.h5 -i probes.h5:hiddens --unit-inputs -o lin.h5");
  auto& o = tool.options();
  ctd::LinearizationSettings lin;
  lin.jacobians = true;
  std::string inputs_spec, nearest;
  bool unit_inputs = false, mean = false;
  int time = -1;
  tool.add_params("Parameter file of the network, or a fit-lfads model file (its generator)").needed();
  ctd::RnnReadOptions reading;
  ctd::register_options(tool.options(), reading);
  tool.add_input("States: FILE (its fps, else its hiddens or a posterior's generator states) or FILE:DATASET ([K,N] or [B,T,N])").needed();
  tool.add_output("Output file").needed();
  ctd::register_options(o, lin);
  o.find("jacobians")->unrecorded().help = "(always on here)";
  o.group("States and inputs");
  o.add("time", time, "Take only step t (0-based) of each trial of [B,T,N] states (-1: every step)").min(-1);
  o.add("mean", mean, "Analyse the mean of the states (e.g. the mean state of a probe family at --time)");
  o.add("inputs", inputs_spec, "Input vectors to test: FILE:DATASET, [V,U]").reads_file();
  o.add("unit-inputs", unit_inputs, "Test every unit input vector e_1..e_U (one-hot words)");
  o.add("nearest", nearest,
        "Fixed points FILE[:DATASET] (default dataset fps): for each state, the nearest point, the deflection h - p "
        "and the cosine of its angle with each left eigenvector of the Jacobian at p");

  return tool.run(argc, argv, [&] {
    if (unit_inputs && !inputs_spec.empty()) throw ctd::UsageError("give either --inputs or --unit-inputs");
    ctd::OutputFile out(tool.output);
    ctd::RnnModel model = ctd::read_network(ctd::H5File::open(tool.params), reading);
    const int N = ctd::state_size(model.spec), U = model.spec.U;
    Eigen::VectorXd x_star = ctd::vector_or_zeros(lin.x_star, U, "--x-star");
    std::string history;
    ctd::RowMatD H = ctd::read_state_rows(tool.input, N, &history, time, {"fps", "hiddens", "train/gen_states", "valid/gen_states", "train_gen_states", "valid_gen_states"});
    if (mean) H = H.colwise().mean().eval();
    ctd::RowMatD X = unit_inputs ? ctd::RowMatD(ctd::RowMatD::Identity(U, U))
                     : inputs_spec.empty() ? ctd::RowMatD() : ctd::read_series(inputs_spec, "--inputs", true);
    if (X.rows() && X.cols() != U)
      throw ctd::Error(inputs_spec + " has " + std::to_string(X.cols()) + " columns but the network has U=" +
                       std::to_string(U) + " inputs");
    ctd::RnnMap<double> map(model, x_star);
    const int threads = ctd::thread_count();
    ctd::H5File& h5 = out.h5();
    h5.write("states", ctd::Shape{size_t(H.rows()), size_t(N)}, H.data());
    h5.write("x_star", ctd::Shape{size_t(U)}, x_star.data());
    ctd::write_linearization(h5, "", H, map, lin, threads);
    if (X.rows() > 0) {
      ctd::InputEffects e = ctd::input_effects(map, H, X, threads);
      ctd::write_input_effects(h5, e, size_t(H.rows()), size_t(N), size_t(model.spec.O));
      ctd::log_info(std::to_string(H.rows()) + " states x " + std::to_string(X.rows()) +
                    " inputs: correlation of predicted and true readout effects " + std::to_string(e.readout_correlation));
    }
    if (!nearest.empty()) {
      ctd::RowMatD P = ctd::read_state_rows(nearest, N, nullptr, -1, {"fps"});
      ctd::write_deflections(h5, ctd::deflections(map, H, P, lin.sort(), lin.stability_tol, threads));
    }
    ctd::write_provenance(h5, "linearization", tool.run_info(), history);
    h5.write_attribute("params_file", tool.params);
    out.commit();
  });
}
