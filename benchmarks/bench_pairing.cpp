// match() on candidate graphs of synthetic pools of growing size (k = 10,
// a fifth of the cities seeking one partner each), every method, and LEMON's
// MaxWeightedMatching on the very same graphs as an independent comparator.
#include <map>
#include <memory>

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

const Prepared& prepared(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<Prepared>> cache;
  auto& slot = cache[n];
  if (!slot) {
    bench::SyntheticPool data = bench::synthetic_pool(n, n / 5);
    for (auto& p : data.profiles) p.partners = 1;
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

void BM_Match(benchmark::State& state, libmatch::Method method) {
  const Prepared& p = prepared(static_cast<std::size_t>(state.range(0)));
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

// LEMON on the same graph and the same integer weights.
void BM_LemonMaxWeightedMatching(benchmark::State& state) {
  const Prepared& p = prepared(static_cast<std::size_t>(state.range(0)));
  const auto& g = p.graph.graph();
  lemon::ListGraph lg;
  std::vector<lemon::ListGraph::Node> nodes;
  for (std::size_t v = 0; v < p.graph.vertex_count(); ++v) nodes.push_back(lg.addNode());
  lemon::ListGraph::EdgeMap<long long> weight(lg);
  for (const auto& e : boost::make_iterator_range(boost::edges(g))) {
    weight[lg.addEdge(nodes[boost::source(e, g)], nodes[boost::target(e, g)])] = g[e].weight;
  }
  long long total = 0;
  for (auto _ : state) {
    lemon::MaxWeightedMatching<lemon::ListGraph, lemon::ListGraph::EdgeMap<long long>> matching(
        lg, weight);
    matching.run();
    total = matching.matchingWeight();
  }
  describe(state, p.graph);
  state.counters["total_weight"] = static_cast<double>(total);
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
