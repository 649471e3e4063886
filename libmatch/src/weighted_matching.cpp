// Maximum-weight matching and b-matching: validation, the max_cardinality
// shift and the b-matching reduction around the blossom algorithm.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "libmatch/matching.hpp"

#include "blossom.hpp"
#include "validation.hpp"

namespace libmatch {
namespace {

using detail::kMaxBlossomWeight;
using detail::ProblemList;
using detail::to_text;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// The double overloads map the largest |w| to 2^36: ample resolution, and
// room left for the max_cardinality offset on graphs of millions of vertices.
constexpr int kDoubleScaleExponent = 36;

// ---------------------------------------------------------------- validation

std::string edge_record(std::size_t e) { return "edge " + std::to_string(e); }

// Problems every overload shares: the weight count and the edge list itself.
void check_edges(std::size_t num_vertices, const std::vector<VertexPair>& edges,
                 std::size_t num_weights, ProblemList& problems) {
  if (num_weights != edges.size()) {
    problems.add("weights", kNone, "weight", to_text(num_weights),
                 "there are " + to_text(num_weights) + " weights for " + to_text(edges.size()) +
                     " edges; pass exactly one weight per edge");
  }
  // (min, max, index) of each well-formed edge, sorted, finds duplicates in
  // either orientation in O(E log E).
  std::vector<std::pair<VertexPair, std::size_t>> keyed;
  keyed.reserve(edges.size());
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto [u, v] = edges[e];
    auto in_range = [&](const char* field, std::size_t x) {
      if (x < num_vertices) return true;
      problems.add(edge_record(e), e, field, to_text(x),
                   num_vertices == 0
                       ? std::string("is not a vertex: the graph has none")
                       : "is not a vertex: vertices are numbered 0.." + to_text(num_vertices - 1));
      return false;
    };
    const bool u_ok = in_range("u", u);
    if (!in_range("v", v) || !u_ok) continue;
    if (u == v) {
      problems.add(edge_record(e), e, "v", to_text(v),
                   "equals u: self loops cannot be matched; drop the edge");
      continue;
    }
    keyed.push_back({{std::min(u, v), std::max(u, v)}, e});
  }
  std::sort(keyed.begin(), keyed.end());
  for (std::size_t i = 1; i < keyed.size(); ++i) {
    if (keyed[i].first != keyed[i - 1].first) continue;
    const std::size_t e = keyed[i].second;
    // Report against the first occurrence of the pair, not the previous copy.
    std::size_t first = i - 1;
    while (first > 0 && keyed[first - 1].first == keyed[i].first) --first;
    problems.add(edge_record(e), e, "v", to_text(edges[e].second),
                 "repeats the pair (" + to_text(keyed[i].first.first) + ", " +
                     to_text(keyed[i].first.second) + ") of edge " + to_text(keyed[first].second) +
                     "; give each pair once");
  }
}

void check_weights(const std::vector<std::int64_t>&, std::size_t, ProblemList&) {}

void check_weights(const std::vector<double>& weights, std::size_t num_edges,
                   ProblemList& problems) {
  for (std::size_t e = 0; e < weights.size(); ++e) {
    if (!detail::is_finite(weights[e])) {
      problems.add(e < num_edges ? edge_record(e) : "weight " + to_text(e), e, "weight",
                   to_text(weights[e]), "must be a finite number");
    }
  }
}

void check_capacities(std::size_t num_vertices, const std::vector<int>& capacities,
                      ProblemList& problems) {
  if (capacities.size() != num_vertices) {
    problems.add("capacities", kNone, "capacity", to_text(capacities.size()),
                 "there are " + to_text(capacities.size()) + " capacities for " +
                     to_text(num_vertices) + " vertices; pass exactly one capacity per vertex");
  }
  for (std::size_t v = 0; v < capacities.size(); ++v) {
    if (capacities[v] < 0) {
      problems.add("vertex " + to_text(v), v, "capacity", to_text(capacities[v]),
                   "must be >= 0 (0 leaves the vertex out)");
    }
  }
}

template <typename Weight>
void validate(std::size_t num_vertices, const std::vector<VertexPair>& edges,
              const std::vector<Weight>& weights, const std::vector<int>* capacities) {
  ProblemList problems;
  check_edges(num_vertices, edges, weights.size(), problems);
  check_weights(weights, edges.size(), problems);
  if (capacities != nullptr) check_capacities(num_vertices, *capacities, problems);
  problems.throw_if_any();
}

// -------------------------------------------------------------- matching

// For max_cardinality: each vertex's connected component, numbered in order
// of its smallest vertex, and the component sizes.
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> components(
    std::size_t num_vertices, const std::vector<VertexPair>& edges) {
  std::vector<std::size_t> parent(num_vertices);
  for (std::size_t v = 0; v < num_vertices; ++v) parent[v] = v;
  auto find = [&](std::size_t v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (const auto& [u, v] : edges) parent[find(u)] = find(v);
  std::vector<std::size_t> number(num_vertices, kNone), component(num_vertices), size;
  for (std::size_t v = 0; v < num_vertices; ++v) {
    std::size_t& c = number[find(v)];
    if (c == kNone) {
      c = size.size();
      size.push_back(0);
    }
    component[v] = c;
    ++size[c];
  }
  return {std::move(component), std::move(size)};
}

std::vector<VertexPair> pairs_of(const std::vector<std::int32_t>& mate) {
  std::vector<VertexPair> out;
  for (std::size_t v = 0; v < mate.size(); ++v) {
    if (mate[v] >= 0 && v < static_cast<std::size_t>(mate[v])) {
      out.emplace_back(v, static_cast<std::size_t>(mate[v]));
    }
  }
  return out;  // already sorted: v ascends
}

std::uint64_t magnitude(std::int64_t w) {
  // -(w + 1) + 1 avoids negating INT64_MIN.
  return w >= 0 ? static_cast<std::uint64_t>(w) : static_cast<std::uint64_t>(-(w + 1)) + 1;
}

std::vector<VertexPair> max_weight_matching_unchecked(std::size_t num_vertices,
                                                      const std::vector<VertexPair>& edges,
                                                      const std::vector<std::int64_t>& weights,
                                                      bool max_cardinality) {
  const auto limit = static_cast<std::uint64_t>(kMaxBlossomWeight);
  if (!max_cardinality) {
    // An edge of weight <= 0 never helps.
    std::vector<VertexPair> used_edges;
    std::vector<std::int64_t> used_weights;
    for (std::size_t e = 0; e < edges.size(); ++e) {
      if (weights[e] <= 0) continue;
      if (weights[e] > kMaxBlossomWeight) {
        throw std::overflow_error("libmatch::max_weight_matching: weight " + to_text(weights[e]) +
                                  " of edge " + to_text(e) + " exceeds the supported maximum " +
                                  to_text(limit) + " (INT64_MAX / 16); scale the weights down");
      }
      used_edges.push_back(edges[e]);
      used_weights.push_back(weights[e]);
    }
    return pairs_of(detail::maximum_weight_mates(num_vertices, used_edges, used_weights));
  }
  // Adding M to every edge adds k * M to a matching of k edges. In a
  // component of n vertices a matching of k + 1 edges then weighs at least
  // (k + 1)(M - A) and one of k edges at most k(M + A), A = max |w|; the
  // first is heavier when M > (2k + 1) A, and 2(k + 1) <= n, so M > n A
  // makes size dominate, while among equal sizes the order by w is kept.
  // Each component gets its own M, which keeps the shifted weights small.
  const auto [component, size] = components(num_vertices, edges);
  std::vector<std::uint64_t> a(size.size(), 0);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    std::uint64_t& x = a[component[edges[e].first]];
    x = std::max(x, magnitude(weights[e]));
  }
  std::vector<std::int64_t> shifted(weights);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const std::size_t c = component[edges[e].first];
    const std::uint64_t n = size[c];
    // Need M + A = (n + 1) A + 1 <= limit.
    if (a[c] > 0 && (a[c] > limit || n + 1 > (limit - 1) / a[c])) {
      throw std::overflow_error(
          "libmatch::max_weight_matching: max_cardinality needs an offset above (vertices) * "
          "max|weight| = " +
          to_text(n) + " * " + to_text(a[c]) + ", and the shifted weights then exceed " +
          to_text(limit) + " (INT64_MAX / 16); scale the weights down");
    }
    shifted[e] += static_cast<std::int64_t>(n * a[c] + 1);  // now in [M - A, M + A], all > 0
  }
  return pairs_of(detail::maximum_weight_mates(num_vertices, edges, shifted));
}

