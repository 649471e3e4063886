// The components a learned configuration turns on: country affinity,
// activity from known partnerships, population fall-offs of other shapes,
// the inverse distance law and the geometric mean. Each against the
// independent reference and against brute force (pruning stays exact), and
// known partnerships, which are never proposed again.
#include <algorithm>
#include <cmath>
#include <set>

#include <gtest/gtest.h>
#include <libmatch/libmatch.hpp>

#include "reference_scorer.hpp"

using namespace libmatch;

namespace {

// Configurations as libmatch.fit makes them, and stranger ones that stress
// the bounds: every reciprocity, both range modes, each distance law.
ScoringConfig learned_config(int variant, const reference::RandomPool& data) {
  ScoringConfig config;
  config.country_pairs = reference::country_pairs(data);
  config.weights = {1.0, 0.8, 0.6, 0.9, 0.5, 1.2, 0.8};
  config.combination = variant % 3 == 1 ? Combination::arithmetic : Combination::geometric;
  config.population_shape = std::array{1.0, 1.5, 0.7, 2.0, 3.0, 1.0}[variant % 6];
  config.population_sigma = std::array{1.3, 0.9, 0.4, 1.0, 2.0, 0.05}[variant % 6];
  config.distance_preference = static_cast<DistancePreference>(variant % 3 == 0 ? 2 : variant % 2);
  config.distance_scale_km = variant == 4 ? 60 : 900;
  config.reciprocity = static_cast<Reciprocity>(variant % 4);
  config.population_range = variant % 2 ? RangeMode::soft : RangeMode::hard;
  config.geometric_floor = variant == 2 ? 0.2 : 0.01;
  config.affinity_prior = variant == 5 ? 0.1 : 2.0;
  config.activity_size_exponent = 0.36;
  config.activity_size_scale = 0.5;
  config.activity_half = variant == 3 ? 0.3 : 2.0;
  config.exclude_known_partners = variant != 4;
  if (variant == 3) config.weights = {0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0};  // affinity and activity
  if (variant == 5) config.weights.distance = 0;
  return config;
}

constexpr int kVariants = 6;

std::vector<std::pair<std::int64_t, float>> brute_force(const Scorer& scorer,
                                                        const reference::RandomPool& data,
                                                        std::int64_t seeker, std::size_t k) {
  std::vector<std::pair<std::int64_t, float>> all;
  for (const CityRecord& b : data.cities) {
    const Explanation e = scorer.explain(seeker, b.id);
    if (e.passes) all.emplace_back(b.id, e.score);
  }
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
    return x.second > y.second || (x.second == y.second && x.first < y.first);
  });
  if (all.size() > k) all.resize(k);
  return all;
}

}  // namespace

TEST(LearnedComponents, AgreeWithIndependentReference) {
  const auto data = reference::random_pool(300, 120, 41);
  ASSERT_GT(data.partnerships.size(), 100u);
  const CityTable pool = CityTable::from_records(data.cities, data.partnerships);
  const Seekers seekers(pool, data.profiles);
  for (int variant = 0; variant < kVariants; ++variant) {
    const ScoringConfig config = learned_config(variant, data);
    const Scorer scorer(pool, seekers, config);
    const reference::ReferenceScorer ref(data.cities, data.profiles, config, data.partnerships);
    std::size_t checked = 0, filtered_as_partners = 0;
    for (std::size_t a = 0; a < data.cities.size(); a += 2) {
      for (std::size_t b = 0; b < data.cities.size(); ++b) {
        const Explanation e = scorer.explain(data.cities[a].id, data.cities[b].id);
        const reference::PairScore r = ref.score(a, b);
        const std::string where = "pair " + std::to_string(a) + "," + std::to_string(b) +
                                  " variant " + std::to_string(variant);
        ASSERT_EQ(e.passes, r.passes) << where;
        ASSERT_NEAR(e.score, r.score, 2e-6) << where;
        for (int c = 0; c < kComponentCount; ++c) {
          ASSERT_EQ(e.forward.present[c], r.present[c]) << where << " component " << c;
          ASSERT_NEAR(e.forward.value[c], r.value[c], 1e-6) << where << " component " << c;
        }
        filtered_as_partners += std::any_of(e.filters.begin(), e.filters.end(), [](const auto& f) {
          return f.name == "known_partner" && !f.passed;
        });
        ++checked;
      }
    }
    EXPECT_GT(checked, 40000u);
    if (config.exclude_known_partners) {
      EXPECT_GT(filtered_as_partners, 50u);
    }
  }
}

