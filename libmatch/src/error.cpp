#include "libmatch/error.hpp"

#include <locale>
#include <sstream>
#include <utility>

namespace libmatch {
namespace {

std::string describe(const std::vector<Problem>& problems) {
  std::ostringstream out;
  out.imbue(std::locale::classic());  // "1000 problems", whatever the application's locale
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
