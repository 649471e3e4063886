#include "libmatch/pairing.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "libmatch/matching.hpp"

namespace libmatch {
namespace {

// The graph flattened to indexed edges, with every vertex's edges in
// preference order (higher weight first, ties to the lower id) and each
// edge's rank at both ends.
struct FlatGraph {
  std::size_t n = 0;
  std::vector<const CandidateVertex*> vertex;
  std::vector<VertexPair> ends;  // (u, v) vertex indices
  std::vector<const CandidateEdge*> edge;
  std::vector<std::vector<std::size_t>> by_preference;  // vertex -> edge ids
  std::vector<std::size_t> rank_at_u, rank_at_v;

  explicit FlatGraph(const CandidateGraph& graph) {
    const CandidateGraphType& g = graph.graph();
    n = boost::num_vertices(g);
    for (std::size_t v = 0; v < n; ++v) vertex.push_back(&g[v]);
    for (const auto& e : boost::make_iterator_range(boost::edges(g))) {
      ends.emplace_back(boost::source(e, g), boost::target(e, g));
      edge.push_back(&g[e]);
    }
    by_preference.resize(n);
    for (std::size_t e = 0; e < ends.size(); ++e) {
      by_preference[ends[e].first].push_back(e);
      by_preference[ends[e].second].push_back(e);
    }
    rank_at_u.resize(ends.size());
    rank_at_v.resize(ends.size());
    for (std::size_t v = 0; v < n; ++v) {
      auto& list = by_preference[v];
      std::sort(list.begin(), list.end(), [&](std::size_t x, std::size_t y) {
        return std::make_tuple(-edge[x]->weight, vertex[other(x, v)]->id) <
               std::make_tuple(-edge[y]->weight, vertex[other(y, v)]->id);
      });
      for (std::size_t r = 0; r < list.size(); ++r) {
        (ends[list[r]].first == v ? rank_at_u : rank_at_v)[list[r]] = r;
      }
    }
  }
  std::size_t other(std::size_t e, std::size_t v) const {
    return ends[e].first == v ? ends[e].second : ends[e].first;
  }
  std::size_t rank(std::size_t e, std::size_t v) const {
    return ends[e].first == v ? rank_at_u[e] : rank_at_v[e];
  }
  bool all_capacity_one() const {
    return std::all_of(vertex.begin(), vertex.end(),
                       [](const CandidateVertex* v) { return v->capacity == 1; });
  }
};

std::vector<std::size_t> optimal(const FlatGraph& p) {
  std::vector<std::int64_t> weights;
  std::vector<int> capacities;
  for (const CandidateEdge* e : p.edge) weights.push_back(e->weight);
  for (const CandidateVertex* v : p.vertex) capacities.push_back(v->capacity);
  const std::vector<VertexPair> chosen = p.all_capacity_one()
                                             ? max_weight_matching(p.n, p.ends, weights)
                                             : b_matching(p.n, p.ends, weights, capacities);
  // Back to edge ids: the graph has no parallel edges.
  std::set<VertexPair> wanted(chosen.begin(), chosen.end());
  std::vector<std::size_t> out;
  for (std::size_t e = 0; e < p.ends.size(); ++e) {
    const auto key = std::minmax(p.ends[e].first, p.ends[e].second);
    if (wanted.count({key.first, key.second})) out.push_back(e);
  }
  return out;
}

std::vector<std::size_t> greedy(const FlatGraph& p) {
  std::vector<std::size_t> order(p.ends.size());
  for (std::size_t e = 0; e < order.size(); ++e) order[e] = e;
  auto key = [&](std::size_t e) {
    const auto ids = std::minmax(p.vertex[p.ends[e].first]->id, p.vertex[p.ends[e].second]->id);
    return std::make_tuple(-p.edge[e]->weight, ids.first, ids.second);
  };
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return key(x) < key(y); });
  std::vector<int> load(p.n, 0);
  std::vector<std::size_t> out;
  for (std::size_t e : order) {
    const auto [u, v] = p.ends[e];
    if (p.edge[e]->weight <= 0) break;  // sorted: only worthless pairs remain
    if (load[u] < p.vertex[u]->capacity && load[v] < p.vertex[v]->capacity) {
      ++load[u];
      ++load[v];
      out.push_back(e);
    }
  }
  return out;
}

