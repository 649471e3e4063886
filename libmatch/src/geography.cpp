#include "libmatch/geography.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "language_codes.hpp"
#include "spelling.hpp"
#include "validation.hpp"

namespace libmatch {
namespace {

constexpr std::string_view kSubSaharanAfrica = "Sub-Saharan Africa";
constexpr std::string_view kLatinAmerica = "Latin America and the Caribbean";

// Indices into kRegions; named so the country table below can be checked
// against M49 by eye.
enum : std::uint8_t {
  kNorthernAfrica,
  kEasternAfrica,
  kMiddleAfrica,
  kSouthernAfrica,
  kWesternAfrica,
  kCaribbean,
  kCentralAmerica,
  kSouthAmerica,
  kNorthernAmerica,
  kCentralAsia,
  kEasternAsia,
  kSouthEasternAsia,
  kSouthernAsia,
  kWesternAsia,
  kEasternEurope,
  kNorthernEurope,
  kSouthernEurope,
  kWesternEurope,
  kAustraliaNewZealand,
  kMelanesia,
  kMicronesia,
  kPolynesia,
};

// M49 splits only Sub-Saharan Africa and Latin America further; its one
// other intermediate region, the Channel Islands, is too small to be worth a
// region of its own, so Guernsey and Jersey stay in Northern Europe.
constexpr std::array<Region, 22> kRegions{{
    {"Northern Africa", "Northern Africa", Continent::africa},
    {"Eastern Africa", kSubSaharanAfrica, Continent::africa},
    {"Middle Africa", kSubSaharanAfrica, Continent::africa},
    {"Southern Africa", kSubSaharanAfrica, Continent::africa},
    {"Western Africa", kSubSaharanAfrica, Continent::africa},
    {"Caribbean", kLatinAmerica, Continent::americas},
    {"Central America", kLatinAmerica, Continent::americas},
    {"South America", kLatinAmerica, Continent::americas},
    {"Northern America", "Northern America", Continent::americas},
    {"Central Asia", "Central Asia", Continent::asia},
    {"Eastern Asia", "Eastern Asia", Continent::asia},
    {"South-eastern Asia", "South-eastern Asia", Continent::asia},
    {"Southern Asia", "Southern Asia", Continent::asia},
    {"Western Asia", "Western Asia", Continent::asia},
    {"Eastern Europe", "Eastern Europe", Continent::europe},
    {"Northern Europe", "Northern Europe", Continent::europe},
    {"Southern Europe", "Southern Europe", Continent::europe},
    {"Western Europe", "Western Europe", Continent::europe},
    {"Australia and New Zealand", "Australia and New Zealand", Continent::oceania},
    {"Melanesia", "Melanesia", Continent::oceania},
    {"Micronesia", "Micronesia", Continent::oceania},
    {"Polynesia", "Polynesia", Continent::oceania},
}};

constexpr std::array<std::string_view, kContinentCount> kContinentNames{
    "Africa", "Americas", "Asia", "Europe", "Oceania"};

// ISO 3166-1 alpha-2 with regions as UN M49 assigns them. AQ is left out
// because M49 puts Antarctica in no region and every country here needs one;
// XK (Kosovo) is user-assigned but in wide use, so it is in.
constexpr std::array<Country, 249> kCountries{{
    {"AD", "Andorra", kSouthernEurope},
    {"AE", "United Arab Emirates", kWesternAsia},
    {"AF", "Afghanistan", kSouthernAsia},
    {"AG", "Antigua and Barbuda", kCaribbean},
    {"AI", "Anguilla", kCaribbean},
    {"AL", "Albania", kSouthernEurope},
    {"AM", "Armenia", kWesternAsia},
    {"AO", "Angola", kMiddleAfrica},
    {"AR", "Argentina", kSouthAmerica},
    {"AS", "American Samoa", kPolynesia},
    {"AT", "Austria", kWesternEurope},
    {"AU", "Australia", kAustraliaNewZealand},
    {"AW", "Aruba", kCaribbean},
    {"AX", "Åland Islands", kNorthernEurope},
    {"AZ", "Azerbaijan", kWesternAsia},
    {"BA", "Bosnia and Herzegovina", kSouthernEurope},
    {"BB", "Barbados", kCaribbean},
    {"BD", "Bangladesh", kSouthernAsia},
    {"BE", "Belgium", kWesternEurope},
    {"BF", "Burkina Faso", kWesternAfrica},
    {"BG", "Bulgaria", kEasternEurope},
    {"BH", "Bahrain", kWesternAsia},
    {"BI", "Burundi", kEasternAfrica},
    {"BJ", "Benin", kWesternAfrica},
    {"BL", "Saint Barthélemy", kCaribbean},
    {"BM", "Bermuda", kNorthernAmerica},
    {"BN", "Brunei Darussalam", kSouthEasternAsia},
    {"BO", "Bolivia", kSouthAmerica},
    {"BQ", "Bonaire, Sint Eustatius and Saba", kCaribbean},
    {"BR", "Brazil", kSouthAmerica},
    {"BS", "Bahamas", kCaribbean},
    {"BT", "Bhutan", kSouthernAsia},
    {"BV", "Bouvet Island", kSouthAmerica},
    {"BW", "Botswana", kSouthernAfrica},
    {"BY", "Belarus", kEasternEurope},
    {"BZ", "Belize", kCentralAmerica},
    {"CA", "Canada", kNorthernAmerica},
    {"CC", "Cocos (Keeling) Islands", kAustraliaNewZealand},
    {"CD", "Democratic Republic of the Congo", kMiddleAfrica},
    {"CF", "Central African Republic", kMiddleAfrica},
    {"CG", "Congo", kMiddleAfrica},
    {"CH", "Switzerland", kWesternEurope},
    {"CI", "Côte d'Ivoire", kWesternAfrica},
    {"CK", "Cook Islands", kPolynesia},
    {"CL", "Chile", kSouthAmerica},
    {"CM", "Cameroon", kMiddleAfrica},
    {"CN", "China", kEasternAsia},
    {"CO", "Colombia", kSouthAmerica},
    {"CR", "Costa Rica", kCentralAmerica},
    {"CU", "Cuba", kCaribbean},
    {"CV", "Cabo Verde", kWesternAfrica},
    {"CW", "Curaçao", kCaribbean},
    {"CX", "Christmas Island", kAustraliaNewZealand},
    {"CY", "Cyprus", kWesternAsia},
    {"CZ", "Czechia", kEasternEurope},
    {"DE", "Germany", kWesternEurope},
    {"DJ", "Djibouti", kEasternAfrica},
    {"DK", "Denmark", kNorthernEurope},
    {"DM", "Dominica", kCaribbean},
    {"DO", "Dominican Republic", kCaribbean},
    {"DZ", "Algeria", kNorthernAfrica},
    {"EC", "Ecuador", kSouthAmerica},
    {"EE", "Estonia", kNorthernEurope},
    {"EG", "Egypt", kNorthernAfrica},
    {"EH", "Western Sahara", kNorthernAfrica},
    {"ER", "Eritrea", kEasternAfrica},
    {"ES", "Spain", kSouthernEurope},
    {"ET", "Ethiopia", kEasternAfrica},
    {"FI", "Finland", kNorthernEurope},
    {"FJ", "Fiji", kMelanesia},
    {"FK", "Falkland Islands (Malvinas)", kSouthAmerica},
    {"FM", "Micronesia (Federated States of)", kMicronesia},
    {"FO", "Faroe Islands", kNorthernEurope},
    {"FR", "France", kWesternEurope},
    {"GA", "Gabon", kMiddleAfrica},
    {"GB", "United Kingdom", kNorthernEurope},
    {"GD", "Grenada", kCaribbean},
    {"GE", "Georgia", kWesternAsia},
    {"GF", "French Guiana", kSouthAmerica},
    {"GG", "Guernsey", kNorthernEurope},
    {"GH", "Ghana", kWesternAfrica},
    {"GI", "Gibraltar", kSouthernEurope},
    {"GL", "Greenland", kNorthernAmerica},
    {"GM", "Gambia", kWesternAfrica},
    {"GN", "Guinea", kWesternAfrica},
    {"GP", "Guadeloupe", kCaribbean},
    {"GQ", "Equatorial Guinea", kMiddleAfrica},
    {"GR", "Greece", kSouthernEurope},
    {"GS", "South Georgia and the South Sandwich Islands", kSouthAmerica},
    {"GT", "Guatemala", kCentralAmerica},
    {"GU", "Guam", kMicronesia},
    {"GW", "Guinea-Bissau", kWesternAfrica},
    {"GY", "Guyana", kSouthAmerica},
    {"HK", "Hong Kong", kEasternAsia},
    {"HM", "Heard Island and McDonald Islands", kAustraliaNewZealand},
    {"HN", "Honduras", kCentralAmerica},
    {"HR", "Croatia", kSouthernEurope},
    {"HT", "Haiti", kCaribbean},
    {"HU", "Hungary", kEasternEurope},
    {"ID", "Indonesia", kSouthEasternAsia},
    {"IE", "Ireland", kNorthernEurope},
    {"IL", "Israel", kWesternAsia},
    {"IM", "Isle of Man", kNorthernEurope},
    {"IN", "India", kSouthernAsia},
    {"IO", "British Indian Ocean Territory", kEasternAfrica},
    {"IQ", "Iraq", kWesternAsia},
    {"IR", "Iran", kSouthernAsia},
    {"IS", "Iceland", kNorthernEurope},
    {"IT", "Italy", kSouthernEurope},
    {"JE", "Jersey", kNorthernEurope},
    {"JM", "Jamaica", kCaribbean},
    {"JO", "Jordan", kWesternAsia},
    {"JP", "Japan", kEasternAsia},
    {"KE", "Kenya", kEasternAfrica},
    {"KG", "Kyrgyzstan", kCentralAsia},
    {"KH", "Cambodia", kSouthEasternAsia},
    {"KI", "Kiribati", kMicronesia},
    {"KM", "Comoros", kEasternAfrica},
    {"KN", "Saint Kitts and Nevis", kCaribbean},
    {"KP", "North Korea", kEasternAsia},
    {"KR", "South Korea", kEasternAsia},
    {"KW", "Kuwait", kWesternAsia},
    {"KY", "Cayman Islands", kCaribbean},
    {"KZ", "Kazakhstan", kCentralAsia},
    {"LA", "Laos", kSouthEasternAsia},
    {"LB", "Lebanon", kWesternAsia},
    {"LC", "Saint Lucia", kCaribbean},
    {"LI", "Liechtenstein", kWesternEurope},
    {"LK", "Sri Lanka", kSouthernAsia},
    {"LR", "Liberia", kWesternAfrica},
    {"LS", "Lesotho", kSouthernAfrica},
    {"LT", "Lithuania", kNorthernEurope},
    {"LU", "Luxembourg", kWesternEurope},
    {"LV", "Latvia", kNorthernEurope},
    {"LY", "Libya", kNorthernAfrica},
    {"MA", "Morocco", kNorthernAfrica},
    {"MC", "Monaco", kWesternEurope},
    {"MD", "Moldova", kEasternEurope},
    {"ME", "Montenegro", kSouthernEurope},
    {"MF", "Saint Martin (French part)", kCaribbean},
    {"MG", "Madagascar", kEasternAfrica},
    {"MH", "Marshall Islands", kMicronesia},
    {"MK", "North Macedonia", kSouthernEurope},
    {"ML", "Mali", kWesternAfrica},
    {"MM", "Myanmar", kSouthEasternAsia},
    {"MN", "Mongolia", kEasternAsia},
    {"MO", "Macao", kEasternAsia},
    {"MP", "Northern Mariana Islands", kMicronesia},
    {"MQ", "Martinique", kCaribbean},
    {"MR", "Mauritania", kWesternAfrica},
    {"MS", "Montserrat", kCaribbean},
    {"MT", "Malta", kSouthernEurope},
    {"MU", "Mauritius", kEasternAfrica},
    {"MV", "Maldives", kSouthernAsia},
    {"MW", "Malawi", kEasternAfrica},
    {"MX", "Mexico", kCentralAmerica},
    {"MY", "Malaysia", kSouthEasternAsia},
    {"MZ", "Mozambique", kEasternAfrica},
    {"NA", "Namibia", kSouthernAfrica},
    {"NC", "New Caledonia", kMelanesia},
    {"NE", "Niger", kWesternAfrica},
    {"NF", "Norfolk Island", kAustraliaNewZealand},
    {"NG", "Nigeria", kWesternAfrica},
    {"NI", "Nicaragua", kCentralAmerica},
    {"NL", "Netherlands", kWesternEurope},
    {"NO", "Norway", kNorthernEurope},
    {"NP", "Nepal", kSouthernAsia},
    {"NR", "Nauru", kMicronesia},
    {"NU", "Niue", kPolynesia},
    {"NZ", "New Zealand", kAustraliaNewZealand},
    {"OM", "Oman", kWesternAsia},
    {"PA", "Panama", kCentralAmerica},
    {"PE", "Peru", kSouthAmerica},
    {"PF", "French Polynesia", kPolynesia},
    {"PG", "Papua New Guinea", kMelanesia},
    {"PH", "Philippines", kSouthEasternAsia},
    {"PK", "Pakistan", kSouthernAsia},
    {"PL", "Poland", kEasternEurope},
    {"PM", "Saint Pierre and Miquelon", kNorthernAmerica},
    {"PN", "Pitcairn", kPolynesia},
    {"PR", "Puerto Rico", kCaribbean},
    {"PS", "Palestine", kWesternAsia},
    {"PT", "Portugal", kSouthernEurope},
    {"PW", "Palau", kMicronesia},
    {"PY", "Paraguay", kSouthAmerica},
    {"QA", "Qatar", kWesternAsia},
    {"RE", "Réunion", kEasternAfrica},
    {"RO", "Romania", kEasternEurope},
    {"RS", "Serbia", kSouthernEurope},
    {"RU", "Russia", kEasternEurope},
    {"RW", "Rwanda", kEasternAfrica},
    {"SA", "Saudi Arabia", kWesternAsia},
    {"SB", "Solomon Islands", kMelanesia},
    {"SC", "Seychelles", kEasternAfrica},
    {"SD", "Sudan", kNorthernAfrica},
    {"SE", "Sweden", kNorthernEurope},
    {"SG", "Singapore", kSouthEasternAsia},
    {"SH", "Saint Helena, Ascension and Tristan da Cunha", kWesternAfrica},
    {"SI", "Slovenia", kSouthernEurope},
    {"SJ", "Svalbard and Jan Mayen", kNorthernEurope},
    {"SK", "Slovakia", kEasternEurope},
    {"SL", "Sierra Leone", kWesternAfrica},
    {"SM", "San Marino", kSouthernEurope},
    {"SN", "Senegal", kWesternAfrica},
    {"SO", "Somalia", kEasternAfrica},
    {"SR", "Suriname", kSouthAmerica},
    {"SS", "South Sudan", kEasternAfrica},
    {"ST", "Sao Tome and Principe", kMiddleAfrica},
    {"SV", "El Salvador", kCentralAmerica},
    {"SX", "Sint Maarten (Dutch part)", kCaribbean},
    {"SY", "Syria", kWesternAsia},
    {"SZ", "Eswatini", kSouthernAfrica},
    {"TC", "Turks and Caicos Islands", kCaribbean},
    {"TD", "Chad", kMiddleAfrica},
    {"TF", "French Southern Territories", kEasternAfrica},
    {"TG", "Togo", kWesternAfrica},
    {"TH", "Thailand", kSouthEasternAsia},
    {"TJ", "Tajikistan", kCentralAsia},
    {"TK", "Tokelau", kPolynesia},
    {"TL", "Timor-Leste", kSouthEasternAsia},
    {"TM", "Turkmenistan", kCentralAsia},
    {"TN", "Tunisia", kNorthernAfrica},
    {"TO", "Tonga", kPolynesia},
    {"TR", "Türkiye", kWesternAsia},
    {"TT", "Trinidad and Tobago", kCaribbean},
    {"TV", "Tuvalu", kPolynesia},
    {"TW", "Taiwan", kEasternAsia},
    {"TZ", "Tanzania", kEasternAfrica},
    {"UA", "Ukraine", kEasternEurope},
    {"UG", "Uganda", kEasternAfrica},
    {"UM", "United States Minor Outlying Islands", kMicronesia},
    {"US", "United States", kNorthernAmerica},
    {"UY", "Uruguay", kSouthAmerica},
    {"UZ", "Uzbekistan", kCentralAsia},
    {"VA", "Holy See", kSouthernEurope},
    {"VC", "Saint Vincent and the Grenadines", kCaribbean},
    {"VE", "Venezuela", kSouthAmerica},
    {"VG", "British Virgin Islands", kCaribbean},
    {"VI", "United States Virgin Islands", kCaribbean},
    {"VN", "Viet Nam", kSouthEasternAsia},
    {"VU", "Vanuatu", kMelanesia},
    {"WF", "Wallis and Futuna", kPolynesia},
    {"WS", "Samoa", kPolynesia},
    {"XK", "Kosovo", kSouthernEurope},
    {"YE", "Yemen", kWesternAsia},
    {"YT", "Mayotte", kEasternAfrica},
    {"ZA", "South Africa", kSouthernAfrica},
    {"ZM", "Zambia", kEasternAfrica},
    {"ZW", "Zimbabwe", kEasternAfrica},
}};

// Every name find_area() accepts, with its UN M49 numeric code (also
// accepted). The canonical names first: the regions, the two sub-regions that
// group some of them, the continents, and the intermediate region "Channel
// Islands" (830), which is an area here but not a region of its own. Then the
// names CLDR gives the same M49 codes in English, which data taken from CLDR
// (babel, ICU) carries.
struct AreaName {
  std::string_view name;
  std::string_view m49;
  std::string_view canonical;  // empty: `name` itself
};

constexpr std::string_view kChannelIslands = "Channel Islands";

constexpr std::array<AreaName, 34> kAreaNames{{
    {"Northern Africa", "015", ""},
    {"Eastern Africa", "014", ""},
    {"Middle Africa", "017", ""},
    {"Southern Africa", "018", ""},
    {"Western Africa", "011", ""},
    {"Caribbean", "029", ""},
    {"Central America", "013", ""},
    {"South America", "005", ""},
    {"Northern America", "021", ""},
    {"Central Asia", "143", ""},
    {"Eastern Asia", "030", ""},
    {"South-eastern Asia", "035", ""},
    {"Southern Asia", "034", ""},
    {"Western Asia", "145", ""},
    {"Eastern Europe", "151", ""},
    {"Northern Europe", "154", ""},
    {"Southern Europe", "039", ""},
    {"Western Europe", "155", ""},
    {"Australia and New Zealand", "053", ""},
    {"Melanesia", "054", ""},
    {"Micronesia", "057", ""},
    {"Polynesia", "061", ""},
    {kSubSaharanAfrica, "202", ""},
    {kLatinAmerica, "419", ""},
    {"Africa", "002", ""},
    {"Americas", "019", ""},
    {"Asia", "142", ""},
    {"Europe", "150", ""},
    {"Oceania", "009", ""},
    {kChannelIslands, "830", ""},
    // CLDR's English names of the same codes.
    {"Southeast Asia", "", "South-eastern Asia"},
    {"Australasia", "", "Australia and New Zealand"},
    {"Micronesian Region", "", "Micronesia"},
    {"Latin America", "", kLatinAmerica},
}};

// Names in common use that are no M49 area, with what to write instead.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kAreaHints{{
    {"north america",
     "M49 has no 'North America': it splits it into 'Northern America', 'Central America' "
     "and 'Caribbean', all three in 'Americas'"},
    {"america", "the M49 continent is 'Americas'"},
    {"middle east", "M49 has no 'Middle East'; the nearest area is 'Western Asia'"},
    {"near east", "M49 has no 'Near East'; the nearest area is 'Western Asia'"},
    {"world", "for any region, give no region at all"},
    {"antarctica", "UN M49 puts Antarctica in no region"},
    {"australia", "the M49 region is 'Australia and New Zealand', the continent 'Oceania'"},
    {"south asia", "the M49 region is 'Southern Asia'"},
    {"east asia", "the M49 region is 'Eastern Asia'"},
}};

