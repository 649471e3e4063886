// max_weight_matching and b_matching, checked against brute force on small
// graphs, against Boost's maximum_weighted_matching (the reference it
// replaces) and against LEMON's independent blossom implementation on large
// ones.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/maximum_weighted_matching.hpp>
#include <gtest/gtest.h>
#include <lemon/list_graph.h>
#include <lemon/matching.h>
#include <lemon/network_simplex.h>
#include <libmatch/graph_matching.hpp>
#include <libmatch/libmatch.hpp>

using namespace libmatch;

namespace {

struct WeightedGraph {
  std::size_t n = 0;
  std::vector<VertexPair> edges;
  std::vector<std::int64_t> weights;
};

// Each pair with probability `density`, in random orientation and order,
// weights uniform in [low, high] (narrow ranges give many ties).
WeightedGraph random_dense_graph(std::mt19937_64& rng, std::size_t n, double density,
                                 std::int64_t low, std::int64_t high) {
  WeightedGraph g;
  g.n = n;
  std::bernoulli_distribution keep(density), flip(0.5);
  std::uniform_int_distribution<std::int64_t> weight(low, high);
  for (std::size_t u = 0; u < n; ++u) {
    for (std::size_t v = u + 1; v < n; ++v) {
      if (!keep(rng)) continue;
      g.edges.push_back(flip(rng) ? VertexPair{v, u} : VertexPair{u, v});
      g.weights.push_back(weight(rng));
    }
  }
  std::vector<std::size_t> order(g.edges.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  WeightedGraph shuffled{g.n, {}, {}};
  for (std::size_t i : order) {
    shuffled.edges.push_back(g.edges[i]);
    shuffled.weights.push_back(g.weights[i]);
  }
  return shuffled;
}

// m distinct random edges on n vertices (m well below n^2 / 2).
WeightedGraph random_sparse_graph(std::mt19937_64& rng, std::size_t n, std::size_t m,
                                  std::int64_t low, std::int64_t high) {
  WeightedGraph g;
  g.n = n;
  std::uniform_int_distribution<std::size_t> vertex(0, n - 1);
  std::uniform_int_distribution<std::int64_t> weight(low, high);
  std::vector<std::vector<bool>> seen(n, std::vector<bool>(n, false));
  while (g.edges.size() < m) {
    const std::size_t u = vertex(rng), v = vertex(rng);
    if (u == v || seen[u][v]) continue;
    seen[u][v] = seen[v][u] = true;
    g.edges.push_back({u, v});
    g.weights.push_back(weight(rng));
  }
  return g;
}

// Total weight of `chosen`, after checking that it is sorted, uses only
// edges of g (as (u < v)), each at most once, and loads every vertex at most
// capacity[v] times (1 when no capacities are given).
std::int64_t checked_total(const WeightedGraph& g, const std::vector<VertexPair>& chosen,
                           const std::vector<int>& capacities = {}) {
  std::map<VertexPair, std::int64_t> weight_of;
  for (std::size_t e = 0; e < g.edges.size(); ++e) {
    const auto [u, v] = g.edges[e];
    weight_of[{std::min(u, v), std::max(u, v)}] = g.weights[e];
  }
  EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
  EXPECT_TRUE(std::adjacent_find(chosen.begin(), chosen.end()) == chosen.end());
  std::vector<int> load(g.n, 0);
  std::int64_t total = 0;
  for (const auto& [u, v] : chosen) {
    EXPECT_LT(u, v);
    const auto it = weight_of.find({u, v});
    if (it == weight_of.end()) {
      ADD_FAILURE() << "(" << u << ", " << v << ") is not an edge";
      continue;
    }
    total += it->second;
    ++load[u];
    ++load[v];
  }
  for (std::size_t v = 0; v < g.n; ++v) {
    EXPECT_LE(load[v], capacities.empty() ? 1 : capacities[v]) << "vertex " << v;
  }
  return total;
}

// Every matching of a small graph: the heaviest, and the heaviest of the
// largest size.
struct BruteForceMatching {
  std::int64_t best_weight = 0;
  std::size_t max_size = 0;
  std::int64_t best_weight_at_max_size = 0;

  explicit BruteForceMatching(const WeightedGraph& g)
      : edge_at_(g.n, std::vector<std::int64_t>(g.n, kNoEdge)), used_(g.n, false) {
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
      edge_at_[g.edges[e].first][g.edges[e].second] = g.weights[e];
      edge_at_[g.edges[e].second][g.edges[e].first] = g.weights[e];
    }
    search(0, 0, 0);
  }

 private:
  static constexpr std::int64_t kNoEdge = std::numeric_limits<std::int64_t>::min();
  std::vector<std::vector<std::int64_t>> edge_at_;
  std::vector<bool> used_;

  void search(std::size_t from, std::size_t size, std::int64_t weight) {
    std::size_t v = from;
    while (v < used_.size() && used_[v]) ++v;
    if (v == used_.size()) {
      best_weight = std::max(best_weight, weight);
      if (size > max_size || (size == max_size && weight > best_weight_at_max_size)) {
        max_size = size;
        best_weight_at_max_size = weight;
      }
      return;
    }
    used_[v] = true;
    search(v + 1, size, weight);  // v stays single
    for (std::size_t u = v + 1; u < used_.size(); ++u) {
      if (used_[u] || edge_at_[v][u] == kNoEdge) continue;
      used_[u] = true;
      search(v + 1, size + 1, weight + edge_at_[v][u]);
      used_[u] = false;
    }
    used_[v] = false;
  }
};

// Heaviest edge subset loading each vertex at most capacities[v] times.
std::int64_t brute_force_b_matching(const WeightedGraph& g, const std::vector<int>& capacities) {
  std::vector<int> load(g.n, 0);
  std::int64_t best = 0;
  auto search = [&](auto&& self, std::size_t e, std::int64_t weight) -> void {
    if (e == g.edges.size()) {
      best = std::max(best, weight);
      return;
    }
    self(self, e + 1, weight);
    const auto [u, v] = g.edges[e];
    if (load[u] < capacities[u] && load[v] < capacities[v]) {
      ++load[u];
      ++load[v];
      self(self, e + 1, weight + g.weights[e]);
      --load[u];
      --load[v];
    }
  };
  search(search, 0, 0);
  return best;
}

long long lemon_max_weight(const WeightedGraph& g) {
  lemon::ListGraph graph;
  std::vector<lemon::ListGraph::Node> nodes;
  for (std::size_t v = 0; v < g.n; ++v) nodes.push_back(graph.addNode());
  lemon::ListGraph::EdgeMap<long long> weight(graph);
  for (std::size_t e = 0; e < g.edges.size(); ++e) {
    weight[graph.addEdge(nodes[g.edges[e].first], nodes[g.edges[e].second])] = g.weights[e];
  }
  lemon::MaxWeightedMatching<lemon::ListGraph, lemon::ListGraph::EdgeMap<long long>> matching(
      graph, weight);
  matching.run();
  return matching.matchingWeight();
}

using BoostGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_weight_t, std::int64_t>>;

BoostGraph boost_graph(const WeightedGraph& g) {
  BoostGraph graph(g.n);
  for (std::size_t e = 0; e < g.edges.size(); ++e) {
    boost::add_edge(g.edges[e].first, g.edges[e].second, g.weights[e], graph);
  }
  return graph;
}

// Total weight of a mate map over a Boost graph, after checking symmetry.
std::int64_t mate_total(const BoostGraph& graph, const std::vector<std::size_t>& mate) {
  std::int64_t total = 0;
  for (const auto& e : boost::make_iterator_range(boost::edges(graph))) {
    const std::size_t u = boost::source(e, graph), v = boost::target(e, graph);
    if (mate[u] == v) total += boost::get(boost::edge_weight, graph, e);
  }
  for (std::size_t v = 0; v < mate.size(); ++v) {
    if (mate[v] != boost::graph_traits<BoostGraph>::null_vertex()) {
      EXPECT_EQ(mate[mate[v]], v) << "mate map not symmetric at " << v;
    }
  }
  return total;
}

// Boost's own O(V^3) maximum_weighted_matching (>= 1.88): the reference.
std::int64_t boost_max_weight(const WeightedGraph& g) {
  const BoostGraph graph = boost_graph(g);
  std::vector<std::size_t> mate(g.n);
  boost::maximum_weighted_matching(graph, mate.data());
  return mate_total(graph, mate);
}

int lemon_max_cardinality(const WeightedGraph& g) {
  lemon::ListGraph graph;
  std::vector<lemon::ListGraph::Node> nodes;
  for (std::size_t v = 0; v < g.n; ++v) nodes.push_back(graph.addNode());
  for (const auto& [u, v] : g.edges) graph.addEdge(nodes[u], nodes[v]);
  lemon::MaxMatching<lemon::ListGraph> matching(graph);
  matching.run();
  return matching.matchingSize();
}

// Maximum-weight b-matching of a bipartite graph (edges (u, v) with u on the
// left) as a min-cost circulation: s -> u (capacity c_u), u -> v (capacity
// 1, cost -w), v -> t (capacity c_v), t -> s free.
long long lemon_bipartite_b_matching(const WeightedGraph& g, const std::vector<int>& capacities) {
  lemon::ListDigraph graph;
  std::vector<lemon::ListDigraph::Node> nodes;
  for (std::size_t v = 0; v < g.n; ++v) nodes.push_back(graph.addNode());
  const auto s = graph.addNode(), t = graph.addNode();
  lemon::ListDigraph::ArcMap<long long> upper(graph), cost(graph);
  std::vector<bool> is_left(g.n, false);
  for (std::size_t e = 0; e < g.edges.size(); ++e) {
    const auto arc = graph.addArc(nodes[g.edges[e].first], nodes[g.edges[e].second]);
    upper[arc] = 1;
    cost[arc] = -g.weights[e];
    is_left[g.edges[e].first] = true;
  }
  for (std::size_t v = 0; v < g.n; ++v) {
    const auto arc = is_left[v] ? graph.addArc(s, nodes[v]) : graph.addArc(nodes[v], t);
    upper[arc] = capacities[v];
    cost[arc] = 0;
  }
  const auto back = graph.addArc(t, s);
  upper[back] = static_cast<long long>(g.edges.size());
  cost[back] = 0;
  lemon::NetworkSimplex<lemon::ListDigraph, long long, long long> flow(graph);
  flow.upperMap(upper).costMap(cost);
  EXPECT_EQ(flow.run(), flow.OPTIMAL);
  return -flow.totalCost();
}

std::vector<double> as_eighths(const std::vector<std::int64_t>& weights) {
  std::vector<double> out;
  for (std::int64_t w : weights) out.push_back(static_cast<double>(w) / 8.0);
  return out;
}

double total_of(const WeightedGraph& g, const std::vector<double>& weights,
                const std::vector<VertexPair>& chosen) {
  double total = 0;
  for (const auto& pair : chosen) {
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
      if (std::minmax(g.edges[e].first, g.edges[e].second) ==
          std::minmax(pair.first, pair.second)) {
        total += weights[e];
      }
    }
  }
  return total;
}

