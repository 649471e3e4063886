// match() on candidate graphs: optimal against brute force, greedy against
// an independent greedy, stable against brute force and the generic
// algorithms, unmatched reasons and the stability audit.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <libmatch/matching.hpp>
#include <libmatch/pairing.hpp>

#include "reference_scorer.hpp"
#include "test_helpers.hpp"

using namespace libmatch;

namespace {

struct Instance {
  CityTable pool;
  Seekers seekers;
  CandidateGraph graph;
};

Instance make(reference::RandomPool data, std::size_t k, int pool_capacity = 1) {
  CityTable pool = CityTable::from_records(data.cities);
  Seekers seekers(pool, data.profiles);
  CandidateOptions options;
  options.k = k;
  const CandidateLists lists = candidates(pool, seekers, {}, options);
  CandidateGraphOptions graph_options;
  graph_options.pool_capacity = pool_capacity;
  CandidateGraph graph = CandidateGraph::build(pool, seekers, lists, graph_options);
  return {std::move(pool), std::move(seekers), std::move(graph)};
}

struct FlatEdge {
  std::size_t u, v;
  std::int64_t weight;
  std::int64_t a, b;  // ids, a < b
};

std::vector<FlatEdge> flatten(const CandidateGraph& graph) {
  std::vector<FlatEdge> out;
  const auto& g = graph.graph();
  for (const auto& e : boost::make_iterator_range(boost::edges(g))) {
    const std::size_t u = boost::source(e, g), v = boost::target(e, g);
    const auto ids = std::minmax(g[u].id, g[v].id);
    out.push_back({u, v, g[e].weight, ids.first, ids.second});
  }
  return out;
}

bool fits(const CandidateGraph& graph, const std::vector<FlatEdge>& edges, unsigned mask) {
  std::vector<int> load(graph.vertex_count(), 0);
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (!((mask >> i) & 1)) continue;
    if (++load[edges[i].u] > graph.graph()[edges[i].u].capacity) return false;
    if (++load[edges[i].v] > graph.graph()[edges[i].v].capacity) return false;
  }
  return true;
}

std::int64_t brute_force_optimum(const CandidateGraph& graph) {
  const auto edges = flatten(graph);
  std::int64_t best = 0;
  for (unsigned mask = 0; mask < (1u << edges.size()); ++mask) {
    if (!fits(graph, edges, mask)) continue;
    std::int64_t total = 0;
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if ((mask >> i) & 1) total += edges[i].weight;
    }
    best = std::max(best, total);
  }
  return best;
}

// Does (u, v) block `mask`? Preferences: higher weight, ties to lower id.
bool blocked(const CandidateGraph& graph, const std::vector<FlatEdge>& edges, unsigned mask) {
  const auto& g = graph.graph();
  auto better = [&](std::size_t v, const FlatEdge& x, const FlatEdge& y) {  // v prefers x to y
    const std::int64_t ox = x.u == v ? g[x.v].id : g[x.u].id, oy = y.u == v ? g[y.v].id : g[y.u].id;
    return x.weight > y.weight || (x.weight == y.weight && ox < oy);
  };
  auto wants = [&](std::size_t v, const FlatEdge& candidate) {
    int load = 0;
    bool prefers = false;
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if (!((mask >> i) & 1) || (edges[i].u != v && edges[i].v != v)) continue;
      ++load;
      prefers = prefers || better(v, candidate, edges[i]);
    }
    return load < g[v].capacity || prefers;
  };
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if ((mask >> i) & 1 || edges[i].weight <= 0) continue;
    if (wants(edges[i].u, edges[i]) && wants(edges[i].v, edges[i])) return true;
  }
  return false;
}

unsigned mask_of(const CandidateGraph& graph, const MatchResult& result) {
  const auto edges = flatten(graph);
  unsigned mask = 0;
  for (const Pairing& p : result.pairs) {
    const auto ids = std::minmax(p.a, p.b);
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if (edges[i].a == ids.first && edges[i].b == ids.second) mask |= 1u << i;
    }
  }
  return mask;
}

