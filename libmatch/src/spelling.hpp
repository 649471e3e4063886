// "Did you mean ...?" for names from a fixed vocabulary (interests, areas):
// the one edit distance that every such hint uses.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace libmatch::detail {

// The optimal string alignment distance (restricted Damerau-Levenshtein)
// between two byte strings: the fewest insertions, deletions, substitutions
// and swaps of two adjacent bytes that turn `a` into `b`, where no part is
// edited twice. "Westen" -> "Western" is 1, "Eastren" -> "Eastern" is 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The index of the name in `names` nearest to `wanted`, when it is near
// enough to be a misspelling of it: at most max(1, n / 3) edits, n being the
// longer of the two lengths (one edit in 3 characters, like a similarity of
// 2/3). Ties go to the first name. nullopt when `wanted` is empty or no name
// is that near. Callers compare names in one form (lower case, say) and
// exclude exact matches first.
std::optional<std::size_t> nearest_name(std::string_view wanted,
                                        const std::vector<std::string_view>& names);

}  // namespace libmatch::detail
