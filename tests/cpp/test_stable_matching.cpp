#include <algorithm>
#include <cstddef>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <libmatch/libmatch.hpp>

using namespace libmatch;

namespace {

using Lists = std::vector<std::vector<int>>;
constexpr int kUnranked = std::numeric_limits<int>::max();

// rank[p][q] = position of q in p's list; built here, independently of the
// library's own rank tables.
std::vector<std::unordered_map<int, int>> rank_tables(const Lists& lists) {
  std::vector<std::unordered_map<int, int>> ranks(lists.size());
  for (std::size_t p = 0; p < lists.size(); ++p)
    for (std::size_t i = 0; i < lists[p].size(); ++i) ranks[p][lists[p][i]] = static_cast<int>(i);
  return ranks;
}

int rank_in(const std::unordered_map<int, int>& ranks, int who) {
  const auto it = ranks.find(who);
  return it == ranks.end() ? kUnranked : it->second;
}

// ---------------------------------------------------------------------------
// Hospitals / residents helpers

// True when every resident is at a hospital both list each other for, and no
// hospital is over capacity.
bool is_valid_assignment(const Lists& residents, const Lists& hospitals,
                         const std::vector<int>& capacities, const std::vector<int>& assignment) {
  if (assignment.size() != residents.size()) return false;
  const auto resident_ranks = rank_tables(residents);
  const auto hospital_ranks = rank_tables(hospitals);
  std::vector<int> load(hospitals.size(), 0);
  for (std::size_t r = 0; r < assignment.size(); ++r) {
    const int h = assignment[r];
    if (h == -1) continue;
    if (h < 0 || static_cast<std::size_t>(h) >= hospitals.size()) return false;
    if (rank_in(resident_ranks[r], h) == kUnranked) return false;
    if (rank_in(hospital_ranks[h], static_cast<int>(r)) == kUnranked) return false;
    ++load[h];
  }
  for (std::size_t h = 0; h < hospitals.size(); ++h)
    if (load[h] > capacities[h]) return false;
  return true;
}

// Resident r and hospital h block when they list each other, r is unassigned
// or prefers h to its hospital, and h has a free place or prefers r to the
// worst resident it has.
int hr_blocking_pairs(const Lists& residents, const Lists& hospitals,
                      const std::vector<int>& capacities, const std::vector<int>& assignment) {
  const auto resident_ranks = rank_tables(residents);
  const auto hospital_ranks = rank_tables(hospitals);
  std::vector<int> load(hospitals.size(), 0);
  std::vector<int> worst(hospitals.size(), -1);
  for (std::size_t r = 0; r < assignment.size(); ++r) {
    const int h = assignment[r];
    if (h < 0) continue;
    ++load[h];
    worst[h] = std::max(worst[h], rank_in(hospital_ranks[h], static_cast<int>(r)));
  }
  int blocking = 0;
  for (std::size_t r = 0; r < residents.size(); ++r) {
    for (const int h : residents[r]) {
      if (h == assignment[r]) continue;
      const int hospital_rank_of_r = rank_in(hospital_ranks[h], static_cast<int>(r));
      if (hospital_rank_of_r == kUnranked) continue;
      const bool resident_wants =
          assignment[r] < 0 ||
          rank_in(resident_ranks[r], h) < rank_in(resident_ranks[r], assignment[r]);
      const bool hospital_wants = load[h] < capacities[h] || hospital_rank_of_r < worst[h];
      if (resident_wants && hospital_wants) ++blocking;
    }
  }
  return blocking;
}

struct HospitalsInstance {
  Lists residents, hospitals;
  std::vector<int> capacities;
};

// Random incomplete lists: each resident-hospital pair is acceptable to
// both with probability `density`, and each side ranks its pairs at random.
HospitalsInstance random_hospitals_instance(std::mt19937& rng, int n_residents, int n_hospitals,
                                            int max_capacity) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double density = 0.2 + 0.8 * unit(rng);
  HospitalsInstance inst;
  inst.residents.resize(n_residents);
  inst.hospitals.resize(n_hospitals);
  for (int r = 0; r < n_residents; ++r)
    for (int h = 0; h < n_hospitals; ++h)
      if (unit(rng) < density) {
        inst.residents[r].push_back(h);
        inst.hospitals[h].push_back(r);
      }
  for (auto& list : inst.residents) std::shuffle(list.begin(), list.end(), rng);
  for (auto& list : inst.hospitals) std::shuffle(list.begin(), list.end(), rng);
  std::uniform_int_distribution<int> capacity(0, max_capacity);
  for (int h = 0; h < n_hospitals; ++h) inst.capacities.push_back(capacity(rng));
  return inst;
}

