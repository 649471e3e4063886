// Each component against hand-computed values, missing data, every filter,
// reciprocity, and explain().
#include <algorithm>
#include <array>
#include <cmath>
#include <locale>
#include <random>
#include <regex>
#include <vector>

#include <gtest/gtest.h>
#include <libmatch/libmatch.hpp>

#include "reference_scorer.hpp"
#include "test_helpers.hpp"

using namespace libmatch;
using testing_helpers::city;

namespace {

constexpr double kTolerance = 1e-6;

// a: a German city of 100,000 speaking German, into arts and education.
CityRecord seeker_city() {
  CityRecord a = city(1, "DE", 1e5, 0, 0);
  a.languages = {{"de", 1.0}};
  a.interests = {{"arts_culture", 1}, {"education", 1}};
  return a;
}

// b: a French city e times larger, 80% French and 20% German speakers.
CityRecord french_city() {
  CityRecord b = city(2, "FR", 1e5 * std::exp(1.0), 0, 90);
  b.languages = {{"fr", 0.8}, {"de", 0.2}};
  b.interests = {{"arts_culture", 3}};
  return b;
}

SeekingProfile wants_western_europe_and_french() {
  SeekingProfile p;
  p.city_id = 1;
  p.regions = {"Western Europe"};
  p.languages = {"fr"};
  return p;
}

double component(const Explanation& e, Component c) { return e.forward.value[static_cast<int>(c)]; }

}  // namespace

TEST(Scoring, ComponentsMatchHandComputedValues) {
  const CityTable pool = CityTable::from_records({seeker_city(), french_city()});
  const Seekers seekers(pool, {wants_western_europe_and_french()});
  ScoringConfig config;
  config.weights.distance = 1;  // on, near, scale 2000 km
  const Explanation e = Scorer(pool, seekers, config).explain(1, 2);

  const double population = std::exp(-0.5);                        // ln(pa/pb) = -1, sigma 1
  const double overlap = 1.0 * 0.2;                                // both speak German
  const double language = overlap + (1 - overlap) * 0.8;           // 80% speak wanted French
  const double interests = 1 / std::sqrt(2.0);                     // cosine of (1,1) and (3,0)
  const double distance = std::exp(-6371.0088 * M_PI / 2 / 2000);  // a quarter of the equator
  EXPECT_NEAR(component(e, Component::population), population, kTolerance);
  EXPECT_NEAR(component(e, Component::region), 1.0, kTolerance);
  EXPECT_NEAR(component(e, Component::language), language, kTolerance);
  EXPECT_NEAR(component(e, Component::interests), interests, kTolerance);
  EXPECT_NEAR(component(e, Component::distance), distance, kTolerance);
  EXPECT_NEAR(e.distance_km, 6371.0088 * M_PI / 2, 0.5);
  EXPECT_NEAR(e.score, (population + 1 + language + interests + distance) / 5, kTolerance);
  for (int c = 0; c < kComponentCount; ++c) {
    // Affinity and activity are off (weight 0) in a hand-made config.
    const bool on =
        c != static_cast<int>(Component::affinity) && c != static_cast<int>(Component::activity);
    EXPECT_EQ(e.forward.present[c], on);
    EXPECT_NEAR(e.forward.weight[c], on ? 0.2 : 0.0, kTolerance);
  }
  EXPECT_TRUE(e.passes);
  EXPECT_FALSE(e.reciprocal);
}

