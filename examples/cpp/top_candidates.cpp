// top_candidates: the best partner candidates for a few cities seeking
// sister cities, out of a small built-in pool of real cities.
//
//   top_candidates [k [config.json]]
//
// k = candidates per seeker (default 5); config.json = a scoring
// configuration ("libmatch.scoring/1", e.g. the learned one shipped as
// bindings/libmatch/data/learned_config.json), default the hand-made one.
//
// The pool figures are approximate (city proper, rounded) and only meant to
// make the ranking look plausible; real use would load them from a data set.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <libmatch/libmatch.hpp>

namespace {

using libmatch::CityRecord;
using libmatch::SeekingProfile;

// id: the GeoNames id, so results can be joined back to other data; any
// unique int64 will do. Region is left empty: libmatch derives it from the
// country, which keeps the two from disagreeing.
std::vector<CityRecord> sample_pool() {
  return {
      // id       name             cc    region  lat      lon       population
      {1857910,
       "Kyoto",
       "JP",
       "",
       35.01,
       135.77,
       1'460'000,
       {{"ja", 0.98}},
       {{"heritage", 1.0}, {"arts_culture", 0.9}, {"tourism", 0.7}, {"faith", 0.4}}},
      {1853909,
       "Osaka",
       "JP",
       "",
       34.69,
       135.50,
       2'750'000,
       {{"ja", 0.97}},
       {{"business_trade", 1.0}, {"technology", 0.6}, {"tourism", 0.5}}},
      {1835329,
       "Daegu",
       "KR",
       "",
       35.87,
       128.60,
       2'380'000,
       {{"ko", 0.99}},
       {{"technology", 0.8}, {"health", 0.8}, {"business_trade", 0.6}}},
      {1153671,
       "Chiang Mai",
       "TH",
       "",
       18.79,
       98.98,
       130'000,
       {{"th", 0.95}},
       {{"heritage", 0.9}, {"tourism", 0.9}, {"agriculture", 0.5}, {"faith", 0.5}}},
      {1580240,
       "Hue",
       "VN",
       "",
       16.46,
       107.59,
       450'000,
       {{"vi", 0.99}},
       {{"heritage", 1.0}, {"tourism", 0.8}, {"faith", 0.4}}},
      {1717512,
       "Cebu City",
       "PH",
       "",
       10.32,
       123.89,
       960'000,
       {{"ceb", 0.85}, {"en", 0.10}},
       {{"business_trade", 0.8}, {"tourism", 0.8}, {"faith", 0.5}}},
      {1259229,
       "Pune",
       "IN",
       "",
       18.52,
       73.86,
       3'120'000,
       {{"mr", 0.55}, {"hi", 0.25}, {"en", 0.10}},
       {{"education", 1.0}, {"technology", 0.9}, {"business_trade", 0.5}}},
      {1262180,
       "Nagpur",
       "IN",
       "",
       21.15,
       79.09,
       2'410'000,
       {{"mr", 0.45}, {"hi", 0.35}, {"en", 0.10}},
       {{"agriculture", 0.8}, {"business_trade", 0.6}, {"education", 0.5}}},
      {111822,
       "Yazd",
       "IR",
       "",
       31.90,
       54.37,
       530'000,
       {{"fa", 0.98}},
       {{"heritage", 1.0}, {"faith", 0.6}, {"tourism", 0.6}}},
      {311046,
       "Izmir",
       "TR",
       "",
       38.42,
       27.14,
       2'970'000,
       {{"tr", 0.93}, {"ku", 0.04}},
       {{"business_trade", 0.9}, {"tourism", 0.6}, {"heritage", 0.5}}},
      {611717,
       "Tbilisi",
       "GE",
       "",
       41.72,
       44.79,
       1'200'000,
       {{"ka", 0.90}, {"ru", 0.05}},
       {{"tourism", 0.8}, {"arts_culture", 0.7}, {"economic_development", 0.6}}},

      {2996944,
       "Lyon",
       "FR",
       "",
       45.76,
       4.84,
       522'000,
       {{"fr", 0.93}, {"ar", 0.03}},
       {{"arts_culture", 0.8}, {"health", 0.7}, {"business_trade", 0.6}, {"heritage", 0.5}}},
      {2735943,
       "Porto",
       "PT",
       "",
       41.15,
       -8.61,
       232'000,
       {{"pt", 0.97}},
       {{"tourism", 0.9}, {"heritage", 0.8}, {"arts_culture", 0.6}}},
      {3161732,
       "Bergen",
       "NO",
       "",
       60.39,
       5.32,
       285'000,
       {{"no", 0.92}},
       {{"environment", 0.9}, {"tourism", 0.7}, {"arts_culture", 0.6}}},
      {3094802,
       "Kraków",
       "PL",
       "",
       50.06,
       19.94,
       800'000,
       {{"pl", 0.97}},
       {{"heritage", 1.0}, {"education", 0.8}, {"tourism", 0.8}, {"arts_culture", 0.6}}},
      {2650225,
       "Edinburgh",
       "GB",
       "",
       55.95,
       -3.19,
       525'000,
       {{"en", 0.93}},
       {{"arts_culture", 1.0}, {"education", 0.8}, {"tourism", 0.8}, {"heritage", 0.7}}},
      {2778067,
       "Graz",
       "AT",
       "",
       47.07,
       15.44,
       290'000,
       {{"de", 0.88}},
       {{"technology", 0.8}, {"education", 0.8}, {"environment", 0.6}}},
      {2766824,
       "Salzburg",
       "AT",
       "",
       47.81,
       13.05,
       155'000,
       {{"de", 0.85}},
       {{"arts_culture", 1.0}, {"tourism", 0.9}, {"heritage", 0.7}}},
      {588335,
       "Tartu",
       "EE",
       "",
       58.38,
       26.72,
       97'000,
       {{"et", 0.80}, {"ru", 0.15}},
       {{"education", 1.0}, {"technology", 0.8}, {"youth_exchange", 0.6}}},
      {2624652,
       "Aarhus",
       "DK",
       "",
       56.16,
       10.20,
       290'000,
       {{"da", 0.92}},
       {{"education", 0.9}, {"arts_culture", 0.7}, {"environment", 0.6}}},
      {2692969,
       "Malmö",
       "SE",
       "",
       55.61,
       13.00,
       360'000,
       {{"sv", 0.75}, {"ar", 0.08}},
       {{"environment", 0.9}, {"technology", 0.6}, {"youth_exchange", 0.6}}},
      {2965140,
       "Cork",
       "IE",
       "",
       51.90,
       -8.47,
       225'000,
       {{"en", 0.95}, {"ga", 0.02}},
       {{"business_trade", 0.7}, {"technology", 0.7}, {"arts_culture", 0.5}}},

      {186301,
       "Mombasa",
       "KE",
       "",
       -4.04,
       39.67,
       1'210'000,
       {{"sw", 0.60}, {"en", 0.25}},
       {{"tourism", 0.9}, {"business_trade", 0.8}, {"heritage", 0.5}}},
      {161325,
       "Arusha",
       "TZ",
       "",
       -3.37,
       36.68,
       420'000,
       {{"sw", 0.80}, {"en", 0.10}},
       {{"tourism", 0.9}, {"environment", 0.8}, {"agriculture", 0.6}}},
      {148730,
       "Zanzibar City",
       "TZ",
       "",
       -6.17,
       39.20,
       220'000,
       {{"sw", 0.95}},
       {{"heritage", 0.9}, {"tourism", 0.9}, {"faith", 0.4}}},
      {2306104,
       "Accra",
       "GH",
       "",
       5.60,
       -0.19,
       2'510'000,
       {{"ak", 0.45}, {"en", 0.30}},
       {{"business_trade", 0.9}, {"economic_development", 0.8}, {"arts_culture", 0.5}}},
      {2548885,
       "Fes",
       "MA",
       "",
       34.03,
       -5.00,
       1'160'000,
       {{"ar", 0.85}, {"fr", 0.10}},
       {{"heritage", 1.0}, {"faith", 0.7}, {"tourism", 0.6}, {"education", 0.5}}},
      {3352136,
       "Windhoek",
       "NA",
       "",
       -22.56,
       17.08,
       430'000,
       {{"ng", 0.35}, {"af", 0.20}, {"en", 0.10}},
       {{"economic_development", 0.9}, {"environment", 0.6}, {"municipal_governance", 0.5}}},

      {4930956,
       "Boston",
       "US",
       "",
       42.36,
       -71.06,
       675'000,
       {{"en", 0.65}, {"es", 0.15}},
       {{"education", 1.0}, {"technology", 0.9}, {"health", 0.8}}},
      {4221552,
       "Savannah",
       "US",
       "",
       32.08,
       -81.09,
       147'000,
       {{"en", 0.94}},
       {{"heritage", 0.9}, {"tourism", 0.8}, {"arts_culture", 0.6}}},
      {6325494,
       "Quebec City",
       "CA",
       "",
       46.81,
       -71.21,
       550'000,
       {{"fr", 0.95}, {"en", 0.02}},
       {{"heritage", 0.9}, {"tourism", 0.8}, {"arts_culture", 0.6}}},
      {4005539,
       "Guadalajara",
       "MX",
       "",
       20.67,
       -103.35,
       1'390'000,
       {{"es", 0.98}},
       {{"technology", 0.8}, {"business_trade", 0.8}, {"arts_culture", 0.6}}},
      {3998655,
       "León",
       "MX",
       "",
       21.12,
       -101.68,
       1'720'000,
       {{"es", 0.99}},
       {{"business_trade", 0.9}, {"economic_development", 0.6}, {"sports", 0.5}}},
      {6322752,
       "Curitiba",
       "BR",
       "",
       -25.43,
       -49.27,
       1'960'000,
       {{"pt", 0.98}},
       {{"environment", 1.0}, {"municipal_governance", 0.9}, {"education", 0.4}}},
      {3838583,
       "Rosario",
       "AR",
       "",
       -32.95,
       -60.65,
       1'280'000,
       {{"es", 0.98}},
       {{"sports", 0.9}, {"education", 0.6}, {"agriculture", 0.6}, {"arts_culture", 0.5}}},
      {3941584,
       "Cusco",
       "PE",
       "",
       -13.53,
       -71.97,
       430'000,
       {{"es", 0.60}, {"qu", 0.38}},
       {{"heritage", 1.0}, {"tourism", 1.0}, {"agriculture", 0.4}}},
      {3868626,
       "Valparaíso",
       "CL",
       "",
       -33.05,
       -71.62,
       300'000,
       {{"es", 0.98}},
       {{"heritage", 0.8}, {"arts_culture", 0.8}, {"tourism", 0.6}}},

      {2174003,
       "Brisbane",
       "AU",
       "",
       -27.47,
       153.03,
       2'600'000,
       {{"en", 0.80}, {"zh", 0.03}},
       {{"sports", 0.8}, {"education", 0.7}, {"business_trade", 0.7}}},
      {2192362,
       "Christchurch",
       "NZ",
       "",
       -43.53,
       172.64,
       390'000,
       {{"en", 0.92}, {"mi", 0.02}},
       {{"public_safety", 0.8}, {"environment", 0.7}, {"education", 0.6}}},
      {2198148,
       "Suva",
       "FJ",
       "",
       -18.14,
       178.44,
       93'000,
       {{"fj", 0.45}, {"hif", 0.30}, {"en", 0.20}},
       {{"environment", 1.0}, {"humanitarian_aid", 0.7}, {"education", 0.5}}},
  };
}

// Partnerships these cities have already signed, by GeoNames id: the pairs
// among them in libmatch.datasets.known_partnerships() (Wikidata, CC0).
// The table never proposes them again and counts them for activity.
std::vector<libmatch::Partnership> known_partnerships() {
  return {{186301, 3161732},  {611717, 3094802},  {1853909, 4005539}, {1857910, 2650225},
          {1857910, 3941584}, {1857910, 4005539}, {1857910, 4930956}, {2548885, 3094802},
          {2624652, 3161732}, {2650225, 3094802}, {3094802, 3941584}, {3094802, 4005539},
          {3838583, 3868626}};
}

// Seekers name their city by id; look it up by name so the profiles below
// read as prose. Throws on a typo rather than seeking for city 0.
std::int64_t id_of(const std::vector<CityRecord>& pool, std::string_view name) {
  for (const CityRecord& city : pool) {
    if (city.name == name) return city.id;
  }
  throw std::logic_error("no city named " + std::string(name) + " in the sample pool");
}

std::vector<SeekingProfile> sample_seekers(const std::vector<CityRecord>& pool) {
  std::vector<SeekingProfile> seekers;

  // A heritage city looking for European peers of comparable size. The
  // population range is a hard filter by default (ScoringConfig).
  SeekingProfile kyoto;
  kyoto.city_id = id_of(pool, "Kyoto");
  kyoto.regions = {"Western Europe", "Southern Europe"};
  kyoto.population_min = 200'000;
  kyoto.population_max = 2'000'000;
  kyoto.interests = {{"heritage", 1.0}, {"arts_culture", 0.8}, {"tourism", 0.5}};
  seekers.push_back(kyoto);

  // Two partners wanted, anywhere in Asia (a continent is a valid area).
  SeekingProfile boston;
  boston.city_id = id_of(pool, "Boston");
  boston.partners = 2;
  boston.regions = {"Asia"};
  boston.interests = {{"technology", 1.0}, {"education", 1.0}, {"health", 0.5}};
  seekers.push_back(boston);

  // Neighbours that share the language; no interests given, so Rosario's own
  // interests from the pool are used.
  SeekingProfile rosario;
  rosario.city_id = id_of(pool, "Rosario");
  rosario.regions = {"South America"};
  rosario.languages = {"es"};
  seekers.push_back(rosario);

  // Trading partners named by country rather than region.
  SeekingProfile mombasa;
  mombasa.city_id = id_of(pool, "Mombasa");
  mombasa.countries = {"IN", "TZ"};
  mombasa.interests = {{"business_trade", 1.0}, {"tourism", 0.6}};
  seekers.push_back(mombasa);

  // Kraków and Edinburgh are already partners (known_partnerships()): the
  // pool's known partnerships are never proposed again.
  SeekingProfile krakow;
  krakow.city_id = id_of(pool, "Kraków");
  krakow.regions = {"Europe"};
  seekers.push_back(krakow);

  // A small university town: any region, but cities of its own scale.
  SeekingProfile tartu;
  tartu.city_id = id_of(pool, "Tartu");
  tartu.population_min = 50'000;
  tartu.population_max = 500'000;
  tartu.interests = {{"education", 1.0}, {"youth_exchange", 0.8}, {"technology", 0.5}};
  seekers.push_back(tartu);

  // A working language in common matters more than where the partner is.
  SeekingProfile pune;
  pune.city_id = id_of(pool, "Pune");
  pune.languages = {"en"};
  pune.interests = {{"technology", 1.0}, {"education", 0.8}};
  seekers.push_back(pune);

  // Climate cooperation around the Pacific.
  SeekingProfile suva;
  suva.city_id = id_of(pool, "Suva");
  suva.regions = {"Oceania", "South-eastern Asia"};
  suva.interests = {{"environment", 1.0}, {"humanitarian_aid", 0.7}};
  seekers.push_back(suva);

  return seekers;
}

// printf pads by bytes, but names such as "Kraków" hold multi-byte UTF-8:
// pad by code points so the columns line up.
std::string padded(std::string_view text, std::size_t width) {
  const auto points = static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  }));
  std::string out(text);
  if (points < width) out.append(width - points, ' ');
  return out;
}