// Every assignment (each resident at -1 or an acceptable hospital) that
// respects capacities and has no blocking pair.
std::vector<std::vector<int>> brute_force_stable_assignments(const HospitalsInstance& inst) {
  std::vector<std::vector<int>> stable;
  std::vector<int> assignment(inst.residents.size(), -1);
  std::vector<int> load(inst.hospitals.size(), 0);
  std::function<void(std::size_t)> assign = [&](std::size_t r) {
    if (r == assignment.size()) {
      if (hr_blocking_pairs(inst.residents, inst.hospitals, inst.capacities, assignment) == 0)
        stable.push_back(assignment);
      return;
    }
    assignment[r] = -1;
    assign(r + 1);
    for (const int h : inst.residents[r]) {
      if (load[h] == inst.capacities[h]) continue;
      ++load[h];
      assignment[r] = h;
      assign(r + 1);
      --load[h];
    }
    assignment[r] = -1;
  };
  assign(0);
  return stable;
}

// ---------------------------------------------------------------------------
// Stable roommates helpers

// A valid matching pairs people who list each other, symmetrically.
bool is_valid_roommates_matching(const Lists& preferences, const std::vector<int>& partner) {
  if (partner.size() != preferences.size()) return false;
  const auto ranks = rank_tables(preferences);
  for (std::size_t p = 0; p < partner.size(); ++p) {
    const int q = partner[p];
    if (q == -1) continue;
    if (q < 0 || static_cast<std::size_t>(q) >= partner.size()) return false;
    if (partner[q] != static_cast<int>(p)) return false;
    if (rank_in(ranks[p], q) == kUnranked) return false;
  }
  return true;
}

// Pairs {a, b} who list each other, are not together, and would both rather
// be together than with their partners (or alone).
int roommates_blocking_pairs(const Lists& preferences, const std::vector<int>& partner) {
  const auto ranks = rank_tables(preferences);
  auto prefers = [&](std::size_t a, int b) {
    return partner[a] == -1 || rank_in(ranks[a], b) < rank_in(ranks[a], partner[a]);
  };
  int blocking = 0;
  for (std::size_t a = 0; a < preferences.size(); ++a)
    for (const int b : preferences[a]) {
      if (static_cast<std::size_t>(b) <= a || partner[a] == b) continue;
      if (rank_in(ranks[b], static_cast<int>(a)) == kUnranked) continue;
      if (prefers(a, b) && prefers(static_cast<std::size_t>(b), static_cast<int>(a))) ++blocking;
    }
  return blocking;
}

// Every matching of the acceptability graph with no blocking pair.
std::vector<std::vector<int>> brute_force_stable_roommates(const Lists& preferences) {
  const std::size_t n = preferences.size();
  // Dense rank matrix for a fast stability test inside the enumeration.
  std::vector<std::vector<int>> rank(n, std::vector<int>(n, kUnranked));
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t i = 0; i < preferences[p].size(); ++i)
      rank[p][preferences[p][i]] = static_cast<int>(i);
  auto stable = [&](const std::vector<int>& partner) {
    auto prefers = [&](std::size_t a, std::size_t b) {
      return partner[a] == -1 || rank[a][b] < rank[a][partner[a]];
    };
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = a + 1; b < n; ++b)
        if (rank[a][b] != kUnranked && rank[b][a] != kUnranked &&
            partner[a] != static_cast<int>(b) && prefers(a, b) && prefers(b, a))
          return false;
    return true;
  };
  std::vector<std::vector<int>> found;
  std::vector<int> partner(n, -2);  // -2: not decided yet
  std::function<void()> extend = [&]() {
    std::size_t p = 0;
    while (p < n && partner[p] != -2) ++p;
    if (p == n) {
      if (stable(partner)) found.push_back(partner);
      return;
    }
    partner[p] = -1;
    extend();
    for (const int q : preferences[p]) {
      if (partner[q] != -2 || rank[q][p] == kUnranked) continue;
      partner[p] = q;
      partner[q] = static_cast<int>(p);
      extend();
      partner[q] = -2;
    }
    partner[p] = -2;
  };
  extend();
  return found;
}