// Seeker-proposing deferred acceptance with capacities on both sides.
std::vector<std::size_t> deferred_acceptance(const FlatGraph& p) {
  std::vector<std::size_t> next(p.n, 0);
  std::vector<int> load(p.n, 0);
  // Held proposals per receiver, worst (largest rank) last.
  std::vector<std::set<std::pair<std::size_t, std::size_t>>> held(p.n);  // (rank, edge)
  std::deque<std::size_t> free;
  for (std::size_t v = 0; v < p.n; ++v) {
    if (p.vertex[v]->seeks) free.push_back(v);
  }
  while (!free.empty()) {
    const std::size_t s = free.front();
    free.pop_front();
    const auto& list = p.by_preference[s];
    while (load[s] < p.vertex[s]->capacity && next[s] < list.size()) {
      const std::size_t e = list[next[s]++];
      const std::size_t r = p.other(e, s);
      auto& mine = held[r];
      const std::pair<std::size_t, std::size_t> offer{p.rank(e, r), e};
      if (static_cast<int>(mine.size()) < p.vertex[r]->capacity) {
        mine.insert(offer);
        ++load[s];
      } else if (!mine.empty() && offer < *mine.rbegin()) {
        const std::size_t rejected = p.other(mine.rbegin()->second, r);
        mine.erase(std::prev(mine.end()));
        mine.insert(offer);
        ++load[s];
        if (load[rejected]-- == p.vertex[rejected]->capacity) free.push_back(rejected);
      }
    }
  }
  std::vector<std::size_t> out;
  for (const auto& mine : held) {
    for (const auto& [rank, e] : mine) out.push_back(e);
  }
  return out;
}

// Two-sided graphs keep deferred acceptance (seeker-optimal); otherwise
// stable fixtures, which with every capacity 1 is stable roommates and
// returns exactly what stable_roommates() would (test_stable_fixtures.cpp).
std::vector<std::size_t> stable(const FlatGraph& p) {
  const bool one_sided = std::any_of(p.ends.begin(), p.ends.end(), [&](const VertexPair& uv) {
    return p.vertex[uv.first]->seeks && p.vertex[uv.second]->seeks;
  });
  if (!one_sided) return deferred_acceptance(p);
  std::vector<std::vector<int>> preferences(p.n);
  std::vector<int> capacities(p.n);
  for (std::size_t v = 0; v < p.n; ++v) {
    capacities[v] = p.vertex[v]->capacity;
    for (std::size_t e : p.by_preference[v])
      preferences[v].push_back(static_cast<int>(p.other(e, v)));
  }
  const std::vector<std::vector<int>> partners = stable_fixtures(preferences, capacities);
  // Back to edge ids, by marking each vertex's partners (linear time).
  std::vector<std::size_t> mark(p.n, 0);
  std::vector<std::size_t> out;
  for (std::size_t u = 0; u < p.n; ++u) {
    for (const int w : partners[u]) mark[static_cast<std::size_t>(w)] = u + 1;
    for (std::size_t e : p.by_preference[u])
      if (p.ends[e].first == u && mark[p.ends[e].second] == u + 1) out.push_back(e);
  }
  return out;
}

Pairing pairing_of(const FlatGraph& p, std::size_t e) {
  const CandidateVertex& x = *p.vertex[p.ends[e].first];
  const CandidateVertex& y = *p.vertex[p.ends[e].second];
  const bool x_first = x.seeks != y.seeks ? x.seeks : x.id < y.id;
  return {x_first ? x.id : y.id, x_first ? y.id : x.id, *p.edge[e]};
}

