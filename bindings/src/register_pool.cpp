// The pool side of libmatch._core: configuration, the city table, seekers,
// the scorer (candidates, explain) and the candidate graph with its pairings.
//
// Every input is converted to C++ values while the GIL is held; the C++ work
// then runs with the GIL released, and results go back to numpy through
// capsule-owned buffers (no copy). The pure-Python layer (libmatch/pool.py)
// does the pandas parsing and the error reporting by DataFrame row.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <libmatch/candidate_graph.hpp>
#include <libmatch/candidates.hpp>
#include <libmatch/city_table.hpp>
#include <libmatch/error.hpp>
#include <libmatch/geography.hpp>
#include <libmatch/interests.hpp>
#include <libmatch/pairing.hpp>
#include <libmatch/scoring.hpp>
#include <libmatch/seeking_profile.hpp>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "register.hpp"

namespace py = pybind11;

namespace libmatch::python {
namespace {

// ---------------------------------------------------------------------------
// numpy helpers

// Hands a vector to numpy without copying: the array owns the vector through
// a capsule, so it lives exactly as long as the array.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owned->size())},
                        {static_cast<py::ssize_t>(sizeof(T))}, owned->data(), owner);
}

// numpy's bool is one byte, like std::uint8_t; std::vector<bool> has no buffer.
py::array bools_to_numpy(std::vector<std::uint8_t>&& values) {
  auto* owned = new std::vector<std::uint8_t>(std::move(values));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<std::uint8_t>*>(p); });
  return py::array(py::dtype("bool"), {static_cast<py::ssize_t>(owned->size())}, {py::ssize_t{1}},
                   owned->data(), owner);
}

template <class T>
using InputArray = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <class T>
std::size_t checked_length(const InputArray<T>& array, const char* name) {
  if (array.ndim() != 1) {
    throw py::value_error(std::string(name) + " must be one-dimensional; got " +
                          std::to_string(array.ndim()) + " dimensions");
  }
  return static_cast<std::size_t>(array.shape(0));
}

void check_same_length(std::size_t n, std::size_t got, const char* name) {
  if (got != n) {
    throw py::value_error(std::string(name) + " has " + std::to_string(got) +
                          " entries but ids has " + std::to_string(n) +
                          "; every column must have one entry per city");
  }
}

// ---------------------------------------------------------------------------
// Enums as strings: what a pandas user types, and what repr() shows.

template <class Enum, std::size_t N>
Enum enum_from_string(const std::string& text, const std::pair<const char*, Enum> (&names)[N],
                      const char* what) {
  std::string choices;
  for (const auto& [name, value] : names) {
    if (text == name) return value;
    choices += choices.empty() ? "" : ", ";
    choices += std::string("'") + name + "'";
  }
  throw py::value_error(std::string(what) + " must be one of " + choices + "; got '" + text + "'");
}

template <class Enum, std::size_t N>
std::string enum_to_string(Enum value, const std::pair<const char*, Enum> (&names)[N]) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return "unknown";
}

const std::pair<const char*, RangeMode> kRangeModes[] = {{"hard", RangeMode::hard},
                                                         {"soft", RangeMode::soft}};
const std::pair<const char*, DistancePreference> kDistancePreferences[] = {
    {"near", DistancePreference::near},
    {"far", DistancePreference::far},
    {"inverse", DistancePreference::inverse}};
const std::pair<const char*, Combination> kCombinations[] = {
    {"arithmetic", Combination::arithmetic}, {"geometric", Combination::geometric}};
const std::pair<const char*, Reciprocity> kReciprocities[] = {
    {"geometric_mean", Reciprocity::geometric_mean},
    {"arithmetic_mean", Reciprocity::arithmetic_mean},
    {"minimum", Reciprocity::minimum},
    {"seeker_only", Reciprocity::seeker_only}};
const std::pair<const char*, Method> kMethods[] = {
    {"optimal", Method::optimal}, {"stable", Method::stable}, {"greedy", Method::greedy}};

std::string repr_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

std::string repr(const Weights& w) {
  return "Weights(population=" + repr_number(w.population) + ", region=" + repr_number(w.region) +
         ", language=" + repr_number(w.language) + ", interests=" + repr_number(w.interests) +
         ", distance=" + repr_number(w.distance) + ", affinity=" + repr_number(w.affinity) +
         ", activity=" + repr_number(w.activity) + ")";
}

std::string repr(const ScoringConfig& c) {
  return "ScoringConfig(weights=" + repr(c.weights) + ", combination='" +
         enum_to_string(c.combination, kCombinations) +
         "', population_sigma=" + repr_number(c.population_sigma) +
         ", population_shape=" + repr_number(c.population_shape) + ", population_range='" +
         enum_to_string(c.population_range, kRangeModes) +
         "', continent_credit=" + repr_number(c.continent_credit) + ", distance_preference='" +
         enum_to_string(c.distance_preference, kDistancePreferences) +
         "', distance_scale_km=" + repr_number(c.distance_scale_km) + ", reciprocity='" +
         enum_to_string(c.reciprocity, kReciprocities) + "', country_pairs=<" +
         std::to_string(c.country_pairs.size()) + " pairs>)";
}

bool operator_equal(const Weights& x, const Weights& y) {
  return x.population == y.population && x.region == y.region && x.language == y.language &&
         x.interests == y.interests && x.distance == y.distance && x.affinity == y.affinity &&
         x.activity == y.activity;
}

// Every field, exactly: the JSON document holds them all in round-trip form.
bool operator_equal(const ScoringConfig& x, const ScoringConfig& y) {
  return x.to_json() == y.to_json();
}

// ---------------------------------------------------------------------------
// Handles: Python objects share ownership, so a Scorer, candidate lists or a
// graph never outlives the table and seekers it was built from.