TEST(Scoring, RegionGivesContinentCreditAndIsNeutralWhenAnyWillDo) {
  const CityTable pool = CityTable::from_records(
      {seeker_city(), city(3, "PL", 1e5), city(4, "JP", 1e5), city(5, "AT", 1e5)});
  SeekingProfile p;
  p.city_id = 1;
  p.regions = {"Western Europe"};
  const Scorer scorer(pool, Seekers(pool, {p}));
  EXPECT_NEAR(component(scorer.explain(1, 5), Component::region), 1.0, kTolerance);
  EXPECT_NEAR(component(scorer.explain(1, 3), Component::region), 0.5, kTolerance);  // Europe
  EXPECT_NEAR(component(scorer.explain(1, 4), Component::region), 0.0, kTolerance);

  SeekingProfile by_country;
  by_country.city_id = 1;
  by_country.countries = {"JP"};
  const Scorer japan(pool, Seekers(pool, {by_country}));
  EXPECT_NEAR(component(japan.explain(1, 4), Component::region), 1.0, kTolerance);
  EXPECT_NEAR(component(japan.explain(1, 3), Component::region), 0.0, kTolerance);

  SeekingProfile any;
  any.city_id = 1;
  const Explanation e = Scorer(pool, Seekers(pool, {any})).explain(1, 3);
  EXPECT_FALSE(e.forward.present[static_cast<int>(Component::region)]);
}

TEST(Scoring, MissingDataIsLeftOutAndWeightsRenormalised) {
  CityRecord bare = city(6, "FR", 1e5);  // no languages, no interests
  const CityTable pool = CityTable::from_records({seeker_city(), bare});
  SeekingProfile p;
  p.city_id = 1;
  p.countries = {"FR"};
  ScoringConfig config;
  config.weights.population = 2;
  const Explanation e = Scorer(pool, Seekers(pool, {p}), config).explain(1, 6);
  EXPECT_FALSE(e.forward.present[static_cast<int>(Component::language)]);
  EXPECT_FALSE(e.forward.present[static_cast<int>(Component::interests)]);
  EXPECT_FALSE(e.forward.present[static_cast<int>(Component::distance)]);
  // population 1 (equal sizes) with weight 2, region 1 with weight 1.
  EXPECT_NEAR(e.forward.weight[0], 2.0 / 3, kTolerance);
  EXPECT_NEAR(e.forward.weight[1], 1.0 / 3, kTolerance);
  EXPECT_NEAR(e.score, 1.0, kTolerance);
  EXPECT_GE(e.notes.size(), 3u);
  EXPECT_NE(e.to_string().find("absent"), std::string::npos);
}

// README: the language component is present when b has language data and a
// has language data or wants some; a wanted language no pool city speaks is
// accepted but can never be met. So it still counts, as an unmet want (0),
// in a's own view and, when a is someone's candidate, in a's view of them.
TEST(Scoring, WantedLanguageNobodySpeaksStillCountsAsUnmet) {
  CityRecord mute = city(1, "DE", 1e5);  // no language data
  CityRecord speaker = city(2, "FR", 1e5);
  speaker.languages = {{"fr", 1.0}};
  const CityTable pool = CityTable::from_records({mute, speaker});
  SeekingProfile wants_klingon;
  wants_klingon.city_id = 1;
  wants_klingon.languages = {"tlh"};  // in no city's list
  SeekingProfile french;
  french.city_id = 2;
  const Seekers seekers(pool, {wants_klingon, french});
  const Scorer scorer(pool, seekers);
  const int language = static_cast<int>(Component::language);

  const Explanation forward = scorer.explain(1, 2);
  ASSERT_TRUE(forward.forward.present[language]);
  EXPECT_EQ(forward.forward.value[language], 0.0f);
  EXPECT_NEAR(forward.forward.weight[language], 0.5, kTolerance);  // with population
  EXPECT_NEAR(forward.forward.score, 0.5, kTolerance);             // (1 + 0) / 2
  // 2 seeks too: its view of 1 has no language (1 has no data), so it is 1.
  EXPECT_NEAR(forward.score, std::sqrt(0.5), kTolerance);
  const Explanation backward = scorer.explain(2, 1);
  ASSERT_TRUE(backward.backward.present[language]);
  EXPECT_NEAR(backward.backward.score, 0.5, kTolerance);
  EXPECT_EQ(backward.score, forward.score);

  const CandidateLists lists = scorer.candidates();
  ASSERT_EQ(lists.count(0), 1u);
  EXPECT_EQ(lists.begin(0)->score, forward.score);
  EXPECT_TRUE(lists.begin(0)->present & (1u << language));
  ASSERT_EQ(lists.count(1), 1u);
  EXPECT_EQ(lists.begin(1)->score, forward.score);
}