// Codes in common use that are not ISO 3166-1 alpha-2 country codes, or are
// but have no M49 region, with what to write instead.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kCountryHints{{
    {"AQ",
     "AQ (Antarctica) is an ISO 3166-1 code, but UN M49 puts Antarctica in no region, so "
     "libmatch cannot place it"},
    {"UK", "UK is not an ISO 3166-1 code; the United Kingdom is 'GB'"},
    {"EL", "EL is not an ISO 3166-1 code (the EU writes it for Greece); Greece is 'GR'"},
    {"AN",
     "AN (Netherlands Antilles) left ISO 3166-1 in 2010; its islands are 'BQ', 'CW' and 'SX'"},
    {"CS", "CS (Serbia and Montenegro) left ISO 3166-1 in 2006; they are 'RS' and 'ME'"},
    {"YU", "YU (Yugoslavia) left ISO 3166-1 in 2003; see 'RS', 'ME', 'XK'"},
    {"TP", "TP (East Timor) left ISO 3166-1 in 2002; Timor-Leste is 'TL'"},
    {"ZR", "ZR (Zaire) left ISO 3166-1 in 1997; the Democratic Republic of the Congo is 'CD'"},
    {"BU", "BU (Burma) left ISO 3166-1 in 1989; Myanmar is 'MM'"},
    {"SU", "SU (Soviet Union) left ISO 3166-1 in 1992; give the successor state's code"},
    {"DD", "DD (East Germany) left ISO 3166-1 in 1990; Germany is 'DE'"},
    {"AC", "AC (Ascension Island) is not an ISO 3166-1 code; it is part of 'SH'"},
    {"TA", "TA (Tristan da Cunha) is not an ISO 3166-1 code; it is part of 'SH'"},
    {"DG", "DG (Diego Garcia) is not an ISO 3166-1 code; it is part of 'IO'"},
    {"CP", "CP (Clipperton Island) is not an ISO 3166-1 code; France is 'FR'"},
    {"IC", "IC (Canary Islands) is not an ISO 3166-1 code; Spain is 'ES'"},
    {"EA", "EA (Ceuta and Melilla) is not an ISO 3166-1 code; Spain is 'ES'"},
    {"EU", "EU (European Union) is not a country; give its members' codes or the area 'Europe'"},
    {"EZ", "EZ (Eurozone) is not a country; give its members' codes or the area 'Europe'"},
    {"UN", "UN (United Nations) is not a country"},
    {"CQ", "CQ (Sark) is not an ISO 3166-1 code; it is part of 'GG'"},
    {"QO", "QO (CLDR's Outlying Oceania) is not a country; give the territory's own code"},
}};