// Runs f and returns the problems of the InputError it must throw.
template <typename F>
std::vector<Problem> problems_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.problems();
  }
  ADD_FAILURE() << "expected InputError";
  return {};
}

bool has_problem(const std::vector<Problem>& problems, const std::string& record,
                 const std::string& field) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const Problem& p) { return p.record == record && p.field == field; });
}

}  // namespace

// ------------------------------------------------------------- small graphs

TEST(MaxWeightMatching, EmptyAndTrivialGraphs) {
  EXPECT_TRUE(max_weight_matching(0, {}, std::vector<std::int64_t>{}).empty());
  EXPECT_TRUE(max_weight_matching(5, {}, std::vector<std::int64_t>{}, true).empty());
  EXPECT_EQ(max_weight_matching(2, {{1, 0}}, std::vector<std::int64_t>{3}),
            (std::vector<VertexPair>{{0, 1}}));
  EXPECT_TRUE(max_weight_matching(2, {{1, 0}}, std::vector<std::int64_t>{0}).empty());
  EXPECT_TRUE(max_weight_matching(2, {{1, 0}}, std::vector<std::int64_t>{-4}).empty());
  EXPECT_EQ(max_weight_matching(2, {{1, 0}}, std::vector<std::int64_t>{-4}, true),
            (std::vector<VertexPair>{{0, 1}}));
}

