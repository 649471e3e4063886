#include "preference_lists.hpp"

#include <climits>

namespace libmatch::detail {
namespace {
constexpr std::size_t kNone = static_cast<std::size_t>(-1);
}  // namespace

// Flattens lists and checks every entry on its own: in range, not the
// owner (when both sides are the same people), not repeated in the list.
FlatLists flatten_and_check(const std::vector<std::vector<int>>& lists, std::size_t other_count,
                            const Side& own, const Side& other, bool same_side,
                            ProblemList& problems) {
  FlatLists flat;
  flat.offset.assign(lists.size() + 1, 0);
  for (std::size_t p = 0; p < lists.size(); ++p)
    flat.offset[p + 1] = flat.offset[p] + lists[p].size();
  flat.target.resize(flat.offset.back());
  flat.valid.assign(flat.offset.back(), 1);
  // last_seen[q] == p + 1 when q was already met in p's list: a repeat
  // check in O(1) per entry without clearing between lists.
  std::vector<std::size_t> last_seen(other_count, 0);
  for (std::size_t p = 0; p < lists.size(); ++p) {
    for (std::size_t i = 0; i < lists[p].size(); ++i) {
      const int q = lists[p][i];
      const std::size_t e = flat.offset[p] + i;
      flat.target[e] = q;
      std::string reason;
      if (q < 0 || static_cast<std::size_t>(q) >= other_count) {
        reason = std::string(other.singular) + " index out of range: there are " +
                 std::to_string(other_count) + " " + other.plural;
      } else if (same_side && static_cast<std::size_t>(q) == p) {
        reason = std::string("a ") + own.singular + " cannot list themselves";
      } else if (last_seen[q] == p + 1) {
        reason = other.record(q) + " is listed more than once";
      } else {
        last_seen[q] = p + 1;
        continue;
      }
      flat.valid[e] = 0;
      problems.add(own.record(p), p, "preferences", to_text(q), reason);
    }
  }
  return flat;
}

// For every valid entry of `from` (p lists q), the flat index of p in q's
// list in `to`; reports a problem where q does not list p. Linear time: the
// entries of `to` are bucketed by the person they name, so each p can stamp
// "who lists me, and where" into a scratch array before walking its own list.
std::vector<std::size_t> link_mutual(const FlatLists& from, const FlatLists& to, const Side& own,
                                     const Side& other, ProblemList& problems) {
  const std::size_t n_from = from.size();
  std::vector<std::size_t> start(n_from + 1, 0);
  for (std::size_t e = 0; e < to.target.size(); ++e)
    if (to.valid[e]) ++start[static_cast<std::size_t>(to.target[e]) + 1];
  for (std::size_t p = 0; p < n_from; ++p) start[p + 1] += start[p];
  std::vector<std::size_t> incoming(start.back());
  {
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (std::size_t e = 0; e < to.target.size(); ++e)
      if (to.valid[e]) incoming[fill[static_cast<std::size_t>(to.target[e])]++] = e;
  }
  // Which person owns a flat index of `to`, for the incoming entries.
  std::vector<int> owner(to.target.size());
  for (std::size_t q = 0; q < to.size(); ++q)
    for (std::size_t e = to.begin(q); e < to.end(q); ++e) owner[e] = static_cast<int>(q);

  std::vector<std::size_t> mirror(from.target.size(), kNone);
  std::vector<std::size_t> where(to.size(), kNone);
  std::vector<std::size_t> stamp(to.size(), 0);
  for (std::size_t p = 0; p < n_from; ++p) {
    for (std::size_t k = start[p]; k < start[p + 1]; ++k) {
      const auto q = static_cast<std::size_t>(owner[incoming[k]]);
      stamp[q] = p + 1;
      where[q] = incoming[k];
    }
    for (std::size_t e = from.begin(p); e < from.end(p); ++e) {
      if (!from.valid[e]) continue;
      const auto q = static_cast<std::size_t>(from.target[e]);
      if (stamp[q] == p + 1) {
        mirror[e] = where[q];
      } else {
        problems.add(own.record(p), p, "preferences", to_text(q),
                     other.record(q) + " does not list " + own.record(p));
      }
    }
  }
  return mirror;
}

void check_count(std::size_t count, const char* what, ProblemList& problems) {
  if (count > static_cast<std::size_t>(INT_MAX))
    problems.add(what, kNone, "size", to_text(count), "too many: indices must fit in an int");
}

}  // namespace libmatch::detail
