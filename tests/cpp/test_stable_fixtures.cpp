// stable_fixtures() against brute force (every matching within capacities)
// on thousands of small random instances, against stable_roommates() when
// every capacity is 1, on published roommates instances, at scale, and its
// input errors.
#include <algorithm>
#include <cstddef>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <libmatch/libmatch.hpp>

using namespace libmatch;

namespace {

using Lists = std::vector<std::vector<int>>;
using Partners = std::vector<std::vector<int>>;
constexpr int kUnranked = std::numeric_limits<int>::max();

struct Instance {
  Lists preferences;
  std::vector<int> capacities;
};

// rank[p][q] = position of q in p's list, kUnranked when absent; built here,
// independently of the library. Dense, for the brute force's small cases.
std::vector<std::vector<int>> rank_matrix(const Lists& preferences) {
  const std::size_t n = preferences.size();
  std::vector<std::vector<int>> rank(n, std::vector<int>(n, kUnranked));
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t i = 0; i < preferences[p].size(); ++i)
      rank[p][static_cast<std::size_t>(preferences[p][i])] = static_cast<int>(i);
  return rank;
}

// The same by hash, for instances of any size.
std::vector<std::unordered_map<int, int>> rank_tables(const Lists& preferences) {
  std::vector<std::unordered_map<int, int>> ranks(preferences.size());
  for (std::size_t p = 0; p < preferences.size(); ++p)
    for (std::size_t i = 0; i < preferences[p].size(); ++i)
      ranks[p][preferences[p][i]] = static_cast<int>(i);
  return ranks;
}

int rank_in(const std::unordered_map<int, int>& ranks, int who) {
  const auto it = ranks.find(who);
  return it == ranks.end() ? kUnranked : it->second;
}

// A valid result names, for each person, distinct people who list it and
// whom it lists, symmetrically, and no more of them than its capacity.
::testing::AssertionResult is_valid(const Instance& inst, const Partners& partners) {
  const std::size_t n = inst.preferences.size();
  if (partners.size() != n) return ::testing::AssertionFailure() << "wrong size";
  const auto ranks = rank_tables(inst.preferences);
  for (std::size_t p = 0; p < n; ++p) {
    if (partners[p].size() > static_cast<std::size_t>(inst.capacities[p]))
      return ::testing::AssertionFailure() << "person " << p << " over capacity";
    std::set<int> seen;
    for (const int q : partners[p]) {
      if (q < 0 || static_cast<std::size_t>(q) >= n || static_cast<std::size_t>(q) == p)
        return ::testing::AssertionFailure() << "person " << p << ": bad partner " << q;
      if (!seen.insert(q).second)
        return ::testing::AssertionFailure() << "person " << p << ": " << q << " twice";
      const auto uq = static_cast<std::size_t>(q);
      if (rank_in(ranks[p], q) == kUnranked || rank_in(ranks[uq], static_cast<int>(p)) == kUnranked)
        return ::testing::AssertionFailure() << "pair " << p << ", " << q << " not acceptable";
      const auto& back = partners[uq];
      if (std::find(back.begin(), back.end(), static_cast<int>(p)) == back.end())
        return ::testing::AssertionFailure() << "pair " << p << ", " << q << " not symmetric";
    }
  }
  return ::testing::AssertionSuccess();
}

// {a, b} blocks when they list each other, are not partners, and each has
// room or likes the other better than its worst partner.
int blocking_pairs(const Instance& inst, const Partners& partners) {
  const std::size_t n = inst.preferences.size();
  const auto ranks = rank_tables(inst.preferences);
  std::vector<int> worst(n, -1);
  for (std::size_t p = 0; p < n; ++p)
    for (const int q : partners[p]) worst[p] = std::max(worst[p], rank_in(ranks[p], q));
  auto wants = [&](std::size_t p, int q) {
    return partners[p].size() < static_cast<std::size_t>(inst.capacities[p]) ||
           rank_in(ranks[p], q) < worst[p];
  };
  int count = 0;
  for (std::size_t a = 0; a < n; ++a)
    for (const int b : inst.preferences[a]) {
      const auto ub = static_cast<std::size_t>(b);
      if (ub <= a || rank_in(ranks[ub], static_cast<int>(a)) == kUnranked) continue;
      const auto& pa = partners[a];
      if (std::find(pa.begin(), pa.end(), b) != pa.end()) continue;
      if (wants(a, b) && wants(ub, static_cast<int>(a))) ++count;
    }
  return count;
}