TEST(MaxWeightMatching, PrefersHeavierOverLarger) {
  // Path 0-1-2-3: the middle edge outweighs both ends together, unless the
  // size of the matching comes first.
  const std::vector<VertexPair> path{{0, 1}, {1, 2}, {2, 3}};
  const std::vector<std::int64_t> weights{2, 5, 2};
  EXPECT_EQ(max_weight_matching(4, path, weights), (std::vector<VertexPair>{{1, 2}}));
  EXPECT_EQ(max_weight_matching(4, path, weights, true), (std::vector<VertexPair>{{0, 1}, {2, 3}}));
}

TEST(MaxWeightMatching, MatchesBruteForceOnRandomSmallGraphs) {
  std::mt19937_64 rng(20240611);
  std::uniform_int_distribution<std::size_t> size(0, 10);
  std::uniform_real_distribution<double> density(0.15, 0.9);
  for (int instance = 0; instance < 600; ++instance) {
    // Narrow weight ranges give ties; some ranges include 0 and negatives.
    const std::int64_t low = instance % 3 == 0 ? -5 : 0;
    const std::int64_t high = instance % 2 == 0 ? 3 : 40;
    const WeightedGraph g = random_dense_graph(rng, size(rng), density(rng), low, high);
    const BruteForceMatching expected(g);
    SCOPED_TRACE("instance " + std::to_string(instance) + ", " + std::to_string(g.n) +
                 " vertices, " + std::to_string(g.edges.size()) + " edges");

    const auto heaviest = max_weight_matching(g.n, g.edges, g.weights);
    EXPECT_EQ(checked_total(g, heaviest), expected.best_weight);

    const auto largest = max_weight_matching(g.n, g.edges, g.weights, true);
    EXPECT_EQ(largest.size(), expected.max_size);
    EXPECT_EQ(checked_total(g, largest), expected.best_weight_at_max_size);
  }
}

