#include <algorithm>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>
#include <libmatch/libmatch.hpp>

#include "test_helpers.hpp"

using namespace libmatch;
using testing_helpers::city;
using testing_helpers::fields;

TEST(CityTable, StoresValidRecordsByColumn) {
  CityRecord lyon = city(2996944, "fr", 522250, 45.75, 4.85);
  lyon.name = "Lyon";
  lyon.languages = {{"FR", 0.9}, {"ar", 0.05}};
  lyon.interests = {{"arts_culture", 2}, {"technology", 1}};
  CityRecord porto = city(2735943, "PT", 249633, 41.15, -8.61);
  porto.region = "Southern Europe";
  const CityTable table = CityTable::from_records({lyon, porto});

  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.name(0), "Lyon");
  EXPECT_EQ(table.country_code(0), "FR");             // normalised to upper case
  EXPECT_EQ(table.region_name(0), "Western Europe");  // derived from the country
  EXPECT_EQ(table.region_name(1), "Southern Europe");
  EXPECT_DOUBLE_EQ(table.latitude(0), 45.75);
  EXPECT_EQ(table.row_of(2735943), 1u);
  EXPECT_FALSE(table.row_of(1).has_value());
  const auto languages = table.languages(0);
  ASSERT_EQ(languages.size(), 2u);
  EXPECT_EQ(table.language_codes()[languages[0].first], "fr");  // codes lower-cased
  EXPECT_FLOAT_EQ(languages[0].second, 0.9f);
  EXPECT_TRUE(table.has_interests(0));
  EXPECT_FALSE(table.has_interests(1));
  // relative to the largest: only ratios count
  EXPECT_FLOAT_EQ(table.interests(0)[*interest_index("arts_culture")], 1.0f);
  EXPECT_FLOAT_EQ(table.interests(0)[*interest_index("technology")], 0.5f);
}

TEST(CityTable, ReportsEveryProblemAtOnceWithRecordFieldAndReason) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<CityRecord> records;
  records.push_back(city(1, "DE", 1000, nan, 10));   // 0: NaN latitude
  records.push_back(city(2, "DE", 1000, 10, inf));   // 1: infinite longitude
  records.push_back(city(3, "DE", 1000, 91, 10));    // 2: latitude range
  records.push_back(city(4, "DE", 1000, 10, -181));  // 3: longitude range
  records.push_back(city(5, "DE", 0));               // 4: population 0
  records.push_back(city(6, "DE", nan));             // 5: population NaN
  records.push_back(city(7, "XX", 1000));            // 6: unknown country
  records.push_back(city(8, "DE", 1000));            // 7: unknown region
  records.back().region = "Atlantis";
  records.push_back(city(9, "DE", 1000));  // 8: inconsistent region
  records.back().region = "Eastern Asia";
  records.push_back(city(10, "DE", 1000));  // 9: unknown interest
  records.back().interests = {{"knitting", 1}};
  records.push_back(city(1, "DE", 1000));   // 10: duplicate id
  records.push_back(city(12, "DE", 1000));  // 11: share out of range
  records.back().languages = {{"de", 1.5}};
  records.push_back(city(13, "DE", 1000));  // 12: fine: speaker shares may sum over 1
  records.back().languages = {{"de", 0.7}, {"en", 0.5}};
  records.push_back(city(14, "DE", -5));    // 13: negative population
  records.push_back(city(15, "DE", 1000));  // 14: fine

  try {
    CityTable::from_records(records);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const auto& problems = e.problems();
    ASSERT_EQ(problems.size(), 13u) << e.what();
    auto find = [&](std::size_t index, const std::string& field) {
      return std::find_if(problems.begin(), problems.end(), [&](const Problem& p) {
               return p.index == index && p.field == field;
             }) != problems.end();
    };
    EXPECT_TRUE(find(0, "latitude"));
    EXPECT_TRUE(find(1, "longitude"));
    EXPECT_TRUE(find(2, "latitude"));
    EXPECT_TRUE(find(3, "longitude"));
    EXPECT_TRUE(find(4, "population"));
    EXPECT_TRUE(find(5, "population"));
    EXPECT_TRUE(find(6, "country"));
    EXPECT_TRUE(find(7, "region"));
    EXPECT_TRUE(find(8, "region"));
    EXPECT_TRUE(find(9, "interests"));
    EXPECT_TRUE(find(10, "id"));
    EXPECT_TRUE(find(11, "languages.de"));
    EXPECT_FALSE(find(12, "languages"));
    EXPECT_TRUE(find(13, "population"));
    const std::string message = e.what();
    EXPECT_NE(message.find("13 problems"), std::string::npos);
    EXPECT_NE(message.find("arts_culture, business_trade"), std::string::npos)
        << "an unknown interest lists the vocabulary";
    EXPECT_NE(message.find("city 1 (row 10)"), std::string::npos);
    const std::invalid_argument& base = e;  // one standard-derived type
    EXPECT_NE(std::string(base.what()).find("outside [-90, 90]"), std::string::npos);
  }
}

