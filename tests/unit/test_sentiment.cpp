#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "tasks/sentiment.hpp"
#include "util/error.hpp"

using namespace ctd;

namespace {
std::vector<int> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<int> tok;
  for (std::string w; in >> w;) tok.push_back(word_index(w));
  return tok;
}
}  // namespace

TEST_CASE("vocabulary: 12 words in sorted order, one-hot index = position") {
  const auto& v = sentiment_vocabulary();
  REQUIRE(v.size() == 12);
  CHECK(std::is_sorted(v.begin(), v.end()));
  CHECK(v[0] == "a");
  CHECK(v[6] == "good1");
  CHECK(v[8] == "not4");
  CHECK(v[10] == "very1");
  SentimentTask t;
  SentimentData d = generate_sentiment(t, 3, 5);
  for (size_t b = 0; b < 5; ++b)
    for (size_t s = 0; s < 50; ++s) {
      int w = d.tokens[b * 50 + s];
      for (int i = 0; i < 12; ++i) CHECK(d.task.inputs[(b * 50 + s) * 12 + size_t(i)] == (i == w ? 1.0f : 0.0f));
    }
}

TEST_CASE("target rules on hand-written reviews") {
  auto final_value = [](const std::string& s) { return sentiment_targets(words(s)).back(); };
  CHECK(final_value("the good") == 1);
  CHECK(final_value("it the awful") == -2);
  CHECK(final_value("very good") == 2);
  CHECK(final_value("not good") == -1);
  CHECK(final_value("not very good") == -2);           // nested: very doubles, not flips
  CHECK(final_value("very not good") == -1);           // very doubles 'not' (valence 0), not flips good
  CHECK(final_value("not a the it good") == -1);       // 4 positions after not: the last one it flips
  CHECK(final_value("not a the it the good") == 1);    // 5 positions after: outside its span
  CHECK(final_value("not awesome bad") == -1);         // -2 + 1
  CHECK(final_value("good very bad") == -1);           // 1 - 2
  CHECK(final_value("awesome not") == 2);              // a not at the end changes nothing before it
  // The running target at every step.
  std::vector<double> y = sentiment_targets(words("good not good very awful"));
  CHECK(y == std::vector<double>{1, 1, 0, 0, 4});  // awful: -2 ×2 (very) ×-1 (not, 3 back)
}

TEST_CASE("random reviews: no second not4 within 4 positions after a kept one") {
  SentimentTask t;
  SentimentData d = generate_sentiment(t, 7, 2000);
  int nots = 0;
  for (size_t b = 0; b < 2000; ++b) {
    int last = -1000;
    for (int s = 0; s < 50; ++s)
      if (d.tokens[b * 50 + size_t(s)] == 8) {
        CHECK(s - last > 4);
        last = s;
        ++nots;
      }
  }
  // Without the rule 1/12 of the words would be not4; with it fewer, but still many.
  CHECK(nots > 2000 * 50 / 12 / 2);
  CHECK(nots < 2000 * 50 / 12);
}

TEST_CASE("probe placement and reproducibility by seed") {
  SentimentTask t;
  t.kind = "not-nnn-good";
  std::vector<int> r = sentiment_review(t, 1, 0);
  CHECK(r[25] == 8);
  CHECK(r[29] == 6);
  // The rest are noise words (a and for it the while).
  for (int s : {26, 27, 28, 30}) CHECK(sentiment_values(std::vector<int>{r[size_t(s)]})[0] == 0);
  t.kind = "very-awful";
  r = sentiment_review(t, 1, 0);
  CHECK(r[25] == 10);
  CHECK(r[26] == 3);
  CHECK(sentiment_targets(r).back() == -4);
  t.kind = "good";
  r = sentiment_review(t, 1, 3);
  CHECK(r[26] == 6);
  CHECK(sentiment_targets(r).back() == 1);
  t.kind = "random";
  CHECK(sentiment_review(t, 5, 9) == sentiment_review(t, 5, 9));
  CHECK(sentiment_review(t, 5, 9) != sentiment_review(t, 6, 9));
  CHECK(sentiment_review(t, 5, 9) != sentiment_review(t, 5, 10));
  t.length = 20;
  t.kind = "not-good";
  CHECK_THROWS_AS(sentiment_review(t, 1, 0), UsageError);
}