TEST(MaxWeightMatching, DoubleWeightsAgreeWithIntegers) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::size_t> size(2, 10);
  for (int instance = 0; instance < 200; ++instance) {
    const WeightedGraph g = random_dense_graph(rng, size(rng), 0.5, -20, 60);
    const std::vector<double> eighths = as_eighths(g.weights);
    for (bool max_cardinality : {false, true}) {
      const auto exact = max_weight_matching(g.n, g.edges, g.weights, max_cardinality);
      const auto real = max_weight_matching(g.n, g.edges, eighths, max_cardinality);
      EXPECT_EQ(real.size(), exact.size());
      // k / 8 is exact in binary, so the totals must agree exactly.
      EXPECT_EQ(total_of(g, eighths, real), static_cast<double>(checked_total(g, exact)) / 8.0)
          << "instance " << instance << (max_cardinality ? " (max_cardinality)" : "");
    }
  }
}

TEST(MaxWeightMatching, DoubleWeightsOfAnyMagnitude) {
  const std::vector<VertexPair> path{{0, 1}, {1, 2}, {2, 3}};
  for (double scale : {1e-300, 1e-9, 1.0, 1e12, 1e300}) {
    const std::vector<double> weights{2 * scale, 5 * scale, 2 * scale};
    EXPECT_EQ(max_weight_matching(4, path, weights), (std::vector<VertexPair>{{1, 2}}))
        << "scale " << scale;
  }
  EXPECT_TRUE(max_weight_matching(4, path, std::vector<double>{0, 0, 0}).empty());
  EXPECT_EQ(max_weight_matching(4, path, std::vector<double>{0, 0, 0}, true).size(), 2u);
  // 5e-324 is the smallest subnormal: the scale must not overflow.
  EXPECT_EQ(max_weight_matching(2, {{0, 1}}, std::vector<double>{5e-324}).size(), 1u);
}

TEST(MaxWeightMatching, IsDeterministic) {
  std::mt19937_64 rng(99);
  const WeightedGraph g = random_sparse_graph(rng, 300, 1500, 0, 5);  // many ties
  const auto first = max_weight_matching(g.n, g.edges, g.weights);
  for (int run = 0; run < 3; ++run) EXPECT_EQ(max_weight_matching(g.n, g.edges, g.weights), first);
  std::vector<int> capacities(g.n, 2);
  const auto b_first = b_matching(g.n, g.edges, g.weights, capacities);
  EXPECT_EQ(b_matching(g.n, g.edges, g.weights, capacities), b_first);
}

// ------------------------------------------------------------- large graphs

TEST(MaxWeightMatching, MatchesLemonOnLargeRandomGraphs) {
  std::mt19937_64 rng(424242);
  std::uniform_int_distribution<std::size_t> size(200, 600);
  for (int instance = 0; instance < 20; ++instance) {
    const std::size_t n = size(rng);
    const std::size_t m = std::uniform_int_distribution<std::size_t>(1000, 4000)(rng);
    // Small ranges make many ties; a few ranges reach below zero.
    const std::int64_t high = instance % 2 == 0 ? 10 : 1000000;
    const std::int64_t low = instance % 4 == 1 ? -high / 4 : 1;
    const WeightedGraph g = random_sparse_graph(rng, n, m, low, high);
    SCOPED_TRACE("instance " + std::to_string(instance));
    EXPECT_EQ(checked_total(g, max_weight_matching(g.n, g.edges, g.weights)), lemon_max_weight(g));
    if (instance % 4 == 0) {
      EXPECT_EQ(max_weight_matching(g.n, g.edges, g.weights, true).size(),
                static_cast<std::size_t>(lemon_max_cardinality(g)));
    }
  }
}

TEST(MaxWeightMatching, MatchesBoostsImplementation) {
  std::mt19937_64 rng(1880);
  for (int instance = 0; instance < 150; ++instance) {
    const std::size_t n = std::uniform_int_distribution<std::size_t>(2, 300)(rng);
    // Dense small-range instances grow nested blossoms; sparse ones long paths.
    const std::int64_t high = instance % 3 == 0 ? 3 : instance % 3 == 1 ? 100 : 1000000;
    const WeightedGraph g =
        instance % 2 == 0 ? random_dense_graph(rng, std::min<std::size_t>(n, 80), 0.3, 0, high)
                          : random_sparse_graph(rng, n, std::min(n * (n - 1) / 2, 4 * n), 0, high);
    SCOPED_TRACE("instance " + std::to_string(instance));
    EXPECT_EQ(checked_total(g, max_weight_matching(g.n, g.edges, g.weights)), boost_max_weight(g));
  }
}