// A repeated interest with a bad weight is two problems, and values are
// quoted as given: 90.0000001 is not 90.
TEST(CityTable, QuotesValuesExactlyAndReportsEveryProblemOfARecord) {
  CityRecord c = city(1, "DE", 1000, 90.0000001, 10);
  c.interests = {{"heritage", -1}, {"heritage", 2}};
  try {
    CityTable::from_records({c});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 3u) << e.what();
    EXPECT_EQ(e.problems()[0].value, "90.0000001");
    EXPECT_NE(std::string(e.what()).find("interest listed twice"), std::string::npos);
  }
}

// Each share out of range is reported, and a language is listed twice even
// when its first share is 0 or out of range.
TEST(CityTable, BadSharesDoNotHideARepeat) {
  CityRecord over = city(1, "DE", 1000), twice = city(2, "FR", 1000);
  over.languages = {{"fr", 2}, {"en", 2}};
  twice.languages = {{"fr", 0}, {"fr", 0.5}};
  try {
    CityTable::from_records({over, twice});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.problems().size(), 3u) << message;
    EXPECT_NE(message.find("share must be in [0, 1]"), std::string::npos);
    EXPECT_EQ(message.find("sum"), std::string::npos) << message;
    EXPECT_NE(message.find("language listed twice"), std::string::npos);
  }
}

// Only the ratios of interest weights count, whatever their scale.
TEST(CityTable, InterestWeightsOfAnyFiniteScale) {
  CityRecord huge = city(1, "DE", 1000), tiny = city(2, "FR", 1000);
  huge.interests = {{"heritage", 1e39}, {"tourism", 5e38}};
  tiny.interests = {{"heritage", 2e-300}, {"tourism", 1e-300}};
  const CityTable pool = CityTable::from_records({huge, tiny});
  for (std::size_t row : {0, 1}) {
    EXPECT_EQ(pool.interests(row)[*interest_index("heritage")], 1.0f);
    EXPECT_EQ(pool.interests(row)[*interest_index("tourism")], 0.5f);
  }
  const Explanation e = Scorer(pool, Seekers(pool, {})).explain(1, 2);
  EXPECT_FLOAT_EQ(e.forward.value[static_cast<int>(Component::interests)], 1.0f);
}

TEST(CityTable, AcceptsSharesThatSumToOneWithinRounding) {
  CityRecord c = city(1, "CH", 1000);
  c.languages = {{"de", 0.6}, {"fr", 0.3}, {"it", 0.1004}};
  EXPECT_NO_THROW(CityTable::from_records({c}));
}