StabilityAudit audit(const FlatGraph& p, const std::vector<std::size_t>& chosen,
                     std::size_t shown) {
  std::vector<int> load(p.n, 0);
  std::vector<std::size_t> worst(p.n, 0);  // worst partner's rank
  std::vector<bool> in(p.ends.size(), false);
  for (std::size_t e : chosen) {
    in[e] = true;
    for (std::size_t v : {p.ends[e].first, p.ends[e].second}) {
      ++load[v];
      worst[v] = std::max(worst[v], p.rank(e, v));
    }
  }
  auto would = [&](std::size_t e, std::size_t v) {
    return load[v] < p.vertex[v]->capacity || p.rank(e, v) < worst[v];
  };
  StabilityAudit result;
  std::vector<BlockingPair> all;
  for (std::size_t e = 0; e < p.ends.size(); ++e) {
    if (in[e] || p.edge[e]->weight <= 0) continue;
    if (would(e, p.ends[e].first) && would(e, p.ends[e].second)) {
      const Pairing pair = pairing_of(p, e);
      all.push_back({pair.a, pair.b, pair.edge.score});
    }
  }
  result.count = all.size();
  std::sort(all.begin(), all.end(), [](const BlockingPair& x, const BlockingPair& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  if (all.size() > shown) all.resize(shown);
  result.first = std::move(all);
  return result;
}

}  // namespace

std::string_view method_name(Method method) {
  switch (method) {
    case Method::optimal:
      return "optimal";
    case Method::stable:
      return "stable";
    case Method::greedy:
      return "greedy";
  }
  return "unknown";
}

std::string_view reason_text(UnmatchedReason reason) {
  switch (reason) {
    case UnmatchedReason::no_candidates:
      return "no candidate passed the filters";
    case UnmatchedReason::no_mutual_candidate:
      return "it has candidates, but none of them lists it back";
    case UnmatchedReason::candidates_taken:
      return "every candidate was taken";
    case UnmatchedReason::too_few_candidates:
      return "it has fewer candidates than partners wanted (raise k)";
    case UnmatchedReason::no_gain:
      return "its free candidates score 0, so pairing them adds nothing";
  }
  return "unknown";
}

MatchResult match(const CandidateGraph& graph, Method method, const MatchOptions& options) {
  const FlatGraph p(graph);
  std::vector<std::size_t> chosen;
  switch (method) {
    case Method::optimal:
      chosen = optimal(p);
      break;
    case Method::stable:
      chosen = stable(p);
      break;
    case Method::greedy:
      chosen = greedy(p);
      break;
  }
  MatchResult result;
  result.method = method;
  std::vector<int> load(p.n, 0);
  std::vector<char> paired(p.edge.size(), 0);
  for (std::size_t e : chosen) {
    paired[e] = 1;
    result.pairs.push_back(pairing_of(p, e));
    result.total_score += p.edge[e]->score;
    result.total_weight += p.edge[e]->weight;
    ++load[p.ends[e].first];
    ++load[p.ends[e].second];
  }
  std::sort(result.pairs.begin(), result.pairs.end(), [](const Pairing& x, const Pairing& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  for (std::size_t v = 0; v < p.n; ++v) {
    const CandidateVertex& city = *p.vertex[v];
    if (!city.seeks || load[v] >= city.capacity) continue;
    // Why it still has room: from what became of its candidates.
    UnmatchedReason reason = UnmatchedReason::too_few_candidates;
    if (p.by_preference[v].empty()) {
      reason =
          city.listed > 0 ? UnmatchedReason::no_mutual_candidate : UnmatchedReason::no_candidates;
    }
    for (std::size_t e : p.by_preference[v]) {
      const std::size_t u = p.ends[e].first == v ? p.ends[e].second : p.ends[e].first;
      if (paired[e]) continue;
      if (load[u] < p.vertex[u]->capacity) {
        reason = UnmatchedReason::no_gain;  // optimal leaves only weight-0 pairs unmade
        break;
      }
      reason = UnmatchedReason::candidates_taken;
    }
    result.unmatched.push_back({city.id, city.capacity - load[v], reason});
  }
  result.stability = audit(p, chosen, options.blocking_pairs_shown);
  return result;
}

StabilityAudit audit_stability(const CandidateGraph& graph, const std::vector<Pairing>& pairs,
                               std::size_t shown) {
  const FlatGraph p(graph);
  std::unordered_map<const CandidateEdge*, std::size_t> edge_id;
  for (std::size_t i = 0; i < p.edge.size(); ++i) edge_id.emplace(p.edge[i], i);
  std::vector<std::size_t> chosen;
  std::vector<char> taken(p.edge.size(), 0);
  std::vector<int> load(p.n, 0);
  for (const Pairing& pair : pairs) {
    const auto u = graph.vertex_of(pair.a), v = graph.vertex_of(pair.b);
    if (!u || !v)
      throw std::invalid_argument("libmatch: a pair names a city that is not in the graph");
    const auto [e, found] = boost::edge(*u, *v, graph.graph());
    if (!found)
      throw std::invalid_argument("libmatch: a pair is not an edge of the candidate graph");
    const std::size_t id = edge_id.at(&graph.graph()[e]);
    if (taken[id]++)
      throw std::invalid_argument("libmatch: a pair is listed twice: " + std::to_string(pair.a) +
                                  ", " + std::to_string(pair.b));
    for (const auto w : {*u, *v}) {
      if (++load[w] > p.vertex[w]->capacity)
        throw std::invalid_argument("libmatch: the pairs give city " +
                                    std::to_string(p.vertex[w]->id) + " more partners than its " +
                                    std::to_string(p.vertex[w]->capacity));
    }
    chosen.push_back(id);
  }
  return audit(p, chosen, shown);
}

}  // namespace libmatch
