// spikify: rates or tanh hidden states -> Poisson spike counts, split into
// training and validation trials in the LFADS layout, with the truth kept.
#include <algorithm>
#include <numeric>

#include "cli/tool.hpp"
#include "io/dataset_ref.hpp"
#include "io/output.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/rng.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("spikify",
                 "Turn rates or tanh hidden states into Poisson spike counts and write them in the LFADS layout "
                 "(train_data / valid_data, with train_truth / valid_truth rates in Hz and the inputs kept), so "
                 "that gen-integrator -> train-rnn -> run-rnn -> spikify -> fit-lfads is the LFADS tutorial.",
                 "spikify -i lfads_states.h5 --max-rate 80 --bin-width 0.04 -o lfads_data.h5");
  auto& app = tool.app();
  std::string transform = "tanh";
  double max_rate = 80.0, bin_width = 0.04, train_fraction = 0.9;
  tool.add_input("States file (its hiddens) or FILE:DATASET of [B,T,D] rates")->required();
  tool.add_output("Output file in the LFADS layout")->required();
  app.add_option("--transform", transform,
                 "tanh: rate = (x+1)/2 * max-rate (hidden states in [-1,1]); scale: rate = x * max-rate (x in [0,1])")
      ->check(CLI::IsMember({"tanh", "scale"}));
  app.add_option("--max-rate", max_rate, "Rate in Hz of a unit at its maximum")->check(CLI::PositiveNumber);
  app.add_option("--bin-width", bin_width, "Seconds per time step: counts ~ Poisson(rate * bin-width)")
      ->check(CLI::PositiveNumber);
  app.add_option("--train-fraction", train_fraction, "Share of trials for training; the rest is validation")
      ->check(CLI::Range(0.0, 1.0));

  return tool.run(argc, argv, [&] {
    ctd::OutputFile out(tool.output);
    auto [path, dataset] = ctd::parse_dataset_ref(tool.input);
    ctd::H5File in = ctd::H5File::open(path);
    if (dataset.empty()) dataset = "hiddens";
    ctd::Array<float> x = in.read_finite(dataset, "[B,T,D]");
    const size_t B = x.dim(0), T = x.dim(1), D = x.dim(2);
    if (B < 2) throw ctd::Error(in.where(dataset) + " has " + std::to_string(B) + " trials: at least 2 are needed for a split");
    const size_t Btr = std::min(B - 1, std::max<size_t>(1, size_t(train_fraction * double(B) + 0.5)));
    // Rates in Hz, checked: Poisson means must not be negative.
    ctd::Array<float> rate(x.shape);
    for (size_t i = 0; i < x.size(); ++i) {
      double r = transform == "tanh" ? (x[i] + 1.0) / 2.0 * max_rate : x[i] * max_rate;
      if (r < 0)
        throw ctd::Error(in.where(dataset) + " gives a negative rate (" + std::to_string(r) + " Hz) with --transform " +
                         transform + (transform == "tanh" ? ": values below -1" : ": negative values"));
      rate[i] = float(r);
    }
    // A seeded shuffle chooses the split; counts come from one stream per trial.
    std::vector<int64_t> order(B);
    std::iota(order.begin(), order.end(), 0);
    ctd::RngStream shuffle(tool.seed, ctd::RngDomain::Spikes, uint64_t(1) << 40);
    for (size_t i = B - 1; i > 0; --i) std::swap(order[i], order[std::min(i, size_t(shuffle.uniform() * double(i + 1)))]);
    ctd::Array<float> inputs;
    const bool has_inputs = in.has_dataset("inputs");
    if (has_inputs) inputs = in.read_finite("inputs", "[B,T,U]");
    auto write_split = [&](const std::string& name, size_t first, size_t count) {
      const size_t row = T * D;
      ctd::Array<float> counts({count, T, D}), truth({count, T, D});
      std::vector<int64_t> inds(count);
      for (size_t j = 0; j < count; ++j) {
        const size_t b = size_t(order[first + j]);
        inds[j] = int64_t(b);
        ctd::RngStream rng(tool.seed, ctd::RngDomain::Spikes, b);
        for (size_t i = 0; i < row; ++i) {
          truth[j * row + i] = rate[b * row + i];
          counts[j * row + i] = float(rng.poisson(rate[b * row + i] * bin_width));
        }
      }
      out.h5().write(name + "_data", counts);
      out.h5().write(name + "_truth", truth);
      out.h5().write(name + "_inds", ctd::Shape{count}, inds.data());
      if (has_inputs) {
        const size_t U = inputs.dim(2);
        ctd::Array<float> u({count, T, U});
        for (size_t j = 0; j < count; ++j)
          std::copy_n(inputs.ptr() + size_t(order[first + j]) * T * U, T * U, u.ptr() + j * T * U);
        out.h5().write(name + "_inputs", u);
      }
    };
    write_split("train", 0, Btr);
    write_split("valid", Btr, B - Btr);
    // truth (Hz) = expected counts per bin × conversion_factor.
    const double conversion = 1.0 / bin_width;
    out.h5().write("conversion_factor", ctd::Shape{1}, &conversion);
    ctd::write_provenance(out.h5(), "lfads-data", tool.run_info(), ctd::read_history(in));
    out.commit();
    ctd::log_verbose(std::to_string(Btr) + " training and " + std::to_string(B - Btr) + " validation trials");
  });
}