// Records as real data has them: codes with stray spaces and in any case,
// M49 names as people write them, CLDR and BCP 47 language tags.
TEST(CityTable, ReadsCodesAndNamesAsRealDataWritesThem) {
  CityRecord lisboa = city(1, " pt ", 545000);
  lisboa.region = "southern europe";
  lisboa.languages = {{"pt-PT", 0.95}};
  CityRecord sao_paulo = city(2, "Br", 12300000);
  sao_paulo.region = "Latin America";  // CLDR's name of M49 419
  sao_paulo.languages = {{"pt_BR", 0.98}, {"en-US", 0.01}};
  CityRecord st_helier = city(3, "JE", 35000);
  st_helier.region = "Channel Islands";
  CityRecord beograd = city(4, "RS", 1200000);
  // CLDR lists Serbian twice, by script, for the same people.
  beograd.languages = {{"sr", 0.44}, {"sr_Latn", 0.44}, {"hu", 0.05}};
  const CityTable table = CityTable::from_records({lisboa, sao_paulo, st_helier, beograd});
  EXPECT_EQ(table.country_code(0), "PT");
  EXPECT_EQ(table.country_code(1), "BR");
  EXPECT_EQ(table.region_name(2), "Northern Europe");
  auto codes = [&](std::size_t row) {
    std::vector<std::pair<std::string, float>> out;
    for (const auto& [index, share] : table.languages(row)) {
      out.emplace_back(table.language_codes()[index], share);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  using Codes = std::vector<std::pair<std::string, float>>;
  EXPECT_EQ(codes(0), (Codes{{"pt", 0.95f}}));
  EXPECT_EQ(codes(1), (Codes{{"en", 0.01f}, {"pt", 0.98f}}));
  EXPECT_EQ(codes(3), (Codes{{"hu", 0.05f}, {"sr", 0.44f}}));
  EXPECT_EQ(table.language_index("pt-BR"), table.language_index("pt"));
  EXPECT_TRUE(table.language_index("PT").has_value());
}

// Refusals of real-world values say what to write instead.
TEST(CityTable, RefusalsOfRealWorldValuesSayWhatToWrite) {
  CityRecord london = city(1, "UK", 8900000);
  CityRecord mcmurdo = city(2, "AQ", 1000);
  CityRecord chicago = city(3, "US", 2700000);
  chicago.region = "North America";
  CityRecord zurich = city(4, "CH", 420000);
  // CLDR's percentages: people speak several languages, which is no error.
  zurich.languages = {{"de", 0.76}, {"gsw", 0.66}, {"en", 0.45}, {"fr", 0.39}};
  CityRecord porto = city(5, "PT", 230000);
  porto.languages = {{"pt-PT", 0.5}, {"pt_pt", 0.4}};  // one tag twice
  CityRecord sp = city(6, "BR", 1000);
  sp.languages = {{"pt, es", 0.5}};
  try {
    CityTable::from_records({london, mcmurdo, chicago, zurich, porto, sp});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 5u) << e.what();
    const auto& p = e.problems();
    EXPECT_EQ(p[0].field, "country");
    EXPECT_NE(p[0].reason.find("'GB'"), std::string::npos) << p[0].reason;
    EXPECT_NE(p[1].reason.find("Antarctica in no region"), std::string::npos) << p[1].reason;
    EXPECT_EQ(p[2].field, "region");
    EXPECT_NE(p[2].reason.find("'Northern America'"), std::string::npos) << p[2].reason;
    EXPECT_EQ(p[3].field, "languages.pt_pt");
    EXPECT_EQ(p[3].reason, "language listed twice");
    EXPECT_EQ(p[4].value, "pt, es");
    EXPECT_NE(p[4].reason.find("not a language code"), std::string::npos);
  }
}

// Three-letter ISO 639-2/639-3 codes are their two-letter language, region
// subtags or not; codes of languages without one stay as they are.
TEST(CityTable, ThreeLetterLanguageCodesAreTheirTwoLetterLanguage) {
  CityRecord lisboa = city(1, "PT", 545000);
  lisboa.languages = {{"por", 0.95}};
  CityRecord sao_paulo = city(2, "BR", 545000);
  sao_paulo.languages = {{"por-BR", 0.98}};
  CityRecord berlin = city(3, "DE", 3.6e6);
  berlin.languages = {{"ger", 0.8}, {"fre", 0.01}};
  CityRecord hong_kong = city(4, "HK", 7.4e6);
  hong_kong.languages = {{"yue", 0.88}, {"chi", 0.02}, {"eng", 0.04}};
  CityRecord honolulu = city(5, "US", 350000);
  honolulu.languages = {{"HAW", 0.01}, {"en", 0.9}};
  const CityTable table = CityTable::from_records({lisboa, sao_paulo, berlin, hong_kong, honolulu});
  auto codes = [&](std::size_t row) {
    std::vector<std::string> out;
    for (const auto& [index, share] : table.languages(row)) {
      out.push_back(table.language_codes()[index]);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(codes(0), std::vector<std::string>{"pt"});
  EXPECT_EQ(codes(1), std::vector<std::string>{"pt"});
  EXPECT_EQ(codes(2), (std::vector<std::string>{"de", "fr"}));
  EXPECT_EQ(codes(3), (std::vector<std::string>{"en", "yue", "zh"}));
  EXPECT_EQ(codes(4), (std::vector<std::string>{"en", "haw"}));
  EXPECT_EQ(table.language_index("deu"), table.language_index("de"));
  EXPECT_EQ(table.language_index("zho"), table.language_index("zh"));

  // "por" and "pt" are one code written twice, as "pt-BR" and "por_br" are.
  CityRecord twice = city(6, "PT", 1000);
  twice.languages = {{"pt", 0.5}, {"por", 0.4}};
  CityRecord tagged_twice = city(7, "BR", 1000);
  tagged_twice.languages = {{"pt-BR", 0.5}, {"por_br", 0.4}};
  CityRecord variants = city(8, "BR", 1000);
  variants.languages = {{"por-BR", 0.5}, {"pt", 0.4}};  // two variants: the larger share
  try {
    CityTable::from_records({twice, tagged_twice, variants});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 2u) << e.what();
    EXPECT_EQ(e.problems()[0].field, "languages.por");
    EXPECT_EQ(e.problems()[0].reason, "language listed twice");
    EXPECT_EQ(e.problems()[1].field, "languages.por_br");
  }
  const CityTable folded = CityTable::from_records({variants});
  ASSERT_EQ(folded.languages(0).size(), 1u);
  EXPECT_FLOAT_EQ(folded.languages(0)[0].second, 0.5f);
}

// Interest names in any case and with spaces around them; a near miss asks
// whether the nearest name was meant.
TEST(CityTable, InterestNamesAsDataWritesThemAndNearMisses) {
  CityRecord c = city(1, "FR", 1000);
  c.interests = {{" Education ", 2}, {"Arts_Culture", 1}, {"HERITAGE\t", 1}};
  const CityTable table = CityTable::from_records({c});
  EXPECT_FLOAT_EQ(table.interests(0)[*interest_index("education")], 1.0f);
  EXPECT_FLOAT_EQ(table.interests(0)[*interest_index("arts_culture")], 0.5f);
  EXPECT_FLOAT_EQ(table.interests(0)[*interest_index("heritage")], 0.5f);

  CityRecord bad = city(2, "FR", 1000);
  bad.interests = {{"educaton", 1}, {"arts culture", 1}, {"Toursim", 1}, {"knitting", 1}};
  CityRecord twice = city(3, "FR", 1000);
  twice.interests = {{"education", 1}, {" EDUCATION", 1}};
  try {
    CityTable::from_records({bad, twice});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const auto& p = e.problems();
    ASSERT_EQ(p.size(), 5u) << e.what();
    EXPECT_EQ(p[0].reason, "unknown interest; did you mean 'education'?");
    EXPECT_EQ(p[1].reason, "unknown interest; did you mean 'arts_culture'?");
    EXPECT_EQ(p[2].reason, "unknown interest; did you mean 'tourism'?");
    EXPECT_NE(p[3].reason.find("the vocabulary is: arts_culture, "), std::string::npos);
    EXPECT_EQ(p[4].reason, "interest listed twice");
  }
}

// A region that nearly names an area says which.
TEST(CityTable, RegionNearMissesNameTheArea) {
  CityRecord c = city(1, "FR", 1000);
  c.region = "Westen Europe";
  try {
    CityTable::from_records({c});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].reason, "unknown region; did you mean 'Western Europe'?");
  }
}