using detail::ascii_lower;
using detail::ascii_upper;
using detail::is_space;
using detail::kNoBreakSpace;
using detail::trim;

// An area name as compared: lower case, '-' as a space, '&' as "and", runs of
// spaces as one, no space at either end.
std::string area_key(std::string_view name) {
  std::string spaced;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '&') {
      spaced += " and ";
    } else if (name.substr(i, 2) == kNoBreakSpace) {
      spaced += ' ';
      ++i;
    } else {
      spaced += (c == '-' || is_space(c)) ? ' ' : ascii_lower(c);
    }
  }
  std::string out;
  for (char c : spaced) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The area_key() of every name of kAreaNames, in its order.
const std::array<std::string, kAreaNames.size()>& area_keys() {
  static const auto keys = [] {
    std::array<std::string, kAreaNames.size()> out;
    for (std::size_t i = 0; i < kAreaNames.size(); ++i) out[i] = area_key(kAreaNames[i].name);
    return out;
  }();
  return keys;
}

// Indices into `table` ordered by `key`, so look-ups need not rely on the
// order the table happens to be written in.
template <typename T, std::size_t N, typename Key>
std::array<int, N> sorted_index(const std::array<T, N>& table, Key key) {
  std::array<int, N> order{};
  for (std::size_t i = 0; i < N; ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return key(table[a]) < key(table[b]); });
  return order;
}