TEST(Scoring, HardFiltersRejectAndExplainSaysWhy) {
  const CityTable pool = CityTable::from_records(
      {seeker_city(), city(7, "DE", 1e5), city(8, "FR", 1e7), city(9, "FR", 1e5)});
  SeekingProfile p;
  p.city_id = 1;
  p.population_max = 1e6;
  p.exclude = {9};
  const Scorer scorer(pool, Seekers(pool, {p}));
  auto verdict = [](const Explanation& e, const std::string& name) {
    for (const auto& f : e.filters) {
      if (f.name == name && f.side == "a") return f.passed;
    }
    ADD_FAILURE() << "no filter " << name;
    return true;
  };
  EXPECT_FALSE(verdict(scorer.explain(1, 7), "same_country"));
  EXPECT_FALSE(verdict(scorer.explain(1, 8), "population_range"));
  EXPECT_FALSE(verdict(scorer.explain(1, 9), "excluded"));
  EXPECT_FALSE(verdict(scorer.explain(1, 1), "self"));
  CandidateOptions options;
  options.k = 5;
  EXPECT_EQ(scorer.candidates(options).count(0), 0u);

  SeekingProfile open = p;
  open.same_country = true;
  open.exclude.clear();
  const CandidateLists lists = Scorer(pool, Seekers(pool, {open})).candidates(options);
  ASSERT_EQ(lists.count(0), 2u);  // 7 (same country now allowed) and 9; 8 is too big
  EXPECT_TRUE(verdict(Scorer(pool, Seekers(pool, {open})).explain(1, 7), "same_country"));
}

TEST(Scoring, SoftRangeScalesPopulationInsteadOfFiltering) {
  const CityTable pool = CityTable::from_records({seeker_city(), city(8, "FR", 1e6)});
  SeekingProfile p;
  p.city_id = 1;
  p.population_max = 2e5;
  ScoringConfig config;
  config.population_range = RangeMode::soft;
  const Explanation e = Scorer(pool, Seekers(pool, {p}), config).explain(1, 8);
  const double similarity = std::exp(-std::pow(std::log(10.0), 2) / 2);
  const double scale = std::exp(-std::pow(std::log(5.0), 2) / 2);  // 1e6 is 5x over the max
  EXPECT_TRUE(e.passes);
  EXPECT_NEAR(component(e, Component::population), similarity * scale, kTolerance);
}

TEST(Scoring, ReciprocalPairsCombineBothDirections) {
  CityRecord b = french_city();
  const CityTable pool = CityTable::from_records({seeker_city(), b});
  SeekingProfile pb;
  pb.city_id = 2;
  pb.regions = {"Asia"};  // a (in Germany) is not what b wants: region 0 from b's side
  ScoringConfig config;
  const Seekers seekers(pool, {wants_western_europe_and_french(), pb});
  for (Reciprocity mode : {Reciprocity::geometric_mean, Reciprocity::arithmetic_mean,
                           Reciprocity::minimum, Reciprocity::seeker_only}) {
    config.reciprocity = mode;
    const Explanation e = Scorer(pool, seekers, config).explain(1, 2);
    const double f = e.forward.score, r = e.backward.score;
    EXPECT_NEAR(e.backward.value[static_cast<int>(Component::region)], 0.0, kTolerance);
    EXPECT_LT(r, f);
    const double expected = mode == Reciprocity::geometric_mean    ? std::sqrt(f * r)
                            : mode == Reciprocity::arithmetic_mean ? (f + r) / 2
                            : mode == Reciprocity::minimum         ? std::min(f, r)
                                                                   : f;
    EXPECT_NEAR(e.score, expected, kTolerance);
    EXPECT_EQ(e.reciprocal, mode != Reciprocity::seeker_only);
  }
}

