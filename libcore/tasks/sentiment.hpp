// The contextual-processing toy language of docs/methods.md §6 (Maheswaranathan &
// Sussillo 2020): reviews of 12 words whose running sentiment the network
// must report, with modifiers (not4, very1) that change the words after them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/array.hpp"
#include "tasks/integrator.hpp"

namespace ctd {

// The vocabulary in index order (one-hot inputs follow it).
const std::vector<std::string>& sentiment_vocabulary();
int word_index(const std::string& word);  // throws Error for an unknown word

// Per-position values: valences (good1 +1, bad1 −1, awesome1 +2, awful1 −2),
// then, going backwards through the review, each modifier multiplies the
// positions after it (not4: ×−1 on the next 4; very1: ×2 on the next 1).
std::vector<double> sentiment_values(const std::vector<int>& tokens);
// The target: y_t = Σ_{k≤t} v_k.
std::vector<double> sentiment_targets(const std::vector<int>& tokens);

// Review kinds: "random" (uniform words; a not4 within 4 positions after
// another is replaced by a random non-modifier), "noise" (noise words only),
// and probes on a noise background: a word at position 26 ("good", ...),
// "very"/"not" at 25, "very-good" (very1 at 25, good1 at 26), "not-good",
// and "not-nnn-good" (not4 at 25, the word at 29).
bool valid_sentiment_kind(const std::string& kind);
std::vector<std::string> sentiment_kinds();

struct SentimentTask {
  std::string kind = "random";
  int length = 50;
  double input_noise = 0.0;  // σ of Gaussian noise added to the one-hot inputs
};
class OptionSet;
// --kind, --length, --input-noise.
void register_options(OptionSet& o, SentimentTask& task);

struct SentimentData {
  TaskData task;          // inputs [B,T,12], targets [B,T,1], target_mask ones
  Array<int32_t> tokens;  // [B,T]
};

// Review k draws from its own random stream of the seed.
std::vector<int> sentiment_review(const SentimentTask& task, uint64_t seed, uint64_t index);
SentimentData generate_sentiment(const SentimentTask& task, uint64_t seed, size_t trials);

}  // namespace ctd