// Every matching within capacities with no blocking pair, as sorted pair
// lists: a depth-first choice over the acceptable pairs (in, or out), with
// the stability test at each leaf.
std::vector<std::vector<std::pair<int, int>>> brute_force_stable(const Instance& inst) {
  const std::size_t n = inst.preferences.size();
  const auto rank = rank_matrix(inst.preferences);
  std::vector<std::pair<int, int>> pairs;
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b)
      if (rank[a][b] != kUnranked && rank[b][a] != kUnranked)
        pairs.emplace_back(static_cast<int>(a), static_cast<int>(b));
  std::vector<char> chosen(pairs.size(), 0);
  std::vector<int> load(n, 0);
  std::vector<std::vector<std::pair<int, int>>> found;
  auto stable = [&]() {
    std::vector<int> worst(n, -1);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      if (!chosen[i]) continue;
      const auto [a, b] = pairs[i];
      worst[a] = std::max(worst[a], rank[a][b]);
      worst[b] = std::max(worst[b], rank[b][a]);
    }
    auto wants = [&](int p, int q) {
      return load[p] < inst.capacities[p] || rank[p][q] < worst[p];
    };
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const auto [a, b] = pairs[i];
      if (!chosen[i] && wants(a, b) && wants(b, a)) return false;
    }
    return true;
  };
  std::function<void(std::size_t)> extend = [&](std::size_t i) {
    if (i == pairs.size()) {
      if (!stable()) return;
      std::vector<std::pair<int, int>> m;
      for (std::size_t j = 0; j < pairs.size(); ++j)
        if (chosen[j]) m.push_back(pairs[j]);
      found.push_back(std::move(m));
      return;
    }
    extend(i + 1);
    const auto [a, b] = pairs[i];
    if (load[a] < inst.capacities[a] && load[b] < inst.capacities[b]) {
      chosen[i] = 1;
      ++load[a];
      ++load[b];
      extend(i + 1);
      --load[a];
      --load[b];
      chosen[i] = 0;
    }
  };
  extend(0);
  return found;
}

std::vector<std::pair<int, int>> as_pairs(const Partners& partners) {
  std::vector<std::pair<int, int>> out;
  for (std::size_t p = 0; p < partners.size(); ++p)
    for (const int q : partners[p])
      if (static_cast<int>(p) < q) out.emplace_back(static_cast<int>(p), q);
  std::sort(out.begin(), out.end());
  return out;
}

// Random mutual lists: each pair acceptable with probability `density`,
// ranked at random by both; capacities uniform in [low, high].
Instance random_instance(std::mt19937& rng, int n, double density, int low, int high) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> capacity(low, high);
  Instance inst;
  inst.preferences.resize(static_cast<std::size_t>(n));
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b)
      if (density >= 1.0 || unit(rng) < density) {
        inst.preferences[static_cast<std::size_t>(a)].push_back(b);
        inst.preferences[static_cast<std::size_t>(b)].push_back(a);
      }
  for (auto& list : inst.preferences) std::shuffle(list.begin(), list.end(), rng);
  for (int p = 0; p < n; ++p) inst.capacities.push_back(capacity(rng));
  return inst;
}

Lists from_one_based(const Lists& lists) {
  Lists out = lists;
  for (auto& list : out)
    for (int& p : list) --p;
  return out;
}

bool has_problem(const InputError& e, std::size_t index, const std::string& field,
                 const std::string& reason_part) {
  const auto& ps = e.problems();
  return std::any_of(ps.begin(), ps.end(), [&](const Problem& p) {
    return p.index == index && p.field == field && p.reason.find(reason_part) != std::string::npos;
  });
}

struct Outcome {
  bool solved = false;
  Partners partners;
};