// A pair's score must not depend on which of the two asks: each view is
// the same number whether it is the seeker's own or the candidate's, to the
// bit, so the two top-k lists of a pair agree and its edge has one weight.
TEST(Scoring, ReciprocalScoreIsTheSameFromEitherSide) {
  const auto data = reference::random_pool(120, 120, 17);
  const CityTable pool = CityTable::from_records(data.cities);
  const Seekers seekers(pool, data.profiles);
  for (RangeMode range : {RangeMode::hard, RangeMode::soft}) {
    for (Reciprocity mode :
         {Reciprocity::geometric_mean, Reciprocity::arithmetic_mean, Reciprocity::minimum}) {
      ScoringConfig config;
      config.weights.distance = 0.7;
      config.population_range = range;
      config.reciprocity = mode;
      const Scorer scorer(pool, seekers, config);
      for (std::size_t i = 0; i < data.profiles.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          const std::int64_t a = data.profiles[i].city_id, b = data.profiles[j].city_id;
          const Explanation ab = scorer.explain(a, b), ba = scorer.explain(b, a);
          ASSERT_EQ(ab.forward.score, ba.backward.score) << a << " " << b;
          ASSERT_EQ(ab.backward.score, ba.forward.score) << a << " " << b;
          ASSERT_EQ(ab.score, ba.score) << a << " " << b;
        }
      }
    }
  }
}

TEST(Scoring, DistanceCanPreferFarPartners) {
  const CityTable pool = CityTable::from_records({seeker_city(), french_city()});
  ScoringConfig config;
  config.weights = {0, 0, 0, 0, 1};
  config.distance_preference = DistancePreference::far;
  const Explanation e = Scorer(pool, Seekers(pool, {}), config).explain(1, 2);
  EXPECT_NEAR(e.score, 1 - std::exp(-6371.0088 * M_PI / 2 / 2000), kTolerance);
}

// explain() reports the great-circle distance whether or not it counts,
// to the metre for near cities (haversine: 25.181014577 km).
TEST(Scoring, ExplainReportsDistanceAccurately) {
  const CityTable pool = CityTable::from_records(
      {city(1, "IR", 29774, 35.75936, 51.37601), city(2, "IR", 18146, 35.82159, 51.64444)});
  for (double weight : {0.0, 1.0}) {
    ScoringConfig config;
    config.weights.distance = weight;
    const Scorer scorer(pool, Seekers(pool, {}), config);
    EXPECT_NEAR(scorer.explain(1, 2).distance_km, 25.181014577, 1e-3) << weight;
    EXPECT_EQ(scorer.explain(1, 1).distance_km, 0.0) << weight;
  }
}

// Near antipodes the chord is close to 2, where asin(chord / 2) magnifies
// the rounding of the float unit vectors (several km at 20,000 km): the
// distance, which decides a `far` ranking, must stay as accurate there as
// elsewhere, in candidates() and explain() alike.
TEST(Scoring, DistanceIsAccurateNearAntipodes) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> unit(-1, 1);
  std::vector<CityRecord> records;
  for (int i = 0; i < 300; ++i) {
    const double lat = 80 * unit(rng), lon = 179 * unit(rng);
    const double far_lon = lon > 0 ? lon - 180 : lon + 180;
    records.push_back(city(2 * i, "FR", 1e5, lat, lon));
    records.push_back(city(2 * i + 1, "NZ", 1e5, -lat + 0.05 * unit(rng),
                           std::clamp(far_lon + 0.05 * unit(rng), -180.0, 180.0)));
  }
  const CityTable pool = CityTable::from_records(records);
  auto exact_km = [&](std::size_t x, std::size_t y) {
    auto at = [&](std::size_t r) {
      const double lat = records[r].latitude * M_PI / 180, lon = records[r].longitude * M_PI / 180;
      return std::array<double, 3>{std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon),
                                   std::sin(lat)};
    };
    double difference = 0, sum = 0;
    for (int k = 0; k < 3; ++k) {
      difference += (at(x)[k] - at(y)[k]) * (at(x)[k] - at(y)[k]);
      sum += (at(x)[k] + at(y)[k]) * (at(x)[k] + at(y)[k]);
    }
    return 2 * std::atan2(std::sqrt(difference), std::sqrt(sum)) * 6371.0088;
  };
  for (double weight : {0.0, 1.0}) {
    ScoringConfig config;
    config.weights.distance = weight;
    config.distance_preference = DistancePreference::far;
    config.distance_scale_km = 20000;
    const Scorer scorer(pool, Seekers(pool, {}), config);
    double worst_km = 0, worst_value = 0;
    for (std::size_t i = 0; i < records.size(); i += 2) {
      const Explanation e = scorer.explain(records[i].id, records[i + 1].id);
      const double d = exact_km(i, i + 1);
      worst_km = std::max(worst_km, std::abs(e.distance_km - d));
      if (weight > 0) {
        const double value = 1 - std::exp(-d / 20000);
        worst_value = std::max(worst_value, std::abs(e.forward.value[4] - value));
      }
    }
    EXPECT_LT(worst_km, 0.05) << "weight " << weight;
    EXPECT_LT(worst_value, 1e-6) << "weight " << weight;
  }
}