template <typename T, std::size_t N, typename Key>
std::optional<int> find_in(const std::array<T, N>& table, const std::array<int, N>& order,
                           std::string_view wanted, Key key) {
  auto it = std::lower_bound(order.begin(), order.end(), wanted,
                             [&](int i, std::string_view w) { return key(table[i]) < w; });
  if (it == order.end() || key(table[*it]) != wanted) return std::nullopt;
  return *it;
}

std::string_view code_of(const Country& c) { return c.code; }
std::string_view name_of(const Region& r) { return r.name; }

}  // namespace

int region_count() { return static_cast<int>(kRegions.size()); }

const Region& region(int index) {
  if (index < 0 || index >= region_count()) {
    throw std::out_of_range("region index " + std::to_string(index) + " out of range");
  }
  return kRegions[static_cast<std::size_t>(index)];
}

int country_count() { return static_cast<int>(kCountries.size()); }

const Country& country(int index) {
  if (index < 0 || index >= country_count()) {
    throw std::out_of_range("country index " + std::to_string(index) + " out of range");
  }
  return kCountries[static_cast<std::size_t>(index)];
}

std::optional<int> country_index(std::string_view alpha2) {
  static const auto order = sorted_index(kCountries, code_of);
  return find_in(kCountries, order, alpha2, code_of);
}