Outcome run(const Instance& inst) {
  Outcome out;
  try {
    out.partners = stable_fixtures(inst.preferences, inst.capacities);
    out.solved = true;
  } catch (const NoStableMatchingError& e) {
    EXPECT_NE(std::string(e.what()).find("no stable matching"), std::string::npos);
  }
  return out;
}

}  // namespace

// The heart of the suite: 20,000 random instances of 1 to 8 people with
// capacities 1 to 3 and incomplete lists of every density, each against
// every matching within capacities.
TEST(StableFixtures, AgreesWithBruteForceOnRandomInstances) {
  std::mt19937 rng(2007);
  std::uniform_int_distribution<int> size(1, 8);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int solvable = 0, unsolvable = 0, several = 0, beyond_one = 0;
  const int trials = 20000;
  for (int trial = 0; trial < trials; ++trial) {
    const int n = size(rng);
    const double density = trial % 4 == 0 ? 1.0 : 0.2 + 0.8 * unit(rng);
    // Everyone 1, 1 or 2, or 1 to 3: the smaller the capacities, the more
    // instances without a stable matching.
    const Instance inst = random_instance(rng, n, density, 1, 1 + trial % 3);
    const auto stable = brute_force_stable(inst);
    const Outcome got = run(inst);
    ASSERT_EQ(got.solved, !stable.empty()) << "trial " << trial;
    if (!got.solved) {
      ++unsolvable;
      continue;
    }
    ++solvable;
    if (stable.size() > 1) ++several;
    ASSERT_TRUE(is_valid(inst, got.partners)) << "trial " << trial;
    ASSERT_EQ(blocking_pairs(inst, got.partners), 0) << "trial " << trial;
    const auto mine = as_pairs(got.partners);
    ASSERT_NE(std::find(stable.begin(), stable.end(), mine), stable.end()) << "trial " << trial;
    // Every stable matching gives each person as many partners as this one
    // does (the fact behind the algorithm's "none exists" answer).
    for (const auto& m : stable) {
      std::vector<std::size_t> degree(static_cast<std::size_t>(n), 0);
      for (const auto& [a, b] : m) {
        ++degree[static_cast<std::size_t>(a)];
        ++degree[static_cast<std::size_t>(b)];
      }
      for (std::size_t p = 0; p < degree.size(); ++p) {
        ASSERT_EQ(degree[p], got.partners[p].size()) << "trial " << trial << " person " << p;
        if (degree[p] > 1) ++beyond_one;
      }
    }
  }
  // Both answers, instances with several stable matchings, and people with
  // several partners must all be well represented for the comparison to
  // mean much.
  EXPECT_GT(solvable, 15000);
  EXPECT_GT(unsolvable, 1000);
  EXPECT_GT(several, 400);
  EXPECT_GT(beyond_one, 15000);
}

// Capacities of 0 (a person taking no one) and above the list length.
TEST(StableFixtures, AgreesWithBruteForceWithZeroAndLargeCapacities) {
  std::mt19937 rng(155);
  std::uniform_int_distribution<int> size(1, 7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 1500; ++trial) {
    const Instance inst = random_instance(rng, size(rng), 0.3 + 0.7 * unit(rng), 0, 6);
    const auto stable = brute_force_stable(inst);
    const Outcome got = run(inst);
    ASSERT_EQ(got.solved, !stable.empty()) << "trial " << trial;
    if (!got.solved) continue;
    ASSERT_TRUE(is_valid(inst, got.partners)) << "trial " << trial;
    ASSERT_EQ(blocking_pairs(inst, got.partners), 0) << "trial " << trial;
  }
}