struct SeekersHandle {
  std::shared_ptr<const CityTable> pool;
  Seekers seekers;
};

struct ScorerHandle {
  std::shared_ptr<const SeekersHandle> seekers;
  ScoringConfig config;
  Scorer scorer;
};

struct ListsHandle {
  std::shared_ptr<const ScorerHandle> scorer;
  CandidateLists lists;
};

struct GraphHandle {
  std::shared_ptr<const ScorerHandle> scorer;
  CandidateGraph graph;
};

// ---------------------------------------------------------------------------
// Conversions, all while the GIL is held.

using Pairs = std::vector<std::pair<std::string, double>>;

std::vector<Pairs> pairs_per_row(const py::sequence& rows, const char* name) {
  std::vector<Pairs> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    py::handle row = rows[i];
    if (row.is_none()) {
      out.emplace_back();
      continue;
    }
    try {
      out.push_back(row.cast<Pairs>());
    } catch (const py::cast_error&) {
      throw py::type_error(std::string(name) + "[" + std::to_string(i) +
                           "] must be a list of (name, number) pairs; got " +
                           std::string(py::str(py::repr(row))));
    }
  }
  return out;
}

std::vector<std::string> strings(const py::sequence& values, const char* name) {
  std::vector<std::string> out;
  out.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    py::handle v = values[i];
    if (v.is_none()) {
      out.emplace_back();
    } else if (py::isinstance<py::str>(v)) {
      out.push_back(v.cast<std::string>());
    } else {
      throw py::type_error(std::string(name) + "[" + std::to_string(i) + "] must be a str; got " +
                           std::string(py::str(py::repr(v))));
    }
  }
  return out;
}

std::shared_ptr<CityTable> table_from_columns(
    const InputArray<std::int64_t>& ids, const py::sequence& names, const py::sequence& countries,
    const py::sequence& regions, const InputArray<double>& latitude,
    const InputArray<double>& longitude, const InputArray<double>& population,
    const py::sequence& languages, const py::sequence& interests,
    const InputArray<std::int64_t>& partner_a, const InputArray<std::int64_t>& partner_b) {
  const std::size_t n = checked_length(ids, "ids");
  const std::size_t partnerships = checked_length(partner_a, "partner_a");
  if (checked_length(partner_b, "partner_b") != partnerships) {
    throw py::value_error("partner_a and partner_b must have the same length");
  }
  check_same_length(n, names.size(), "names");
  check_same_length(n, countries.size(), "countries");
  check_same_length(n, regions.size(), "regions");
  check_same_length(n, checked_length(latitude, "latitude"), "latitude");
  check_same_length(n, checked_length(longitude, "longitude"), "longitude");
  check_same_length(n, checked_length(population, "population"), "population");
  check_same_length(n, languages.size(), "languages");
  check_same_length(n, interests.size(), "interests");

  std::vector<std::string> name_list = strings(names, "names");
  std::vector<std::string> country_list = strings(countries, "countries");
  std::vector<std::string> region_list = strings(regions, "regions");
  std::vector<Pairs> language_list = pairs_per_row(languages, "languages");
  std::vector<Pairs> interest_list = pairs_per_row(interests, "interests");
  const std::int64_t* id = ids.data();
  const double* lat = latitude.data();
  const double* lon = longitude.data();
  const double* pop = population.data();

  std::vector<CityRecord> records(n);
  for (std::size_t i = 0; i < n; ++i) {
    CityRecord& r = records[i];
    r.id = id[i];
    r.name = std::move(name_list[i]);
    r.country = std::move(country_list[i]);
    r.region = std::move(region_list[i]);
    r.latitude = lat[i];
    r.longitude = lon[i];
    r.population = pop[i];
    r.languages = std::move(language_list[i]);
    r.interests = std::move(interest_list[i]);
  }
  std::vector<Partnership> pairs(partnerships);
  for (std::size_t i = 0; i < partnerships; ++i)
    pairs[i] = {partner_a.data()[i], partner_b.data()[i]};
  // Validation and the column build touch only `records` and `pairs`, which
  // no Python object can see.
  py::gil_scoped_release release;
  return std::make_shared<CityTable>(CityTable::from_records(records, pairs));
}

template <class T>
std::vector<T> list_of(const py::handle& value, const char* key, std::size_t index) {
  if (value.is_none()) return {};
  if (py::isinstance<py::str>(value)) {
    throw py::type_error("seeker " + std::to_string(index) + ": '" + key +
                         "' must be a list, not a str");
  }
  try {
    return value.cast<std::vector<T>>();
  } catch (const py::cast_error&) {
    throw py::type_error("seeker " + std::to_string(index) + ": '" + key +
                         "' has the wrong type: " + std::string(py::str(py::repr(value))));
  }
}

std::optional<double> optional_number(const py::handle& value, const char* key, std::size_t index) {
  if (value.is_none()) return std::nullopt;
  try {
    return value.cast<double>();
  } catch (const py::cast_error&) {
    throw py::type_error("seeker " + std::to_string(index) + ": '" + key +
                         "' must be a number or None; got " +
                         std::string(py::str(py::repr(value))));
  }
}