TEST(MaxWeightMatching, MatchesLemonOnStructuredGraphs) {
  std::mt19937_64 rng(2026);
  // Complete graphs with three weights: ties and blossoms everywhere.
  for (std::size_t n : {31, 50, 81}) {
    const WeightedGraph g = random_dense_graph(rng, n, 1.0, 1, 3);
    EXPECT_EQ(checked_total(g, max_weight_matching(g.n, g.edges, g.weights)), lemon_max_weight(g))
        << "K_" << n;
  }
  // Candidate-graph-like: a fifth of the vertices (hubs) list 10 others each.
  for (std::size_t n : {1000, 5000}) {
    WeightedGraph g;
    g.n = n;
    std::uniform_int_distribution<std::size_t> vertex(0, n - 1);
    std::uniform_int_distribution<std::int64_t> weight(400000, 1000000);
    std::vector<std::vector<bool>> seen(n, std::vector<bool>(n, false));
    for (std::size_t hub = 0; hub < n / 5; ++hub) {
      for (int listed = 0; listed < 10;) {
        const std::size_t v = vertex(rng);
        if (v == hub || seen[hub][v]) continue;
        seen[hub][v] = seen[v][hub] = true;
        g.edges.push_back({hub, v});
        g.weights.push_back(weight(rng));
        ++listed;
      }
    }
    EXPECT_EQ(checked_total(g, max_weight_matching(g.n, g.edges, g.weights)), lemon_max_weight(g))
        << n << " vertices, hubs";
  }
  // The size the performance target names, sparser: 20000 vertices.
  const WeightedGraph large = random_sparse_graph(rng, 20000, 60000, 1, 1000000);
  EXPECT_EQ(checked_total(large, max_weight_matching(large.n, large.edges, large.weights)),
            lemon_max_weight(large));
}

TEST(GraphMatching, DropInForBoost) {
  std::mt19937_64 rng(5);
  for (int instance = 0; instance < 40; ++instance) {
    const WeightedGraph g = random_sparse_graph(rng, 120, 400, 0, 50);
    const BoostGraph graph = boost_graph(g);
    std::vector<std::size_t> mate(g.n);
    libmatch::maximum_weighted_matching(graph, mate.data());
    EXPECT_EQ(mate_total(graph, mate), boost_max_weight(g)) << "instance " << instance;
  }
  // Self loops are ignored, parallel edges count by the heaviest, weights
  // <= 0 are never used, and unmatched vertices get null_vertex().
  BoostGraph graph(5);
  boost::add_edge(0, 0, 100, graph);
  boost::add_edge(0, 1, 2, graph);
  boost::add_edge(1, 0, 7, graph);
  boost::add_edge(2, 3, 0, graph);
  boost::add_edge(3, 4, -1, graph);
  std::vector<std::size_t> mate(5);
  libmatch::maximum_weighted_matching(graph, mate.data());
  const auto none = boost::graph_traits<BoostGraph>::null_vertex();
  EXPECT_EQ(mate, (std::vector<std::size_t>{1, 0, none, none, none}));
}

// Every signature of boost::maximum_weighted_matching: (g, mate), (g, mate,
// index) with the graph's edge_weight, and (g, mate, index, weight); here on
// a listS graph, whose vertices are not indices, with an external index.
TEST(GraphMatching, DropInTakesEveryBoostSignature) {
  using ListGraph = boost::adjacency_list<boost::listS, boost::listS, boost::undirectedS,
                                          boost::property<boost::vertex_index_t, std::size_t>,
                                          boost::property<boost::edge_weight_t, std::int64_t>>;
  using Vertex = boost::graph_traits<ListGraph>::vertex_descriptor;
  std::mt19937_64 rng(11);
  for (int instance = 0; instance < 10; ++instance) {
    const WeightedGraph g = random_sparse_graph(rng, 60, 200, 0, 50);
    ListGraph graph;
    std::vector<Vertex> vertex;
    for (std::size_t v = 0; v < g.n; ++v) vertex.push_back(boost::add_vertex(v, graph));
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
      boost::add_edge(vertex[g.edges[e].first], vertex[g.edges[e].second], g.weights[e], graph);
    }
    const auto index = boost::get(boost::vertex_index, graph);
    const auto total = [&](const std::vector<Vertex>& mate) {
      std::int64_t sum = 0;
      for (const auto& e : boost::make_iterator_range(boost::edges(graph))) {
        const Vertex u = boost::source(e, graph), v = boost::target(e, graph);
        if (mate[index[u]] == v) sum += boost::get(boost::edge_weight, graph, e);
      }
      return sum;
    };
    const std::int64_t best = boost_max_weight(g);
    std::vector<Vertex> mate(g.n);
    const auto mate_map = boost::make_iterator_property_map(mate.begin(), index);
    libmatch::maximum_weighted_matching(graph, mate_map);
    EXPECT_EQ(total(mate), best) << "instance " << instance;
    std::fill(mate.begin(), mate.end(), Vertex{});
    libmatch::maximum_weighted_matching(graph, mate_map, index);
    EXPECT_EQ(total(mate), best) << "instance " << instance;
    std::fill(mate.begin(), mate.end(), Vertex{});
    libmatch::maximum_weighted_matching(graph, mate_map, index,
                                        boost::get(boost::edge_weight, graph));
    EXPECT_EQ(total(mate), best) << "instance " << instance;
  }
}

