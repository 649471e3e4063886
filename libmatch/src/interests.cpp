#include "libmatch/interests.hpp"

#include <vector>

#include "spelling.hpp"
#include "validation.hpp"

namespace libmatch {
namespace {

// A name as compared with the vocabulary: trimmed, ASCII lower case.
std::string interest_key(std::string_view name) {
  std::string key(detail::trim(name));
  for (char& c : key) c = detail::ascii_lower(c);
  return key;
}

}  // namespace

std::optional<int> interest_index(std::string_view name) {
  for (int i = 0; i < kInterestCount; ++i) {
    if (kInterests[i] == name) return i;
  }
  return std::nullopt;
}

std::optional<int> find_interest(std::string_view name) {
  if (const std::optional<int> exact = interest_index(name)) return exact;  // no allocation
  return interest_index(interest_key(name));
}

std::string interest_vocabulary_list() {
  std::string list;
  for (std::string_view name : kInterests) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

std::string unknown_interest_reason(std::string_view name) {
  const std::vector<std::string_view> names(kInterests.begin(), kInterests.end());
  if (const std::optional<std::size_t> near = detail::nearest_name(interest_key(name), names)) {
    return "unknown interest; did you mean '" + std::string(kInterests[*near]) + "'?";
  }
  return "unknown interest; the vocabulary is: " + interest_vocabulary_list();
}

}  // namespace libmatch