SeekingProfile profile_from_dict(const py::dict& d, std::size_t index) {
  SeekingProfile p;
  bool has_id = false;
  for (const auto& [key_handle, value] : d) {
    const std::string key = py::str(key_handle);
    try {
      if (key == "id" || key == "city_id") {
        p.city_id = value.cast<std::int64_t>();
        has_id = true;
      } else if (key == "partners") {
        if (!value.is_none()) p.partners = value.cast<int>();
      } else if (key == "regions") {
        p.regions = list_of<std::string>(value, "regions", index);
      } else if (key == "countries") {
        p.countries = list_of<std::string>(value, "countries", index);
      } else if (key == "population_min") {
        p.population_min = optional_number(value, "population_min", index);
      } else if (key == "population_max") {
        p.population_max = optional_number(value, "population_max", index);
      } else if (key == "languages") {
        p.languages = list_of<std::string>(value, "languages", index);
      } else if (key == "interests") {
        p.interests = list_of<std::pair<std::string, double>>(value, "interests", index);
      } else if (key == "exclude") {
        p.exclude = list_of<std::int64_t>(value, "exclude", index);
      } else if (key == "same_country") {
        if (!value.is_none()) p.same_country = value.cast<bool>();
      } else {
        throw py::key_error("seeker " + std::to_string(index) + ": unknown key '" + key +
                            "'; expected id, partners, regions, countries, population_min, "
                            "population_max, languages, interests, exclude, same_country");
      }
    } catch (const py::cast_error&) {
      throw py::type_error("seeker " + std::to_string(index) + ": '" + key +
                           "' has the wrong type: " + std::string(py::str(py::repr(value))));
    }
  }
  if (!has_id) throw py::key_error("seeker " + std::to_string(index) + " has no 'id'");
  return p;
}

// Seekers that want only the defaults: no per-profile dict to convert.
std::shared_ptr<SeekersHandle> seekers_from_ids(
    std::shared_ptr<CityTable> pool,
    const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& ids) {
  if (ids.ndim() != 1) {
    throw py::value_error("ids must be one-dimensional; got " + std::to_string(ids.ndim()) +
                          " dimensions (pass numpy.ravel(ids))");
  }
  std::vector<SeekingProfile> list(static_cast<std::size_t>(ids.size()));
  const auto view = ids.unchecked<1>();
  for (py::ssize_t i = 0; i < ids.size(); ++i) list[static_cast<std::size_t>(i)].city_id = view(i);
  // Validation reads the table (immutable once built) and the local list.
  py::gil_scoped_release release;
  Seekers seekers(*pool, std::move(list));
  return std::make_shared<SeekersHandle>(SeekersHandle{std::move(pool), std::move(seekers)});
}

std::shared_ptr<SeekersHandle> make_seekers(std::shared_ptr<CityTable> pool,
                                            const py::iterable& profiles) {
  std::vector<SeekingProfile> list;
  std::size_t index = 0;
  for (py::handle item : profiles) {
    if (!py::isinstance<py::dict>(item)) {
      throw py::type_error("seeker " + std::to_string(index) + " must be a dict; got " +
                           std::string(py::str(py::repr(item))));
    }
    list.push_back(profile_from_dict(item.cast<py::dict>(), index));
    ++index;
  }
  // Validation reads the table (immutable once built) and the local list.
  py::gil_scoped_release release;
  Seekers seekers(*pool, std::move(list));
  return std::make_shared<SeekersHandle>(SeekersHandle{std::move(pool), std::move(seekers)});
}

// ---------------------------------------------------------------------------
// Results as Python values.

py::dict direction_dict(const DirectionScore& d) {
  py::dict components;
  for (int c = 0; c < kComponentCount; ++c) {
    py::dict one;
    one["value"] = static_cast<double>(d.value[c]);
    one["present"] = d.present[c];
    one["weight"] = static_cast<double>(d.weight[c]);
    components[py::str(std::string(component_name(static_cast<Component>(c))))] = one;
  }
  py::dict out;
  out["score"] = static_cast<double>(d.score);
  out["components"] = components;
  return out;
}

