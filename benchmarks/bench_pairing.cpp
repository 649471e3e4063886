// match() on candidate graphs of synthetic pools of growing size (k = 10,
// a fifth of the cities seeking one partner each, or 1-3 partners for the
// b-matching), every method, and LEMON's MaxWeightedMatching on the very
// same graphs as an independent comparator; and max_weight_matching on a
// random graph of 20,000 vertices and 200,000 edges, against LEMON too.
#include <map>
#include <memory>
#include <random>
#include <set>

#include <benchmark/benchmark.h>
#include <lemon/list_graph.h>
#include <lemon/matching.h>
#include <libmatch/libmatch.hpp>
#include <libmatch/matching.hpp>
#include <libmatch/pairing.hpp>

#include "synthetic_pool.hpp"

namespace {

constexpr std::size_t kTopK = 10;

struct Prepared {
  std::size_t cities;
  libmatch::CityTable pool;
  libmatch::Seekers seekers;
  libmatch::CandidateGraph graph;
};

// max_partners 1: every seeker wants one partner; 3: seeker i wants
// 1 + i % 3.
const Prepared& prepared(std::size_t n, int max_partners = 1) {
  static std::map<std::pair<std::size_t, int>, std::unique_ptr<Prepared>> cache;
  auto& slot = cache[{n, max_partners}];
  if (!slot) {
    bench::SyntheticPool data = bench::synthetic_pool(n, n / 5);
    for (std::size_t i = 0; i < data.profiles.size(); ++i) {
      data.profiles[i].partners = 1 + static_cast<int>(i % static_cast<std::size_t>(max_partners));
    }
    libmatch::CityTable pool = libmatch::CityTable::from_records(data.cities);
    libmatch::Seekers seekers(pool, data.profiles);
    libmatch::CandidateOptions options;
    options.k = kTopK;
    const libmatch::CandidateLists lists = libmatch::candidates(pool, seekers, {}, options);
    libmatch::CandidateGraph graph = libmatch::CandidateGraph::build(pool, seekers, lists);
    slot.reset(new Prepared{n, std::move(pool), std::move(seekers), std::move(graph)});
  }
  return *slot;
}

void describe(benchmark::State& state, const libmatch::CandidateGraph& graph) {
  state.counters["vertices"] = static_cast<double>(graph.vertex_count());
  state.counters["edges"] = static_cast<double>(graph.edge_count());
}

void BM_Match(benchmark::State& state, libmatch::Method method, int max_partners = 1) {
  const Prepared& p = prepared(static_cast<std::size_t>(state.range(0)), max_partners);
  libmatch::MatchResult result;
  for (auto _ : state) {
    try {
      result = libmatch::match(p.graph, method);
    } catch (const libmatch::NoStableMatchingError&) {
      state.counters["no_stable_matching"] = 1;
    }
    benchmark::DoNotOptimize(result.pairs.data());
  }
  describe(state, p.graph);
  state.counters["total_weight"] = static_cast<double>(result.total_weight);
  state.counters["blocking_pairs"] = static_cast<double>(result.stability.count);
}

// LEMON's MaxWeightedMatching on an edge list; the graph is built outside
// the timing.
void run_lemon(benchmark::State& state, std::size_t n,
               const std::vector<libmatch::VertexPair>& ends,
               const std::vector<std::int64_t>& weights) {
  lemon::ListGraph lg;
  std::vector<lemon::ListGraph::Node> nodes;
  for (std::size_t v = 0; v < n; ++v) nodes.push_back(lg.addNode());
  lemon::ListGraph::EdgeMap<long long> weight(lg);
  for (std::size_t e = 0; e < ends.size(); ++e) {
    weight[lg.addEdge(nodes[ends[e].first], nodes[ends[e].second])] = weights[e];
  }
  long long total = 0;
  for (auto _ : state) {
    lemon::MaxWeightedMatching<lemon::ListGraph, lemon::ListGraph::EdgeMap<long long>> matching(
        lg, weight);
    matching.run();
    total = matching.matchingWeight();
  }
  state.counters["total_weight"] = static_cast<double>(total);
}

// LEMON on the same candidate graph and the same integer weights.
void BM_LemonMaxWeightedMatching(benchmark::State& state) {
  const Prepared& p = prepared(static_cast<std::size_t>(state.range(0)));
  const auto& g = p.graph.graph();
  std::vector<libmatch::VertexPair> ends;
  std::vector<std::int64_t> weights;
  for (const auto& e : boost::make_iterator_range(boost::edges(g))) {
    ends.emplace_back(boost::source(e, g), boost::target(e, g));
    weights.push_back(g[e].weight);
  }
  run_lemon(state, p.graph.vertex_count(), ends, weights);
  describe(state, p.graph);
}

// The sizes of the performance target: 20,000 vertices, 200,000 distinct
// random edges, integer weights uniform in [1, 10^6].
struct RandomGraph {
  std::size_t n = 20000;
  std::vector<libmatch::VertexPair> ends;
  std::vector<std::int64_t> weights;
};

const RandomGraph& random_graph() {
  static const RandomGraph graph = [] {
    RandomGraph g;
    std::mt19937_64 rng(20000);
    std::uniform_int_distribution<std::size_t> vertex(0, g.n - 1);
    std::uniform_int_distribution<std::int64_t> weight(1, 1000000);
    std::set<libmatch::VertexPair> seen;
    while (g.ends.size() < 200000) {
      std::size_t u = vertex(rng), v = vertex(rng);
      if (u > v) std::swap(u, v);
      if (u == v || !seen.insert({u, v}).second) continue;
      g.ends.emplace_back(u, v);
      g.weights.push_back(weight(rng));
    }
    return g;
  }();
  return graph;
}

void BM_RandomGraph_libmatch(benchmark::State& state) {
  const RandomGraph& g = random_graph();
  std::vector<libmatch::VertexPair> chosen;
  for (auto _ : state) {
    chosen = libmatch::max_weight_matching(g.n, g.ends, g.weights);
    benchmark::DoNotOptimize(chosen.data());
  }
  std::map<libmatch::VertexPair, std::int64_t> weight_of;
  for (std::size_t e = 0; e < g.ends.size(); ++e) weight_of[g.ends[e]] = g.weights[e];
  double total = 0;
  for (const auto& pair : chosen) total += static_cast<double>(weight_of.at(pair));
  state.counters["total_weight"] = total;
}

void BM_RandomGraph_Lemon(benchmark::State& state) {
  const RandomGraph& g = random_graph();
  run_lemon(state, g.n, g.ends, g.weights);
}

}  // namespace

BENCHMARK_CAPTURE(BM_Match, optimal, libmatch::Method::optimal)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LemonMaxWeightedMatching)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Match, optimal_1_to_3_partners, libmatch::Method::optimal, 3)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RandomGraph_libmatch)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RandomGraph_Lemon)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Match, stable, libmatch::Method::stable)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Match, greedy, libmatch::Method::greedy)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
