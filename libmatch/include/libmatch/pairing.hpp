// Pairings computed on a candidate graph: optimal, stable or greedy, with
// one result type for all and a stability audit for any of them.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "libmatch/candidate_graph.hpp"

namespace libmatch {

enum class Method : std::uint8_t {
  optimal,  // the largest total weight within capacities (exact)
  stable,   // no blocking pair: two-sided deferred acceptance, or stable fixtures
  greedy,   // highest score first within capacities: fast, at least half the optimum
};
std::string_view method_name(Method method);

enum class UnmatchedReason : std::uint8_t {
  no_candidates,        // no candidate passed the filters
  no_mutual_candidate,  // it has candidates, but none lists it back (mutual graph)
  candidates_taken,     // every candidate it is not paired with went to someone else
  too_few_candidates,   // it is paired with all its candidates: fewer than partners wanted
  no_gain,              // a candidate has room too, but their score is 0
};
std::string_view reason_text(UnmatchedReason reason);

struct Pairing {
  std::int64_t a = 0, b = 0;  // a seeks (the lower id when both do)
  CandidateEdge edge;
};

struct Unmatched {
  std::int64_t id = 0;  // a seeker with partners still wanted
  int open = 0;         // how many
  UnmatchedReason reason = UnmatchedReason::no_candidates;
};

// A pair of the candidate graph, not paired, where each city would rather
// have the other than (one of) its partners, or has room for it.
struct BlockingPair {
  std::int64_t a = 0, b = 0;
  float score = 0;
};

struct StabilityAudit {
  std::size_t count = 0;            // every blocking pair
  std::vector<BlockingPair> first;  // the first few, sorted by (a, b)
};

struct MatchResult {
  Method method = Method::optimal;
  std::vector<Pairing> pairs;        // sorted by (a, b)
  std::vector<Unmatched> unmatched;  // by seeker order
  double total_score = 0;
  std::int64_t total_weight = 0;
  StabilityAudit stability;
};

struct MatchOptions {
  std::size_t blocking_pairs_shown = 10;
};

// Preferences, for stable pairing and the audit, come from the scores: a
// city prefers the higher score, ties to the lower id.
//
// method = stable: when no edge joins two seekers the graph is two-sided
// and seeker-proposing deferred acceptance with capacities on both sides
// gives the seeker-optimal stable pairing. Otherwise the cities are
// matched among themselves by stable fixtures (stable_fixtures() in
// matching.hpp, Irving & Scott 2007), with each city's capacity: stable
// roommates when every capacity is 1. It throws NoStableMatchingError
// (matching.hpp) when no stable pairing exists.
MatchResult match(const CandidateGraph& graph, Method method, const MatchOptions& options = {});

// The blocking pairs of any pairing of the graph's edges. Throws
// std::invalid_argument for a pair that is not an edge or is listed twice,
// or pairs that give a city more partners than its capacity.
StabilityAudit audit_stability(const CandidateGraph& graph, const std::vector<Pairing>& pairs,
                               std::size_t shown = 10);

}  // namespace libmatch