py::dict explanation_dict(const Explanation& e) {
  py::dict out;
  out["a"] = e.a;
  out["b"] = e.b;
  out["score"] = static_cast<double>(e.score);
  out["passes"] = e.passes;
  out["distance_km"] = e.distance_km;
  out["reciprocal"] = e.reciprocal;
  out["forward"] = direction_dict(e.forward);
  out["backward"] = e.reciprocal ? py::object(direction_dict(e.backward)) : py::none();
  py::list filters;
  for (const FilterVerdict& f : e.filters) {
    py::dict one;
    one["name"] = f.name;
    one["side"] = f.side;
    one["passed"] = f.passed;
    one["detail"] = f.detail;
    filters.append(one);
  }
  out["filters"] = filters;
  out["notes"] = py::cast(e.notes);
  out["reasons"] = py::cast(e.reasons);
  out["text"] = e.to_string();
  return out;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One float64 column per component, NaN where the component had no data.
struct ComponentColumns {
  std::array<std::vector<double>, kComponentCount> columns;
  void reserve(std::size_t n) {
    for (auto& c : columns) c.reserve(n);
  }
  void add(const std::array<float, kComponentCount>& values, std::uint8_t present) {
    for (int c = 0; c < kComponentCount; ++c) {
      columns[c].push_back((present >> c) & 1U ? static_cast<double>(values[c]) : kNaN);
    }
  }
  void into(py::dict& out) {
    for (int c = 0; c < kComponentCount; ++c) {
      out[py::str(std::string(component_name(static_cast<Component>(c))))] =
          to_numpy(std::move(columns[c]));
    }
  }
};

py::dict candidate_columns(const ListsHandle& handle) {
  std::vector<std::int64_t> seeker_id, candidate_id, rank;
  std::vector<double> score;
  std::vector<std::uint8_t> reciprocal;
  ComponentColumns components;
  {
    // Reads only the lists and the seekers, which nothing mutates.
    py::gil_scoped_release release;
    const CandidateLists& lists = handle.lists;
    const Seekers& seekers = handle.scorer->seekers->seekers;
    const std::size_t n = lists.all().size();
    seeker_id.reserve(n);
    candidate_id.reserve(n);
    rank.reserve(n);
    score.reserve(n);
    reciprocal.reserve(n);
    components.reserve(n);
    for (std::size_t s = 0; s < lists.seeker_count(); ++s) {
      const std::int64_t id = seekers.profile(s).city_id;
      std::int64_t r = 1;
      for (const Candidate* c = lists.begin(s); c != lists.end(s); ++c, ++r) {
        seeker_id.push_back(id);
        candidate_id.push_back(c->id);
        rank.push_back(r);
        score.push_back(static_cast<double>(c->score));
        reciprocal.push_back(c->reciprocal ? 1 : 0);
        components.add(c->components, c->present);
      }
    }
  }
  py::dict out;
  out["seeker_id"] = to_numpy(std::move(seeker_id));
  out["candidate_id"] = to_numpy(std::move(candidate_id));
  out["rank"] = to_numpy(std::move(rank));
  out["score"] = to_numpy(std::move(score));
  components.into(out);
  out["reciprocal"] = bools_to_numpy(std::move(reciprocal));
  return out;
}

py::dict edge_columns(const std::vector<CandidateGraph::EdgeRecord>& edges) {
  std::vector<std::int64_t> a, b, weight, viewer;
  std::vector<double> score;
  std::vector<std::uint8_t> mutual;
  ComponentColumns components;
  components.reserve(edges.size());
  for (const auto& e : edges) {
    a.push_back(e.a);
    b.push_back(e.b);
    score.push_back(static_cast<double>(e.edge.score));
    weight.push_back(e.edge.weight);
    components.add(e.edge.components, e.edge.present);
    viewer.push_back(e.edge.viewer);
    mutual.push_back(e.edge.mutual ? 1 : 0);
  }
  py::dict out;
  out["a"] = to_numpy(std::move(a));
  out["b"] = to_numpy(std::move(b));
  out["score"] = to_numpy(std::move(score));
  out["weight"] = to_numpy(std::move(weight));
  components.into(out);
  out["viewer"] = to_numpy(std::move(viewer));
  out["mutual"] = bools_to_numpy(std::move(mutual));
  return out;
}

py::dict match_dict(const MatchResult& r) {
  std::vector<CandidateGraph::EdgeRecord> pairs;
  pairs.reserve(r.pairs.size());
  for (const Pairing& p : r.pairs) pairs.push_back({p.a, p.b, p.edge});

  std::vector<std::int64_t> unmatched_id, unmatched_open;
  py::list unmatched_reason;
  for (const Unmatched& u : r.unmatched) {
    unmatched_id.push_back(u.id);
    unmatched_open.push_back(u.open);
    unmatched_reason.append(std::string(reason_text(u.reason)));
  }
  py::dict unmatched;
  unmatched["id"] = to_numpy(std::move(unmatched_id));
  unmatched["open"] = to_numpy(std::move(unmatched_open));
  unmatched["reason"] = unmatched_reason;

  std::vector<std::int64_t> block_a, block_b;
  std::vector<double> block_score;
  for (const BlockingPair& p : r.stability.first) {
    block_a.push_back(p.a);
    block_b.push_back(p.b);
    block_score.push_back(static_cast<double>(p.score));
  }
  py::dict blocking;
  blocking["a"] = to_numpy(std::move(block_a));
  blocking["b"] = to_numpy(std::move(block_b));
  blocking["score"] = to_numpy(std::move(block_score));

  py::dict out;
  out["method"] = std::string(method_name(r.method));
  out["pairs"] = edge_columns(pairs);
  out["unmatched"] = unmatched;
  out["total_score"] = r.total_score;
  out["total_weight"] = r.total_weight;
  out["blocking_pair_count"] = r.stability.count;
  out["blocking_pairs"] = blocking;
  return out;
}

// ---------------------------------------------------------------------------
// candidates() with the GIL released, progress and Ctrl-C.

struct ProgressState {
  py::object callable;  // None, or callable(done, total) -> bool | None
  std::exception_ptr error;
};

std::shared_ptr<ListsHandle> run_candidates(const std::shared_ptr<ScorerHandle>& handle,
                                            std::size_t k, unsigned threads,
                                            const py::object& progress, std::size_t seeker_tile,
                                            std::size_t pool_tile) {
  if (!progress.is_none() && !PyCallable_Check(progress.ptr())) {
    throw py::type_error("progress must be None or a callable(done, total)");
  }
  ProgressState state{progress, nullptr};
  CandidateOptions options;
  options.k = k;
  options.threads = threads;
  options.seeker_tile = seeker_tile;
  options.pool_tile = pool_tile;
  // The engine calls this on the calling thread about every 50 ms. It takes
  // the GIL back for the Python work; checking signals here is what lets
  // Ctrl-C stop a call that would otherwise run with the GIL released until
  // it ends. A Python exception is kept and re-raised after the workers stop.
  options.progress = [&state](std::size_t done, std::size_t total) -> bool {
    py::gil_scoped_acquire gil;
    if (state.error) return false;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!state.callable.is_none()) {
        py::object go_on = state.callable(done, total);
        if (!go_on.is_none() && !go_on.cast<bool>()) return false;
      }
    } catch (...) {
      state.error = std::current_exception();
      return false;
    }
    return true;
  };

  std::optional<CandidateLists> lists;
  bool cancelled = false;
  {
    // The scorer is immutable and serves concurrent calls; the workers touch
    // no Python object, and the progress callback takes the GIL itself.
    py::gil_scoped_release release;
    try {
      lists = handle->scorer.candidates(options);
    } catch (const Cancelled&) {
      cancelled = true;
    }
  }
  if (state.error) std::rethrow_exception(state.error);
  if (cancelled) throw Cancelled();
  return std::make_shared<ListsHandle>(ListsHandle{handle, std::move(*lists)});
}

}  // namespace