std::optional<int> region_index(std::string_view name) {
  static const auto order = sorted_index(kRegions, name_of);
  return find_in(kRegions, order, name, name_of);
}

std::string_view continent_name(Continent continent) {
  return kContinentNames.at(static_cast<std::size_t>(continent));
}

std::optional<Continent> continent_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kContinentNames.size(); ++i) {
    if (kContinentNames[i] == name) return static_cast<Continent>(i);
  }
  return std::nullopt;
}

std::optional<int> find_country(std::string_view code) {
  code = trim(code);
  if (code.size() != 2) return std::nullopt;
  const char upper[2] = {ascii_upper(code[0]), ascii_upper(code[1])};
  return country_index(std::string_view(upper, 2));
}

std::optional<std::string_view> find_area(std::string_view name) {
  auto canonical = [](const AreaName& a) { return a.canonical.empty() ? a.name : a.canonical; };
  for (const AreaName& a : kAreaNames) {
    if (a.name == name) return canonical(a);  // as written in the table: no allocation
  }
  const auto& keys = area_keys();
  const std::string_view trimmed = trim(name);
  const std::string key = area_key(trimmed);
  for (std::size_t i = 0; i < kAreaNames.size(); ++i) {
    const AreaName& a = kAreaNames[i];
    if (keys[i] == key || (!a.m49.empty() && a.m49 == trimmed)) return canonical(a);
  }
  return std::nullopt;
}