// With every capacity 1 the problem is stable roommates and the algorithm
// is Irving's: the answers are the same, partner for partner, and a failure
// for one is a failure for the other. On small instances (where the brute
// force has the last word) and on larger ones.
TEST(StableFixtures, CapacityOneIsStableRoommates) {
  std::mt19937 rng(1985);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int compared = 0, unsolvable = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const bool small = trial % 3 != 0;
    std::uniform_int_distribution<int> size(1, small ? 7 : 120);
    const int n = size(rng);
    const double density = small ? 0.2 + 0.8 * unit(rng) : (3.0 + 10.0 * unit(rng)) / n;
    const Instance inst = random_instance(rng, n, density, 1, 1);
    bool roommates_solved = true;
    std::vector<int> roommate;
    try {
      roommate = stable_roommates(inst.preferences);
    } catch (const NoStableMatchingError&) {
      roommates_solved = false;
    }
    const Outcome got = run(inst);
    ASSERT_EQ(got.solved, roommates_solved) << "trial " << trial;
    if (small) {
      ASSERT_EQ(got.solved, !brute_force_stable(inst).empty()) << "trial " << trial;
    }
    ++compared;
    if (!got.solved) {
      ++unsolvable;
      continue;
    }
    for (std::size_t p = 0; p < roommate.size(); ++p) {
      const std::vector<int> expected =
          roommate[p] < 0 ? std::vector<int>{} : std::vector<int>{roommate[p]};
      ASSERT_EQ(got.partners[p], expected) << "trial " << trial << " person " << p;
    }
  }
  EXPECT_EQ(compared, 3000);
  EXPECT_GT(unsolvable, 300);
}

// Two-sided instances (every pair joins the two halves) always have a stable
// matching, with capacities too: the algorithm must find one.
TEST(StableFixtures, TwoSidedInstancesAlwaysSucceed) {
  std::mt19937 rng(62);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> half(1, 30), capacity(1, 4);
  for (int trial = 0; trial < 300; ++trial) {
    const int left = half(rng), right = half(rng);
    const double density = 0.1 + 0.9 * unit(rng);
    Instance inst;
    inst.preferences.resize(static_cast<std::size_t>(left + right));
    for (int a = 0; a < left; ++a)
      for (int b = left; b < left + right; ++b)
        if (unit(rng) < density) {
          inst.preferences[static_cast<std::size_t>(a)].push_back(b);
          inst.preferences[static_cast<std::size_t>(b)].push_back(a);
        }
    for (auto& list : inst.preferences) std::shuffle(list.begin(), list.end(), rng);
    for (int p = 0; p < left + right; ++p) inst.capacities.push_back(capacity(rng));
    const Partners partners = stable_fixtures(inst.preferences, inst.capacities);
    ASSERT_TRUE(is_valid(inst, partners)) << "trial " << trial;
    ASSERT_EQ(blocking_pairs(inst, partners), 0) << "trial " << trial;
  }
}

TEST(StableFixtures, GaleShapleyFourPersonInstanceHasNoStableMatching) {
  // Gale & Shapley (1962), the roommates instance with no stable matching:
  // 1, 2 and 3 rank each other in a cycle and all rank 4 last, so whoever
  // is paired with 4 blocks with someone.
  Instance inst{from_one_based({{2, 3, 4}, {3, 1, 4}, {1, 2, 4}, {1, 2, 3}}), {1, 1, 1, 1}};
  EXPECT_TRUE(brute_force_stable(inst).empty());
  EXPECT_THROW(stable_fixtures(inst.preferences, inst.capacities), NoStableMatchingError);
  // With two places each it has stable matchings, and the algorithm finds one.
  inst.capacities = {2, 2, 2, 2};
  EXPECT_FALSE(brute_force_stable(inst).empty());
  const Partners partners = stable_fixtures(inst.preferences, inst.capacities);
  EXPECT_TRUE(is_valid(inst, partners));
  EXPECT_EQ(blocking_pairs(inst, partners), 0);
}

