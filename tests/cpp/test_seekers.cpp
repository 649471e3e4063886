#include <algorithm>

#include <gtest/gtest.h>
#include <libmatch/libmatch.hpp>

#include "test_helpers.hpp"

using namespace libmatch;
using testing_helpers::city;

TEST(Seekers, ResolvesProfilesToPoolRows) {
  const CityTable pool = CityTable::from_records({city(10, "DE", 1e5), city(20, "FR", 2e5)});
  SeekingProfile p;
  p.city_id = 20;
  p.countries = {"de"};
  const Seekers seekers(pool, {p});
  EXPECT_EQ(seekers.size(), 1u);
  EXPECT_EQ(seekers.row(0), 1u);
  EXPECT_EQ(seekers.seeker_of_row(1), 0u);
  EXPECT_FALSE(seekers.seeker_of_row(0).has_value());
  EXPECT_EQ(seekers.profile(0).countries[0], "DE");
}

TEST(Seekers, ReportsEveryProblemAtOnce) {
  const CityTable pool = CityTable::from_records({city(10, "DE", 1e5), city(20, "FR", 2e5)});
  std::vector<SeekingProfile> profiles(8);
  profiles[0].city_id = 99;  // not in the pool
  profiles[1].city_id = 10;
  profiles[1].partners = 0;  // capacity < 1
  profiles[2].city_id = 10;  // seeks twice
  profiles[3].city_id = 20;
  profiles[3].regions = {"Narnia"};  // unknown region
  profiles[3].countries = {"QQ"};    // unknown country
  profiles[4].city_id = 20;          // seeks twice too (reported again)
  profiles[5].city_id = 20;
  profiles[5].population_min = 5e5;  // min > max
  profiles[5].population_max = 1e5;
  profiles[6].city_id = 20;
  profiles[6].exclude = {12345};  // excluded id not in the pool: a warning, not a problem
  profiles[7].city_id = 20;
  profiles[7].interests = {{"astrology", 1}};  // unknown interest
  try {
    Seekers(pool, profiles);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    auto has = [&](std::size_t index, const std::string& field) {
      const auto& ps = e.problems();
      return std::any_of(ps.begin(), ps.end(),
                         [&](const Problem& p) { return p.index == index && p.field == field; });
    };
    EXPECT_TRUE(has(0, "city_id"));
    EXPECT_TRUE(has(1, "partners"));
    EXPECT_TRUE(has(2, "city_id"));
    EXPECT_TRUE(has(3, "regions"));
    EXPECT_TRUE(has(3, "countries"));
    EXPECT_TRUE(has(5, "population_min"));
    EXPECT_FALSE(has(6, "exclude"));
    EXPECT_TRUE(has(7, "interests"));
    EXPECT_NE(std::string(e.what()).find("seeker 6 (city 20)"), std::string::npos);
  }
}

// Seekers hold pool rows: a Scorer or graph refuses a pool with other ids,
// even of the same size.
TEST(Seekers, BelongToThePoolTheyWereCheckedAgainst) {
  const CityTable pool = CityTable::from_records({city(1, "DE", 1e5), city(2, "FR", 2e5)});
  const CityTable other = CityTable::from_records({city(100, "DE", 1e5), city(200, "FR", 2e5)});
  SeekingProfile p;
  p.city_id = 1;
  p.exclude = {2};
  const Seekers seekers(pool, {p});
  EXPECT_TRUE(seekers.fit(pool));
  EXPECT_TRUE(seekers.fit(CityTable::from_records({city(1, "JP", 5), city(2, "BR", 9)})));
  EXPECT_FALSE(seekers.fit(other));
  EXPECT_THROW(Scorer(other, seekers), std::invalid_argument);
}

