// libmatch's maximum-weight matching on any Boost.Graph graph: a drop-in
// for boost::maximum_weighted_matching (same arguments, same result
// weight), backed by libmatch::max_weight_matching's O(nm log n) blossom
// algorithm instead of Boost's O(V^3) one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/property_map/property_map.hpp>

#include "libmatch/matching.hpp"

namespace libmatch {

// Sets mate[v] to v's partner, or graph_traits<Graph>::null_vertex() when v
// stays unmatched. Weights must be integers (exact arithmetic); edges of
// weight <= 0 are never used, self loops are ignored and of parallel edges
// only the heaviest counts. Graph: VertexListGraph and EdgeListGraph.
template <typename Graph, typename MateMap, typename VertexIndexMap, typename WeightMap>
void maximum_weighted_matching(const Graph& g, MateMap mate, VertexIndexMap index,
                               WeightMap weight) {
  using Traits = boost::graph_traits<Graph>;
  using Weight = typename boost::property_traits<WeightMap>::value_type;
  static_assert(std::is_integral_v<Weight>,
                "libmatch::maximum_weighted_matching needs integer weights; for real ones, "
                "call libmatch::max_weight_matching with a std::vector<double>");
  std::vector<typename Traits::vertex_descriptor> vertex_of(num_vertices(g));
  for (auto [v, end] = vertices(g); v != end; ++v) {
    vertex_of[get(index, *v)] = *v;
    put(mate, *v, Traits::null_vertex());
  }
  // (u < v, weight), heaviest first within a pair.
  std::vector<std::pair<VertexPair, std::int64_t>> keyed;
  for (auto [e, end] = edges(g); e != end; ++e) {
    const std::size_t u = get(index, source(*e, g)), v = get(index, target(*e, g));
    if (u != v) keyed.push_back({{std::min(u, v), std::max(u, v)}, get(weight, *e)});
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second > b.second;
  });
  std::vector<VertexPair> pairs;
  std::vector<std::int64_t> weights;
  for (std::size_t i = 0; i < keyed.size(); ++i) {
    if (i > 0 && keyed[i].first == keyed[i - 1].first) continue;
    pairs.push_back(keyed[i].first);
    weights.push_back(keyed[i].second);
  }
  for (const auto& [u, v] : max_weight_matching(vertex_of.size(), pairs, weights)) {
    put(mate, vertex_of[u], vertex_of[v]);
    put(mate, vertex_of[v], vertex_of[u]);
  }
}

// With the graph's own edge_weight map, as Boost's three-argument form.
template <typename Graph, typename MateMap, typename VertexIndexMap>
void maximum_weighted_matching(const Graph& g, MateMap mate, VertexIndexMap index) {
  // Qualified: ADL would also find boost::maximum_weighted_matching.
  libmatch::maximum_weighted_matching(g, mate, index, get(boost::edge_weight, g));
}

// With the graph's own vertex_index and edge_weight maps.
template <typename Graph, typename MateMap>
void maximum_weighted_matching(const Graph& g, MateMap mate) {
  libmatch::maximum_weighted_matching(g, mate, get(boost::vertex_index, g));
}

}  // namespace libmatch
