// Which sovereign state each ISO 3166-1 code belongs to, for the
// same-country rule: a sister-city tie joins communities of two countries,
// and San Juan (PR) and Chicago, or Hong Kong and Shanghai, are of one.
//
// The table: every ISO 3166-1 code whose territory is not a sovereign state
// of its own (ISO 3166-1 marks them "independent: no"), with the state that
// holds it. Kept apart, as their own states: Taiwan (as ISO 3166 does), and
// the Cook Islands and Niue, which are in free association with New
// Zealand and conduct their own foreign relations. Western Sahara (EH) and
// Palestine (PS), whose status is disputed, stay as they are too.
#include <string_view>
#include <utility>
#include <vector>

#include "libmatch/geography.hpp"

namespace libmatch {
namespace {

constexpr std::pair<std::string_view, std::string_view> kTerritories[] = {
    // Australia's external territories
    {"CC", "AU"},
    {"CX", "AU"},
    {"HM", "AU"},
    {"NF", "AU"},
    // China's special administrative regions
    {"HK", "CN"},
    {"MO", "CN"},
    // Denmark: Greenland and the Faroe Islands
    {"FO", "DK"},
    {"GL", "DK"},
    // Finland: Åland
    {"AX", "FI"},
    // France: overseas departments, collectivities and territories
    {"BL", "FR"},
    {"GF", "FR"},
    {"GP", "FR"},
    {"MF", "FR"},
    {"MQ", "FR"},
    {"NC", "FR"},
    {"PF", "FR"},
    {"PM", "FR"},
    {"RE", "FR"},
    {"TF", "FR"},
    {"WF", "FR"},
    {"YT", "FR"},
    // The United Kingdom: Crown Dependencies and overseas territories
    {"AI", "GB"},
    {"BM", "GB"},
    {"FK", "GB"},
    {"GG", "GB"},
    {"GI", "GB"},
    {"GS", "GB"},
    {"IM", "GB"},
    {"IO", "GB"},
    {"JE", "GB"},
    {"KY", "GB"},
    {"MS", "GB"},
    {"PN", "GB"},
    {"SH", "GB"},
    {"TC", "GB"},
    {"VG", "GB"},
    // The Kingdom of the Netherlands: its constituent countries and the
    // Caribbean Netherlands
    {"AW", "NL"},
    {"BQ", "NL"},
    {"CW", "NL"},
    {"SX", "NL"},
    // Norway: Bouvet Island, Svalbard and Jan Mayen
    {"BV", "NO"},
    {"SJ", "NO"},
    // New Zealand: Tokelau
    {"TK", "NZ"},
    // The United States: its territories
    {"AS", "US"},
    {"GU", "US"},
    {"MP", "US"},
    {"PR", "US"},
    {"UM", "US"},
    {"VI", "US"},
};

}  // namespace

int sovereign_state(int index) {
  static const std::vector<int> state = [] {
    std::vector<int> out(static_cast<std::size_t>(country_count()));
    for (int c = 0; c < country_count(); ++c) out[static_cast<std::size_t>(c)] = c;
    for (const auto& [territory, holder] : kTerritories) {
      out[static_cast<std::size_t>(*country_index(territory))] = *country_index(holder);
    }
    return out;
  }();
  return state.at(static_cast<std::size_t>(index));
}

}  // namespace libmatch
