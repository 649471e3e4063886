#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <libmatch/geography.hpp>

using namespace libmatch;

TEST(Geography, EveryCountryHasOneKnownRegion) {
  ASSERT_GE(country_count(), 249);
  std::set<std::string> codes;
  for (int c = 0; c < country_count(); ++c) {
    const Country& country = libmatch::country(c);
    EXPECT_EQ(country.code.size(), 2u);
    EXPECT_TRUE(codes.insert(std::string(country.code)).second) << country.code;
    ASSERT_LT(country.region, region_count());
    EXPECT_EQ(country_index(country.code), c);
  }
}

TEST(Geography, KnowsTheM49Hierarchy) {
  EXPECT_EQ(region_count(), 22);
  auto region_of = [](const char* code) { return region(country(*country_index(code)).region); };
  EXPECT_EQ(region_of("DE").name, "Western Europe");
  EXPECT_EQ(region_of("GB").name, "Northern Europe");
  EXPECT_EQ(region_of("BR").name, "South America");
  EXPECT_EQ(region_of("BR").subregion, "Latin America and the Caribbean");
  EXPECT_EQ(region_of("KE").subregion, "Sub-Saharan Africa");
  EXPECT_EQ(region_of("JP").continent, Continent::asia);
  EXPECT_EQ(region_of("US").name, "Northern America");
  EXPECT_EQ(region_of("NZ").continent, Continent::oceania);
}

TEST(Geography, AreasAreRegionsSubregionsOrContinents) {
  const int de = *country_index("DE"), ke = *country_index("KE");
  EXPECT_TRUE(area_contains("Western Europe", de));
  EXPECT_TRUE(area_contains("Europe", de));
  EXPECT_FALSE(area_contains("Eastern Europe", de));
  EXPECT_TRUE(area_contains("Sub-Saharan Africa", ke));
  EXPECT_TRUE(area_contains("Eastern Africa", ke));
  EXPECT_TRUE(is_area_name("Asia"));
  EXPECT_TRUE(is_area_name("Latin America and the Caribbean"));
  EXPECT_FALSE(is_area_name("Atlantis"));
  EXPECT_FALSE(country_index("XX").has_value());
  EXPECT_FALSE(country_index("de").has_value());  // look-ups are exact; CityTable normalises
  EXPECT_EQ(continent_from_name("Europe"), Continent::europe);
}

// Territories that real data (GeoNames, CLDR) carries, placed as UN M49
// places them (XK, which M49 does not list, with Serbia in Southern Europe).
TEST(Geography, PlacesTerritoriesAsM49Does) {
  auto region_of = [](const char* code) {
    return std::string(region(country(*country_index(code)).region).name);
  };
  EXPECT_EQ(region_of("XK"), "Southern Europe");
  EXPECT_EQ(region_of("PR"), "Caribbean");
  EXPECT_EQ(region_of("GU"), "Micronesia");
  EXPECT_EQ(region_of("HK"), "Eastern Asia");
  EXPECT_EQ(region_of("MO"), "Eastern Asia");
  EXPECT_EQ(region_of("TW"), "Eastern Asia");
  EXPECT_EQ(region_of("PS"), "Western Asia");
  EXPECT_EQ(region_of("EH"), "Northern Africa");
  EXPECT_EQ(region_of("BQ"), "Caribbean");
  EXPECT_EQ(region_of("CW"), "Caribbean");
  EXPECT_EQ(region_of("SX"), "Caribbean");
  EXPECT_EQ(region_of("SS"), "Eastern Africa");
  EXPECT_EQ(region_of("SD"), "Northern Africa");
  EXPECT_EQ(region_of("MX"), "Central America");
  EXPECT_EQ(region_of("NR"), "Micronesia");
  EXPECT_EQ(region_of("CY"), "Western Asia");
  EXPECT_EQ(region_of("RU"), "Eastern Europe");
  EXPECT_FALSE(country_index("AQ").has_value());
}

