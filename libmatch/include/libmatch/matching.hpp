// Matching algorithms on plain data (vertex indices, edge lists, preference
// lists), so they serve any graph, not only candidate graphs. Weighted
// algorithms work on exact integers; the double overloads scale first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace libmatch {

using VertexPair = std::pair<std::size_t, std::size_t>;

// Thrown by stable_roommates() and stable_fixtures() when the instance has no
// stable matching.
class NoStableMatchingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Maximum-weight matching on a general undirected graph: Edmonds' primal-
// dual blossom algorithm, a search tree per exposed vertex and an event
// queue (O(nm log n)), warm-started from greedy duals. Returns the matched pairs
// (u < v), sorted. Edges of weight <= 0 are never used, unless
// max_cardinality: then the result is the heaviest among the matchings of
// largest size. Throws InputError for a vertex out of range, a self loop, a
// duplicate edge or a weight count that differs from the edge count, and
// std::overflow_error for a weight above INT64_MAX / 16.
std::vector<VertexPair> max_weight_matching(std::size_t num_vertices,
                                            const std::vector<VertexPair>& edges,
                                            const std::vector<std::int64_t>& weights,
                                            bool max_cardinality = false);

// Real weights are scaled to integers first: the largest |w| becomes 2^36
// and every weight is rounded (a relative resolution of 1.5e-11). NaN or
// infinite weights are an InputError.
std::vector<VertexPair> max_weight_matching(std::size_t num_vertices,
                                            const std::vector<VertexPair>& edges,
                                            const std::vector<double>& weights,
                                            bool max_cardinality = false);

// Maximum-weight b-matching: each vertex v in at most capacities[v] chosen
// edges, each edge chosen at most once; exact (a reduction to maximum-
// weight matching). Edges of weight <= 0 are never used. Capacities >= 0.
std::vector<VertexPair> b_matching(std::size_t num_vertices, const std::vector<VertexPair>& edges,
                                   const std::vector<std::int64_t>& weights,
                                   const std::vector<int>& capacities);
std::vector<VertexPair> b_matching(std::size_t num_vertices, const std::vector<VertexPair>& edges,
                                   const std::vector<double>& weights,
                                   const std::vector<int>& capacities);

// The resident-optimal stable assignment (resident-proposing deferred
// acceptance). resident_preferences[r] lists hospitals best first;
// hospital_preferences[h] lists residents best first. A pair is acceptable
// only when each lists the other. Returns each resident's hospital, -1 for
// none. Throws InputError for an index out of range, a repeated entry, a
// preference naming someone who does not list back, or a capacity < 0.
std::vector<int> hospitals_residents(const std::vector<std::vector<int>>& resident_preferences,
                                     const std::vector<std::vector<int>>& hospital_preferences,
                                     const std::vector<int>& hospital_capacities);

// Irving's stable roommates algorithm on incomplete preference lists
// (preferences[p] lists acceptable partners best first, and must be
// mutual). Returns each person's partner, -1 for none; throws
// NoStableMatchingError when no stable matching exists.
std::vector<int> stable_roommates(const std::vector<std::vector<int>>& preferences);

// Stable fixtures (Irving & Scott 2007): stable roommates where person p
// takes up to capacities[p] partners. preferences[p] lists p's acceptable
// partners best first and must be mutual. A pair {p, q} that is not matched
// blocks when each lists the other and would take the other: it has room
// or likes the other better than its worst partner. Returns each person's
// partners (in p's preference order) in a matching with no blocking pair,
// or throws NoStableMatchingError when none exists; time linear in the
// total list length for the proposals and rotation eliminations (see
// stable_fixtures.cpp). Of several stable matchings it returns the one
// reached by eliminating rotations in the order the walk from the
// lowest-indexed person finds them: the same input gives the same output,
// but it is optimal for no one in particular. Every stable matching gives
// each person the same number of partners. With every capacity 1 it
// returns what stable_roommates() returns. Throws InputError as
// stable_roommates() does, and for a capacity < 0 or a number of
// capacities other than the number of people.
std::vector<std::vector<int>> stable_fixtures(const std::vector<std::vector<int>>& preferences,
                                              const std::vector<int>& capacities);

}  // namespace libmatch