bool is_area_name(std::string_view name) { return find_area(name).has_value(); }

bool area_contains(std::string_view name, int country_idx) {
  const std::optional<std::string_view> area = find_area(name);
  if (!area) return false;
  const Country& c = country(country_idx);
  if (*area == kChannelIslands) return c.code == "GG" || c.code == "JE";
  const Region& r = region(c.region);
  return r.name == *area || r.subregion == *area || continent_name(r.continent) == *area;
}

std::optional<std::string> language_key(std::string_view code) {
  code = trim(code);
  if (code.empty() || code.size() > 16) return std::nullopt;
  auto allowed = [](char c) { return detail::is_ascii_alnum(c) || c == '-' || c == '_'; };
  if (!std::all_of(code.begin(), code.end(), allowed)) return std::nullopt;
  const std::string_view primary = code.substr(0, code.find_first_of("-_"));
  if (primary.empty()) return std::nullopt;
  std::string out(primary);
  for (char& c : out) c = ascii_lower(c);
  // ISO 639-2 and 639-3 name a language with a two-letter code by three
  // letters too ("por", "ger"): one language, one key.
  if (out.size() == 3) {
    if (const std::optional<std::string_view> two = detail::two_letter_language(out)) {
      out = std::string(*two);
    }
  }
  return out;
}