// Random mutual lists: each pair is acceptable with probability `density`
// (1 gives complete lists), ranked at random by both.
Lists random_roommates_instance(std::mt19937& rng, int n, double density) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Lists preferences(n);
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b)
      if (density >= 1.0 || unit(rng) < density) {
        preferences[a].push_back(b);
        preferences[b].push_back(a);
      }
  for (auto& list : preferences) std::shuffle(list.begin(), list.end(), rng);
  return preferences;
}

Lists from_one_based(const Lists& lists) {
  Lists out = lists;
  for (auto& list : out)
    for (int& p : list) --p;
  return out;
}

// The problems' reasons, for asserting that each kind was reported.
bool has_problem(const InputError& e, std::size_t index, const std::string& field,
                 const std::string& reason_part) {
  const auto& ps = e.problems();
  return std::any_of(ps.begin(), ps.end(), [&](const Problem& p) {
    return p.index == index && p.field == field && p.reason.find(reason_part) != std::string::npos;
  });
}

}  // namespace

// ===========================================================================
// Hospitals / residents

TEST(HospitalsResidents, ReadmeExampleOfTheMatchingPackage) {
  // The HR example of the Python `matching` package (daffidwilde/matching,
  // README and tests/hospital_resident/test_examples.py), itself taken from
  // the NRMP's description of the algorithm. Residents A S D J L, hospitals
  // M C G, two places each; resident-optimal answer M: L S, C: D A, G: J.
  enum { A, S, D, J, L };
  enum { M, C, G };
  const Lists residents = {{C}, {C, M}, {C, M, G}, {C, G, M}, {M, C, G}};
  const Lists hospitals = {{D, L, S, J}, {D, A, S, L, J}, {D, J, L}};
  const std::vector<int> assignment = hospitals_residents(residents, hospitals, {2, 2, 2});
  EXPECT_EQ(assignment, (std::vector<int>{C, M, C, G, M}));
}

TEST(HospitalsResidents, RandomInstancesAreValidAndStable) {
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> residents(1, 30), hospitals(1, 8);
  for (int trial = 0; trial < 300; ++trial) {
    const HospitalsInstance inst =
        random_hospitals_instance(rng, residents(rng), hospitals(rng), 4);
    const std::vector<int> assignment =
        hospitals_residents(inst.residents, inst.hospitals, inst.capacities);
    ASSERT_TRUE(is_valid_assignment(inst.residents, inst.hospitals, inst.capacities, assignment))
        << "trial " << trial;
    ASSERT_EQ(hr_blocking_pairs(inst.residents, inst.hospitals, inst.capacities, assignment), 0)
        << "trial " << trial;
  }
}

TEST(HospitalsResidents, ResidentOptimalAgainstBruteForce) {
  std::mt19937 rng(77);
  std::uniform_int_distribution<int> residents(1, 7), hospitals(1, 4);
  for (int trial = 0; trial < 300; ++trial) {
    const HospitalsInstance inst =
        random_hospitals_instance(rng, residents(rng), hospitals(rng), 3);
    const std::vector<int> assignment =
        hospitals_residents(inst.residents, inst.hospitals, inst.capacities);
    const auto stable = brute_force_stable_assignments(inst);
    ASSERT_FALSE(stable.empty()) << "HR always has a stable assignment";
    ASSERT_NE(std::find(stable.begin(), stable.end(), assignment), stable.end())
        << "trial " << trial;
    // Each resident does at least as well as in any stable assignment.
    const auto ranks = rank_tables(inst.residents);
    auto rank_of = [&](std::size_t r, int h) { return h < 0 ? kUnranked : rank_in(ranks[r], h); };
    for (const auto& other : stable)
      for (std::size_t r = 0; r < assignment.size(); ++r)
        ASSERT_LE(rank_of(r, assignment[r]), rank_of(r, other[r]))
            << "trial " << trial << " resident " << r;
  }
}