// Every pair is an edge, used once, within both cities' capacities.
void expect_valid(const CandidateGraph& graph, const MatchResult& result) {
  const auto& g = graph.graph();
  std::vector<int> load(graph.vertex_count(), 0);
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  std::int64_t weight = 0;
  for (const Pairing& p : result.pairs) {
    const auto u = graph.vertex_of(p.a), v = graph.vertex_of(p.b);
    ASSERT_TRUE(u && v);
    const auto [e, found] = boost::edge(*u, *v, g);
    ASSERT_TRUE(found);
    EXPECT_EQ(g[e].weight, p.edge.weight);
    EXPECT_TRUE(seen.insert(std::minmax(p.a, p.b)).second);
    EXPECT_LE(++load[*u], g[*u].capacity);
    EXPECT_LE(++load[*v], g[*v].capacity);
    weight += p.edge.weight;
  }
  EXPECT_EQ(weight, result.total_weight);
}

// The pairs of a result, as (lower id, higher id).
std::set<std::pair<std::int64_t, std::int64_t>> id_pairs(const MatchResult& result) {
  std::set<std::pair<std::int64_t, std::int64_t>> out;
  for (const Pairing& pair : result.pairs) out.insert(std::minmax(pair.a, pair.b));
  return out;
}

reference::RandomPool small_pool(std::uint32_t seed, bool all_seek, bool capacity_one) {
  auto data = reference::random_pool(8, all_seek ? 8 : 5, seed);
  for (auto& p : data.profiles) {
    if (capacity_one) p.partners = 1;
  }
  return data;
}

}  // namespace

