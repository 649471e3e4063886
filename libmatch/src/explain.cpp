#include <algorithm>
#include <cmath>
#include <iomanip>
#include <locale>
#include <sstream>

#include "libmatch/error.hpp"
#include "libmatch/geography.hpp"

#include "engine.hpp"
#include "validation.hpp"

namespace libmatch {
namespace detail {
namespace {

DirectionScore direction(const std::array<Lanes, kComponentCount>& value,
                         const std::array<Lanes, kComponentCount>& present, float score, int lane,
                         const std::array<float, kComponentCount>& weights) {
  DirectionScore d;
  float total = 0;
  for (int c = 0; c < kComponentCount; ++c) {
    d.value[c] = value[c][lane];
    d.present[c] = present[c][lane] > 0;
    if (d.present[c]) total += weights[c];
  }
  for (int c = 0; c < kComponentCount; ++c) {
    d.weight[c] = d.present[c] && total > 0 ? weights[c] / total : 0.0f;
  }
  d.score = score;
  return d;
}

// 1183 -> "1,183": numbers as a committee reads them, whatever the locale.
std::string grouped(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string fixed(double x, int digits) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << std::fixed << std::setprecision(digits) << x;
  return out.str();
}

}  // namespace

Explanation Engine::explain(std::int64_t a_id, std::int64_t b_id) const {
  ProblemList problems;
  auto find = [&](const char* field, std::int64_t id) -> std::uint32_t {
    const auto it = std::lower_bound(by_id_.begin(), by_id_.end(), std::make_pair(id, 0u));
    if (it == by_id_.end() || it->first != id) {
      problems.add("explain", static_cast<std::size_t>(-1), field, std::to_string(id),
                   "not a city of the pool");
      return 0;
    }
    return it->second;
  };
  const std::uint32_t a = find("a", a_id), b = find("b", b_id);
  problems.throw_if_any();

  const bool a_seeks = seeker_of_[a] >= 0, b_seeks = seeker_of_[b] >= 0;
  const Wants& mine = a_seeks ? wants_[seeker_of_[a]] : no_wants_;
  SeekerContext context;
  prepare_context(context, a, mine);
  ChunkScores scores;
  BackRegion back;
  prepare_back_region(back, context.country, b / kLanes, b / kLanes + 1);
  context.back = &back;
  (this->*details_)(context, b / kLanes, scores);
  const int lane = static_cast<int>(b % kLanes);
  const bool passes = scores.pass[lane] && allowed(context, b);

  Explanation e;
  e.a = a_id;
  e.b = b_id;
  e.forward = direction(scores.value, scores.present, scores.forward[lane], lane, weights_);
  e.reciprocal = b_seeks && config_.reciprocity != Reciprocity::seeker_only;
  if (b_seeks) {
    e.backward =
        direction(scores.back_value, scores.back_present, scores.backward[lane], lane, weights_);
  }
  e.score = scores.score[lane];

  // Distance is reported even when it does not count: from the chord and
  // the sum of the unit vectors, in double, which stays exact for near
  // cities where acos(dot) would not, and near antipodes where asin(chord)
  // would not.
  const Eigen::Vector3d unit_b(unit_[((b / kLanes) * 3 + 0) * kLanes + lane],
                               unit_[((b / kLanes) * 3 + 1) * kLanes + lane],
                               unit_[((b / kLanes) * 3 + 2) * kLanes + lane]);
  const Eigen::Vector3d unit_a = context.unit.cast<double>();
  e.distance_km =
      weights_[4] > 0
          ? scores.distance_km[lane]
          : 2 * std::atan2((unit_a - unit_b).norm(), (unit_a + unit_b).norm()) * kEarthRadiusKm;

  // Filters, in words; their conjunction is what the engine applied.
  const Wants* theirs = b_seeks ? &wants_[seeker_of_[b]] : nullptr;
  // One sovereign state, unless compare_sovereign_states is off.
  const bool same_country = state_[a] == state_[b];
  auto add = [&](std::string name, std::string side, bool passed, std::string detail) {
    e.filters.push_back({std::move(name), std::move(side), passed, std::move(detail)});
  };
  add("self", "a", a != b, a != b ? "different cities" : "a city cannot partner itself");
  // A territory and its state are one country, in words that say so.
  const std::string one_country = country_[a] == country_[b]
                                      ? std::string("same country")
                                      : "one sovereign state (" +
                                            std::string(country(country_[a]).code) + " and " +
                                            std::string(country(country_[b]).code) + ")";
  const auto same_country_words = [&](bool accepts, const char* side) {
    if (!same_country) return std::string("different countries");
    return one_country + ", which " + side + (accepts ? " accepts" : " does not accept");
  };
  add("same_country", "a", !same_country || mine.same_country,
      same_country_words(mine.same_country, "a"));
  const bool a_excludes = std::binary_search(mine.excluded.begin(), mine.excluded.end(), b);
  add("excluded", "a", !a_excludes, a_excludes ? "a excludes b" : "a does not exclude b");
  if (known_partners(a, b)) {
    add("known_partner", "a", !config_.exclude_known_partners,
        name_[a] + " and " + name_[b] + " are partners already" +
            (config_.exclude_known_partners ? " (a known partnership, never proposed again)"
                                            : " (proposed anyway: exclude_known_partners is off)"));
  }
  if (config_.population_range == RangeMode::hard) {
    const bool in = population_[b] >= mine.population_min && population_[b] <= mine.population_max;
    add("population_range", "a", in,
        (in ? "b's population is within a's range" : "b's population is outside a's range"));
  }
  if (theirs) {
    add("same_country", "b", !same_country || theirs->same_country,
        same_country_words(theirs->same_country, "b"));
    const bool b_excludes = std::binary_search(theirs->excluded.begin(), theirs->excluded.end(), a);
    add("excluded", "b", !b_excludes, b_excludes ? "b excludes a" : "b does not exclude a");
    if (config_.population_range == RangeMode::hard) {
      const bool in =
          population_[a] >= theirs->population_min && population_[a] <= theirs->population_max;
      add("population_range", "b", in,
          (in ? "a's population is within b's range" : "a's population is outside b's range"));
    }
  }
  e.passes = std::all_of(e.filters.begin(), e.filters.end(),
                         [](const FilterVerdict& f) { return f.passed; });
  if (e.passes != passes)
    throw std::logic_error("libmatch: explain() disagrees with the engine's filters");

  if (!a_seeks) e.notes.push_back("a does not seek: taken to want any partner");
  if (!e.forward.present[1]) e.notes.push_back("region left out: a wants any region");
  if (!e.forward.present[2]) {
    e.notes.push_back(has_languages_[b] == 0
                          ? "language left out: b has no language data"
                          : "language left out: a has no language data and wants none");
  }
  if (!e.forward.present[3]) {
    e.notes.push_back(has_interests_[b] == 0 ? "interests left out: b has no interests"
                                             : "interests left out: a has no interests");
  }
  if (!e.forward.present[4]) e.notes.push_back("distance left out: its weight is 0");
  if (b_seeks && !e.reciprocal)
    e.notes.push_back("b seeks too, but reciprocity is off (seeker_only)");

  // The learned components in words.
  const std::string code_a(country(country_[a]).code), code_b(country(country_[b]).code);
  if (weights_[5] > 0) {
    const std::size_t pair = static_cast<std::size_t>(country_[a]) * kMaxCountries +
                             static_cast<std::size_t>(country_[b]);
    const double n = pair_count_[pair], expected = pair_expected_[pair];
    std::string words = code_a + " \u2192 " + code_b + ": ";
    words +=
        n == 0 ? "no known partnerships"
               : grouped(std::llround(n)) + (n == 1 ? " known partnership" : " known partnerships");
    if (expected > 0) {
      words +=
          ", " + fixed(n / expected, 1) + " \u00d7 what chance gives (" + fixed(expected, 1) + ")";
    }
    e.reasons.push_back(std::move(words));
  }
  e.reasons.push_back(grouped(std::llround(e.distance_km)) + " km apart");
  if (weights_[6] > 0) {
    const auto partners = partner_begin_[b + 1] - partner_begin_[b];
    e.reasons.push_back(has_partnerships_
                            ? name_[b] + " has " + grouped(partners) +
                                  (partners == 1 ? " known partner" : " known partners") +
                                  " (readiness " + fixed(activity_[b], 2) + ")"
                            : name_[b] + "'s size suggests about " + fixed(activity_rate_[b], 1) +
                                  " partners (readiness " + fixed(activity_[b], 2) + ")");
  }
  return e;
}

}  // namespace detail

std::string Explanation::to_string() const {
  std::ostringstream out;
  out.imbue(std::locale::classic());  // ids and scores read back, whatever the global locale
  out << std::fixed << std::setprecision(4);
  out << "explain " << a << " -> " << b << ": score " << score << (passes ? "" : " (filtered out)")
      << "\n";
  auto table = [&](const char* title, const DirectionScore& d) {
    out << "  " << title << " score " << d.score << "\n";
    for (int c = 0; c < kComponentCount; ++c) {
      out << "    " << std::left << std::setw(11) << component_name(static_cast<Component>(c))
          << std::right;
      if (d.present[c]) {
        out << d.value[c] << "  weight " << d.weight[c] << "\n";
      } else {
        out << "absent\n";
      }
    }
  };
  table("a's view of b:", forward);
  if (reciprocal) table("b's view of a:", backward);
  for (const FilterVerdict& f : filters) {
    out << "  filter " << f.name << " (" << f.side << "): " << (f.passed ? "pass" : "FAIL") << ", "
        << f.detail << "\n";
  }
  out << "  distance " << std::setprecision(1) << distance_km << " km\n";
  for (const std::string& reason : reasons) out << "  why: " << reason << "\n";
  for (const std::string& note : notes) out << "  note: " << note << "\n";
  return out.str();
}

}  // namespace libmatch