TEST(StableFixtures, GaleShapleyInstanceWithPrivatePartnersHasNoneAtCapacityTwo) {
  // The same four with capacity 2, each also the first choice of a private
  // partner (5-8, capacity 1) who lists no one else: every stable matching
  // must give each of 1-4 its private partner (they would block otherwise),
  // so one place is left each and the roommates instance above remains.
  Instance inst{
      from_one_based({{5, 2, 3, 4}, {6, 3, 1, 4}, {7, 1, 2, 4}, {8, 1, 2, 3}, {1}, {2}, {3}, {4}}),
      {2, 2, 2, 2, 1, 1, 1, 1}};
  EXPECT_TRUE(brute_force_stable(inst).empty());
  EXPECT_THROW(stable_fixtures(inst.preferences, inst.capacities), NoStableMatchingError);
  // A third place each leaves two among the other three: 1, 2 and 3 take
  // each other (their first two choices) and 4, last in every list, keeps
  // only its private partner. It is the only stable matching.
  inst.capacities = {3, 3, 3, 3, 1, 1, 1, 1};
  const Partners partners = stable_fixtures(inst.preferences, inst.capacities);
  EXPECT_EQ(partners, from_one_based({{5, 2, 3}, {6, 3, 1}, {7, 1, 2}, {8}, {1}, {2}, {3}, {4}}));
  EXPECT_EQ(blocking_pairs(inst, partners), 0);
  EXPECT_EQ(brute_force_stable(inst).size(), 1u);
}

TEST(StableFixtures, IrvingSixPersonExample) {
  // Irving (1985), the six-person example: its only stable matching is
  // {1,6}, {2,3}, {4,5}.
  const Instance inst{from_one_based({{4, 6, 2, 5, 3},
                                      {6, 3, 5, 1, 4},
                                      {4, 5, 1, 6, 2},
                                      {2, 6, 5, 1, 3},
                                      {4, 2, 3, 6, 1},
                                      {5, 1, 4, 2, 3}}),
                      std::vector<int>(6, 1)};
  const Partners partners = stable_fixtures(inst.preferences, inst.capacities);
  EXPECT_EQ(partners, from_one_based({{6}, {3}, {2}, {5}, {4}, {1}}));
  EXPECT_EQ(brute_force_stable(inst).size(), 1u);
}

TEST(StableFixtures, SmallCases) {
  EXPECT_TRUE(stable_fixtures({}, {}).empty());
  EXPECT_EQ(stable_fixtures({{}}, {3}), (Partners{{}}));
  EXPECT_EQ(stable_fixtures({{1}, {0}}, {2, 1}), (Partners{{1}, {0}}));
  // No room: a capacity of 0 takes no one, and the others stay single.
  EXPECT_EQ(stable_fixtures({{1}, {0}}, {0, 1}), (Partners{{}, {}}));
  // Three people in a cycle of first choices: no stable matching with one
  // place each, everyone with everyone at two places each.
  const Lists cycle = from_one_based({{2, 3}, {3, 1}, {1, 2}});
  EXPECT_THROW(stable_fixtures(cycle, {1, 1, 1}), NoStableMatchingError);
  EXPECT_EQ(stable_fixtures(cycle, {2, 2, 2}), from_one_based({{2, 3}, {3, 1}, {1, 2}}));
  // A hub with two places among three who all want it first: it keeps the
  // two it likes best, and the third pairs with whom it can.
  const Lists hub = {{1, 2, 3}, {0, 2}, {0, 1}, {0}};
  EXPECT_EQ(stable_fixtures(hub, {2, 1, 1, 1}), (Partners{{1, 2}, {0}, {0}, {}}));
  EXPECT_EQ(stable_fixtures(hub, {2, 2, 2, 1}), (Partners{{1, 2}, {0, 2}, {0, 1}, {}}));
}

TEST(StableFixtures, IsDeterministic) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    const Instance inst = random_instance(rng, 300, 0.05, 1, 3);
    const Outcome first = run(inst), second = run(inst);
    EXPECT_EQ(first.solved, second.solved);
    EXPECT_EQ(first.partners, second.partners);
  }
}