TEST(Pairing, OptimalEqualsBruteForceWithAndWithoutCapacities) {
  int checked = 0;
  for (std::uint32_t seed = 1; seed <= 150; ++seed) {
    const bool capacity_one = seed % 2 == 0;
    const Instance in =
        make(small_pool(seed, seed % 3 == 0, capacity_one), 2, capacity_one ? 1 : 2);
    if (in.graph.edge_count() > 16) continue;
    const MatchResult result = match(in.graph, Method::optimal);
    expect_valid(in.graph, result);
    ASSERT_EQ(result.total_weight, brute_force_optimum(in.graph)) << "seed " << seed;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(Pairing, GreedyTakesHighestScoresFirstAndReachesHalfTheOptimum) {
  for (std::uint32_t seed = 1; seed <= 100; ++seed) {
    const Instance in = make(small_pool(seed, seed % 2 == 0, false), 3, 1 + seed % 2);
    const MatchResult result = match(in.graph, Method::greedy);
    expect_valid(in.graph, result);
    // An independent greedy over the flattened edges.
    auto edges = flatten(in.graph);
    std::sort(edges.begin(), edges.end(), [](const FlatEdge& x, const FlatEdge& y) {
      return std::make_tuple(-x.weight, x.a, x.b) < std::make_tuple(-y.weight, y.a, y.b);
    });
    std::vector<int> load(in.graph.vertex_count(), 0);
    std::int64_t total = 0;
    for (const FlatEdge& e : edges) {
      if (e.weight > 0 && load[e.u] < in.graph.graph()[e.u].capacity &&
          load[e.v] < in.graph.graph()[e.v].capacity) {
        ++load[e.u];
        ++load[e.v];
        total += e.weight;
      }
    }
    EXPECT_EQ(result.total_weight, total);
    EXPECT_GE(2 * result.total_weight, match(in.graph, Method::optimal).total_weight);
  }
}

TEST(Pairing, StableRoommatesOnSeekersOnlyGraphsMatchesBruteForce) {
  int with_solution = 0, without = 0;
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    const Instance in = make(small_pool(seed, true, true), 3);
    const auto edges = flatten(in.graph);
    if (edges.size() > 16) continue;
    std::optional<MatchResult> result;
    try {
      result = match(in.graph, Method::stable);
    } catch (const NoStableMatchingError&) {
    }
    bool exists = false;
    for (unsigned mask = 0; mask < (1u << edges.size()) && !exists; ++mask) {
      exists = fits(in.graph, edges, mask) && !blocked(in.graph, edges, mask);
    }
    ASSERT_EQ(result.has_value(), exists) << "seed " << seed;
    if (result) {
      ++with_solution;
      expect_valid(in.graph, *result);
      EXPECT_FALSE(blocked(in.graph, edges, mask_of(in.graph, *result)));
      EXPECT_EQ(result->stability.count, 0u);
    } else {
      ++without;
    }
  }
  EXPECT_GT(with_solution, 50);
}

// Seekers that list each other and want up to 3 partners each: stable
// fixtures on the candidate graph, against every pairing within capacities.
// Both cities of a pair rank it by the same score, ties broken by ids in
// one consistent order (that of greedy), so a stable pairing always exists
// and is the one greedy takes: any other would be blocked by the best pair
// where the two differ. The algorithm knows nothing of this, which makes
// greedy an independent check.
TEST(Pairing, StableFixturesOnSeekersWithCapacitiesMatchesBruteForce) {
  int checked = 0, several_partners = 0;
  for (std::uint32_t seed = 1; seed <= 400; ++seed) {
    const Instance in = make(small_pool(seed, seed % 4 != 0, false), 3, 1 + seed % 3);
    const auto edges = flatten(in.graph);
    if (edges.size() > 18) continue;
    bool one_sided = false;
    for (const FlatEdge& e : edges)
      one_sided = one_sided || (in.graph.graph()[e.u].seeks && in.graph.graph()[e.v].seeks);
    if (!one_sided) continue;  // deferred acceptance's case
    std::optional<MatchResult> result;
    try {
      result = match(in.graph, Method::stable);
    } catch (const NoStableMatchingError&) {
    }
    bool exists = false;
    for (unsigned mask = 0; mask < (1u << edges.size()) && !exists; ++mask) {
      exists = fits(in.graph, edges, mask) && !blocked(in.graph, edges, mask);
    }
    ASSERT_TRUE(exists) << "seed " << seed;
    ASSERT_TRUE(result.has_value()) << "seed " << seed;
    ++checked;
    expect_valid(in.graph, *result);
    EXPECT_FALSE(blocked(in.graph, edges, mask_of(in.graph, *result))) << "seed " << seed;
    EXPECT_EQ(result->stability.count, 0u) << "seed " << seed;
    EXPECT_EQ(audit_stability(in.graph, result->pairs).count, 0u) << "seed " << seed;
    if (std::all_of(edges.begin(), edges.end(), [](const FlatEdge& e) { return e.weight > 0; })) {
      EXPECT_EQ(id_pairs(*result), id_pairs(match(in.graph, Method::greedy))) << "seed " << seed;
    }
    std::map<std::int64_t, int> load;
    for (const Pairing& pair : result->pairs) {
      several_partners += ++load[pair.a] == 2;
      several_partners += ++load[pair.b] == 2;
    }
  }
  EXPECT_GT(checked, 100);
  EXPECT_GT(several_partners, 50) << "cities with two partners or more must be common";
}

// The case stable pairing used to refuse: every city seeks and wants two or
// three partners, on pools too large for brute force. The pairing has no
// blocking pair by the audit of the same graph, and is greedy's (see above).
TEST(Pairing, StableWithSeveralPartnersAmongSeekersHasNoBlockingPair) {
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    auto data = reference::random_pool(150, 150, seed);
    for (auto& profile : data.profiles) profile.partners = 2 + static_cast<int>(seed % 2);
    const Instance in = make(data, 6, 2);
    const MatchResult result = match(in.graph, Method::stable);
    expect_valid(in.graph, result);
    ASSERT_FALSE(result.pairs.empty());
    EXPECT_EQ(result.stability.count, 0u) << "seed " << seed;
    EXPECT_EQ(audit_stability(in.graph, result.pairs).count, 0u) << "seed " << seed;
    const auto edges = flatten(in.graph);
    if (std::all_of(edges.begin(), edges.end(), [](const FlatEdge& e) { return e.weight > 0; })) {
      EXPECT_EQ(id_pairs(result), id_pairs(match(in.graph, Method::greedy))) << "seed " << seed;
    }
  }
}

