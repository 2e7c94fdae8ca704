// score-rates: a model's rates scored as the Neural Latents Benchmark scores
// them (co-bps, fp-bps, vel R2 or tp corr, psth R2; docs/methods.md §8), from HDF5,
// without nlb_tools' Python stack.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/tool.hpp"
#include "io/output.hpp"
#include "scoring/nlb_score.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/printable.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("score-rates",
                 "Score predicted rates on NLB-shaped evaluation data as the Neural Latents Benchmark does: co-bps "
                 "(held-out units), fp-bps (forward bins), vel R2 (ridge decoding of the behaviour, its penalty "
                 "cross-validated) or tp corr (timing datasets) and psth R2, each where the data has what it needs. One "
                 "line per metric on stdout.",
                 "score-rates -i posterior.h5 --data lorenz_nlb.h5 --json");
  auto& o = tool.options();
  ctd::ScoreSettings settings;
  std::string data, eval_rates, train_rates;
  bool json = false;
  tool.add_input("Rates: a fit-lfads posterior (train/ and valid/ rates, or lfads-torch's *_output_params) or an NLB "
                 "submission ({dataset}/eval_rates_heldin, ...)", false);
  tool.add_output("Also write the metrics as attributes of this file", false);
  o.add("data", data, "The evaluation data: NLB's tensors (to-nlb, or NLB's eval target file)").reads_file().needed();
  o.add("eval-rates", eval_rates, "Instead of -i: the eval trials' rates FILE:DATASET [B,T(+K),D], every unit").reads_file();
  o.add("train-rates", train_rates, "With --eval-rates: the train trials' rates FILE:DATASET (for vel R2)").reads_file();
  o.add("json", json, "Print the metrics as one JSON object").unrecorded();
  ctd::register_options(o, settings);

  return tool.run(argc, argv, [&] {
    if (int(!tool.input.empty()) + int(!eval_rates.empty()) + int(!settings.baseline.empty()) > 1)
      throw ctd::UsageError("give one of -i, --eval-rates and --baseline");
    const ctd::H5File eval_data = ctd::H5File::open(data);
    std::vector<std::pair<std::string, double>> chosen;
    const ctd::PredictedRates rates = settings.baseline.empty()
                                          ? ctd::read_predicted_rates(tool.input, eval_rates, train_rates, settings.dataset)
                                          : ctd::baseline_rates(eval_data, settings, chosen);
    auto scores = ctd::score_rates(rates, eval_data, settings);
    scores.insert(scores.end(), chosen.begin(), chosen.end());
    std::string text;
    for (const auto& [name, value] : scores)
      text += json ? (text.empty() ? "{" : ", ") + ctd::json_string(name) + ": " +
                         (std::isfinite(value) ? ctd::fmt("%.6g", value) : std::string("null"))
                   : name + " " + ctd::fmt("%.6g", value) + "\n";
    std::cout << text << (json ? "}\n" : "");
    if (tool.output.empty()) return;
    ctd::OutputFile out(tool.output);
    for (const auto& [name, value] : scores) {
      std::string key = name;
      for (char& c : key) c = (c == ' ' || c == '-') ? '_' : char(std::tolower(static_cast<unsigned char>(c)));
      out.h5().write_attribute(key, value);
    }
    ctd::write_provenance(out.h5(), "scores", tool.run_info(), "");
    out.commit();
  });
}
