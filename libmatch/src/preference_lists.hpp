// Preference lists as the stable-matching algorithms take them: flat
// ("CSR") copies, checked entry by entry and linked to their mutual
// entries, every problem collected into one ProblemList. Shared by
// stable_matching.cpp and stable_fixtures.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "validation.hpp"

namespace libmatch::detail {

// One side's lists, flattened. valid[e] is false for an entry validation
// rejected (out of range, self, repeat); such entries never reach the
// algorithms because validation throws first.
struct FlatLists {
  std::vector<std::size_t> offset;  // size n + 1
  std::vector<int> target;
  std::vector<char> valid;
  std::size_t size() const { return offset.size() - 1; }
  std::size_t begin(std::size_t p) const { return offset[p]; }
  std::size_t end(std::size_t p) const { return offset[p + 1]; }
};

// Names the people of one side in problem reports ("resident 3").
struct Side {
  const char* singular;  // "resident"
  const char* plural;    // "residents"
  std::string record(std::size_t i) const {
    return std::string(singular) + " " + std::to_string(i);
  }
};

// Flattens lists and checks every entry on its own: in range, not the
// owner (when both sides are the same people), not repeated in the list.
FlatLists flatten_and_check(const std::vector<std::vector<int>>& lists, std::size_t other_count,
                            const Side& own, const Side& other, bool same_side,
                            ProblemList& problems);

// For every valid entry of `from` (p lists q), the flat index of p in q's
// list in `to`; reports a problem where q does not list p. Linear time.
std::vector<std::size_t> link_mutual(const FlatLists& from, const FlatLists& to, const Side& own,
                                     const Side& other, ProblemList& problems);

// A problem when `count` people cannot be indexed by an int.
void check_count(std::size_t count, const char* what, ProblemList& problems);

}  // namespace libmatch::detail