TEST(Pairing, TwoSidedStableIsTheSeekerOptimalAssignment) {
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    // Seekers all in one country that refuse their own country: they never
    // list each other, so the graph is two-sided.
    auto data = reference::random_pool(40, 12, seed);
    std::set<std::int64_t> seeking;
    for (auto& p : data.profiles) {
      p.same_country = false;
      p.partners = 1;
      seeking.insert(p.city_id);
    }
    for (auto& c : data.cities) {
      if (seeking.count(c.id))
        c.country = "DE";
      else if (c.country == "DE")
        c.country = "FR";
    }
    const Instance in = make(data, 4);
    const MatchResult result = match(in.graph, Method::stable);
    expect_valid(in.graph, result);
    EXPECT_EQ(result.stability.count, 0u);

    // The generic hospitals/residents algorithm on the same preferences.
    const auto& g = in.graph.graph();
    const std::size_t residents = in.seekers.size();
    const std::size_t hospitals = in.graph.vertex_count() - residents;
    std::vector<std::vector<int>> rp(residents), hp(hospitals);
    auto ranked = [&](std::size_t v) {
      std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::size_t>> list;
      for (const auto& e : boost::make_iterator_range(boost::out_edges(v, g))) {
        const std::size_t w = boost::target(e, g);
        list.push_back({{-g[e].weight, g[w].id}, w});
      }
      std::sort(list.begin(), list.end());
      return list;
    };
    for (std::size_t r = 0; r < residents; ++r) {
      for (const auto& [key, w] : ranked(r)) rp[r].push_back(static_cast<int>(w - residents));
    }
    for (std::size_t h = 0; h < hospitals; ++h) {
      for (const auto& [key, w] : ranked(h + residents)) hp[h].push_back(static_cast<int>(w));
    }
    const std::vector<int> assignment = hospitals_residents(rp, hp, std::vector<int>(hospitals, 1));
    std::size_t assigned = 0;
    for (std::size_t r = 0; r < residents; ++r) {
      if (assignment[r] < 0) continue;
      ++assigned;
      const std::int64_t partner = g[assignment[r] + residents].id;
      const auto it = std::find_if(result.pairs.begin(), result.pairs.end(),
                                   [&](const Pairing& p) { return p.a == g[r].id; });
      ASSERT_NE(it, result.pairs.end());
      EXPECT_EQ(it->b, partner);
    }
    EXPECT_EQ(assigned, result.pairs.size());
  }
}

TEST(Pairing, ReportsWhyASeekerIsLeftUnmatched) {
  using testing_helpers::city;
  std::vector<CityRecord> cities = {city(1, "DE", 1e5), city(2, "FR", 1e5), city(3, "FR", 1.1e5),
                                    city(4, "JP", 1e5), city(5, "US", 1e8)};
  std::vector<SeekingProfile> profiles(3);
  profiles[0].city_id = 1;
  profiles[0].population_max = 10;  // nobody is that small
  profiles[1].city_id = 2;
  profiles[2].city_id = 3;
  for (auto& p : {&profiles[1], &profiles[2]}) {
    p->population_min = 5e4;
    p->population_max = 2e5;  // only 4 (Japan) passes: 1 is refused by seeker 1's range
  }
  const CityTable pool = CityTable::from_records(cities);
  const Seekers seekers(pool, profiles);
  const CandidateGraph graph = CandidateGraph::build(pool, seekers, candidates(pool, seekers));
  for (Method method : {Method::optimal, Method::stable, Method::greedy}) {
    const MatchResult result = match(graph, method);
    ASSERT_EQ(result.pairs.size(), 1u) << method_name(method);
    EXPECT_EQ(result.pairs[0].b, 4);
    ASSERT_EQ(result.unmatched.size(), 2u);
    EXPECT_EQ(result.unmatched[0].id, 1);
    EXPECT_EQ(result.unmatched[0].reason, UnmatchedReason::no_candidates);
    EXPECT_EQ(result.unmatched[1].reason, UnmatchedReason::candidates_taken);
    EXPECT_EQ(reason_text(result.unmatched[1].reason), "every candidate was taken");
  }
}

// The reason names what kept each place open: too few candidates (all of
// them already its partners), or candidates free but worth nothing.
TEST(Pairing, UnmatchedReasonsSayWhyAPlaceStaysOpen) {
  using testing_helpers::city;
  const CityTable pool = CityTable::from_records(
      {city(1, "DE", 1e5), city(2, "FR", 1e5), city(3, "JP", 1e5), city(4, "BR", 1e5)});
  SeekingProfile wants_three;
  wants_three.city_id = 1;
  wants_three.partners = 3;
  const Seekers seekers(pool, {wants_three});
  CandidateOptions one;
  one.k = 1;
  const CandidateGraph few =
      CandidateGraph::build(pool, seekers, candidates(pool, seekers, {}, one));
  for (Method method : {Method::optimal, Method::stable, Method::greedy}) {
    const MatchResult result = match(few, method);
    ASSERT_EQ(result.pairs.size(), 1u) << method_name(method);
    ASSERT_EQ(result.unmatched.size(), 1u);
    EXPECT_EQ(result.unmatched[0].open, 2);
    EXPECT_EQ(result.unmatched[0].reason, UnmatchedReason::too_few_candidates);
  }
  // Only the region counts, and no candidate is where seeker 1 wants: every
  // score is 0, so optimal and greedy leave the places open.
  SeekingProfile wants_oceania = wants_three;
  wants_oceania.regions = {"Oceania"};
  ScoringConfig region_only;
  region_only.weights = {0, 1, 0, 0, 0};
  const Seekers far(pool, {wants_oceania});
  const CandidateGraph worthless =
      CandidateGraph::build(pool, far, candidates(pool, far, region_only));
  for (Method method : {Method::optimal, Method::greedy}) {
    const MatchResult result = match(worthless, method);
    EXPECT_TRUE(result.pairs.empty()) << method_name(method);
    ASSERT_EQ(result.unmatched.size(), 1u);
    EXPECT_EQ(result.unmatched[0].open, 3);
    EXPECT_EQ(result.unmatched[0].reason, UnmatchedReason::no_gain);
  }
}

