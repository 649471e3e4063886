// The candidate pairings as a Boost.Graph graph: one vertex per city in
// play (every seeker and every candidate), one edge per candidate pair.
// The graph type is public, so C++ users can run any Boost algorithm on it.
// This header pulls in Boost.Graph; include it only where the graph is used.
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <unordered_map>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "libmatch/candidates.hpp"

namespace libmatch {

// Scores become exact integer weights for the matching algorithms:
// weight = round(score * kWeightScale). Pairings therefore never depend on
// floating-point rounding; scores closer than 1e-6 count as equal.
inline constexpr std::int64_t kWeightScale = 1'000'000;

struct CandidateVertex {
  std::int64_t id = 0;    // the city
  std::uint32_t row = 0;  // its pool row
  int capacity = 1;       // partners it wants (a seeker) or accepts (a pool city)
  bool seeks = false;
  std::uint32_t listed = 0;  // candidates in its own top-k list (seekers)
};

struct CandidateEdge {
  float score = 0;          // the pair's final score
  std::int64_t weight = 0;  // round(score * kWeightScale)
  // Components as seen by `viewer`, a seeker that listed the pair.
  std::array<float, kComponentCount> components{};
  std::uint8_t present = 0;
  std::int64_t viewer = 0;
  bool mutual = false;  // each city lists the other
};

using CandidateGraphType = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                                 CandidateVertex, CandidateEdge>;

struct CandidateGraphOptions {
  bool mutual = false;    // keep only pairs that list each other
  int pool_capacity = 1;  // partners a city that does not seek accepts (>= 1)
};

// Invariants: vertices are the seekers, in seeker order, then the other
// cities in play by increasing id; no self loops or parallel edges.
class CandidateGraph {
 public:
  static CandidateGraph build(const CityTable& pool, const Seekers& seekers,
                              const CandidateLists& lists,
                              const CandidateGraphOptions& options = {});

  const CandidateGraphType& graph() const noexcept { return graph_; }
  std::size_t vertex_count() const { return boost::num_vertices(graph_); }
  std::size_t edge_count() const { return boost::num_edges(graph_); }
  std::optional<std::size_t> vertex_of(std::int64_t id) const;

  struct EdgeRecord {
    std::int64_t a = 0, b = 0;  // a seeks (the lower id when both do)
    CandidateEdge edge;
  };
  // Every edge, sorted by (a, b).
  std::vector<EdgeRecord> edge_list() const;
  // GraphML through Boost's write_graphml: vertex id, capacity, seeks;
  // edge score, weight, the five components, viewer, mutual.
  void write_graphml(std::ostream& out) const;

 private:
  CandidateGraphType graph_;
  std::unordered_map<std::int64_t, std::size_t> vertex_by_id_;
};

}  // namespace libmatch