TEST(MaxWeightMatching, LongChainOfTriangles) {
  // Triangles (i, i+1, i+2) sharing every even vertex, all weights equal: one
  // search absorbs triangle after triangle into a growing blossom. (LEMON
  // overflows its stack here.) 2k + 1 vertices: k edges, one vertex left.
  WeightedGraph g;
  g.n = 100001;
  for (std::size_t i = 0; i + 2 < g.n; i += 2) {
    g.edges.insert(g.edges.end(), {{i, i + 1}, {i + 1, i + 2}, {i, i + 2}});
    g.weights.insert(g.weights.end(), {5, 5, 5});
  }
  const auto chosen = max_weight_matching(g.n, g.edges, g.weights);
  EXPECT_EQ(chosen.size(), 50000u);
  EXPECT_EQ(checked_total(g, chosen), 5 * 50000);
}

TEST(MaxWeightMatching, ManySmallComponents) {
  // 20000 disjoint triangles: fast only when components are solved apart.
  WeightedGraph g;
  g.n = 60000;
  for (std::size_t t = 0; t < 20000; ++t) {
    const std::size_t a = 3 * t;
    g.edges.insert(g.edges.end(), {{a, a + 1}, {a + 1, a + 2}, {a, a + 2}});
    g.weights.insert(g.weights.end(), {1, 3, 2});
  }
  const auto chosen = max_weight_matching(g.n, g.edges, g.weights);
  EXPECT_EQ(chosen.size(), 20000u);
  EXPECT_EQ(checked_total(g, chosen), 3 * 20000);
}

// ------------------------------------------------------------ b-matching

TEST(BMatching, MatchesBruteForceOnRandomSmallGraphs) {
  std::mt19937_64 rng(31337);
  for (int instance = 0; instance < 1000; ++instance) {
    // Odd instances are dense with capacities 2-3 and narrow positive
    // weights, so most edges become gadgets and ties abound.
    const bool tight = instance % 2 == 1;
    const std::size_t n =
        std::uniform_int_distribution<std::size_t>(tight ? 4 : 2, tight ? 7 : 9)(rng);
    const std::size_t max_edges = std::min<std::size_t>(14, n * (n - 1) / 2);
    const std::size_t m =
        std::uniform_int_distribution<std::size_t>(tight ? max_edges * 2 / 3 : 0, max_edges)(rng);
    const std::int64_t low = !tight && instance % 3 == 0 ? -4 : tight ? 1 : 0;
    const std::int64_t high = instance % 4 < 2 ? 3 : 30;
    const WeightedGraph g = random_sparse_graph(rng, n, m, low, high);
    std::uniform_int_distribution<int> capacity(tight ? 2 : 0, 3);
    std::vector<int> capacities(n);
    for (int& c : capacities) c = capacity(rng);
    SCOPED_TRACE("instance " + std::to_string(instance));
    const auto chosen = b_matching(g.n, g.edges, g.weights, capacities);
    EXPECT_EQ(checked_total(g, chosen, capacities), brute_force_b_matching(g, capacities));
    for (const auto& [u, v] : chosen) {
      EXPECT_GT(checked_total(g, {{u, v}}), 0) << "an edge of weight <= 0 was used";
    }
  }
}

TEST(BMatching, DenseGraphWithTies) {
  // Found by random search: a gadget whose weights were off by one here
  // ended half matched.
  WeightedGraph g;
  g.n = 5;
  g.edges = {{4, 3}, {0, 3}, {1, 2}, {1, 3}, {4, 1}, {1, 0}, {2, 0}, {3, 2}, {2, 4}, {0, 4}};
  g.weights = {1, 1, 2, 2, 2, 1, 2, 2, 1, 2};
  const std::vector<int> capacities{2, 3, 2, 2, 2};
  EXPECT_EQ(brute_force_b_matching(g, capacities), 10);
  EXPECT_EQ(checked_total(g, b_matching(g.n, g.edges, g.weights, capacities), capacities), 10);
}

TEST(BMatching, CapacityOneIsMaxWeightMatching) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::size_t> size(2, 12);
  for (int instance = 0; instance < 200; ++instance) {
    const WeightedGraph g = random_dense_graph(rng, size(rng), 0.5, -3, 8);
    const std::vector<int> ones(g.n, 1);
    EXPECT_EQ(checked_total(g, b_matching(g.n, g.edges, g.weights, ones), ones),
              checked_total(g, max_weight_matching(g.n, g.edges, g.weights)))
        << "instance " << instance;
  }
}