TEST(HospitalsResidents, EdgeCases) {
  EXPECT_TRUE(hospitals_residents({}, {}, {}).empty());
  EXPECT_EQ(hospitals_residents({{}, {}}, {}, {}), (std::vector<int>{-1, -1}));
  // A hospital with no places takes nobody.
  EXPECT_EQ(hospitals_residents({{0, 1}, {0}}, {{0, 1}, {0}}, {0, 1}), (std::vector<int>{1, -1}));
  // Capacity above demand.
  EXPECT_EQ(hospitals_residents({{0}, {0}}, {{1, 0}}, {5}), (std::vector<int>{0, 0}));
}

TEST(HospitalsResidents, LargeInstanceIsStable) {
  // 200,000 residents with 10 choices each among 2,000 hospitals: a scale
  // that only an O(total list length) implementation handles in a test.
  std::mt19937 rng(5);
  const int n_residents = 200000, n_hospitals = 2000;
  std::uniform_int_distribution<int> pick(0, n_hospitals - 1);
  HospitalsInstance inst;
  inst.residents.resize(n_residents);
  inst.hospitals.resize(n_hospitals);
  for (int r = 0; r < n_residents; ++r) {
    while (inst.residents[r].size() < 10) {
      const int h = pick(rng);
      if (std::find(inst.residents[r].begin(), inst.residents[r].end(), h) !=
          inst.residents[r].end())
        continue;
      inst.residents[r].push_back(h);
      inst.hospitals[h].push_back(r);
    }
  }
  for (auto& list : inst.hospitals) std::shuffle(list.begin(), list.end(), rng);
  std::uniform_int_distribution<int> capacity(0, 150);
  for (int h = 0; h < n_hospitals; ++h) inst.capacities.push_back(capacity(rng));
  const std::vector<int> assignment =
      hospitals_residents(inst.residents, inst.hospitals, inst.capacities);
  ASSERT_TRUE(is_valid_assignment(inst.residents, inst.hospitals, inst.capacities, assignment));
  EXPECT_EQ(hr_blocking_pairs(inst.residents, inst.hospitals, inst.capacities, assignment), 0);
}

TEST(HospitalsResidents, EachValidationReasonRaisesInputError) {
  // Out of range, both sides.
  EXPECT_THROW(hospitals_residents({{1}}, {{0}}, {1}), InputError);
  EXPECT_THROW(hospitals_residents({{-1}}, {{0}}, {1}), InputError);
  EXPECT_THROW(hospitals_residents({{0}}, {{0, 1}}, {1}), InputError);
  // Repeated entry, both sides.
  EXPECT_THROW(hospitals_residents({{0, 0}}, {{0}}, {1}), InputError);
  EXPECT_THROW(hospitals_residents({{0}}, {{0, 0}}, {1}), InputError);
  // Not mutual, both ways.
  EXPECT_THROW(hospitals_residents({{0}}, {{}}, {1}), InputError);
  EXPECT_THROW(hospitals_residents({{}}, {{0}}, {1}), InputError);
  // Capacities.
  EXPECT_THROW(hospitals_residents({{0}}, {{0}}, {-1}), InputError);
  EXPECT_THROW(hospitals_residents({{0}}, {{0}}, {}), InputError);
  EXPECT_THROW(hospitals_residents({{0}}, {{0}}, {1, 1}), InputError);
}

TEST(HospitalsResidents, ReportsEveryProblemAtOnce) {
  const Lists residents = {
      {0, 5},  // resident 0: hospital 5 out of range
      {1, 1},  // resident 1: hospital 1 repeated
      {2},     // resident 2: hospital 2 does not list it
      {0},
  };
  const Lists hospitals = {
      {0, 3, 9},  // hospital 0: resident 9 out of range
      {1},
      {3},  // hospital 2: resident 3 does not list it
  };
  try {
    hospitals_residents(residents, hospitals, {1, -2});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_TRUE(has_problem(e, 0, "preferences", "out of range"));
    EXPECT_TRUE(has_problem(e, 1, "preferences", "more than once"));
    EXPECT_TRUE(has_problem(e, 2, "preferences", "hospital 2 does not list resident 2"));
    EXPECT_TRUE(has_problem(e, 0, "preferences", "resident index out of range"));
    EXPECT_TRUE(has_problem(e, 2, "preferences", "resident 3 does not list hospital 2"));
    EXPECT_TRUE(has_problem(e, 1, "capacity", ">= 0"));
    EXPECT_TRUE(
        has_problem(e, static_cast<std::size_t>(-1), "capacity", "one capacity per hospital"));
    EXPECT_EQ(e.problems().size(), 7u) << e.what();
    EXPECT_NE(std::string(e.what()).find("resident 2"), std::string::npos);
  }
}

