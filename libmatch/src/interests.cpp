#include "libmatch/interests.hpp"

namespace libmatch {

std::optional<int> interest_index(std::string_view name) {
  for (int i = 0; i < kInterestCount; ++i) {
    if (kInterests[i] == name) return i;
  }
  return std::nullopt;
}

std::string interest_vocabulary_list() {
  std::string list;
  for (std::string_view name : kInterests) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

}  // namespace libmatch