// Country codes as spreadsheets and CSV exports write them.
TEST(Geography, FindsCountryCodesAsPeopleWriteThem) {
  const int fr = *country_index("FR");
  EXPECT_EQ(find_country("fr"), fr);
  EXPECT_EQ(find_country("Fr"), fr);
  EXPECT_EQ(find_country(" FR "), fr);
  EXPECT_EQ(find_country("\tfr\n"), fr);
  const std::string no_break_space = "\xC2\xA0";  // from a web page or a spreadsheet
  EXPECT_EQ(find_country(no_break_space + "FR"), fr);
  EXPECT_FALSE(find_country("F R").has_value());
  EXPECT_FALSE(find_country("FRA").has_value());
  EXPECT_FALSE(find_country("").has_value());
  for (int c = 0; c < country_count(); ++c) {
    std::string lower(country(c).code);
    for (char& ch : lower) ch = static_cast<char>(ch - 'A' + 'a');
    EXPECT_EQ(find_country(lower), c) << lower;
  }
}

// M49 names as people and CLDR write them: any case, stray spaces, a space
// for a hyphen, '&' for "and", CLDR's English names and the M49 codes.
TEST(Geography, FindsAreaNamesAsPeopleWriteThem) {
  EXPECT_EQ(find_area("Caribbean"), "Caribbean");
  EXPECT_EQ(find_area("caribbean"), "Caribbean");
  EXPECT_EQ(find_area("  CARIBBEAN "), "Caribbean");
  EXPECT_EQ(find_area("south  america"), "South America");
  EXPECT_EQ(find_area("Central America"), "Central America");
  EXPECT_EQ(find_area("middle africa"), "Middle Africa");
  EXPECT_EQ(find_area("South-Eastern Asia"), "South-eastern Asia");
  EXPECT_EQ(find_area("South Eastern Asia"), "South-eastern Asia");
  EXPECT_EQ(find_area("Sub Saharan Africa"), "Sub-Saharan Africa");
  EXPECT_EQ(find_area("latin america and the caribbean"), "Latin America and the Caribbean");
  EXPECT_EQ(find_area("Latin America & the Caribbean"), "Latin America and the Caribbean");
  EXPECT_EQ(find_area("Australia & New Zealand"), "Australia and New Zealand");
  EXPECT_EQ(find_area("europe"), "Europe");
  EXPECT_EQ(find_area("AMERICAS"), "Americas");
  EXPECT_EQ(find_area("Western" + std::string("\xC2\xA0") + "Europe"), "Western Europe");
  // CLDR's English names of M49 areas
  EXPECT_EQ(find_area("Southeast Asia"), "South-eastern Asia");
  EXPECT_EQ(find_area("Latin America"), "Latin America and the Caribbean");
  EXPECT_EQ(find_area("Australasia"), "Australia and New Zealand");
  EXPECT_EQ(find_area("Micronesian Region"), "Micronesia");
  // M49 codes
  EXPECT_EQ(find_area("150"), "Europe");
  EXPECT_EQ(find_area("029"), "Caribbean");
  EXPECT_EQ(find_area("419"), "Latin America and the Caribbean");
  EXPECT_EQ(find_area("202"), "Sub-Saharan Africa");
  EXPECT_FALSE(find_area("North America").has_value());  // not M49
  EXPECT_FALSE(find_area("Middle East").has_value());
  EXPECT_FALSE(find_area("Atlantis").has_value());
  EXPECT_FALSE(find_area("").has_value());
  EXPECT_FALSE(find_area("Euro pe").has_value());

  const int de = *country_index("DE"), jm = *country_index("JM"), ng = *country_index("NG");
  EXPECT_TRUE(is_area_name("western europe"));
  EXPECT_TRUE(area_contains("western europe", de));
  EXPECT_TRUE(area_contains(" europe", de));
  EXPECT_TRUE(area_contains("caribbean", jm));
  EXPECT_TRUE(area_contains("Latin America", jm));
  EXPECT_TRUE(area_contains("sub saharan africa", ng));
  EXPECT_FALSE(area_contains("caribbean", de));
  EXPECT_FALSE(area_contains("Atlantis", de));
}

