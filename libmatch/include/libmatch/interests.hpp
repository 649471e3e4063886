// The interest vocabulary: the one list of cooperation themes that cities
// and seekers weight. Everything that names an interest goes through here.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace libmatch {

inline constexpr std::array<std::string_view, 16> kInterests = {
    "arts_culture",  "business_trade",   "economic_development",
    "education",     "youth_exchange",   "sports",
    "tourism",       "environment",      "health",
    "technology",    "agriculture",      "municipal_governance",
    "public_safety", "humanitarian_aid", "heritage",
    "faith"};
inline constexpr int kInterestCount = static_cast<int>(kInterests.size());

// Index of `name` in kInterests; nullopt when it is not in the vocabulary.
// Exact: `name` as kInterests spells it.
std::optional<int> interest_index(std::string_view name);

// Index of the interest `name` names as data writes it: in any case, with
// white space (no-break spaces too) around it (" Education ",
// "Arts_Culture"); nullopt when it names none. CityTable and Seekers read
// interests so.
std::optional<int> find_interest(std::string_view name);

// "arts_culture, business_trade, ...": for error messages.
std::string interest_vocabulary_list();

// Why `name` is refused, for error messages: a near miss of an interest
// ("educaton", "arts culture") asks whether the nearest was meant ("did you
// mean 'education'?"); anything else lists the vocabulary.
std::string unknown_interest_reason(std::string_view name);

}  // namespace libmatch