// "Western Europe, Southern Europe", "IN, TZ" or "any region".
std::string wanted_areas(const SeekingProfile& profile) {
  std::string out;
  for (const auto* list : {&profile.regions, &profile.countries}) {
    for (const std::string& area : *list) out += (out.empty() ? "" : ", ") + area;
  }
  return out.empty() ? "any region" : out;
}

void print_table(const libmatch::CityTable& pool, const libmatch::CandidateLists& lists,
                 std::size_t seeker) {
  std::printf("  %-4s %s %-3s %s %6s ", "rank", padded("city", 14).c_str(), "cc",
              padded("region", 25).c_str(), "score");
  for (int c = 0; c < libmatch::kComponentCount; ++c) {
    const std::string name(libmatch::component_name(static_cast<libmatch::Component>(c)));
    std::printf(" %10s", name.c_str());
  }
  std::printf("\n");

  int rank = 0;
  for (const libmatch::Candidate* it = lists.begin(seeker); it != lists.end(seeker); ++it) {
    const libmatch::Candidate& cand = *it;
    // When the candidate seeks too, its own wants count (reciprocity), so the
    // score is not just the mean of the components shown: mark it with "*".
    const bool mutual = cand.reciprocal;
    std::printf("  %4d %s %-3s %s %6.3f%s", ++rank, padded(pool.name(cand.row), 14).c_str(),
                std::string(pool.country_code(cand.row)).c_str(),
                padded(pool.region_name(cand.row), 25).c_str(), static_cast<double>(cand.score),
                mutual ? "*" : " ");
    // A component without data on both sides is left out of the score, which
    // is not the same as scoring 0: show it as "-".
    for (int c = 0; c < libmatch::kComponentCount; ++c) {
      if (cand.present & (1u << c)) {
        std::printf(" %10.3f", static_cast<double>(cand.components[c]));
      } else {
        std::printf(" %10s", "-");
      }
    }
    std::printf("\n");
  }
  if (rank == 0) std::printf("  (no candidate passes this seeker's filters)\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t k = 5;
  if (argc > 3) {
    std::fprintf(stderr, "usage: %s [k [config.json]]\n", argv[0]);
    return 2;
  }
  if (argc > 1) {
    char* end = nullptr;
    const long value = std::strtol(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || value < 1) {
      std::fprintf(stderr, "usage: %s [k [config.json]]   (k = candidates per seeker, >= 1)\n",
                   argv[0]);
      return 2;
    }
    k = static_cast<std::size_t>(value);
  }

  try {
    const std::vector<CityRecord> records = sample_pool();
    // Both constructors validate everything up front and report every
    // problem in one InputError, so scoring never meets a bad value.
    const libmatch::CityTable pool =
        libmatch::CityTable::from_records(records, known_partnerships());
    const libmatch::Seekers seekers(pool, sample_seekers(records));

    // A Scorer prepares the pool once; it serves both the top-k lists and
    // explain() below. libmatch::candidates(pool, seekers) is the one-shot
    // equivalent when no explanation is needed.
    const libmatch::ScoringConfig config =
        argc > 2 ? libmatch::ScoringConfig::load(argv[2]) : libmatch::ScoringConfig{};
    const libmatch::Scorer scorer(pool, seekers, config);
    libmatch::CandidateOptions options;
    options.k = k;
    const libmatch::CandidateLists lists = scorer.candidates(options);

    std::printf("libmatch %s: top %zu of %zu cities for %zu seekers\n", LIBMATCH_VERSION_STRING, k,
                pool.size(), seekers.size());
    std::printf(
        "components are the seeker's view; \"-\" = left out (no data or weight 0);\n"
        "* = the candidate seeks too, so the score also weighs its view\n");
    for (std::size_t s = 0; s < seekers.size(); ++s) {
      const SeekingProfile& profile = seekers.profile(s);
      const std::size_t row = seekers.row(s);
      // Wanted areas raise the region component; they do not filter.
      std::printf("\n%s (%s) seeks %d partner%s, prefers %s\n", pool.name(row).c_str(),
                  std::string(pool.country_code(row)).c_str(), profile.partners,
                  profile.partners == 1 ? "" : "s", wanted_areas(profile).c_str());
      print_table(pool, lists, s);

      // Why the best candidate came first, component by component.
      if (lists.count(s) > 0) {
        const libmatch::Explanation why = scorer.explain(profile.city_id, lists.begin(s)->id);
        std::printf("\n%s", why.to_string().c_str());
      }
    }
  } catch (const libmatch::InputError& error) {
    std::fprintf(stderr, "invalid input:\n%s\n", error.what());
    return 1;
  } catch (const std::runtime_error& error) {  // a config file that cannot be read
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  return 0;
}
