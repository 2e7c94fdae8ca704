#include "tasks/sentiment.hpp"

#include "util/error.hpp"
#include "util/memory.hpp"
#include "util/options.hpp"
#include "util/rng.hpp"

namespace ctd {

namespace {
const std::vector<std::string> kVocabulary = {"a",     "and", "awesome1", "awful1", "bad1", "for",
                                              "good1", "it",  "not4",     "the",    "very1", "while"};
const std::vector<int> kNoise = {0, 1, 5, 7, 9, 11};                   // a and for it the while
const std::vector<int> kNonModifier = {0, 1, 2, 3, 4, 5, 6, 7, 9, 11};  // all but not4, very1
const int kNot = 8, kVery = 10;
const std::vector<std::string> kWords = {"good", "bad", "awesome", "awful"};

double valence(int w) {
  switch (w) {
    case 6: return 1;    // good1
    case 4: return -1;   // bad1
    case 2: return 2;    // awesome1
    case 3: return -2;   // awful1
    default: return 0;
  }
}

int pick(RngStream& rng, const std::vector<int>& from) {
  size_t i = size_t(rng.uniform() * double(from.size()));
  return from[std::min(i, from.size() - 1)];
}
}  // namespace

const std::vector<std::string>& sentiment_vocabulary() { return kVocabulary; }

int word_index(const std::string& word) {
  for (size_t i = 0; i < kVocabulary.size(); ++i)
    if (kVocabulary[i] == word || kVocabulary[i] == word + "1" || kVocabulary[i] == word + "4") return int(i);
  throw Error("unknown word '" + word + "'");
}

std::vector<double> sentiment_values(const std::vector<int>& tokens) {
  const int T = int(tokens.size());
  std::vector<double> v(static_cast<size_t>(T));
  for (int k = 0; k < T; ++k) v[size_t(k)] = valence(tokens[size_t(k)]);
  for (int k = T - 1; k >= 0; --k) {
    int w = tokens[size_t(k)];
    if (w != kNot && w != kVery) continue;
    const int span = w == kNot ? 4 : 1;
    const double factor = w == kNot ? -1.0 : 2.0;
    for (int j = k + 1; j <= std::min(T - 1, k + span); ++j) v[size_t(j)] *= factor;
  }
  return v;
}

std::vector<double> sentiment_targets(const std::vector<int>& tokens) {
  std::vector<double> v = sentiment_values(tokens);
  for (size_t k = 1; k < v.size(); ++k) v[k] += v[k - 1];
  return v;
}

std::vector<std::string> sentiment_kinds() {
  std::vector<std::string> k = {"random", "noise", "very", "not"};
  for (const auto& w : kWords) {
    k.push_back(w);
    k.push_back("very-" + w);
    k.push_back("not-" + w);
    k.push_back("not-nnn-" + w);
  }
  return k;
}

bool valid_sentiment_kind(const std::string& kind) {
  for (const auto& k : sentiment_kinds())
    if (k == kind) return true;
  return false;
}

std::vector<int> sentiment_review(const SentimentTask& task, uint64_t seed, uint64_t index) {
  RngStream rng(seed, RngDomain::Task, index);
  const int T = task.length;
  std::vector<int> tok(static_cast<size_t>(T));
  if (task.kind == "random") {
    int last_not = -1000;
    for (int t = 0; t < T; ++t) {
      int w = int(std::min<double>(11, rng.uniform() * 12));
      if (w == kNot) {
        if (t - last_not <= 4)
          w = pick(rng, kNonModifier);
        else
          last_not = t;
      }
      tok[size_t(t)] = w;
    }
    return tok;
  }
  for (int t = 0; t < T; ++t) tok[size_t(t)] = pick(rng, kNoise);
  if (task.kind == "noise") return tok;
  // Probes: parse "[very-|not-|not-nnn-]word" or a bare modifier.
  std::string k = task.kind;
  auto place = [&](int pos, int w) {
    if (pos >= T) throw UsageError("--length " + std::to_string(T) + " is too short for the probe '" + k + "'");
    tok[size_t(pos)] = w;
  };
  if (k == "very") return place(25, kVery), tok;
  if (k == "not") return place(25, kNot), tok;
  if (k.rfind("very-", 0) == 0) return place(25, kVery), place(26, word_index(k.substr(5))), tok;
  if (k.rfind("not-nnn-", 0) == 0) return place(25, kNot), place(29, word_index(k.substr(8))), tok;
  if (k.rfind("not-", 0) == 0) return place(25, kNot), place(26, word_index(k.substr(4))), tok;
  place(26, word_index(k));
  return tok;
}

SentimentData generate_sentiment(const SentimentTask& task, uint64_t seed, size_t trials) {
  if (!valid_sentiment_kind(task.kind)) throw UsageError("unknown --kind '" + task.kind + "'");
  if (task.length <= 0) throw UsageError("--length must be positive");
  const size_t T = size_t(task.length), V = kVocabulary.size();
  require_memory(4.0 * double(trials) * double(T) * double(V + 3), std::to_string(trials) + " reviews");
  SentimentData d;
  d.task.inputs = Array<float>({trials, T, V}, 0.0f);
  d.task.targets = Array<float>({trials, T, 1});
  d.task.target_mask = Array<float>({trials, T, 1}, 1.0f);
  d.tokens = Array<int32_t>({trials, T});
  for (size_t b = 0; b < trials; ++b) {
    std::vector<int> tok = sentiment_review(task, seed, b);
    std::vector<double> y = sentiment_targets(tok);
    for (size_t t = 0; t < T; ++t) {
      d.tokens[b * T + t] = tok[t];
      d.task.inputs[(b * T + t) * V + size_t(tok[t])] = 1.0f;
      d.task.targets[b * T + t] = float(y[t]);
    }
    if (task.input_noise > 0) {
      RngStream rng(seed, RngDomain::StateNoise, b);  // a stream of its own, apart from the words
      for (size_t i = 0; i < T * V; ++i) d.task.inputs[b * T * V + i] += float(task.input_noise * rng.normal());
    }
  }
  return d;
}

void register_options(OptionSet& o, SentimentTask& task) {
  std::string kinds;
  for (const auto& k : sentiment_kinds()) kinds += (kinds.empty() ? "" : "|") + k;
  o.group("Task");
  o.add("kind", task.kind, "random (training reviews), noise, or a probe: " + kinds).one_of(sentiment_kinds());
  o.add("length", task.length, "Words per review").min(1);
  o.add("input-noise", task.input_noise, "Std of Gaussian noise added to the one-hot inputs").range(0, 1e6);
}

}  // namespace ctd