// M49's one intermediate region outside Africa and Latin America.
TEST(Geography, ChannelIslandsAreAnArea) {
  const int gg = *country_index("GG"), je = *country_index("JE"), gb = *country_index("GB");
  EXPECT_TRUE(is_area_name("Channel Islands"));
  EXPECT_TRUE(area_contains("Channel Islands", gg));
  EXPECT_TRUE(area_contains("channel islands", je));
  EXPECT_FALSE(area_contains("Channel Islands", gb));
  EXPECT_EQ(region(country(gg).region).name, "Northern Europe");  // still its region
  EXPECT_TRUE(area_contains("Northern Europe", gg));
  EXPECT_EQ(region_count(), 22);
}

// A refusal says what to write instead.
TEST(Geography, RefusalsSayWhatToWriteInstead) {
  auto has = [](const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
  };
  EXPECT_TRUE(has(unknown_country_reason("ZZ"), "unknown country code"));
  EXPECT_TRUE(has(unknown_country_reason("UK"), "'GB'"));
  EXPECT_TRUE(has(unknown_country_reason(" uk"), "'GB'"));
  EXPECT_TRUE(has(unknown_country_reason("EL"), "'GR'"));
  EXPECT_TRUE(has(unknown_country_reason("AN"), "'BQ', 'CW' and 'SX'"));
  EXPECT_TRUE(has(unknown_country_reason("CS"), "'RS' and 'ME'"));
  EXPECT_TRUE(has(unknown_country_reason("AQ"), "Antarctica in no region"));
  EXPECT_TRUE(has(unknown_country_reason("IC"), "'ES'"));
  EXPECT_TRUE(has(unknown_country_reason("cq"), "'GG'"));
  const std::string area = unknown_area_reason("Atlantis");
  EXPECT_TRUE(has(area, "unknown region"));
  for (const char* name : {"'Western Europe'", "'Latin America and the Caribbean'",
                           "'Sub-Saharan Africa'", "'Oceania'", "'Channel Islands'"}) {
    EXPECT_TRUE(has(area, name)) << area;
  }
  EXPECT_TRUE(has(unknown_area_reason("North America"), "'Northern America'"));
  EXPECT_TRUE(has(unknown_area_reason("middle east"), "'Western Asia'"));
  EXPECT_TRUE(has(unknown_area_reason("World"), "no region"));
  // Near misses name the nearest area, in the spelling nearly written.
  EXPECT_EQ(unknown_area_reason("Westen Europe"), "unknown region; did you mean 'Western Europe'?");
  EXPECT_EQ(unknown_area_reason(" sout  america"), "unknown region; did you mean 'South America'?");
  EXPECT_EQ(unknown_area_reason("Latn America"), "unknown region; did you mean 'Latin America'?");
  EXPECT_EQ(unknown_area_reason("Asai"), "unknown region; did you mean 'Asia'?");
  EXPECT_FALSE(has(unknown_area_reason("Narnia"), "did you mean"));
  EXPECT_EQ(unknown_area_reason("Euro"), "unknown region; did you mean 'Europe'?");  // 2 in 6
  EXPECT_FALSE(has(unknown_area_reason("Eur"), "did you mean"));                     // 3 in 6
}