// -------------------------------------------------------------- b-matching

// Exact reduction of maximum-weight b-matching to maximum-weight matching.
//
// Capacities are first clamped to the degree (over the usable edges: w > 0,
// both ends with capacity > 0). A vertex whose capacity reaches its degree
// is "free": it can take every edge, so it needs no representation. Every
// other vertex v gets capacities[v] copies. Then, with W = max w + 1:
//  - an edge between two free vertices is always chosen (w > 0);
//  - an edge (u, v) where u is free or has a single copy becomes one vertex
//    x (a new one when u is free, else u's copy) joined to every copy of v
//    with weight 2w. x is matched at most once, so the edge is chosen at
//    most once, iff x is matched to a copy of v;
//  - any other edge (u, v) becomes a gadget of two new vertices e_u, e_v
//    with the middle edge (e_u, e_v) of weight 2W and side edges
//    (u_i, e_u), (e_v, v_j) of weight w + W for every copy u_i, v_j. (The
//    textbook gadget's W and (w + W)/2, doubled to stay integral.)
// Claim: in every maximum-weight matching each gadget holds either its
// middle edge (edge not chosen, worth 2W) or both side edges (edge chosen,
// worth 2W + 2w). Otherwise e_u or e_v is exposed and the other one is
// exposed too or matched by a side edge; adding the middle edge (gain 2W)
// or trading that side edge for it (gain 2W - (w + W) = W - w > 0) would
// improve the matching. So an optimum is worth (gadgets) * 2W plus twice
// the weight of the b-matching it encodes, the copies enforce the
// capacities, and every b-matching lifts to such a matching: the optimum
// is exact. The decoder checks the claim.
std::vector<VertexPair> b_matching_unchecked(std::size_t num_vertices,
                                             const std::vector<VertexPair>& edges,
                                             const std::vector<std::int64_t>& weights,
                                             const std::vector<int>& capacities) {
  std::vector<std::size_t> usable;
  std::int64_t max_weight = 0;
  for (std::size_t e = 0; e < edges.size(); ++e) {
    if (weights[e] > 0 && capacities[edges[e].first] > 0 && capacities[edges[e].second] > 0) {
      usable.push_back(e);
      max_weight = std::max(max_weight, weights[e]);
    }
  }
  // The largest reduced weight is 2W = 2 (max w + 1).
  if (max_weight > kMaxBlossomWeight / 2 - 1) {
    throw std::overflow_error(
        "libmatch::b_matching: weight " + to_text(max_weight) + " exceeds the supported maximum " +
        to_text(kMaxBlossomWeight / 2 - 1) + " (INT64_MAX / 32 - 1); scale the weights down");
  }
  const std::int64_t big = max_weight + 1;  // W

  std::vector<std::size_t> degree(num_vertices, 0);
  for (std::size_t e : usable) {
    ++degree[edges[e].first];
    ++degree[edges[e].second];
  }
  // v's copies are first_copy[v] .. first_copy[v] + copies[v] - 1 in the
  // reduced graph; a free vertex has none.
  std::vector<std::size_t> first_copy(num_vertices, kNone);
  std::vector<std::size_t> copies(num_vertices, 0);
  std::size_t n = 0;
  for (std::size_t v = 0; v < num_vertices; ++v) {
    const auto capacity = static_cast<std::size_t>(capacities[v]);
    if (degree[v] > 0 && capacity < degree[v]) {
      first_copy[v] = n;
      copies[v] = capacity;
      n += capacity;
    }
  }
  auto is_copy_of = [&](std::size_t x, std::size_t v) {
    return x != kNone && copies[v] > 0 && x >= first_copy[v] && x < first_copy[v] + copies[v];
  };

  // How each represented edge is encoded: x joined to the copies of v
  // (e_u == kNone), or a gadget.
  struct Encoded {
    std::size_t edge;
    std::size_t x_or_e_u;
    std::size_t e_v;
  };
  std::vector<Encoded> encoded;
  std::vector<VertexPair> chosen;
  std::vector<VertexPair> reduced_edges;
  std::vector<std::int64_t> reduced_weights;
  auto join_copies = [&](std::size_t x, std::size_t v, std::int64_t w) {
    for (std::size_t i = 0; i < copies[v]; ++i) {
      reduced_edges.emplace_back(x, first_copy[v] + i);
      reduced_weights.push_back(w);
    }
  };
  for (std::size_t e : usable) {
    auto [u, v] = edges[e];
    const std::int64_t w = weights[e];
    if (copies[u] == 0 && copies[v] == 0) {
      chosen.emplace_back(std::min(u, v), std::max(u, v));
      continue;
    }
    // Put the end with fewer copies (free counts as none) first.
    if (copies[u] > copies[v]) std::swap(u, v);
    if (copies[u] <= 1) {
      const std::size_t x = copies[u] == 0 ? n++ : first_copy[u];
      join_copies(x, v, 2 * w);
      encoded.push_back({e, x, kNone});
    } else {
      const std::size_t e_u = n++;
      const std::size_t e_v = n++;
      join_copies(e_u, u, w + big);
      join_copies(e_v, v, w + big);
      reduced_edges.emplace_back(e_u, e_v);
      reduced_weights.push_back(2 * big);
      encoded.push_back({e, e_u, e_v});
    }
  }

  const std::vector<std::int32_t> mate =
      detail::maximum_weight_mates(n, reduced_edges, reduced_weights);
  auto mate_of = [&](std::size_t x) {
    return mate[x] < 0 ? kNone : static_cast<std::size_t>(mate[x]);
  };

  for (const Encoded& code : encoded) {
    auto [u, v] = edges[code.edge];
    if (copies[u] > copies[v]) std::swap(u, v);  // as when encoding
    bool take = false;
    if (code.e_v == kNone) {
      take = is_copy_of(mate_of(code.x_or_e_u), v);
    } else if (mate_of(code.x_or_e_u) != code.e_v) {
      // Not the middle edge: then both sides, or the claim above is broken.
      if (!is_copy_of(mate_of(code.x_or_e_u), u) || !is_copy_of(mate_of(code.e_v), v)) {
        throw std::logic_error(std::string("libmatch internal error in ") + __func__ + " (" +
                               __FILE__ + ":" + std::to_string(__LINE__) +
                               "): the gadget of edge " + to_text(code.edge) + " is half matched");
      }
      take = true;
    }
    if (take) chosen.emplace_back(std::min(u, v), std::max(u, v));
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

// The largest |w| becomes 2^kDoubleScaleExponent; dividing by it first keeps
// tiny (even subnormal) maxima from overflowing the scale factor.
std::vector<std::int64_t> scaled_to_integers(const std::vector<double>& weights) {
  double max_abs = 0;
  for (double w : weights) max_abs = std::max(max_abs, std::fabs(w));
  std::vector<std::int64_t> out;
  out.reserve(weights.size());
  for (double w : weights) {
    out.push_back(max_abs == 0 ? 0 : std::llround(std::ldexp(w / max_abs, kDoubleScaleExponent)));
  }
  return out;
}

}  // namespace

std::vector<VertexPair> max_weight_matching(std::size_t num_vertices,
                                            const std::vector<VertexPair>& edges,
                                            const std::vector<std::int64_t>& weights,
                                            bool max_cardinality) {
  validate(num_vertices, edges, weights, nullptr);
  return max_weight_matching_unchecked(num_vertices, edges, weights, max_cardinality);
}

std::vector<VertexPair> max_weight_matching(std::size_t num_vertices,
                                            const std::vector<VertexPair>& edges,
                                            const std::vector<double>& weights,
                                            bool max_cardinality) {
  validate(num_vertices, edges, weights, nullptr);
  return max_weight_matching_unchecked(num_vertices, edges, scaled_to_integers(weights),
                                       max_cardinality);
}

std::vector<VertexPair> b_matching(std::size_t num_vertices, const std::vector<VertexPair>& edges,
                                   const std::vector<std::int64_t>& weights,
                                   const std::vector<int>& capacities) {
  validate(num_vertices, edges, weights, &capacities);
  return b_matching_unchecked(num_vertices, edges, weights, capacities);
}

std::vector<VertexPair> b_matching(std::size_t num_vertices, const std::vector<VertexPair>& edges,
                                   const std::vector<double>& weights,
                                   const std::vector<int>& capacities) {
  validate(num_vertices, edges, weights, &capacities);
  return b_matching_unchecked(num_vertices, edges, scaled_to_integers(weights), capacities);
}

}  // namespace libmatch
