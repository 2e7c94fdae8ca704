// find-fixed-points: fixed and slow points of a trained RNN with its input
// held fixed, and their linearisation (docs/methods.md §3).
#include "cli/tool.hpp"
#include "fixedpoints/search.hpp"
#include "io/output.hpp"
#include "lfads/generator.hpp"
#include "util/threads.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("find-fixed-points",
                 "Find the fixed and slow points of a trained RNN (input held at x*) from candidate states, and "
                 "linearise the map there. Default method: Levenberg-Marquardt refinement in double precision; "
                 "--method adam is the tutorial's algorithm exactly.",
                 "find-fixed-points -p decision_params.h5 -i states.h5 --max-candidates 10000 -o fps.h5");
  ctd::FixedPointSearch search;
  ctd::LinearizationSettings lin;
  tool.add_params("Parameter file of the network, or a fit-lfads model file (its generator)").needed();
  ctd::RnnReadOptions reading;
  ctd::register_options(tool.options(), reading);
  tool.add_input("Candidates: a states file (its hiddens), a fit-lfads posterior (its generator states: train, else valid split) or "
                 "FILE:DATASET ([K,N] or [B,T,N])").needed();
  tool.add_output("Output fixed-points file").needed();
  ctd::register_options(tool.options(), search);
  ctd::register_options(tool.options(), lin);

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    ctd::RnnModel model = ctd::read_network(ctd::H5File::open(tool.params), reading);
    Eigen::VectorXd x_star = ctd::vector_or_zeros(lin.x_star, model.spec.U, "--x-star");
    std::string history;
    ctd::RowMatD states = ctd::read_state_rows(tool.input, ctd::state_size(model.spec), &history);
    ctd::FixedPointSearchResult r = ctd::find_fixed_points(model, x_star, states, search, tool.seed, ctd::thread_count());
    ctd::write_search_result(out.h5(), r, ctd::RnnMap<double>(model, x_star), x_star, lin, ctd::thread_count());
    ctd::write_provenance(out.h5(), "fixed-points", tool.run_info(), history);
    out.h5().write_attribute("params_file", tool.params);
    out.commit();
  });
}