TEST(BMatching, MatchesLemonOnLargeRandomGraphsWithCapacityOne) {
  std::mt19937_64 rng(8080);
  std::uniform_int_distribution<std::size_t> size(200, 400);
  for (int instance = 0; instance < 8; ++instance) {
    const std::size_t n = size(rng);
    const std::size_t m = std::uniform_int_distribution<std::size_t>(600, 2000)(rng);
    const WeightedGraph g = random_sparse_graph(rng, n, m, instance % 2 ? -5 : 1, 20);
    const std::vector<int> ones(g.n, 1);
    EXPECT_EQ(checked_total(g, b_matching(g.n, g.edges, g.weights, ones), ones),
              lemon_max_weight(g))
        << "instance " << instance;
  }
}

TEST(BMatching, MatchesLemonMinCostFlowOnLargeBipartiteGraphs) {
  std::mt19937_64 rng(2718);
  std::uniform_int_distribution<int> capacity(0, 4);
  for (int instance = 0; instance < 8; ++instance) {
    const std::size_t left = std::uniform_int_distribution<std::size_t>(80, 200)(rng);
    const std::size_t right = std::uniform_int_distribution<std::size_t>(80, 200)(rng);
    const std::size_t m = std::uniform_int_distribution<std::size_t>(600, 2000)(rng);
    WeightedGraph g;
    g.n = left + right;
    std::uniform_int_distribution<std::size_t> pick_left(0, left - 1), pick_right(left, g.n - 1);
    std::uniform_int_distribution<std::int64_t> weight(instance % 2 ? -5 : 1, 30);
    std::vector<std::vector<bool>> seen(left, std::vector<bool>(g.n, false));
    while (g.edges.size() < m) {
      const std::size_t u = pick_left(rng), v = pick_right(rng);
      if (seen[u][v]) continue;
      seen[u][v] = true;
      g.edges.push_back({u, v});
      g.weights.push_back(weight(rng));
    }
    std::vector<int> capacities(g.n);
    for (int& c : capacities) c = capacity(rng);
    EXPECT_EQ(checked_total(g, b_matching(g.n, g.edges, g.weights, capacities), capacities),
              lemon_bipartite_b_matching(g, capacities))
        << "instance " << instance;
  }
}

TEST(BMatching, LargeCapacitiesTakeEveryPositiveEdge) {
  std::mt19937_64 rng(12);
  const WeightedGraph g = random_sparse_graph(rng, 300, 2000, -10, 10);
  const std::vector<int> capacities(g.n, 1000);
  std::int64_t positive = 0;
  for (std::int64_t w : g.weights) positive += std::max<std::int64_t>(w, 0);
  EXPECT_EQ(checked_total(g, b_matching(g.n, g.edges, g.weights, capacities), capacities),
            positive);
}

TEST(BMatching, DoubleWeightsAgreeWithIntegers) {
  std::mt19937_64 rng(77);
  std::uniform_int_distribution<int> capacity(0, 3);
  for (int instance = 0; instance < 100; ++instance) {
    const WeightedGraph g = random_sparse_graph(rng, 8, 12, -10, 40);
    std::vector<int> capacities(g.n);
    for (int& c : capacities) c = capacity(rng);
    const std::vector<double> eighths = as_eighths(g.weights);
    const auto exact = b_matching(g.n, g.edges, g.weights, capacities);
    const auto real = b_matching(g.n, g.edges, eighths, capacities);
    EXPECT_EQ(total_of(g, eighths, real),
              static_cast<double>(checked_total(g, exact, capacities)) / 8.0)
        << "instance " << instance;
  }
}

// ------------------------------------------------------------- validation

TEST(WeightedMatchingValidation, ReportsEveryProblemAtOnce) {
  const std::vector<VertexPair> edges{
      {0, 1},  // fine
      {0, 7},  // v out of range
      {9, 8},  // u and v out of range
      {2, 2},  // self loop
      {1, 0},  // repeats edge 0 reversed
      {0, 1},  // repeats edge 0
  };
  const auto problems =
      problems_of([&] { max_weight_matching(4, edges, std::vector<std::int64_t>(5, 1)); });
  EXPECT_TRUE(has_problem(problems, "weights", "weight"));
  EXPECT_TRUE(has_problem(problems, "edge 1", "v"));
  EXPECT_TRUE(has_problem(problems, "edge 2", "u"));
  EXPECT_TRUE(has_problem(problems, "edge 2", "v"));
  EXPECT_TRUE(has_problem(problems, "edge 3", "v"));
  EXPECT_TRUE(has_problem(problems, "edge 4", "v"));
  EXPECT_TRUE(has_problem(problems, "edge 5", "v"));
  EXPECT_FALSE(has_problem(problems, "edge 0", "v"));
  EXPECT_EQ(problems.size(), 7u);
  for (const Problem& p : problems) {
    if (p.record.rfind("edge ", 0) == 0) {
      EXPECT_EQ("edge " + std::to_string(p.index), p.record);
    }
  }
}

