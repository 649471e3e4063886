// The scoring kernel and the bounds that prune it, compiled once per
// instruction set (LIBMATCH_KERNEL_ISA; see libmatch/CMakeLists.txt). Every
// definition here is local to this file or a template on the Isa, so the
// variants never share a symbol, and the library picks one at run time.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine.hpp"

namespace libmatch::detail {
namespace {

// asin on [0, 1] (Cephes asinf); Eigen 3.4 has no vectorised asin, and its
// select() is scalar, so the two ranges are blended by a 0/1 mask, which is
// exact: one term is always a zero. x is half the chord |u_a - u_b| / 2;
// sum2 = |u_a + u_b|^2 = 4 (1 - x^2) gives 1 - x without the cancellation
// that would cost kilometres near antipodes, where x is close to 1.
EIGEN_STRONG_INLINE Lanes asin_unit(const Lanes& x, const Lanes& sum2) {
  const Lanes big = ((x - 0.5f) * 1e30f).max(0.0f).min(1.0f);  // 1 where x > 0.5
  const Lanes small = 1.0f - big;
  const Lanes z = big * (0.125f * sum2 / (1.0f + x)) + small * (x * x);
  const Lanes s = big * z.sqrt() + small * x;
  const Lanes p =
      ((((4.2163199048e-2f * z + 2.4181311049e-2f) * z + 4.5470025998e-2f) * z + 7.4953002686e-2f) *
           z +
       1.6666752422e-1f) *
          z * s +
      s;
  return big * (static_cast<float>(M_PI_2) - 2.0f * p) + small * p;
}

// Great-circle distances from a's unit vector to a chunk's (kLanes x 3,
// column-major), from the chord between them, which keeps its precision for
// near cities where 1 - dot would cancel.
EIGEN_STRONG_INLINE Lanes great_circle_km(const float* chunk_unit, const Eigen::Vector3f& a_unit) {
  using UnitBlock = Eigen::Matrix<float, kLanes, 3>;
  const Eigen::Map<const UnitBlock> unit(chunk_unit);
  Lanes chord2 = Lanes::Zero(), sum2 = Lanes::Zero();
  for (int k = 0; k < 3; ++k) {
    chord2 += (unit.col(k).array() - a_unit[k]).square();
    sum2 += (unit.col(k).array() + a_unit[k]).square();
  }
  const Lanes half_chord = (chord2.sqrt() * 0.5f).min(1.0f);
  return 2.0f * asin_unit(half_chord, sum2) * static_cast<float>(kEarthRadiusKm);
}

// An upper bound of exp(-x) for x >= 0: exp(x) is at least its Taylor
// polynomial of degree 4.
template <typename T>
EIGEN_STRONG_INLINE T exp_upper(const T& x) {
  return 1.0f / (1.0f + x * (1.0f + x * (0.5f + x * (1.0f / 6 + x * (1.0f / 24)))));
}

// One optional component of a weighted mean, for kLanes chunks: its
// weight, an upper bound of its value, and the lowest and highest of its
// presence flag (0 or 1) over each chunk's lanes.
struct Optional {
  float weight;
  Lanes value, low, high;
};

// The largest weighted mean finish(numerator + sum of w v, denominator +
// sum of w) over the presence patterns that some lane of each chunk may
// have, kept (keep(mean, possible)) only where some lane has the pattern;
// the values are terms as the mean takes them.
template <std::size_t N, typename Finish, typename Keep>
EIGEN_STRONG_INLINE Lanes largest_mean(const Lanes& numerator, const Lanes& denominator,
                                       const std::array<Optional, N>& options, const Finish& finish,
                                       const Keep& keep) {
  Lanes best = keep(Lanes::Zero(), Lanes::Zero());
  for (unsigned mask = 0; mask < (1u << N); ++mask) {
    // Flags are 0 or 1: products and complements stay in vector registers.
    Lanes n = numerator, d = denominator, possible = Lanes::Ones();
    for (std::size_t i = 0; i < N; ++i) {
      if (mask & (1u << i)) {
        n += options[i].weight * options[i].value;
        d += options[i].weight;
        possible *= options[i].high;
      } else {
        possible *= 1.0f - options[i].low;
      }
    }
    best = best.max(keep(finish(n, d), possible));
  }
  return best;
}

}  // namespace

template <Isa I, bool kDetails>
void Engine::score_chunk(const SeekerContext& a, std::size_t chunk, ChunkScores& out) const {
  const std::size_t base = chunk * kLanes;
  const Wants& wants = *a.wants;
  using Doubles = Eigen::Array<double, kLanes, 1>;
  const Eigen::Map<const Doubles> log_population(log_population_.data() + base);
  const Eigen::Map<const Doubles> population(population_.data() + base);
  const bool soft = config_.population_range == RangeMode::soft;
  const bool any_seeker = chunk_has_seeker_[chunk] != 0;
  Components c;

  // Population: the similarity is symmetric; each side's range scales it in
  // soft mode or filters in hard mode. The gap is taken in double: logs of
  // large populations would lose digits in float.
  const Lanes gap = (log_population - a.log_population_double).cast<float>().abs();
  const Lanes similarity = (-falloff<I>(gap)).exp();
  c.population = c.back_population = similarity;
  if (soft) {
    const Lanes log_b = log_population.cast<float>();
    const Lanes outside = (wants.log_min - log_b).max(0.0f) + (log_b - wants.log_max).max(0.0f);
    c.population = similarity * (-falloff<I>(outside)).exp();
    if (any_seeker) {
      const Eigen::Map<const Lanes> back_log_min(back_log_min_.data() + base);
      const Eigen::Map<const Lanes> back_log_max(back_log_max_.data() + base);
      const Lanes back_outside =
          (back_log_min - a.log_population).max(0.0f) + (a.log_population - back_log_max).max(0.0f);
      c.back_population = similarity * (-falloff<I>(back_outside)).exp();
    }
  }

  // Region and affinity: look-ups of the candidate's country in the
  // seeker's tables. Activity: the candidate's own, and the seeker's for
  // the candidate's view. Their terms are looked up too.
  Components t;
  for (int lane = 0; lane < kLanes; ++lane) {
    const int country = country_[base + lane];
    c.region[lane] = a.region[country];
    t.region[lane] = a.region_term[country];
    c.affinity[lane] = a.affinity[country];
    t.affinity[lane] = a.affinity_term[country];
  }
  c.activity = Eigen::Map<const Lanes>(activity_.data() + base);
  t.activity = Eigen::Map<const Lanes>(activity_term_.data() + base);
  c.back_activity = Lanes::Constant(a.activity);
  t.back_activity = Lanes::Constant(a.activity_term);

  // Language: the chance that a resident of each city share a language,
  // counted as the languages they share on average (a sparse dot product
  // of speaker shares over the slots; exact when no two residents share
  // two, as for shares that sum to 1), at most 1. It is raised by the share
  // of the candidate's people who speak a wanted language.
  Lanes overlap = Lanes::Zero(), wanted_share = Lanes::Zero();
  for (std::uint32_t s = slot_begin_[chunk]; s < slot_begin_[chunk + 1]; ++s) {
    const std::int32_t* language = slot_language_.data() + s * kLanes;
    const float* share = slot_share_.data() + s * kLanes;
    for (int lane = 0; lane < kLanes; ++lane) {
      overlap[lane] += a.share[language[lane]] * share[lane];
      wanted_share[lane] += a.wanted[language[lane]] * share[lane];
    }
  }
  overlap = overlap.min(1.0f);
  wanted_share = wanted_share.min(1.0f);
  c.language = overlap + (1.0f - overlap) * wanted_share;

  c.cosine = cosine<I>(a, chunk);

  c.distance = Lanes::Zero();
  Lanes distance_km = Lanes::Zero();
  if (weights_[4] > 0) {
    distance_km = great_circle_km(unit_.data() + base * 3, a.unit);
    c.distance = distance_value<I>(distance_km * inv_distance_scale_);
  }

  // The candidate's own view, where it seeks: its wanted areas and
  // languages judged on a.
  c.back_region = c.back_language = t.back_region = t.back_language = Lanes::Zero();
  if (any_seeker) {
    const std::size_t back_offset = (chunk - a.back->first_chunk) * kLanes;
    c.back_region = Eigen::Map<const Lanes>(a.back->value.data() + back_offset);
    t.back_region = Eigen::Map<const Lanes>(a.back->term.data() + back_offset);
    Lanes back_share = Lanes::Zero();
    for (std::uint32_t s = want_slot_begin_[chunk]; s < want_slot_begin_[chunk + 1]; ++s) {
      const std::int32_t* wanted = want_slot_language_.data() + s * kLanes;
      for (int lane = 0; lane < kLanes; ++lane) back_share[lane] += a.share[wanted[lane]];
    }
    back_share = back_share.min(1.0f);
    c.back_language = overlap + (1.0f - overlap) * back_share;
    if (weights_[2] > 0) t.back_language = term<I>(c.back_language);
  }
  // The computed components' terms, for the weights that count.
  t.population = term<I>(c.population);
  t.back_population = soft && any_seeker ? term<I>(c.back_population) : t.population;
  if (weights_[2] > 0) t.language = term<I>(c.language);
  // Interests count only where the seeker has some: no log() otherwise.
  t.cosine = weights_[3] > 0 && a.has_interests ? term<I>(c.cosine) : Lanes::Zero();
  if (weights_[4] > 0) t.distance = term<I>(c.distance);
  out.score = score_of<I>(combine<I>(a, chunk, t, &c, kDetails ? &out : nullptr));

  // Vectorised hard filters: padding, same country, population ranges.
  const Eigen::Map<const Eigen::Array<std::int16_t, kLanes, 1>> state(state_.data() + base);
  const Eigen::Map<const Lanes> valid(valid_.data() + base);
  const Eigen::Map<const Lanes> back_same_country(back_same_country_.data() + base);
  const Lanes same = (state == static_cast<std::int16_t>(a.state)).cast<float>();
  const Lanes same_ok =
      (1.0f - same) + same * (wants.same_country ? 1.0f : 0.0f) * back_same_country;
  out.pass = valid * same_ok > 0.0f;
  if (!soft) {
    out.pass = out.pass && population >= wants.population_min && population <= wants.population_max;
    if (any_seeker) {
      const Eigen::Map<const Doubles> back_min(back_min_.data() + base);
      const Eigen::Map<const Doubles> back_max(back_max_.data() + base);
      out.pass = out.pass && back_min <= a.population && back_max >= a.population;
    }
  }
  if constexpr (kDetails) out.distance_km = distance_km;
}

template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::cosine(const SeekerContext& a, std::size_t chunk) const {
  // Cosine of unit vectors; only the seeker's non-zero interests add terms,
  // always in the same order, so every caller gets the same bits.
  const float* block = interests_.data() + chunk * kLanes * kInterestCount;
  Lanes dot = Lanes::Zero();
  for (int j = 0; j < a.interest_count; ++j) {
    dot += Eigen::Map<const Lanes>(block + a.interest_index[j] * kLanes) * a.interest_weight[j];
  }
  return dot.max(0.0f).min(1.0f);
}

template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::falloff(const Lanes& gap) const {
  if (gaussian_) return gap * gap * inv_two_sigma2_;
  if (laplace_) return gap * inv_sigma_;
  return ((gap * inv_sigma_).log() * shape_).exp() * inv_shape_;  // exp(-inf) = 0 at gap 0
}

template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::distance_value(const Lanes& scaled) const {
  switch (config_.distance_preference) {
    case DistancePreference::near:
      return scaled.exp();
    case DistancePreference::far:
      return 1.0f - scaled.exp();
    case DistancePreference::inverse:
      break;
  }
  return 1.0f / (1.0f - scaled);
}

template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::term(const Lanes& value) const {
  if (!geometric_) return value;
  return (floor_ + one_minus_floor_ * value).log();
}

template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::mean(const Lanes& numerator, const Lanes& denominator) const {
  // Where the denominator is 0, so is every term of the numerator: the
  // quotient is then 0 without a (scalar, in Eigen 3.4) select; exp(0) is
  // masked to 0 as well.
  const Lanes quotient = numerator / denominator.max(1e-30f);
  if (!geometric_) return quotient;
  return keep<I>(quotient, (denominator > 0.0f).template cast<float>());
}

template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::falloff_bound(const Lanes& gap) const {
  // A lower bound of falloff(): exact where it takes no pow, and below the
  // pow's rounding by a wide margin where it does.
  if (gaussian_ || laplace_) return falloff<I>(gap);
  return falloff<I>(gap) * (1.0f - 1e-4f);
}

// An upper bound of the distance component from lower and upper bounds of
// d / scale.
template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::distance_bound(const Lanes& low, const Lanes& high) const {
  switch (config_.distance_preference) {
    case DistancePreference::near:
      return exp_upper<Lanes>(low * (1.0f - kSlack)) + kSlack;
    case DistancePreference::far:
      return (high * static_cast<float>(M_PI_2)).min(1.0f) + kSlack;
    case DistancePreference::inverse:
      break;
  }
  return 1.0f / (1.0f + low * (1.0f - kSlack)) + kSlack;
}

template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::keep(const Lanes& x, const Lanes& flag) const {
  if (!geometric_) return x * flag;
  return x * flag + (flag - 1.0f) * -kLowestRank;  // exact: the flag is 0 or 1
}

template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::score_of(const Lanes& rank) const {
  if (!geometric_) return rank;
  return rank.exp();  // exp(kLowestRank) = 0
}

// Monotone in both views, so bounds in give a bound out.
template <Isa I>
EIGEN_STRONG_INLINE Lanes Engine::both_ways(const Lanes& forward, const Lanes& backward) const {
  switch (config_.reciprocity) {
    case Reciprocity::geometric_mean:
      if (geometric_) return 0.5f * (forward + backward);
      return (forward * backward).sqrt();
    case Reciprocity::arithmetic_mean:
      if (!geometric_) return 0.5f * (forward + backward);
      return (0.5f * (forward.exp() + backward.exp())).log().max(kLowestRank);
    case Reciprocity::minimum:
      return forward.min(backward);
    case Reciprocity::seeker_only:
      break;
  }
  return forward;
}

template <Isa I>
Lanes Engine::combine(const SeekerContext& a, std::size_t chunk, const Components& t,
                      const Components* values, ChunkScores* details) const {
  const std::size_t base = chunk * kLanes;
  const Wants& wants = *a.wants;
  const Eigen::Map<const Lanes> has_interests(has_interests_.data() + base);
  const Eigen::Map<const Lanes> has_languages(has_languages_.data() + base);
  const Eigen::Map<const Lanes> seeks(seeks_.data() + base);
  const Lanes region_present = Lanes::Constant(wants.any_region ? 0.0f : 1.0f);
  const Lanes language_present =
      has_languages * ((a.has_languages || !wants.languages.empty()) ? 1.0f : 0.0f);
  const Lanes interests_present = has_interests * (a.has_interests ? 1.0f : 0.0f);
  const Lanes always = Lanes::Ones();
  // Component c adds w_c * present * term to a mean's numerator and
  // w_c * present to its denominator; a component of weight 0 adds nothing.
  const auto add = [&](Lanes& numerator, Lanes& denominator, int component, const Lanes& present,
                       const Lanes& term) {
    if (weights_[component] == 0) return;
    const Lanes weight = weights_[component] * present;
    numerator += weight * term;
    denominator += weight;
  };

  // Weighted means over the components present, in a fixed order. Interests,
  // distance and affinity are the same both ways.
  Lanes shared_numerator = Lanes::Zero(), shared_denominator = Lanes::Zero();
  add(shared_numerator, shared_denominator, 3, interests_present, t.cosine);
  add(shared_numerator, shared_denominator, 4, always, t.distance);
  add(shared_numerator, shared_denominator, 5, always, t.affinity);
  Lanes numerator = shared_numerator, denominator = shared_denominator;
  add(numerator, denominator, 0, always, t.population);
  add(numerator, denominator, 1, region_present, t.region);
  add(numerator, denominator, 2, language_present, t.language);
  add(numerator, denominator, 6, always, t.activity);
  const Lanes forward = mean<I>(numerator, denominator);

  Lanes rank = forward, backward = Lanes::Zero(), back_region_present = Lanes::Zero();
  Lanes back_language_present = Lanes::Zero();
  if (chunk_has_seeker_[chunk] != 0) {
    back_region_present = Eigen::Map<const Lanes>(back_region_present_.data() + base);
    const Eigen::Map<const Lanes> wants_languages(back_wants_languages_.data() + base);
    back_language_present =
        (a.has_languages ? 1.0f : 0.0f) * (has_languages + wants_languages).min(1.0f) * seeks;
    Lanes back_numerator = shared_numerator, back_denominator = shared_denominator;
    add(back_numerator, back_denominator, 0, always, t.back_population);
    add(back_numerator, back_denominator, 1, back_region_present, t.back_region);
    add(back_numerator, back_denominator, 2, back_language_present, t.back_language);
    add(back_numerator, back_denominator, 6, always, t.back_activity);
    backward = mean<I>(back_numerator, back_denominator);
    // exact: seeks is 0 or 1, and ranks are finite
    rank = seeks * both_ways<I>(forward, backward) + (1.0f - seeks) * forward;
  }

  if (details) {
    const Components& c = *values;
    const auto on = [&](int component) {
      return Lanes::Constant(weights_[component] > 0 ? 1.0f : 0.0f);
    };
    details->forward = score_of<I>(forward);
    details->backward = score_of<I>(backward) * seeks;
    details->value = {c.population,
                      c.region * region_present,
                      c.language * language_present,
                      c.cosine * interests_present,
                      c.distance * on(4),
                      c.affinity * on(5),
                      c.activity * on(6)};
    details->present = {always, region_present, language_present, interests_present, on(4),
                        on(5),  on(6)};
    details->back_value = {c.back_population * seeks,
                           c.back_region * back_region_present,
                           c.back_language * back_language_present,
                           c.cosine * interests_present * seeks,
                           c.distance * on(4) * seeks,
                           c.affinity * on(5) * seeks,
                           c.back_activity * on(6) * seeks};
    details->back_present = {
        seeks,         back_region_present, back_language_present, interests_present * seeks,
        on(4) * seeks, on(5) * seeks,       on(6) * seeks};
  }
  return rank;
}

template <Isa I>
std::uint32_t Engine::chunks_may_reach(const SeekerContext& a, std::size_t first,
                                       float threshold_rank) const {
  const Wants& wants = *a.wants;
  const std::size_t offset = first - a.first_chunk;
  auto range = [&](const std::vector<float>& values) {
    return Eigen::Map<const Lanes>(values.data() + first);
  };
  const Lanes gap = ((range(ranges_.log_population_min) - a.log_population)
                         .max(a.log_population - range(ranges_.log_population_max)) -
                     gap_slack_)
                        .max(0.0f);
  const Lanes population = (-falloff_bound<I>(gap)).exp() + kSlack;
  Lanes cosine = Lanes::Zero();
  for (int j = 0; j < a.interest_count; ++j) {
    cosine += a.interest_weight[j] *
              Eigen::Map<const Lanes>(ranges_.interest_max.data() +
                                      a.interest_index[j] * ranges_.stride + first);
  }
  cosine = cosine.min(1.0f) + kSlack;
  Lanes distance = Lanes::Zero();
  if (weights_[4] > 0) {
    // From a to each chunk's box of unit vectors; the distance is at least
    // R * chord and at most pi / 2 * R * chord.
    Lanes near2 = Lanes::Zero(), far2 = Lanes::Zero();
    for (int k = 0; k < 3; ++k) {
      const Lanes below = range(ranges_.box_min[k]) - a.unit[k];
      const Lanes above = a.unit[k] - range(ranges_.box_max[k]);
      near2 += below.max(above).max(0.0f).square();
      far2 += below.square().max(above.square());
    }
    const float per_chord = static_cast<float>(kEarthRadiusKm) * -inv_distance_scale_;
    distance = distance_bound<I>(near2.sqrt() * per_chord, far2.sqrt() * per_chord);
  }
  // Region, affinity and activity bounds are terms already.
  const Eigen::Map<const Lanes> region(a.chunk_region_term.data() + offset);
  const Eigen::Map<const Lanes> language(a.chunk_language.data() + offset);
  const Eigen::Map<const Lanes> back_language(a.chunk_back_language.data() + offset);
  const Eigen::Map<const Lanes> affinity(a.chunk_affinity_term.data() + offset);
  const Eigen::Map<const Lanes> back_region(a.back->max_term.data() +
                                            (first - a.back->first_chunk));

  const Lanes always = Lanes::Ones();
  const auto add = [&](Lanes& numerator, Lanes& denominator, int component, const Lanes& present,
                       const Lanes& term) {
    if (weights_[component] == 0) return;
    numerator += weights_[component] * present * term;
    denominator += weights_[component] * present;
  };
  const auto optional = [&](int component, const Lanes& term, const Lanes& low, const Lanes& high) {
    return Optional{weights_[component], term, low, high};
  };
  const auto finish = [&](const Lanes& n, const Lanes& d) { return mean<I>(n, d); };
  const auto kept = [&](const Lanes& x, const Lanes& flag) { return keep<I>(x, flag); };
  // Terms of the computed bounds, for the weights that count.
  const auto term_if = [&](int component, const Lanes& value) {
    return weights_[component] > 0 ? term<I>(value) : Lanes::Zero();
  };
  const float seeker_languages = a.has_languages || !wants.languages.empty() ? 1.0f : 0.0f;
  const float seeker_interests = a.has_interests ? 1.0f : 0.0f;
  const Optional interests = optional(3, a.has_interests ? term_if(3, cosine) : Lanes::Zero(),
                                      range(ranges_.has_interests[0]) * seeker_interests,
                                      range(ranges_.has_interests[1]) * seeker_interests);
  Lanes shared_numerator = Lanes::Zero(), shared_denominator = Lanes::Zero();
  add(shared_numerator, shared_denominator, 4, always, term_if(4, distance));
  add(shared_numerator, shared_denominator, 5, always, affinity);
  Lanes numerator = shared_numerator, denominator = shared_denominator;
  const Lanes population_term = term<I>(population);
  add(numerator, denominator, 0, always, population_term);
  add(numerator, denominator, 1, Lanes::Constant(wants.any_region ? 0.0f : 1.0f), region);
  add(numerator, denominator, 6, always, range(ranges_.activity_term_max));
  const Lanes forward = largest_mean<2>(
      numerator, denominator,
      {optional(2, term_if(2, language), range(ranges_.has_languages[0]) * seeker_languages,
                range(ranges_.has_languages[1]) * seeker_languages),
       interests},
      finish, kept);
  const float a_languages = a.has_languages ? 1.0f : 0.0f;
  Lanes back_numerator = shared_numerator, back_denominator = shared_denominator;
  add(back_numerator, back_denominator, 0, always, population_term);
  add(back_numerator, back_denominator, 6, always, Lanes::Constant(a.activity_term));
  const Lanes backward = largest_mean<3>(
      back_numerator, back_denominator,
      {optional(1, back_region, range(ranges_.back_region_present[0]),
                range(ranges_.back_region_present[1])),
       optional(2, term_if(2, back_language), Lanes::Zero(), Lanes::Constant(a_languages)),
       interests},
      finish, kept);
  const Lanes combined = both_ways<I>(forward, backward);
  // Chunks where every lane seeks score combined; where none does, forward.
  const Lanes seeks_low = range(ranges_.seeks[0]), seeks_high = range(ranges_.seeks[1]);
  const Lanes rank = keep<I>(combined, seeks_high).max(keep<I>(forward, 1.0f - seeks_low));
  // A relative margin on the score: additive on its log.
  const Lanes margin = geometric_ ? Lanes(rank + 1e-4f) : Lanes(rank * (1.0f + 1e-4f) + 1e-6f);
  const auto reach = margin >= threshold_rank;
  std::uint32_t bits = 0;
  for (int i = 0; i < kLanes; ++i) bits |= static_cast<std::uint32_t>(reach[i]) << i;
  return bits;
}

template <Isa I>
bool Engine::may_reach(const SeekerContext& a, std::size_t chunk, float threshold_rank) const {
  const ChunkBound& bound = chunk_bounds_[chunk];
  const Wants& wants = *a.wants;
  // Hard filters that rule out every lane.
  if (bound.single_state == a.state && !wants.same_country) return false;
  if (config_.population_range == RangeMode::hard &&
      (bound.population_max < wants.population_min || bound.population_min > wants.population_max ||
       a.population < bound.back_min_low || a.population > bound.back_max_high)) {
    return false;
  }

  // Upper bounds of the components.
  const std::size_t base = chunk * kLanes;
  // Population and distance are computed as in the kernel, less a margin far
  // above the error of exp() and of the float logs (gap_slack_), and of the
  // distance's asin: the kernel's own arithmetic in a different order.
  const Eigen::Map<const Lanes> log_population(log_population_float_.data() + base);
  const Lanes gap = ((log_population - a.log_population).abs() - gap_slack_).max(0.0f);
  const Lanes population = (-falloff_bound<I>(gap)).exp() + kSlack;
  const std::size_t offset = chunk - a.first_chunk;
  Lanes distance = Lanes::Zero();
  if (weights_[4] > 0) {
    const float toward =
        config_.distance_preference == DistancePreference::far ? 1.0f + kSlack : 1.0f - kSlack;
    const Lanes km = great_circle_km(unit_.data() + base * 3, a.unit);
    distance = distance_value<I>(km * (inv_distance_scale_ * toward)) + kSlack;
  }

  // The bounds' terms, for the weights that count.
  Components t;
  const auto term_if = [&](int component, const Lanes& value) {
    return weights_[component] > 0 ? term<I>(value) : Lanes::Zero();
  };
  t.population = t.back_population = term<I>(population);
  t.region = Lanes::Constant(a.chunk_region_term[offset]);
  t.language = term_if(2, Lanes::Constant(a.chunk_language[offset]));
  t.cosine = a.has_interests ? term_if(3, cosine<I>(a, chunk)) : Lanes::Zero();
  t.distance = term_if(4, distance);
  // Affinity, activity and the candidate's region are look-ups, as exact as
  // in the kernel.
  for (int lane = 0; lane < kLanes; ++lane) {
    t.affinity[lane] = a.affinity_term[country_[base + lane]];
  }
  t.activity = Eigen::Map<const Lanes>(activity_term_.data() + base);
  t.back_activity = Lanes::Constant(a.activity_term);
  t.back_region = Lanes::Zero();
  if (chunk_has_seeker_[chunk] != 0) {
    t.back_region =
        Eigen::Map<const Lanes>(a.back->term.data() + (chunk - a.back->first_chunk) * kLanes);
  }
  t.back_language = term_if(2, Lanes::Constant(a.chunk_back_language[offset]));
  // The geometric mean's score is exp() of its rank, monotone only up to
  // its rounding: a margin far above it keeps the bound above the score.
  const Lanes rank = combine<I>(a, chunk, t, nullptr, nullptr);
  const Lanes margin = geometric_ ? Lanes(rank + 1e-5f) : rank;
  return (margin >= threshold_rank).any();
}

template <Isa I>
void Engine::scan(SeekerContext& a, std::size_t first_chunk, std::size_t last_chunk,
                  const std::vector<std::uint32_t>& seeds, TopK& heap, ChunkScores& scores) const {
  const auto offer = [&](std::size_t chunk) {
    const float threshold = heap.threshold();
    score_chunk<I, false>(a, chunk, scores);
    const auto hits = scores.pass && scores.score >= threshold;
    if (!hits.any()) return;
    for (int lane = 0; lane < kLanes; ++lane) {
      const auto b = static_cast<std::uint32_t>(chunk * kLanes + lane);
      // The threshold may have risen since the chunk began.
      if (hits[lane] && scores.score[lane] >= heap.threshold() && allowed(a, b)) {
        heap.offer({scores.score[lane], id_[b], b});
      }
    }
  };
  for (std::uint32_t chunk : seeds) offer(chunk);
  // The bounds compare ranks: the threshold's is taken again only when it rises.
  float threshold = heap.threshold(), rank = rank_of(threshold);
  const auto threshold_rank = [&] {
    if (heap.threshold() != threshold) {
      threshold = heap.threshold();
      rank = rank_of(threshold);
    }
    return rank;
  };
  auto seed = seeds.begin();
  for (std::size_t group = first_chunk; group < last_chunk; group += kLanes) {
    const std::size_t count = std::min<std::size_t>(kLanes, last_chunk - group);
    std::uint32_t candidates = count == kLanes ? 0xffffu : (1u << count) - 1;
    if (heap.full()) candidates &= chunks_may_reach<I>(a, group, threshold_rank());
    for (std::size_t chunk = group; candidates != 0; ++chunk, candidates >>= 1) {
      if ((candidates & 1) == 0) continue;
      if (heap.full() && !may_reach<I>(a, chunk, threshold_rank())) continue;
      while (seed != seeds.end() && *seed < chunk) ++seed;
      if (seed != seeds.end() && *seed == chunk) continue;  // offered already
      offer(chunk);
    }
  }
}

template <Isa I>
void Engine::score_details(const SeekerContext& a, std::size_t chunk, ChunkScores& out) const {
  score_chunk<I, true>(a, chunk, out);
}

template void Engine::scan<Isa::LIBMATCH_KERNEL_ISA>(SeekerContext&, std::size_t, std::size_t,
                                                     const std::vector<std::uint32_t>&, TopK&,
                                                     ChunkScores&) const;
template void Engine::score_details<Isa::LIBMATCH_KERNEL_ISA>(const SeekerContext&, std::size_t,
                                                              ChunkScores&) const;

}  // namespace libmatch::detail