// Wants as real data writes them are read, and kept in canonical form.
TEST(Seekers, ReadWantsAsRealDataWritesThem) {
  const CityTable pool = CityTable::from_records({city(10, "DE", 1e5), city(20, "FR", 2e5)});
  SeekingProfile p;
  p.city_id = 20;
  p.regions = {"europe",        " Caribbean ", "South Eastern Asia",
               "Latin America", "150",         "channel islands"};
  p.countries = {" pl ", "Jp"};
  p.languages = {" PT-br ", "sr_Latn", "EN"};
  const Seekers seekers(pool, {p});
  const SeekingProfile& got = seekers.profile(0);
  EXPECT_EQ(got.regions, (std::vector<std::string>{"Europe", "Caribbean", "South-eastern Asia",
                                                   "Latin America and the Caribbean", "Europe",
                                                   "Channel Islands"}));
  EXPECT_EQ(got.countries, (std::vector<std::string>{"PL", "JP"}));
  EXPECT_EQ(got.languages, (std::vector<std::string>{"pt", "sr", "en"}));
}

TEST(Seekers, RefuseWantsThatCouldNeverBeMetAndSayWhy) {
  const CityTable pool = CityTable::from_records({city(10, "DE", 1e5), city(20, "FR", 2e5)});
  SeekingProfile p;
  p.city_id = 20;
  p.regions = {"North America", "Atlantis"};
  p.countries = {"UK"};
  p.languages = {"pt, es", " "};
  try {
    Seekers(pool, {p});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const auto& ps = e.problems();
    ASSERT_EQ(ps.size(), 5u) << e.what();
    EXPECT_NE(ps[0].reason.find("'Northern America'"), std::string::npos) << ps[0].reason;
    EXPECT_NE(ps[1].reason.find("'Western Europe'"), std::string::npos) << ps[1].reason;
    EXPECT_NE(ps[2].reason.find("'GB'"), std::string::npos) << ps[2].reason;
    EXPECT_EQ(ps[3].field, "languages");
    EXPECT_NE(ps[3].reason.find("not a language code"), std::string::npos);
    EXPECT_EQ(ps[4].reason, "empty language code");
  }
}

// Lisbon (pt-PT) and Sao Paulo (pt-BR) speak one language; a seeker wanting
// "pt-BR" meets a city that lists "pt"; one wanting "europe" gets full
// region credit for a European city.
TEST(Seekers, LanguageTagsAndAreaNamesScoreAsTheirLanguageAndArea) {
  CityRecord lisboa = city(1, "PT", 545000, 38.7, -9.1);
  lisboa.languages = {{"pt-PT", 0.95}};
  CityRecord sao_paulo = city(2, "BR", 545000, -23.5, -46.6);
  sao_paulo.languages = {{"pt_BR", 0.98}};
  CityRecord porto = city(3, "PT", 545000, 41.1, -8.6);
  porto.languages = {{"pt", 0.97}};
  CityRecord lyon = city(4, "FR", 545000, 45.7, 4.8);
  lyon.languages = {{"fr", 0.93}};
  const CityTable pool = CityTable::from_records({lisboa, sao_paulo, porto, lyon});
  SeekingProfile lisbon_wants;
  lisbon_wants.city_id = 1;
  SeekingProfile sp_wants;
  sp_wants.city_id = 2;
  sp_wants.languages = {"PT-pt"};
  sp_wants.regions = {"europe"};
  const Seekers seekers(pool, {lisbon_wants, sp_wants});
  const Scorer scorer(pool, seekers);
  const Explanation lisbon_sp = scorer.explain(1, 2);
  EXPECT_FLOAT_EQ(lisbon_sp.forward.value[2], 0.95f * 0.98f);  // one language: pt
  const Explanation sp_porto = scorer.explain(2, 3);
  EXPECT_GT(sp_porto.forward.value[2], 0.95f);       // pt, and wanted
  EXPECT_FLOAT_EQ(sp_porto.forward.value[1], 1.0f);  // region: in Europe
  EXPECT_FLOAT_EQ(scorer.explain(2, 4).forward.value[1], 1.0f);
}

