// Shared helpers for the validators of cities, seekers and configuration:
// they collect Problems instead of throwing at the first one.
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "libmatch/error.hpp"

namespace libmatch::detail {

// A value as the caller gave it: numbers in the shortest form that reads
// back the same, so 90.0000001 is not shown as 90, and never in the
// application's locale (1.234.567 or 0,5 would not read back).
template <typename T>
std::string to_text(const T& value) {
  if constexpr (std::is_arithmetic_v<T>) {
    char buffer[64];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
  } else {
    return std::string(value);
  }
}

// Codes are ASCII: <cctype> would follow the C locale (in a Turkish one,
// 'i' does not upper-case to 'I').
inline char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// U+00A0, the no-break space that copying from web pages and spreadsheets
// brings along, in UTF-8.
inline constexpr std::string_view kNoBreakSpace = "\xC2\xA0";

// Without white space, no-break spaces included, at either end.
inline std::string_view trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && is_space(s.front())) {
      s.remove_prefix(1);
    } else if (s.substr(0, 2) == kNoBreakSpace) {
      s.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && is_space(s.back())) {
      s.remove_suffix(1);
    } else if (s.size() >= 2 && s.substr(s.size() - 2) == kNoBreakSpace) {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

class ProblemList {
 public:
  void add(std::string record, std::size_t index, std::string field, std::string value,
           std::string reason) {
    problems_.push_back(
        Problem{std::move(record), std::move(field), std::move(value), std::move(reason), index});
  }
  bool empty() const { return problems_.empty(); }
  void throw_if_any() {
    if (!problems_.empty()) throw InputError(std::move(problems_));
  }

 private:
  std::vector<Problem> problems_;
};

inline bool is_finite(double x) { return std::isfinite(x); }

}  // namespace libmatch::detail