// ===========================================================================
// Stable roommates

TEST(StableRoommates, AgreesWithBruteForceOnRandomInstances) {
  std::mt19937 rng(1985);
  std::uniform_int_distribution<int> size(1, 10);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int solvable = 0, unsolvable = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    const int n = size(rng);
    // A third complete lists; the rest incomplete with varied density.
    const double density = trial % 3 == 0 ? 1.0 : 0.15 + 0.85 * unit(rng);
    const Lists preferences = random_roommates_instance(rng, n, density);
    const auto stable = brute_force_stable_roommates(preferences);
    if (stable.empty()) {
      ++unsolvable;
      EXPECT_THROW(stable_roommates(preferences), NoStableMatchingError) << "trial " << trial;
      continue;
    }
    ++solvable;
    // All stable matchings leave the same people single (GI Theorem 4.5.2).
    for (const auto& m : stable)
      for (std::size_t p = 0; p < m.size(); ++p)
        ASSERT_EQ(m[p] == -1, stable[0][p] == -1) << "trial " << trial;
    std::vector<int> partner;
    ASSERT_NO_THROW(partner = stable_roommates(preferences)) << "trial " << trial;
    ASSERT_TRUE(is_valid_roommates_matching(preferences, partner)) << "trial " << trial;
    ASSERT_EQ(roommates_blocking_pairs(preferences, partner), 0) << "trial " << trial;
    ASSERT_NE(std::find(stable.begin(), stable.end(), partner), stable.end()) << "trial " << trial;
  }
  // Both outcomes must be well represented for the comparison to mean much.
  EXPECT_GT(solvable, 1000);
  EXPECT_GT(unsolvable, 300);
}

TEST(StableRoommates, ClassicFourPersonInstanceHasNoStableMatching) {
  // Everyone's last choice is person 4, and 1, 2, 3 form a cycle of first
  // choices: whoever is paired with 4 blocks with someone.
  const Lists preferences = from_one_based({{2, 3, 4}, {3, 1, 4}, {1, 2, 4}, {1, 2, 3}});
  EXPECT_TRUE(brute_force_stable_roommates(preferences).empty());
  EXPECT_THROW(stable_roommates(preferences), NoStableMatchingError);
}

TEST(StableRoommates, IrvingSixPersonExample) {
  // Irving (1985), "An efficient algorithm for the stable roommates
  // problem", the six-person example of the paper.
  const Lists preferences = from_one_based({{4, 6, 2, 5, 3},
                                            {6, 3, 5, 1, 4},
                                            {4, 5, 1, 6, 2},
                                            {2, 6, 5, 1, 3},
                                            {4, 2, 3, 6, 1},
                                            {5, 1, 4, 2, 3}});
  const auto stable = brute_force_stable_roommates(preferences);
  const std::vector<int> partner = stable_roommates(preferences);
  EXPECT_EQ(roommates_blocking_pairs(preferences, partner), 0);
  ASSERT_NE(std::find(stable.begin(), stable.end(), partner), stable.end());
  // The brute force finds exactly one stable matching: {1,6}, {2,3}, {4,5}.
  ASSERT_EQ(stable.size(), 1u);
  EXPECT_EQ(partner, from_one_based({{6, 3, 2, 5, 4, 1}})[0]);
}