TEST(LearnedComponents, PruningMatchesBruteForce) {
  const auto data = reference::random_pool(900, 70, 43);
  const CityTable pool = CityTable::from_records(data.cities, data.partnerships);
  const Seekers seekers(pool, data.profiles);
  for (int variant = 0; variant < kVariants; ++variant) {
    const Scorer scorer(pool, seekers, learned_config(variant, data));
    for (std::size_t k : {1, 4, 25}) {
      CandidateOptions options;
      options.k = k;
      options.threads = 2;
      const CandidateLists lists = scorer.candidates(options);
      for (std::size_t s = 0; s < data.profiles.size(); ++s) {
        const auto want = brute_force(scorer, data, data.profiles[s].city_id, k);
        ASSERT_EQ(lists.count(s), want.size()) << "variant " << variant << " k " << k;
        for (std::size_t i = 0; i < want.size(); ++i) {
          ASSERT_EQ(lists.begin(s)[i].id, want[i].first) << "variant " << variant << " k " << k;
          ASSERT_EQ(lists.begin(s)[i].score, want[i].second) << "variant " << variant;
        }
      }
    }
  }
}

TEST(LearnedComponents, KnownPartnersAreNeverProposed) {
  const auto data = reference::random_pool(400, 400, 45);
  const CityTable pool = CityTable::from_records(data.cities, data.partnerships);
  const Seekers seekers(pool, data.profiles);
  std::set<std::pair<std::int64_t, std::int64_t>> known;
  for (const Partnership& p : data.partnerships) {
    known.emplace(p.a, p.b);
    known.emplace(p.b, p.a);
  }
  for (bool exclude : {true, false}) {
    ScoringConfig config;
    config.exclude_known_partners = exclude;
    config.weights.activity = 1;
    CandidateOptions options;
    options.k = 60;
    const CandidateLists lists = Scorer(pool, seekers, config).candidates(options);
    std::size_t proposed = 0;
    for (std::size_t s = 0; s < lists.seeker_count(); ++s) {
      for (const Candidate* c = lists.begin(s); c != lists.end(s); ++c) {
        proposed += known.count({lists.seeker_id(s), c->id});
      }
    }
    if (exclude) {
      EXPECT_EQ(proposed, 0u);
    } else {
      EXPECT_GT(proposed, 0u);
    }
  }
  // explain() says why, with the names.
  const Partnership p = data.partnerships.front();
  const Explanation e = Scorer(pool, seekers).explain(p.a, p.b);
  EXPECT_FALSE(e.passes);
  const auto filter = std::find_if(e.filters.begin(), e.filters.end(), [](const FilterVerdict& f) {
    return f.name == "known_partner";
  });
  ASSERT_NE(filter, e.filters.end());
  EXPECT_NE(filter->detail.find("are partners already"), std::string::npos) << filter->detail;
  EXPECT_NE(e.to_string().find("known_partner (a): FAIL"), std::string::npos) << e.to_string();
}