void register_pool(py::module_& m) {
  // --- configuration -------------------------------------------------------
  py::class_<Weights>(m, "Weights", R"doc(
Relative weights of the seven score components (finite, >= 0).

The score of one direction is the weighted (arithmetic or geometric) mean of
the components that have data; a component without data is left out and the
other weights are renormalised. Distance, affinity and activity are off by
default (weight 0); libmatch.learned_config() turns them on.
)doc")
      .def(py::init([](double population, double region, double language, double interests,
                       double distance, double affinity, double activity) {
             return Weights{population, region, language, interests, distance, affinity, activity};
           }),
           py::kw_only(), py::arg("population") = 1.0, py::arg("region") = 1.0,
           py::arg("language") = 1.0, py::arg("interests") = 1.0, py::arg("distance") = 0.0,
           py::arg("affinity") = 0.0, py::arg("activity") = 0.0)
      .def_readwrite("population", &Weights::population,
                     "Weight of the population component (1.0).")
      .def_readwrite("region", &Weights::region, "Weight of the region component (1.0).")
      .def_readwrite("language", &Weights::language, "Weight of the language component (1.0).")
      .def_readwrite("interests", &Weights::interests, "Weight of the interests component (1.0).")
      .def_readwrite("distance", &Weights::distance, "Weight of the distance component (0.0: off).")
      .def_readwrite("affinity", &Weights::affinity,
                     "Weight of the country-affinity component (0.0: off).")
      .def_readwrite("activity", &Weights::activity, "Weight of the activity component (0.0: off).")
      .def("__repr__", [](const Weights& w) { return repr(w); })
      .def("__eq__", [](const Weights& x, const Weights& y) { return operator_equal(x, y); })
      .def("__copy__", [](const Weights& w) { return w; })
      .def("__deepcopy__", [](const Weights& w, const py::dict&) { return w; })
      .def(py::pickle(
          [](const Weights& w) {
            return py::make_tuple(w.population, w.region, w.language, w.interests, w.distance,
                                  w.affinity, w.activity);
          },
          [](const py::tuple& t) {
            return Weights{t[0].cast<double>(), t[1].cast<double>(), t[2].cast<double>(),
                           t[3].cast<double>(), t[4].cast<double>(), t[5].cast<double>(),
                           t[6].cast<double>()};
          }));
  // __eq__ without __hash__: the class is mutable, so unhashable.
  m.attr("Weights").attr("__hash__") = py::none();

  py::class_<ScoringConfig>(m, "ScoringConfig", R"doc(
How pairs are scored: component weights, how they combine, the population
fall-off, range mode, continent credit, distance law, reciprocity, country
affinity and activity (README, Scoring).

Defaults (the C++ defaults, a hand-made config): Weights() (1, 1, 1, 1;
distance, affinity, activity 0), combination='arithmetic',
population_sigma=1.0, population_shape=2.0, population_range='hard',
continent_credit=0.5, distance_preference='near', distance_scale_km=2000.0,
reciprocity='geometric_mean', no country_pairs. libmatch.learned_config() is
the configuration learned from the bundled partnerships. Enumerations are
strings: combination in {'arithmetic', 'geometric'}, population_range in
{'hard', 'soft'}, distance_preference in {'near', 'far', 'inverse'},
reciprocity in {'geometric_mean', 'arithmetic_mean', 'minimum',
'seeker_only'}. Values are checked by validate() (and whenever a pool
scores), which raises libmatch.InputError listing every bad value.
to_json()/from_json(), to_dict()/from_dict() and save()/load() read and write
the "libmatch.scoring/1" document that C++ reads too.
)doc")
      .def(py::init([](std::optional<Weights> weights, double population_sigma,
                       const std::string& population_range, double continent_credit,
                       const std::string& distance_preference, double distance_scale_km,
                       const std::string& reciprocity, const std::string& combination,
                       double geometric_floor, double population_shape,
                       std::vector<std::tuple<std::string, std::string, double>> country_pairs,
                       double affinity_prior, double activity_size_exponent,
                       double activity_size_scale, double activity_prior_strength,
                       double activity_half, bool exclude_known_partners,
                       bool compare_sovereign_states) {
             ScoringConfig c;
             if (weights) c.weights = *weights;
             c.population_sigma = population_sigma;
             c.population_range =
                 enum_from_string(population_range, kRangeModes, "population_range");
             c.continent_credit = continent_credit;
             c.distance_preference =
                 enum_from_string(distance_preference, kDistancePreferences, "distance_preference");
             c.distance_scale_km = distance_scale_km;
             c.reciprocity = enum_from_string(reciprocity, kReciprocities, "reciprocity");
             c.combination = enum_from_string(combination, kCombinations, "combination");
             c.geometric_floor = geometric_floor;
             c.population_shape = population_shape;
             for (auto& [a, b, count] : country_pairs) c.country_pairs.push_back({a, b, count});
             c.affinity_prior = affinity_prior;
             c.activity_size_exponent = activity_size_exponent;
             c.activity_size_scale = activity_size_scale;
             c.activity_prior_strength = activity_prior_strength;
             c.activity_half = activity_half;
             c.exclude_known_partners = exclude_known_partners;
             c.compare_sovereign_states = compare_sovereign_states;
             return c;
           }),
           py::kw_only(), py::arg("weights") = py::none(), py::arg("population_sigma") = 1.0,
           py::arg("population_range") = "hard", py::arg("continent_credit") = 0.5,
           py::arg("distance_preference") = "near", py::arg("distance_scale_km") = 2000.0,
           py::arg("reciprocity") = "geometric_mean", py::arg("combination") = "arithmetic",
           py::arg("geometric_floor") = 0.01, py::arg("population_shape") = 2.0,
           py::arg("country_pairs") = std::vector<std::tuple<std::string, std::string, double>>{},
           py::arg("affinity_prior") = 1.0, py::arg("activity_size_exponent") = 0.36,
           py::arg("activity_size_scale") = 1.0, py::arg("activity_prior_strength") = 1.0,
           py::arg("activity_half") = 5.0, py::arg("exclude_known_partners") = true,
           py::arg("compare_sovereign_states") = true)
      .def_readwrite("weights", &ScoringConfig::weights, "The component weights (a Weights).")
      .def_property(
          "combination",
          [](const ScoringConfig& c) { return enum_to_string(c.combination, kCombinations); },
          [](ScoringConfig& c, const std::string& s) {
            c.combination = enum_from_string(s, kCombinations, "combination");
          },
          "'arithmetic': sum w v / sum w; 'geometric': exp(sum w ln(floor + (1 - floor) v) / "
          "sum w), a log-linear model.")
      .def_readwrite("geometric_floor", &ScoringConfig::geometric_floor,
                     "In the geometric mean, a component at 0 counts as this (0.01).")
      .def_readwrite("population_sigma", &ScoringConfig::population_sigma,
                     "Width of the population fall-off: exp(-(|ln(pa/pb)| / sigma)^shape / shape).")
      .def_readwrite("population_shape", &ScoringConfig::population_shape,
                     "Shape of the population fall-off: 2 a Gaussian, 1 exp(-|ln ratio| / sigma).")
      .def_property(
          "population_range",
          [](const ScoringConfig& c) { return enum_to_string(c.population_range, kRangeModes); },
          [](ScoringConfig& c, const std::string& s) {
            c.population_range = enum_from_string(s, kRangeModes, "population_range");
          },
          "'hard' filters out candidates outside a seeker's population range; 'soft' scales "
          "their population component down.")
      .def_readwrite("continent_credit", &ScoringConfig::continent_credit,
                     "Region credit, in [0, 1], for a candidate on the continent of a wanted area.")
      .def_property(
          "distance_preference",
          [](const ScoringConfig& c) {
            return enum_to_string(c.distance_preference, kDistancePreferences);
          },
          [](ScoringConfig& c, const std::string& s) {
            c.distance_preference =
                enum_from_string(s, kDistancePreferences, "distance_preference");
          },
          "'near': exp(-d / scale); 'far': 1 - exp(-d / scale); 'inverse': 1 / (1 + d / scale).")
      .def_readwrite("distance_scale_km", &ScoringConfig::distance_scale_km,
                     "Distance scale in km for the distance component.")
      .def_property(
          "reciprocity",
          [](const ScoringConfig& c) { return enum_to_string(c.reciprocity, kReciprocities); },
          [](ScoringConfig& c, const std::string& s) {
            c.reciprocity = enum_from_string(s, kReciprocities, "reciprocity");
          },
          "How the two directions combine when both cities seek.")
      .def_property(
          "country_pairs",
          [](const ScoringConfig& c) {
            std::vector<std::tuple<std::string, std::string, double>> out;
            for (const auto& p : c.country_pairs) out.emplace_back(p.a, p.b, p.count);
            return out;
          },
          [](ScoringConfig& c, const std::vector<std::tuple<std::string, std::string, double>>& v) {
            c.country_pairs.clear();
            for (const auto& [a, b, count] : v) c.country_pairs.push_back({a, b, count});
          },
          "Known partnerships between countries, as (country, country, count) tuples.")
      .def_readwrite("affinity_prior", &ScoringConfig::affinity_prior,
                     "Pseudo-count that smooths country affinity towards chance.")
      .def_readwrite("activity_size_exponent", &ScoringConfig::activity_size_exponent,
                     "How expected partnerships grow with population: (p / 1e5) ^ exponent.")
      .def_readwrite("activity_size_scale", &ScoringConfig::activity_size_scale,
                     "Expected partnerships of a city of 100,000 people.")
      .def_readwrite("activity_prior_strength", &ScoringConfig::activity_prior_strength,
                     "How many partnerships the size-based expectation counts as.")
      .def_readwrite("activity_half", &ScoringConfig::activity_half,
                     "The partnership rate at which activity is 0.5.")
      .def_readwrite("exclude_known_partners", &ScoringConfig::exclude_known_partners,
                     "Whether known partnerships of the pool are never proposed (True).")
      .def_readwrite("compare_sovereign_states", &ScoringConfig::compare_sovereign_states,
                     "Whether same_country compares sovereign states, a dependent territory "
                     "counting as the state that holds it (True), or ISO codes (False).")
      .def("validate", &ScoringConfig::validate,
           "Raise libmatch.InputError listing every bad value.")
      .def("to_json", &ScoringConfig::to_json,
           "The 'libmatch.scoring/1' JSON document (every field, round-trip numbers).")
      .def_static("from_json", &ScoringConfig::from_json, py::arg("text"),
                  "Read a 'libmatch.scoring/1' document; raises libmatch.InputError.")
      .def(
          "to_dict",
          [](const ScoringConfig& c) {
            return py::module_::import("json").attr("loads")(c.to_json());
          },
          "The JSON document as a dict.")
      .def_static(
          "from_dict",
          [](const py::dict& d) {
            return ScoringConfig::from_json(
                py::module_::import("json").attr("dumps")(d).cast<std::string>());
          },
          py::arg("document"), "Read the JSON document from a dict; raises libmatch.InputError.")
      .def("save", &ScoringConfig::save, py::arg("path"), "Write the JSON document to a file.")
      .def_static("load", &ScoringConfig::load, py::arg("path"),
                  "Read the JSON document from a file.")
      .def("__repr__", [](const ScoringConfig& c) { return repr(c); })
      .def("__eq__",
           [](const ScoringConfig& x, const ScoringConfig& y) { return operator_equal(x, y); })
      .def("__copy__", [](const ScoringConfig& c) { return c; })
      .def("__deepcopy__", [](const ScoringConfig& c, const py::dict&) { return c; })
      .def(py::pickle([](const ScoringConfig& c) { return c.to_json(); },
                      [](const std::string& json) { return ScoringConfig::from_json(json); }));
  m.attr("ScoringConfig").attr("__hash__") = py::none();

  // --- tables ----------------------------------------------------------------
  py::class_<CityTable, std::shared_ptr<CityTable>>(m, "CityTable", R"doc(
The validated pool of cities, stored by column (libmatch::CityTable).
Build it with CityTable.from_columns(); libmatch.Pool does this from a DataFrame.
)doc")
      .def_static("from_columns", &table_from_columns, py::arg("ids"), py::arg("names"),
                  py::arg("countries"), py::arg("regions"), py::arg("latitude"),
                  py::arg("longitude"), py::arg("population"), py::arg("languages"),
                  py::arg("interests"), py::arg("partner_a") = InputArray<std::int64_t>(0),
                  py::arg("partner_b") = InputArray<std::int64_t>(0), R"doc(
Build and validate a table from columns of equal length.

ids: int64 array; names, countries, regions: lists of str (region '' = derive
from the country); latitude, longitude, population: float64 arrays;
languages, interests: per city, a list of (name, number) pairs;
partner_a, partner_b: int64 arrays, the ids of known partnerships.
Raises libmatch.InputError with every problem found.
)doc")
      .def("__len__", &CityTable::size)
      .def_property_readonly("partnership_count", &CityTable::partnership_count,
                             "How many known partnerships the table holds.")
      .def_property_readonly(
          "ids",
          [](const CityTable& t) {
            std::vector<std::int64_t> out(t.size());
            for (std::size_t i = 0; i < t.size(); ++i) out[i] = t.id(i);
            return to_numpy(std::move(out));
          },
          "City ids, by row.")
      .def_property_readonly(
          "regions",
          [](const CityTable& t) {
            std::vector<std::string> out;
            for (std::size_t i = 0; i < t.size(); ++i) out.emplace_back(t.region_name(i));
            return out;
          },
          "Region of each row (derived from the country).")
      .def_property_readonly(
          "countries",
          [](const CityTable& t) {
            std::vector<std::string> out;
            for (std::size_t i = 0; i < t.size(); ++i) out.emplace_back(t.country_code(i));
            return out;
          },
          "Upper-case country code of each row.")
      .def(
          "row_of",
          [](const CityTable& t, std::int64_t id) -> std::optional<std::size_t> {
            return t.row_of(id);
          },
          py::arg("id"), "The row of a city id, or None.");

  py::class_<SeekersHandle, std::shared_ptr<SeekersHandle>>(m, "Seekers", R"doc(
Seeking profiles validated against a CityTable (libmatch::Seekers).

Each profile is a dict with 'id' and optionally partners, regions, countries,
population_min, population_max, languages, interests (list of (name, weight)),
exclude (list of ids) and same_country. Raises libmatch.InputError with every
problem found.
)doc")
      .def(py::init(&make_seekers), py::arg("pool"), py::arg("profiles"))
      .def_static("from_ids", &seekers_from_ids, py::arg("pool"), py::arg("ids"),
                  "Seekers with default profiles (one partner, any region, ...) for these ids.")
      .def("__len__", [](const SeekersHandle& s) { return s.seekers.size(); })
      .def_property_readonly(
          "ids",
          [](const SeekersHandle& s) {
            std::vector<std::int64_t> out(s.seekers.size());
            for (std::size_t i = 0; i < out.size(); ++i) out[i] = s.seekers.profile(i).city_id;
            return to_numpy(std::move(out));
          },
          "The seeking city ids, in seeker order.")
      .def_property_readonly(
          "warnings",
          [](const SeekersHandle& s) {
            // Built from ids and fixed texts: ASCII, so any str conversion holds.
            py::list out;
            for (const InputWarning& w : s.seekers.warnings()) {
              py::dict entry;
              entry["record"] = w.record;
              entry["field"] = w.field;
              entry["value"] = w.value;
              entry["message"] = w.message;
              entry["row"] = w.index;
              out.append(std::move(entry));
            }
            return out;
          },
          "What was accepted but has no effect (libmatch::Seekers::warnings()): a list of "
          "dicts with record, field, value, message and row (the seeker's position).");

  // --- scoring ---------------------------------------------------------------
  py::class_<ScorerHandle, std::shared_ptr<ScorerHandle>>(m, "Scorer", R"doc(
A pool and its seekers prepared for scoring under one configuration
(libmatch::Scorer). Immutable: one Scorer serves concurrent calls.
)doc")
      .def(py::init([](std::shared_ptr<SeekersHandle> seekers, const ScoringConfig& config) {
             // Preparing reads the immutable table and seekers only.
             py::gil_scoped_release release;
             Scorer scorer(*seekers->pool, seekers->seekers, config);
             return std::make_shared<ScorerHandle>(
                 ScorerHandle{std::move(seekers), config, std::move(scorer)});
           }),
           py::arg("seekers"), py::arg("config") = ScoringConfig{})
      .def_property_readonly(
          "config", [](const ScorerHandle& s) { return s.config; }, "A copy of the configuration.")
      .def("candidates", &run_candidates, py::arg("k") = 10, py::arg("threads") = 0u,
           py::arg("progress") = py::none(), py::arg("seeker_tile") = 64,
           py::arg("pool_tile") = 2048, R"doc(
The k best candidates of every seeker, as a CandidateLists.

The GIL is released while the workers score. progress(done, total) is called
about every 50 ms on the calling thread; returning False cancels
(libmatch.Cancelled); an exception it raises propagates. Ctrl-C (a pending
signal) stops the call promptly with KeyboardInterrupt.
)doc")
      .def(
          "explain",
          [](const ScorerHandle& s, std::int64_t a, std::int64_t b) {
            Explanation e;
            {
              // Reads the immutable scorer only.
              py::gil_scoped_release release;
              e = s.scorer.explain(a, b);
            }
            return explanation_dict(e);
          },
          py::arg("a"), py::arg("b"), R"doc(
a's view of b with every number the engine used, as a dict: a, b, score,
passes, distance_km, reciprocal, forward and backward ({score, components:
{name: {value, present, weight}}}; backward is None unless b seeks too),
filters (list of {name, side, passed, detail}), notes and text (the report).
)doc");

  py::class_<ListsHandle, std::shared_ptr<ListsHandle>>(m, "CandidateLists", R"doc(
Per-seeker top-k candidate lists from Scorer.candidates().
)doc")
      .def("__len__", [](const ListsHandle& l) { return l.lists.all().size(); })
      .def("columns", &candidate_columns, R"doc(
The lists as numpy columns: seeker_id, candidate_id, rank (1 = best), score,
population, region, language, interests, distance (NaN where the component
had no data) and reciprocal.
)doc");

  // --- graph and pairings ----------------------------------------------------
  py::class_<GraphHandle, std::shared_ptr<GraphHandle>>(m, "CandidateGraph", R"doc(
The candidate pairings as a graph (libmatch::CandidateGraph): one vertex per
city in play, one edge per candidate pair.
)doc")
      .def(py::init([](const ListsHandle& lists, bool mutual, int pool_capacity) {
             CandidateGraphOptions options;
             options.mutual = mutual;
             options.pool_capacity = pool_capacity;
             // Reads the immutable table, seekers and lists only.
             py::gil_scoped_release release;
             const SeekersHandle& s = *lists.scorer->seekers;
             CandidateGraph graph = CandidateGraph::build(*s.pool, s.seekers, lists.lists, options);
             return std::make_shared<GraphHandle>(GraphHandle{lists.scorer, std::move(graph)});
           }),
           py::arg("lists"), py::kw_only(), py::arg("mutual") = false, py::arg("pool_capacity") = 1)
      .def_property_readonly(
          "vertex_count", [](const GraphHandle& g) { return g.graph.vertex_count(); },
          "Number of vertices.")
      .def_property_readonly(
          "edge_count", [](const GraphHandle& g) { return g.graph.edge_count(); },
          "Number of edges.")
      .def(
          "edges", [](const GraphHandle& g) { return edge_columns(g.graph.edge_list()); },
          "Every edge sorted by (a, b), as numpy columns: a, b, score, weight, the five "
          "components (NaN where absent), viewer, mutual.")
      .def(
          "vertices",
          [](const GraphHandle& g) {
            std::vector<std::int64_t> id;
            std::vector<std::int64_t> capacity;
            std::vector<std::uint8_t> seeks;
            for (auto [v, end] = boost::vertices(g.graph.graph()); v != end; ++v) {
              const CandidateVertex& vertex = g.graph.graph()[*v];
              id.push_back(vertex.id);
              capacity.push_back(vertex.capacity);
              seeks.push_back(vertex.seeks ? 1 : 0);
            }
            py::dict out;
            out["id"] = to_numpy(std::move(id));
            out["capacity"] = to_numpy(std::move(capacity));
            out["seeks"] = bools_to_numpy(std::move(seeks));
            return out;
          },
          "Every vertex in vertex order, as numpy columns: id, capacity, seeks.")
      .def(
          "graphml",
          [](const GraphHandle& g) {
            std::ostringstream out;
            g.graph.write_graphml(out);
            return out.str();
          },
          "The graph as GraphML text.")
      .def(
          "match",
          [](const GraphHandle& g, const std::string& method, std::size_t blocking_pairs_shown) {
            const Method chosen = enum_from_string(method, kMethods, "method");
            MatchOptions options;
            options.blocking_pairs_shown = blocking_pairs_shown;
            MatchResult result;
            {
              // The matching algorithms read the immutable graph only.
              py::gil_scoped_release release;
              result = match(g.graph, chosen, options);
            }
            return match_dict(result);
          },
          py::arg("method") = "optimal", py::arg("blocking_pairs_shown") = 10, R"doc(
Pair the graph with method 'optimal', 'stable' or 'greedy'. Returns a dict:
method, pairs (edge columns), unmatched (id, open, reason), total_score,
total_weight, blocking_pair_count and blocking_pairs (a, b, score; the first
blocking_pairs_shown, sorted by (a, b)). 'stable' raises
libmatch.NoStableMatchingError when no stable pairing exists.
)doc");

  // --- vocabularies ----------------------------------------------------------
  py::list interests;
  for (std::string_view name : kInterests) interests.append(std::string(name));
  m.attr("INTERESTS") = py::tuple(interests);
  py::list components;
  for (int c = 0; c < kComponentCount; ++c) {
    components.append(std::string(component_name(static_cast<Component>(c))));
  }
  m.attr("COMPONENTS") = py::tuple(components);
  py::list areas;
  for (int r = 0; r < region_count(); ++r) areas.append(std::string(region(r).name));
  m.attr("REGIONS") = py::tuple(areas);
  m.def(
      "country_codes",
      []() {
        std::vector<std::string> out;
        for (int c = 0; c < country_count(); ++c) out.emplace_back(country(c).code);
        return out;
      },
      "Every known ISO 3166-1 alpha-2 code, in table order.");
  m.def(
      "country_regions",
      []() {
        py::dict out;
        for (int c = 0; c < country_count(); ++c) {
          const Region& r = region(country(c).region);
          out[py::str(std::string(country(c).code))] =
              py::make_tuple(std::string(r.name), std::string(continent_name(r.continent)));
        }
        return out;
      },
      "Country code -> (UN M49 region, continent), from the core's one table.");
}

}  // namespace libmatch::python