TEST(Scoring, ConfigurationIsValidated) {
  ScoringConfig config;
  config.weights.region = -1;
  config.population_sigma = 0;
  config.continent_credit = 2;
  try {
    config.validate();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems().size(), 3u);
  }
  const CityTable pool = CityTable::from_records({seeker_city()});
  EXPECT_THROW(Scorer(pool, Seekers(pool, {}), config), InputError);
  EXPECT_THROW(Scorer(pool, Seekers(pool, {})).explain(1, 404), InputError);
  ScoringConfig zero;
  zero.weights = {0, 0, 0, 0, 0};
  EXPECT_THROW(zero.validate(), InputError);
  // The kernel scales by 1 / (2 sigma^2) and 1 / scale in float.
  ScoringConfig tiny;
  tiny.population_sigma = 1e-30;
  tiny.distance_scale_km = 1e-40;
  try {
    tiny.validate();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems().size(), 2u);
  }
}

// Only the weights' ratios count, even beyond float's range.
TEST(Scoring, WeightsCountByRatioOnly) {
  const auto data = reference::random_pool(200, 40, 8);
  const CityTable pool = CityTable::from_records(data.cities);
  const Seekers seekers(pool, data.profiles);
  auto scaled = [&](double factor) {
    ScoringConfig config;
    config.weights = {1 * factor, 0.5 * factor, 2 * factor, 0.25 * factor, 1.5 * factor};
    CandidateOptions options;
    options.k = 5;
    return Scorer(pool, seekers, config).candidates(options);
  };
  const CandidateLists plain = scaled(1);
  for (double factor : {1e-40, 1e-3, 1e39, 1e300}) {
    const CandidateLists other = scaled(factor);
    ASSERT_EQ(other.all().size(), plain.all().size()) << factor;
    for (std::size_t i = 0; i < plain.all().size(); ++i) {
      ASSERT_EQ(other.all()[i].id, plain.all()[i].id) << factor;
      ASSERT_EQ(other.all()[i].score, plain.all()[i].score) << factor;
    }
  }
}

namespace {
// A locale such as de_DE's: '.' groups thousands, ',' marks decimals.
struct GroupingPunctuation : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

// Sets the global C++ locale for a scope: applications do this for their UI.
class GlobalLocale {
 public:
  explicit GlobalLocale(const std::locale& l) : old_(std::locale::global(l)) {}
  ~GlobalLocale() { std::locale::global(old_); }

 private:
  std::locale old_;
};
}  // namespace