std::string unknown_country_reason(std::string_view code) {
  std::string upper(trim(code));
  for (char& ch : upper) ch = ascii_upper(ch);
  for (const auto& [known, hint] : kCountryHints) {
    if (upper == known) return std::string(hint);
  }
  return "unknown country code; expected an ISO 3166-1 alpha-2 code such as 'DE'";
}

std::string unknown_area_reason(std::string_view name) {
  const std::string key = area_key(name);
  std::string reason = "unknown region; ";
  for (const auto& [known, hint] : kAreaHints) {
    if (key == known) return reason + std::string(hint);
  }
  // A near miss ("Westen Europe", "carribean") names the area it nearly is,
  // in the spelling it nearly has (a CLDR name stays one).
  const auto& keys = area_keys();
  const std::vector<std::string_view> names(keys.begin(), keys.end());
  if (const std::optional<std::size_t> near = detail::nearest_name(key, names)) {
    return reason + "did you mean '" + std::string(kAreaNames[*near].name) + "'?";
  }
  reason += "expected a UN M49 region, sub-region or continent (or its M49 code): ";
  bool first = true;
  for (const AreaName& a : kAreaNames) {
    if (!a.canonical.empty()) continue;
    reason += (first ? "'" : ", '") + std::string(a.name) + "'";
    first = false;
  }
  return reason;
}

}  // namespace libmatch