TEST(Pairing, AuditFindsBlockingPairsOfOptimalAndIsDeterministic) {
  std::size_t blocking = 0;
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    const Instance in = make(reference::random_pool(200, 200, seed), 5);
    const MatchResult first = match(in.graph, Method::optimal);
    const MatchResult again = match(in.graph, Method::optimal);
    ASSERT_EQ(first.pairs.size(), again.pairs.size());
    for (std::size_t i = 0; i < first.pairs.size(); ++i) {
      EXPECT_EQ(first.pairs[i].a, again.pairs[i].a);
      EXPECT_EQ(first.pairs[i].b, again.pairs[i].b);
    }
    const StabilityAudit audit = audit_stability(in.graph, first.pairs, 3);
    EXPECT_EQ(audit.count, first.stability.count);
    EXPECT_LE(audit.first.size(), 3u);
    blocking += audit.count;
  }
  EXPECT_GT(blocking, 0u) << "optimal pairings are rarely stable: the audit must see that";
}

// The audit judges pairings of the graph only: a pair listed twice, or one
// partner too many, is refused rather than audited.
TEST(Pairing, AuditRefusesPairingsBeyondCapacities) {
  const Instance in = make(reference::random_pool(60, 60, 3), 5);
  const MatchResult result = match(in.graph, Method::optimal);
  ASSERT_FALSE(result.pairs.empty());
  std::vector<Pairing> twice = result.pairs;
  twice.push_back(result.pairs.front());
  EXPECT_THROW(audit_stability(in.graph, twice), std::invalid_argument);
  std::vector<Pairing> beyond;  // two edges of a city with capacity 1
  const CandidateGraphType& g = in.graph.graph();
  for (std::size_t v = 0; v < boost::num_vertices(g) && beyond.empty(); ++v) {
    if (g[v].capacity != 1 || boost::out_degree(v, g) < 2) continue;
    for (const auto& e : boost::make_iterator_range(boost::out_edges(v, g))) {
      if (beyond.size() < 2) beyond.push_back({g[v].id, g[boost::target(e, g)].id, g[e]});
    }
  }
  ASSERT_EQ(beyond.size(), 2u);
  EXPECT_THROW(audit_stability(in.graph, beyond), std::invalid_argument);
}

TEST(Pairing, SaysWhenOnlyTheMutualOptionLeftASeekerWithoutCandidates) {
  // Two seekers that do not list each other: a mutual graph has no edge.
  using testing_helpers::city;
  const CityTable pool = CityTable::from_records(
      {city(1, "DE", 1e5), city(2, "FR", 1e5), city(3, "JP", 1e5), city(4, "US", 1e5)});
  std::vector<SeekingProfile> profiles(2);
  profiles[0].city_id = 1;
  profiles[0].countries = {"JP"};
  profiles[1].city_id = 2;
  profiles[1].countries = {"US"};
  const Seekers seekers(pool, profiles);
  CandidateOptions options;
  options.k = 1;
  const CandidateLists lists = candidates(pool, seekers, {}, options);
  CandidateGraphOptions mutual;
  mutual.mutual = true;
  const CandidateGraph graph = CandidateGraph::build(pool, seekers, lists, mutual);
  EXPECT_EQ(graph.edge_count(), 0u);
  const MatchResult result = match(graph, Method::optimal);
  ASSERT_EQ(result.unmatched.size(), 2u);
  for (const Unmatched& u : result.unmatched) {
    EXPECT_EQ(u.reason, UnmatchedReason::no_mutual_candidate);
  }
}