TEST(StableFixtures, LargeInstanceWithGlobalEdgeWeights) {
  // 100,000 people wanting 1 to 3 partners with about 20 acceptable ones
  // each, everyone ranking by a shared random edge weight: the heaviest
  // edges taken greedily within capacities are stable, so a stable matching
  // exists and must be found, fast.
  std::mt19937 rng(11);
  const int n = 100000;
  std::uniform_int_distribution<int> pick(0, n - 1), capacity(1, 3);
  std::uniform_real_distribution<double> weight(0.0, 1.0);
  std::vector<std::vector<std::pair<double, int>>> weighted(n);
  for (int a = 0; a < n; ++a)
    for (int k = 0; k < 10; ++k) {
      const int b = pick(rng);
      if (b == a) continue;
      const bool present = std::any_of(weighted[a].begin(), weighted[a].end(),
                                       [&](const auto& entry) { return entry.second == b; });
      if (present) continue;
      const double w = weight(rng);
      weighted[a].push_back({w, b});
      weighted[b].push_back({w, a});
    }
  Instance inst;
  inst.preferences.resize(n);
  for (int a = 0; a < n; ++a) {
    std::sort(weighted[a].rbegin(), weighted[a].rend());
    for (const auto& entry : weighted[a]) inst.preferences[a].push_back(entry.second);
    inst.capacities.push_back(capacity(rng));
  }
  const Partners partners = stable_fixtures(inst.preferences, inst.capacities);
  ASSERT_TRUE(is_valid(inst, partners));
  EXPECT_EQ(blocking_pairs(inst, partners), 0);
}

TEST(StableFixtures, LargeRandomInstanceFinishes) {
  // Random ranks at this size rarely admit a stable matching; either answer
  // is fine, but a returned matching must be stable.
  std::mt19937 rng(12);
  const Instance inst = random_instance(rng, 3000, 20.0 / 3000, 1, 3);
  const Outcome got = run(inst);
  if (got.solved) {
    ASSERT_TRUE(is_valid(inst, got.partners));
    EXPECT_EQ(blocking_pairs(inst, got.partners), 0);
  }
}

TEST(StableFixtures, EachValidationReasonRaisesInputError) {
  EXPECT_THROW(stable_fixtures({{1}, {0, 2}}, {1, 1}), InputError);  // out of range
  EXPECT_THROW(stable_fixtures({{-1}}, {1}), InputError);            // negative
  EXPECT_THROW(stable_fixtures({{0}}, {1}), InputError);             // self
  EXPECT_THROW(stable_fixtures({{1, 1}, {0}}, {1, 1}), InputError);  // repeat
  EXPECT_THROW(stable_fixtures({{1}, {}}, {1, 1}), InputError);      // not mutual
  EXPECT_THROW(stable_fixtures({{1}, {0}}, {1, -1}), InputError);    // negative capacity
  EXPECT_THROW(stable_fixtures({{1}, {0}}, {1}), InputError);        // too few capacities
  EXPECT_THROW(stable_fixtures({{1}, {0}}, {1, 1, 1}), InputError);  // too many
}

TEST(StableFixtures, ReportsEveryProblemAtOnce) {
  const Lists preferences = {
      {1, 7},  // person 0: 7 out of range
      {0, 1},  // person 1: lists itself
      {3, 3},  // person 2: 3 repeated
      {2, 4},  // person 3: 4 does not list it
      {},
  };
  try {
    stable_fixtures(preferences, {1, -2, 1, 1});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_TRUE(has_problem(e, 0, "preferences", "out of range"));
    EXPECT_TRUE(has_problem(e, 1, "preferences", "themselves"));
    EXPECT_TRUE(has_problem(e, 2, "preferences", "more than once"));
    EXPECT_TRUE(has_problem(e, 3, "preferences", "person 4 does not list person 3"));
    EXPECT_TRUE(has_problem(e, 1, "capacity", ">= 0"));
    EXPECT_TRUE(
        has_problem(e, static_cast<std::size_t>(-1), "capacity", "one capacity per person"));
    EXPECT_EQ(e.problems().size(), 6u) << e.what();
  }
  // The same preference problems, worded as stable_roommates() words them.
  std::vector<std::string> fixtures_reasons, roommates_reasons;
  try {
    stable_fixtures(preferences, {1, 1, 1, 1, 1});
  } catch (const InputError& e) {
    for (const Problem& p : e.problems()) fixtures_reasons.push_back(p.record + p.reason);
  }
  try {
    stable_roommates(preferences);
  } catch (const InputError& e) {
    for (const Problem& p : e.problems()) roommates_reasons.push_back(p.record + p.reason);
  }
  EXPECT_EQ(fixtures_reasons, roommates_reasons);
}