// Language tags of BCP 47 and CLDR name their language.
TEST(Geography, LanguageKeysAreThePrimarySubtag) {
  EXPECT_EQ(language_key("pt"), "pt");
  EXPECT_EQ(language_key("PT"), "pt");
  EXPECT_EQ(language_key("pt-BR"), "pt");
  EXPECT_EQ(language_key("pt_br"), "pt");
  EXPECT_EQ(language_key("zh-Hant"), "zh");
  EXPECT_EQ(language_key("zh-Hant-TW"), "zh");
  EXPECT_EQ(language_key("sr_Latn"), "sr");
  EXPECT_EQ(language_key(" en-US "), "en");
  EXPECT_EQ(language_key("yue"), "yue");
  EXPECT_EQ(language_key("nan_Hant"), "nan");
  // ISO 639-2 (terminologic and bibliographic) and 639-3 three-letter codes
  // of a language with a two-letter code are that code, subtags or not.
  EXPECT_EQ(language_key("por"), "pt");
  EXPECT_EQ(language_key("POR"), "pt");
  EXPECT_EQ(language_key("por-BR"), "pt");
  EXPECT_EQ(language_key("por_br"), "pt");
  EXPECT_EQ(language_key("deu"), "de");
  EXPECT_EQ(language_key("ger"), "de");
  EXPECT_EQ(language_key("fra"), "fr");
  EXPECT_EQ(language_key("fre"), "fr");
  EXPECT_EQ(language_key("zho"), "zh");
  EXPECT_EQ(language_key("chi-Hant"), "zh");
  EXPECT_EQ(language_key("eng"), "en");
  EXPECT_EQ(language_key("hbs"), "sh");   // ISO 639-3 only
  EXPECT_EQ(language_key("bih"), "bh");   // ISO 639-2 only
  EXPECT_EQ(language_key("haw"), "haw");  // no two-letter code
  EXPECT_EQ(language_key("cmn"), "cmn");  // Mandarin: the macrolanguage zho has one, it has none
  EXPECT_EQ(language_key("fil"), "fil");
  EXPECT_EQ(language_key("qaa"), "qaa");
  EXPECT_FALSE(language_key("").has_value());
  EXPECT_FALSE(language_key("-BR").has_value());
  EXPECT_FALSE(language_key("pt, es").has_value());
  EXPECT_FALSE(language_key("e n").has_value());
  EXPECT_FALSE(language_key("en-US-u-ca-gregory").has_value());  // over 16 characters
}

// area_contains() takes every spelling find_area() does, and one buffer
// reused for another name of the same length gives that name's answer.
TEST(Geography, AreaLookUpsAreNotStale) {
  const int de = *country_index("DE"), ng = *country_index("NG");
  std::string name = "europe";
  EXPECT_TRUE(area_contains(name, de));
  name = "africa";
  EXPECT_FALSE(area_contains(name, de));
  EXPECT_TRUE(area_contains(name, ng));
  name = "Africa";
  EXPECT_TRUE(area_contains(name, ng));
  name = "narnia";
  EXPECT_FALSE(area_contains(name, ng));
  const std::string long_name(80, 'x');
  EXPECT_FALSE(area_contains(long_name, de));
  EXPECT_FALSE(area_contains("  latin   america   and   the   caribbean   and   more   spaces ",
                             *country_index("JM")));
  EXPECT_TRUE(area_contains("    latin        america        and        the        caribbean    ",
                            *country_index("JM")));  // over 64 characters: not kept, still found
  std::thread other([&] { EXPECT_TRUE(area_contains("europe", de)); });
  other.join();
}

// A dependent territory belongs to the state that holds it; states, Taiwan
// and the states in free association with New Zealand stand alone.
TEST(Geography, SovereignStates) {
  const auto state = [](const char* code) {
    return std::string(country(sovereign_state(*country_index(code))).code);
  };
  for (const char* us : {"PR", "GU", "VI", "AS", "MP", "UM"}) EXPECT_EQ(state(us), "US") << us;
  EXPECT_EQ(state("HK"), "CN");
  EXPECT_EQ(state("MO"), "CN");
  EXPECT_EQ(state("GL"), "DK");
  EXPECT_EQ(state("FO"), "DK");
  EXPECT_EQ(state("RE"), "FR");
  EXPECT_EQ(state("CW"), "NL");
  EXPECT_EQ(state("GI"), "GB");
  EXPECT_EQ(state("JE"), "GB");
  EXPECT_EQ(state("AX"), "FI");
  for (const char* own : {"TW", "CK", "NU", "US", "CN", "DK", "PS", "EH", "XK"}) {
    EXPECT_EQ(state(own), own) << own;
  }
  // Every state is its own state: no chains.
  for (int c = 0; c < country_count(); ++c) {
    EXPECT_EQ(sovereign_state(sovereign_state(c)), sovereign_state(c)) << country(c).code;
  }
}
