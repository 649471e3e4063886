#include "libmatch/error.hpp"

#include <sstream>
#include <utility>

namespace libmatch {
namespace {

std::string describe(const std::vector<Problem>& problems) {
  std::ostringstream out;
  out << problems.size() << (problems.size() == 1 ? " problem" : " problems") << " in the input:";
  for (const Problem& p : problems) {
    out << "\n  " << p.record << ": " << p.field;
    if (!p.value.empty()) out << " = '" << p.value << "'";
    out << ": " << p.reason;
  }
  return out.str();
}

}  // namespace

InputError::InputError(std::vector<Problem> problems)
    : std::invalid_argument(describe(problems)), problems_(std::move(problems)) {}

}  // namespace libmatch
