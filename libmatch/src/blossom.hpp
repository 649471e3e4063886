// Edmonds' primal-dual blossom algorithm for maximum-weight matching, the
// engine behind max_weight_matching() and b_matching().
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "libmatch/matching.hpp"

namespace libmatch::detail {

// The largest edge weight the algorithm accepts: duals are scaled by 4 and
// its event times reach 12 times the largest weight.
inline constexpr std::int64_t kMaxBlossomWeight = std::numeric_limits<std::int64_t>::max() / 16;

// Each vertex's mate in a maximum-weight matching (-1 when exposed).
// Preconditions (checked by the callers): vertices in range, no self loop,
// no repeated pair, every weight in (0, kMaxBlossomWeight].
std::vector<std::int32_t> maximum_weight_mates(std::size_t num_vertices,
                                               const std::vector<VertexPair>& edges,
                                               const std::vector<std::int64_t>& weights);

}  // namespace libmatch::detail