TEST(Scoring, ReportsAndMessagesIgnoreTheGlobalLocale) {
  // Before, an application's locale turned id 1234567 into "1.234.567"
  // and scores into "0,4321" in explain() reports and InputError messages.
  const GlobalLocale german(std::locale(std::locale::classic(), new GroupingPunctuation));
  CityRecord a = seeker_city(), b = french_city();
  a.id = 1234567;
  b.id = 7654321;
  const CityTable pool = CityTable::from_records({a, b});
  SeekingProfile p;
  p.city_id = a.id;
  const std::string report = Scorer(pool, Seekers(pool, {p})).explain(a.id, b.id).to_string();
  EXPECT_NE(report.find("explain 1234567 -> 7654321: score 0."), std::string::npos) << report;
  EXPECT_NE(report.find("distance 10007.6 km"), std::string::npos) << report;
  // The words for people group thousands as English does ("10,008 km
  // apart"), on purpose; every number of the report proper reads back.
  const std::string numbers = report.substr(0, report.find("  why: "));
  EXPECT_FALSE(std::regex_search(numbers, std::regex("[0-9],[0-9]"))) << report;
  EXPECT_NE(report.find("why: 10,008 km apart"), std::string::npos) << report;

  std::vector<CityRecord> many(1001, a);  // 1,000 duplicate ids
  try {
    CityTable::from_records(many);
    FAIL() << "duplicate ids accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("1000 problems", 0), 0u) << e.what();
  }
}

// Speaker shares as people give them (bilingual people count in both
// languages, so they sum above 1): the chance that a resident of each city
// share a language, counted by language, at most 1.
TEST(Scoring, MultilingualSpeakerSharesGiveTheChanceOfACommonLanguage) {
  CityRecord aarhus{1, "Aarhus", "DK", "", 56.16, 10.21, 285000, {{"da", 0.95}, {"en", 0.8}}, {}};
  CityRecord bergen{2, "Bergen", "NO", "", 60.39, 5.32, 285000, {{"no", 0.95}, {"en", 0.8}}, {}};
  CityRecord mombasa{3, "Mombasa", "KE", "", -4.04, 39.67, 285000, {{"sw", 0.9}, {"en", 0.6}}, {}};
  CityRecord odense{4, "Odense", "DK", "", 55.4, 10.39, 285000, {{"da", 0.95}, {"en", 0.8}}, {}};
  CityRecord quebec{5, "Québec", "CA", "", 46.81, -71.21, 285000, {{"fr", 0.95}, {"en", 0.2}}, {}};
  const CityTable pool = CityTable::from_records({aarhus, bergen, mombasa, odense, quebec});
  SeekingProfile seeker;
  seeker.city_id = 1;
  seeker.same_country = true;
  const Seekers seekers(pool, {seeker});
  const Scorer scorer(pool, seekers, ScoringConfig{});
  EXPECT_NEAR(component(scorer.explain(1, 2), Component::language), 0.8 * 0.8, kTolerance);
  EXPECT_NEAR(component(scorer.explain(1, 3), Component::language), 0.8 * 0.6, kTolerance);
  // 0.95^2 + 0.8^2 = 1.5425 languages in common on average: surely one.
  EXPECT_NEAR(component(scorer.explain(1, 4), Component::language), 1.0, kTolerance);
  EXPECT_NEAR(component(scorer.explain(1, 5), Component::language), 0.8 * 0.2, kTolerance);
  // Shares that sum to 1 keep their meaning: each resident speaks one.
  CityRecord brussels{6, "Brussels", "BE", "", 50.85, 4.35, 1e6, {{"fr", 0.5}, {"nl", 0.5}}, {}};
  CityRecord antwerp{7, "Antwerp", "BE", "", 51.22, 4.4, 5e5, {{"fr", 0.5}, {"nl", 0.5}}, {}};
  const CityTable belgium = CityTable::from_records({brussels, antwerp});
  SeekingProfile b;
  b.city_id = 6;
  b.same_country = true;
  const Scorer both(belgium, Seekers(belgium, {b}), ScoringConfig{});
  EXPECT_NEAR(component(both.explain(6, 7), Component::language), 0.5, kTolerance);
}
