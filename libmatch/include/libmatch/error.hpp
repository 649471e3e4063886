// The one exception type for bad input. Validation collects every problem in
// one pass, so a caller fixes a whole file at once instead of one error per
// run.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace libmatch {

// One thing wrong with one input record.
struct Problem {
  std::string record;  // which record: "city 12 (row 3)", "seeker 0", "config"
  std::string field;   // which field: "population", "languages.fr", ...
  std::string value;   // the offending value as text ("" when missing)
  std::string reason;  // why it is wrong, phrased so the user can fix it
  // Position of the record in its input (row or list index); npos when the
  // problem is not tied to one record (a configuration value, say).
  std::size_t index = static_cast<std::size_t>(-1);
};

// Something in the input that was accepted but does not do what it asks
// for, so the caller should hear of it: an excluded id that is no city of
// the pool (it could never be proposed anyway). Kept by what validated the
// input (Seekers::warnings()), never thrown.
struct InputWarning {
  std::string record;   // as Problem::record: "seeker 2 (city 5)"
  std::string field;    // "exclude"
  std::string value;    // the value as text: "12345"
  std::string message;  // what it means for the result
  // As Problem::index: the record's position in its input.
  std::size_t index = static_cast<std::size_t>(-1);
};

// Thrown with every problem found; what() lists them all, one per line.
class InputError : public std::invalid_argument {
 public:
  explicit InputError(std::vector<Problem> problems);
  const std::vector<Problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<Problem> problems_;
};

// Thrown when a progress callback asks a long call to stop.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("libmatch: cancelled by the progress callback") {}
};

}  // namespace libmatch
