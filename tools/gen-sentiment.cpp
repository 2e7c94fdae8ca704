// gen-sentiment: reviews of the contextual-processing toy language (docs/methods.md
// §6) and its probe families, as a task file — or printed as words next to
// their running sentiment.
#include <cstdio>
#include <iostream>

#include "cli/tool.hpp"
#include "io/output.hpp"
#include "tasks/sentiment.hpp"
#include "tasks/task_file.hpp"
#include "util/error.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("gen-sentiment",
                 "Generate reviews of the 12-word toy language (good1 +1, bad1 -1, awesome1 +2, awful1 -2; not4 "
                 "flips the next 4 positions, very1 doubles the next one) with their running sentiment as target, "
                 "or one of the probe families of the contextual-processing analysis.",
                 "gen-sentiment --trials 100000 --seed 1 -o reviews.h5");
  auto& o = tool.options();
  ctd::SentimentTask task;
  uint64_t trials = 1024;
  int print = 0;
  tool.add_output("Output task file");
  ctd::register_options(o, task);
  o.add("trials", trials, "Number of reviews").range(1, 1e8);
  o.add("print", print, "Print this many reviews as words with their running target (no file)").range(0, 1e6).unrecorded();

  return tool.run(argc, argv, [&] {
    if (print > 0) {
      const auto& vocab = ctd::sentiment_vocabulary();
      for (int b = 0; b < print; ++b) {
        std::vector<int> tok = ctd::sentiment_review(task, tool.seed, uint64_t(b));
        std::vector<double> y = ctd::sentiment_targets(tok);
        std::cout << "review " << b << " (" << task.kind << "): final sentiment " << y.back() << "\n";
        for (size_t t = 0; t < tok.size(); ++t) {
          char line[64];
          std::snprintf(line, sizeof line, "  %2zu  %-9s %+g\n", t, vocab[size_t(tok[t])].c_str(), y[t]);
          std::cout << line;
        }
      }
      return;
    }
    if (tool.output.empty()) throw ctd::UsageError("--output is required (or --print N)");
    ctd::OutputFile out(tool.output);
    ctd::SentimentData d = ctd::generate_sentiment(task, tool.seed, trials);
    ctd::write_task_datasets(out.h5(), d.task, "sentiment");
    out.h5().write("tokens", d.tokens);
    out.h5().write_attribute("vocabulary", ctd::sentiment_vocabulary());
    ctd::write_provenance(out.h5(), "task", tool.run_info());
    out.commit();
  });
}
