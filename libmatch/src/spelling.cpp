#include "spelling.hpp"

#include <algorithm>

namespace libmatch::detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: the row before the previous one is
  // what a swap of two adjacent bytes reaches back to.
  const std::size_t m = b.size();
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::optional<std::size_t> nearest_name(std::string_view wanted,
                                        const std::vector<std::string_view>& names) {
  if (wanted.empty()) return std::nullopt;
  std::optional<std::size_t> best;
  std::size_t best_distance = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::size_t longer = std::max(wanted.size(), names[i].size());
    const std::size_t cutoff = std::max<std::size_t>(1, longer / 3);
    // Lengths that differ by more than the cutoff need more edits.
    const std::size_t gap = wanted.size() > names[i].size() ? wanted.size() - names[i].size()
                                                            : names[i].size() - wanted.size();
    if (gap > cutoff) continue;
    const std::size_t d = edit_distance(wanted, names[i]);
    if (d <= cutoff && (!best || d < best_distance)) {
      best = i;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace libmatch::detail
