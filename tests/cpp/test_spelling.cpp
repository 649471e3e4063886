// The edit distance behind "did you mean" hints, against brute force.
#include <algorithm>
#include <cstddef>
#include <map>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../../libmatch/src/spelling.hpp"

using libmatch::detail::edit_distance;
using libmatch::detail::nearest_name;

namespace {

// Levenshtein distance by the plain recursion, memoised.
std::size_t levenshtein(const std::string& a, const std::string& b) {
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> memo;
  auto d = [&](auto&& self, std::size_t i, std::size_t j) -> std::size_t {
    if (i == 0) return j;
    if (j == 0) return i;
    const auto key = std::make_pair(i, j);
    if (const auto it = memo.find(key); it != memo.end()) return it->second;
    const std::size_t best = std::min({self(self, i - 1, j) + 1, self(self, i, j - 1) + 1,
                                       self(self, i - 1, j - 1) + (a[i - 1] == b[j - 1] ? 0 : 1)});
    memo[key] = best;
    return best;
  };
  return d(d, a.size(), b.size());
}

// The unrestricted Damerau-Levenshtein distance, by breadth-first search
// over single edits (insert, delete, substitute a letter of the alphabet,
// swap two neighbours). Optimal string alignment lies between it and
// Levenshtein.
std::size_t damerau_by_search(const std::string& a, const std::string& b,
                              const std::string& alphabet) {
  std::set<std::string> seen{a};
  std::queue<std::pair<std::string, std::size_t>> queue;
  queue.push({a, 0});
  const std::size_t longest = std::max(a.size(), b.size()) + 1;
  while (!queue.empty()) {
    auto [s, d] = queue.front();
    queue.pop();
    if (s == b) return d;
    std::vector<std::string> next;
    for (std::size_t i = 0; i <= s.size(); ++i) {
      for (char c : alphabet) {
        if (s.size() < longest) next.push_back(s.substr(0, i) + c + s.substr(i));
        if (i < s.size() && s[i] != c) next.push_back(s.substr(0, i) + c + s.substr(i + 1));
      }
      if (i < s.size()) next.push_back(s.substr(0, i) + s.substr(i + 1));
      if (i + 1 < s.size()) {
        std::string t = s;
        std::swap(t[i], t[i + 1]);
        next.push_back(t);
      }
    }
    for (std::string& t : next) {
      if (seen.insert(t).second) queue.push({std::move(t), d + 1});
    }
  }
  return 0;  // unreachable: b is always reached
}

}  // namespace

TEST(Spelling, KnownDistances) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("westen europe", "western europe"), 1u);
  EXPECT_EQ(edit_distance("eastren", "eastern"), 1u);  // one swap
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);           // no substring edited twice (Damerau: 2)
  EXPECT_EQ(edit_distance("abcdef", "badcfe"), 3u);
  EXPECT_EQ(edit_distance("carribean", "caribbean"), 2u);
}

// On every pair of short strings over a small alphabet, the distance is
// symmetric, zero only for equal strings, at least the unrestricted
// Damerau-Levenshtein distance found by search and at most Levenshtein's.
TEST(Spelling, AgreesWithBruteForce) {
  std::mt19937 rng(7);
  const std::string alphabet = "abc";
  auto random_string = [&](std::size_t max_length) {
    std::string s(rng() % (max_length + 1), 'a');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    return s;
  };
  for (int trial = 0; trial < 600; ++trial) {
    const std::string a = random_string(5), b = random_string(5);
    const std::size_t d = edit_distance(a, b);
    EXPECT_EQ(d, edit_distance(b, a)) << a << " " << b;
    EXPECT_EQ(d == 0, a == b);
    const std::size_t lev = levenshtein(a, b);
    EXPECT_LE(d, lev) << a << " " << b;
    EXPECT_GE(d, damerau_by_search(a, b, alphabet)) << a << " " << b;
  }
  // Over one letter no swap changes anything: exactly Levenshtein.
  for (std::size_t m = 0; m < 6; ++m) {
    for (std::size_t n = 0; n < 6; ++n) {
      EXPECT_EQ(edit_distance(std::string(m, 'a'), std::string(n, 'a')), m > n ? m - n : n - m);
    }
  }
}

TEST(Spelling, NearestNameWithinOneEditInThree) {
  const std::vector<std::string_view> names = {"education", "sports", "tourism", "asia", "oceania"};
  EXPECT_EQ(nearest_name("educaton", names), 0u);
  EXPECT_EQ(nearest_name("sport", names), 1u);
  EXPECT_EQ(nearest_name("toursim", names), 2u);
  EXPECT_EQ(nearest_name("asai", names), 3u);  // 4 letters: one edit
  EXPECT_FALSE(nearest_name("", names).has_value());
  EXPECT_FALSE(nearest_name("aisa x", names).has_value());
  EXPECT_FALSE(nearest_name("knitting", names).has_value());
  EXPECT_FALSE(nearest_name("a", names).has_value());
  EXPECT_EQ(nearest_name("oceanie", names), 4u);
  // Ties go to the first name.
  EXPECT_EQ(nearest_name("ab", std::vector<std::string_view>{"ac", "ab_", "ad"}), 0u);
  EXPECT_FALSE(nearest_name("abc", std::vector<std::string_view>{}).has_value());
}