TEST(StableRoommates, SmallCases) {
  EXPECT_TRUE(stable_roommates({}).empty());
  EXPECT_EQ(stable_roommates({{}}), (std::vector<int>{-1}));
  EXPECT_EQ(stable_roommates({{1}, {0}}), (std::vector<int>{1, 0}));
  EXPECT_EQ(stable_roommates({{}, {}, {}}), (std::vector<int>{-1, -1, -1}));
  // Odd number of people: 1 and 2 like each other best, 3 stays single.
  EXPECT_EQ(stable_roommates(from_one_based({{2, 3}, {1, 3}, {1, 2}})),
            (std::vector<int>{1, 0, -1}));
  // Three people whose first choices form a cycle: no stable matching, even
  // though an unmatched person is allowed.
  EXPECT_THROW(stable_roommates(from_one_based({{2, 3}, {3, 1}, {1, 2}})), NoStableMatchingError);
  // A person rejected by everyone in phase 1 is simply single.
  const Lists preferences = from_one_based({{2, 3}, {1, 3}, {1, 2}, {}});
  EXPECT_EQ(stable_roommates(preferences), (std::vector<int>{1, 0, -1, -1}));
}

TEST(StableRoommates, IsDeterministic) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    const Lists preferences = random_roommates_instance(rng, 200, 0.1);
    std::vector<int> first, second;
    bool first_threw = false, second_threw = false;
    try {
      first = stable_roommates(preferences);
    } catch (const NoStableMatchingError&) {
      first_threw = true;
    }
    try {
      second = stable_roommates(preferences);
    } catch (const NoStableMatchingError&) {
      second_threw = true;
    }
    EXPECT_EQ(first_threw, second_threw);
    EXPECT_EQ(first, second);
  }
}

TEST(StableRoommates, LargeInstanceWithGlobalEdgeWeights) {
  // 100,000 people with about 20 acceptable partners each, everyone ranking
  // partners by a shared random edge weight: such "globally ranked" pairs
  // always admit a stable matching (take the heaviest edge greedily), so the
  // algorithm must return one, and fast.
  std::mt19937 rng(11);
  const int n = 100000;
  std::uniform_int_distribution<int> pick(0, n - 1);
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
  Lists preferences(n);
  for (int a = 0; a < n; ++a) {
    std::sort(weighted[a].rbegin(), weighted[a].rend());
    for (const auto& entry : weighted[a]) preferences[a].push_back(entry.second);
  }
  const std::vector<int> partner = stable_roommates(preferences);
  ASSERT_TRUE(is_valid_roommates_matching(preferences, partner));
  EXPECT_EQ(roommates_blocking_pairs(preferences, partner), 0);
}

TEST(StableRoommates, LargeRandomInstanceFinishes) {
  // Random ranks at this size rarely admit a stable matching; either answer
  // is fine, but a returned matching must be stable.
  std::mt19937 rng(12);
  const Lists preferences = random_roommates_instance(rng, 3000, 20.0 / 3000);
  try {
    const std::vector<int> partner = stable_roommates(preferences);
    ASSERT_TRUE(is_valid_roommates_matching(preferences, partner));
    EXPECT_EQ(roommates_blocking_pairs(preferences, partner), 0);
  } catch (const NoStableMatchingError& e) {
    EXPECT_NE(std::string(e.what()).find("no stable matching"), std::string::npos);
  }
}

TEST(StableRoommates, EachValidationReasonRaisesInputError) {
  EXPECT_THROW(stable_roommates({{1}, {0, 2}}), InputError);  // out of range
  EXPECT_THROW(stable_roommates({{-1}}), InputError);         // negative
  EXPECT_THROW(stable_roommates({{0}}), InputError);          // self
  EXPECT_THROW(stable_roommates({{1, 1}, {0}}), InputError);  // repeat
  EXPECT_THROW(stable_roommates({{1}, {}}), InputError);      // not mutual
}

TEST(StableRoommates, ReportsEveryProblemAtOnce) {
  const Lists preferences = {
      {1, 7},  // person 0: 7 out of range
      {0, 1},  // person 1: lists itself
      {3, 3},  // person 2: 3 repeated
      {2, 4},  // person 3: 4 does not list it
      {},
  };
  try {
    stable_roommates(preferences);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_TRUE(has_problem(e, 0, "preferences", "out of range"));
    EXPECT_TRUE(has_problem(e, 1, "preferences", "themselves"));
    EXPECT_TRUE(has_problem(e, 2, "preferences", "more than once"));
    EXPECT_TRUE(has_problem(e, 3, "preferences", "person 4 does not list person 3"));
    EXPECT_EQ(e.problems().size(), 4u) << e.what();
  }
}