TEST(LearnedComponents, ExplainSaysWhyInWords) {
  std::vector<CityRecord> cities = {
      {1, "Lyon", "FR", "", 45.76, 4.84, 522'000, {{"fr", 0.9}}, {}},
      {2, "Birmingham", "GB", "", 52.48, -1.90, 1'140'000, {{"en", 0.98}}, {}},
      {3, "Frankfurt", "DE", "", 50.11, 8.68, 750'000, {{"de", 0.95}}, {}},
      {4, "Leipzig", "DE", "", 51.34, 12.37, 600'000, {{"de", 0.95}}, {}}};
  const CityTable pool = CityTable::from_records(cities, {{1, 2}, {1, 3}, {1, 4}, {2, 3}});
  ScoringConfig config;
  config.combination = Combination::geometric;
  config.weights.affinity = 1;
  config.weights.activity = 1;
  config.country_pairs = {
      {"DE", "FR", 1183}, {"FR", "GB", 400}, {"DE", "GB", 500}, {"DE", "PL", 900}};
  const Scorer scorer(pool, Seekers(pool, {}), config);
  const Explanation e = scorer.explain(3, 1);
  ASSERT_EQ(e.reasons.size(), 3u);
  EXPECT_EQ(e.reasons[0].rfind("DE \u2192 FR: 1,183 known partnerships, ", 0), 0u) << e.reasons[0];
  EXPECT_NE(e.reasons[0].find(" \u00d7 what chance gives"), std::string::npos);
  EXPECT_EQ(e.reasons[1], std::to_string(std::lround(e.distance_km)) + " km apart");
  EXPECT_EQ(e.reasons[2].rfind("Lyon has 3 known partners", 0), 0u) << e.reasons[2];
  EXPECT_NE(e.to_string().find("why: Lyon has 3 known partners"), std::string::npos);
  // DE and FR partner far above chance, which the affinity says.
  const float affinity = e.forward.value[static_cast<int>(Component::affinity)];
  EXPECT_GT(affinity, 0.5f);
  // No partnerships given: activity from size alone, in those words.
  const CityTable bare = CityTable::from_records(cities);
  const Explanation sized = Scorer(bare, Seekers(bare, {}), config).explain(3, 1);
  EXPECT_EQ(sized.reasons[2].rfind("Lyon's size suggests about ", 0), 0u) << sized.reasons[2];
}

TEST(LearnedComponents, PartnershipsAreValidatedAllAtOnce) {
  std::vector<CityRecord> cities = {{1, "A", "FR", "", 0, 0, 1000, {}, {}},
                                    {2, "B", "DE", "", 0, 0, 1000, {}, {}}};
  try {
    CityTable::from_records(cities, {{1, 2}, {2, 1}, {1, 9}, {2, 2}});
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    ASSERT_EQ(error.problems().size(), 3u) << error.what();
    EXPECT_EQ(error.problems()[0].record, "partnership 1");
    EXPECT_NE(error.problems()[0].reason.find("listed twice"), std::string::npos);
    EXPECT_EQ(error.problems()[1].field, "b");
    EXPECT_EQ(error.problems()[1].reason, "not a city of the table");
    EXPECT_EQ(error.problems()[2].reason, "a city cannot partner itself");
  }
  const CityTable table = CityTable::from_records(cities, {{2, 1}});
  EXPECT_TRUE(table.has_partnerships());
  EXPECT_EQ(table.partner_count(0), 1u);
  EXPECT_TRUE(table.are_partners(0, 1));
}

TEST(LearnedComponents, ConfigReadsBackFromJsonBitForBit) {
  const auto data = reference::random_pool(200, 50, 47);
  for (int variant = 0; variant < kVariants; ++variant) {
    const ScoringConfig config = learned_config(variant, data);
    const std::string json = config.to_json();
    const ScoringConfig back = ScoringConfig::from_json(json);
    EXPECT_EQ(back.to_json(), json);
    const CityTable pool = CityTable::from_records(data.cities, data.partnerships);
    const Seekers seekers(pool, data.profiles);
    const CandidateLists x = Scorer(pool, seekers, config).candidates();
    const CandidateLists y = Scorer(pool, seekers, back).candidates();
    ASSERT_EQ(x.all().size(), y.all().size());
    for (std::size_t i = 0; i < x.all().size(); ++i) {
      EXPECT_EQ(x.all()[i].id, y.all()[i].id);
      EXPECT_EQ(x.all()[i].score, y.all()[i].score);
    }
  }
  ScoringConfig odd;
  odd.population_sigma = 0.1 + 0.2;  // no short decimal form
  EXPECT_EQ(ScoringConfig::from_json(odd.to_json()).population_sigma, odd.population_sigma);
}

TEST(LearnedComponents, BadConfigJsonListsEveryProblem) {
  try {
    ScoringConfig::from_json(R"({"weights": {"population": "x", "charm": 1},
      "combination": "median", "population_shape": 20, "colour": "red",
      "country_pairs": [["DE", "ZZ", 3], ["FR"]]})");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    std::set<std::string> fields;
    for (const Problem& p : error.problems()) fields.insert(p.field);
    for (const char* field :
         {"weights.population", "weights.charm", "combination", "colour", "country_pairs.1"}) {
      EXPECT_TRUE(fields.count(field)) << field << "\n" << error.what();
    }
  }
  try {
    ScoringConfig::from_json(R"({"population_shape": 20, "country_pairs": [["DE", "ZZ", 3]]})");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    std::set<std::string> fields;
    for (const Problem& p : error.problems()) fields.insert(p.field);
    EXPECT_TRUE(fields.count("population_shape")) << error.what();
    EXPECT_TRUE(fields.count("country_pairs.0.b")) << error.what();
  }
  EXPECT_THROW(ScoringConfig::from_json("{not json"), InputError);
}