// An excluded id that is no city of the pool (an existing partner too small
// for it, say) could never be proposed: the seeker is accepted, the id is
// dropped, and a warning says so.
TEST(Seekers, AnExcludedIdOutsideThePoolIsAWarningNotAProblem) {
  const CityTable pool =
      CityTable::from_records({city(10, "DE", 1e5), city(20, "FR", 2e5), city(30, "IT", 3e5)});
  SeekingProfile a;
  a.city_id = 20;
  a.exclude = {12345, 10, 777};
  SeekingProfile b;
  b.city_id = 30;
  b.exclude = {10};
  const Seekers seekers(pool, {b, a});
  EXPECT_EQ(seekers.profile(1).exclude, std::vector<std::int64_t>{10});
  ASSERT_EQ(seekers.warnings().size(), 2u);
  const InputWarning& w = seekers.warnings()[0];
  EXPECT_EQ(w.record, "seeker 1 (city 20)");
  EXPECT_EQ(w.index, 1u);
  EXPECT_EQ(w.field, "exclude");
  EXPECT_EQ(w.value, "12345");
  EXPECT_NE(w.message.find("not a city of the pool"), std::string::npos);
  EXPECT_EQ(seekers.warnings()[1].value, "777");
  EXPECT_TRUE(seekers.fit(pool));
  // Scoring runs, and the excluded pool city is still never proposed.
  const Scorer scorer(pool, seekers);
  CandidateOptions options;
  options.k = 5;
  const CandidateLists lists = scorer.candidates(options);
  for (const Candidate* c = lists.begin(1); c != lists.end(1); ++c) EXPECT_NE(c->id, 10);
  EXPECT_EQ(lists.count(1), 1u);  // Italy's city alone
  EXPECT_TRUE(Seekers(pool, {b}).warnings().empty());
}

// Interests as data writes them are kept as the vocabulary spells them;
// near misses of interests and areas ask whether the nearest was meant.
TEST(Seekers, InterestAndAreaNamesAsDataWritesThemAndNearMisses) {
  const CityTable pool = CityTable::from_records({city(10, "DE", 1e5), city(20, "FR", 2e5)});
  SeekingProfile p;
  p.city_id = 20;
  p.interests = {{" Education ", 1}, {"Arts_Culture", 0.5}};
  const Seekers seekers(pool, {p});
  EXPECT_EQ(seekers.profile(0).interests,
            (std::vector<std::pair<std::string, double>>{{"education", 1}, {"arts_culture", 0.5}}));
  const Scorer scorer(pool, seekers);  // the engine reads the canonical names
  EXPECT_TRUE(scorer.explain(20, 10).passes);

  SeekingProfile bad;
  bad.city_id = 20;
  bad.interests = {{"sport", 1}, {"quilting", 1}};
  bad.regions = {"Westen Europe", "Eastren Europe", "carribean", "Southeast Asai", "Narnia"};
  try {
    Seekers(pool, {bad});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const auto& ps = e.problems();
    ASSERT_EQ(ps.size(), 7u) << e.what();
    EXPECT_EQ(ps[0].reason, "unknown region; did you mean 'Western Europe'?");
    EXPECT_EQ(ps[1].reason, "unknown region; did you mean 'Eastern Europe'?");
    EXPECT_EQ(ps[2].reason, "unknown region; did you mean 'Caribbean'?");
    EXPECT_EQ(ps[3].reason, "unknown region; did you mean 'Southeast Asia'?");
    EXPECT_NE(ps[4].reason.find("expected a UN M49 region"), std::string::npos) << ps[4].reason;
    EXPECT_EQ(ps[5].reason, "unknown interest; did you mean 'sports'?");
    EXPECT_NE(ps[6].reason.find("the vocabulary is"), std::string::npos);
  }
}

// Wanted languages by their three-letter codes meet cities that list the
// two-letter ones.
TEST(Seekers, WantedThreeLetterLanguageCodesAreTheirLanguage) {
  CityRecord lisboa = city(1, "PT", 545000);
  lisboa.languages = {{"pt", 0.95}};
  CityRecord lyon = city(2, "FR", 545000);
  lyon.languages = {{"fr", 0.93}};
  const CityTable pool = CityTable::from_records({lisboa, lyon});
  SeekingProfile p;
  p.city_id = 2;
  p.languages = {"por", "deu", "ger", "yue", "por-BR"};
  const Seekers seekers(pool, {p});
  EXPECT_EQ(seekers.profile(0).languages,
            (std::vector<std::string>{"pt", "de", "de", "yue", "pt"}));
}
