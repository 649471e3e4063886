// LEMON's MaxWeightedMatching on an edge list read from stdin, for
// benchmarks/compare/compare.py. Input: "n m" then m lines "u v w" (vertices
// 0..n-1, integer weights). Output, one "key value" per line:
// total_weight, matched_edges, seconds (the run only, not the reading),
// build_seconds (building the LEMON graph).
#include <chrono>
#include <cstdio>
#include <vector>

#include <lemon/list_graph.h>
#include <lemon/matching.h>

int main() {
  long long n = 0, m = 0;
  if (std::scanf("%lld %lld", &n, &m) != 2) {
    std::fprintf(stderr, "expected 'n m' on the first line\n");
    return 2;
  }
  std::vector<int> us(m), vs(m);
  std::vector<long long> ws(m);
  for (long long i = 0; i < m; ++i) {
    if (std::scanf("%d %d %lld", &us[i], &vs[i], &ws[i]) != 3) {
      std::fprintf(stderr, "bad edge line %lld\n", i + 2);
      return 2;
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  lemon::ListGraph g;
  g.reserveNode(static_cast<int>(n));
  g.reserveEdge(static_cast<int>(m));
  std::vector<lemon::ListGraph::Node> nodes;
  nodes.reserve(n);
  for (long long v = 0; v < n; ++v) nodes.push_back(g.addNode());
  lemon::ListGraph::EdgeMap<long long> weight(g);
  for (long long i = 0; i < m; ++i) weight[g.addEdge(nodes[us[i]], nodes[vs[i]])] = ws[i];
  const auto t1 = std::chrono::steady_clock::now();
  lemon::MaxWeightedMatching<lemon::ListGraph, lemon::ListGraph::EdgeMap<long long>> matching(
      g, weight);
  matching.run();
  const auto t2 = std::chrono::steady_clock::now();
  std::printf("total_weight %lld\n", static_cast<long long>(matching.matchingWeight()));
  std::printf("matched_edges %d\n", matching.matchingSize());
  std::printf("seconds %.9f\n", std::chrono::duration<double>(t2 - t1).count());
  std::printf("build_seconds %.9f\n", std::chrono::duration<double>(t1 - t0).count());
  return 0;
}