TEST(WeightedMatchingValidation, EveryOverloadValidates) {
  const std::vector<VertexPair> loop{{1, 1}};
  const std::vector<int> caps(2, 1);
  EXPECT_THROW(max_weight_matching(2, loop, std::vector<std::int64_t>{1}), InputError);
  EXPECT_THROW(max_weight_matching(2, loop, std::vector<double>{1}), InputError);
  EXPECT_THROW(b_matching(2, loop, std::vector<std::int64_t>{1}, caps), InputError);
  EXPECT_THROW(b_matching(2, loop, std::vector<double>{1}, caps), InputError);
  // InputError is a std::invalid_argument.
  EXPECT_THROW(max_weight_matching(2, loop, std::vector<std::int64_t>{1}), std::invalid_argument);
}

TEST(WeightedMatchingValidation, RejectsNonFiniteWeights) {
  const std::vector<VertexPair> edges{{0, 1}, {1, 2}, {2, 3}};
  const std::vector<double> weights{std::nan(""), 1.0, -std::numeric_limits<double>::infinity()};
  for (auto problems :
       {problems_of([&] { max_weight_matching(4, edges, weights); }),
        problems_of([&] { b_matching(4, edges, weights, std::vector<int>(4, 1)); })}) {
    EXPECT_TRUE(has_problem(problems, "edge 0", "weight"));
    EXPECT_TRUE(has_problem(problems, "edge 2", "weight"));
    EXPECT_EQ(problems.size(), 2u);
  }
  EXPECT_THROW(max_weight_matching(2, {{0, 1}}, std::vector<double>{HUGE_VAL}, true), InputError);
}

TEST(WeightedMatchingValidation, RejectsBadCapacities) {
  const std::vector<VertexPair> edges{{0, 1}};
  const std::vector<std::int64_t> weights{1};
  auto problems = problems_of([&] { b_matching(3, edges, weights, std::vector<int>{1, -1, 2}); });
  EXPECT_TRUE(has_problem(problems, "vertex 1", "capacity"));
  EXPECT_EQ(problems.size(), 1u);
  problems = problems_of([&] { b_matching(3, edges, weights, std::vector<int>{1, 1}); });
  EXPECT_TRUE(has_problem(problems, "capacities", "capacity"));
  problems = problems_of([&] { b_matching(3, edges, std::vector<double>{}, std::vector<int>{}); });
  EXPECT_TRUE(has_problem(problems, "capacities", "capacity"));
  EXPECT_TRUE(has_problem(problems, "weights", "weight"));
  // Capacity 0 is allowed: the vertex is simply left out.
  EXPECT_TRUE(b_matching(3, edges, weights, std::vector<int>{0, 1, 1}).empty());
}

TEST(WeightedMatchingValidation, OverflowGuards) {
  constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 16;
  const std::vector<VertexPair> one_edge{{0, 1}};
  // Two vertices: max_cardinality shifts by M = 2A + 1, so A + M = 3A + 1
  // must stay within the limit.
  const std::int64_t fits = (limit - 1) / 3;
  EXPECT_EQ(max_weight_matching(2, one_edge, std::vector<std::int64_t>{fits}, true).size(), 1u);
  EXPECT_EQ(max_weight_matching(2, one_edge, std::vector<std::int64_t>{-fits}, true).size(), 1u);
  EXPECT_THROW(max_weight_matching(2, one_edge, std::vector<std::int64_t>{fits + 1}, true),
               std::overflow_error);
  EXPECT_THROW(
      max_weight_matching(
          2, one_edge, std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min()}, true),
      std::overflow_error);
  // Without max_cardinality, the blossom algorithm's own limit applies.
  EXPECT_EQ(max_weight_matching(2, one_edge, std::vector<std::int64_t>{limit}).size(), 1u);
  EXPECT_THROW(max_weight_matching(2, one_edge, std::vector<std::int64_t>{limit + 1}),
               std::overflow_error);
  // b_matching's gadget doubles weights.
  const std::vector<int> ones{1, 1};
  EXPECT_EQ(b_matching(2, one_edge, std::vector<std::int64_t>{limit / 2 - 1}, ones).size(), 1u);
  EXPECT_THROW(b_matching(2, one_edge, std::vector<std::int64_t>{limit / 2}, ones),
               std::overflow_error);
  try {
    max_weight_matching(2, one_edge, std::vector<std::int64_t>{fits + 1}, true);
  } catch (const std::overflow_error& e) {
    EXPECT_NE(std::string(e.what()).find("max_cardinality"), std::string::npos) << e.what();
  }
}
