// The matching algorithms of matching.hpp on numpy arrays and Python lists.
//
// Every function converts and checks its inputs while holding the GIL, then
// releases it for the C++ call, which sees only C++ vectors. Matchings come
// back as (p, 2) int64 arrays that own the C++ result vector through a
// capsule: no copy.
#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "libmatch/error.hpp"
#include "libmatch/matching.hpp"

#include "register.hpp"

namespace py = pybind11;

namespace libmatch::python {
namespace {

constexpr auto kInputFlags = py::array::c_style | py::array::forcecast;
template <typename T>
using InputArray = py::array_t<T, kInputFlags>;

using Weights = std::variant<std::vector<std::int64_t>, std::vector<double>>;
using Lists = std::vector<std::vector<int>>;

// ------------------------------------------------------------------ inputs

std::string shape_text(const py::array& a) {
  std::string out = "(";
  for (py::ssize_t d = 0; d < a.ndim(); ++d) {
    if (d > 0) out += ", ";
    out += std::to_string(a.shape(d));
  }
  return out + (a.ndim() == 1 ? ",)" : ")");
}

std::string describe(const py::array& a) {
  return "got shape " + shape_text(a) + " and dtype " + py::str(a.dtype()).cast<std::string>();
}

// Any array-like as an ndarray (lists too), or a TypeError saying what `name` must be.
py::array as_array(const py::handle& obj, const char* name, const std::string& how) {
  py::array a = py::array::ensure(obj);
  if (!a) throw py::type_error(std::string(name) + " must be " + how);
  return a;
}

bool is_integer(const py::array& a) {
  const char kind = a.dtype().kind();
  return kind == 'i' || kind == 'u';
}

struct EdgeList {
  std::vector<VertexPair> pairs;
  std::size_t vertex_bound = 0;  // largest index + 1; 0 without edges
};

// Reads rows of an (m, 2) array of T into vertex pairs; negative indices
// (which size_t cannot hold) are reported as problems here.
template <typename T>
EdgeList read_edges(const py::array& a) {
  const auto typed = InputArray<T>::ensure(a);  // no copy when already T and C-contiguous
  if (!typed) throw py::error_already_set();
  const auto m = static_cast<std::size_t>(typed.shape(0));
  const T* data = typed.data();
  EdgeList edges;
  edges.pairs.resize(m);
  std::vector<Problem> problems;
  for (std::size_t e = 0; e < m; ++e) {
    const T ends[2] = {data[2 * e], data[2 * e + 1]};
    if constexpr (std::is_signed_v<T>) {
      for (int k = 0; k < 2; ++k) {
        if (ends[k] < 0) {
          problems.push_back(Problem{"edge " + std::to_string(e), k == 0 ? "u" : "v",
                                     std::to_string(ends[k]),
                                     "is not a vertex: vertex indices are >= 0", e});
        }
      }
    }
    edges.pairs[e] = {static_cast<std::size_t>(ends[0]), static_cast<std::size_t>(ends[1])};
    edges.vertex_bound =
        std::max({edges.vertex_bound, edges.pairs[e].first + 1, edges.pairs[e].second + 1});
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return edges;
}

EdgeList edges_from(const py::handle& obj) {
  static const std::string how =
      "an (m, 2) integer array; pass numpy.asarray(edges, dtype=numpy.int64).reshape(-1, 2)";
  py::array a = as_array(obj, "edges", how);
  if (a.size() == 0) return {};  // [] or any empty array: no edges
  if (!is_integer(a) || a.ndim() != 2 || a.shape(1) != 2)
    throw py::value_error("edges must be " + how + " (" + describe(a) + ")");
  if (a.dtype().kind() == 'u') return read_edges<std::uint64_t>(a);
  return read_edges<std::int64_t>(a);
}

// Integer and bool dtypes stay exact (the int64 overloads); floating ones go
// through the double overloads, which scale.
Weights weights_from(const py::handle& obj) {
  static const std::string how =
      "a 1-D array of numbers, one per edge; pass numpy.asarray(weights, dtype=numpy.float64) "
      "(or dtype=numpy.int64 for exact integer weights)";
  py::array a = as_array(obj, "weights", how);
  const char kind = a.dtype().kind();
  if (a.ndim() != 1 || !(kind == 'i' || kind == 'u' || kind == 'b' || kind == 'f'))
    throw py::value_error("weights must be " + how + " (" + describe(a) + ")");
  if (kind == 'f') {
    const auto typed = InputArray<double>::ensure(a);
    if (!typed) throw py::error_already_set();
    return std::vector<double>(typed.data(), typed.data() + typed.size());
  }
  if (kind == 'u') {
    const auto typed = InputArray<std::uint64_t>::ensure(a);
    if (!typed) throw py::error_already_set();
    std::vector<std::int64_t> out(typed.data(), typed.data() + typed.size());
    for (std::size_t e = 0; e < out.size(); ++e) {
      if (typed.data()[e] > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw py::value_error("weight " + std::to_string(typed.data()[e]) + " of edge " +
                              std::to_string(e) + " does not fit in int64; scale the weights down");
    }
    return out;
  }
  const auto typed = InputArray<std::int64_t>::ensure(a);
  if (!typed) throw py::error_already_set();
  return std::vector<std::int64_t>(typed.data(), typed.data() + typed.size());
}

// Past INT_MAX a capacity means "unlimited" (the core clamps capacities to
// the degree anyway), and below INT_MIN it is just as invalid as -1.
template <typename T>
int clamp_to_int(T x) {
  if (x > static_cast<T>(INT_MAX)) return INT_MAX;
  if constexpr (std::is_signed_v<T>) {
    if (x < static_cast<T>(INT_MIN)) return INT_MIN;
  }
  return static_cast<int>(x);
}

template <typename T>
std::vector<int> read_capacities(const py::array& a) {
  const auto typed = InputArray<T>::ensure(a);
  if (!typed) throw py::error_already_set();
  std::vector<int> out(static_cast<std::size_t>(typed.size()));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = clamp_to_int(typed.data()[i]);
  return out;
}

struct Capacities {
  std::vector<int> values;
  bool scalar = false;  // one capacity given for all
};

// A capacity per item (a 1-D array) or one for all `count` items (a scalar).
Capacities capacities_from(const py::handle& obj, const char* name, const char* item,
                           std::size_t count) {
  const std::string how = std::string("an integer or a 1-D integer array (one per ") + item +
                          "); pass numpy.asarray(" + name + ", dtype=numpy.int64)";
  py::array a = as_array(obj, name, how);
  const bool empty_list = a.ndim() == 1 && a.size() == 0;  // [] is float64 to numpy
  if (a.ndim() > 1 || !(is_integer(a) || empty_list))
    throw py::value_error(std::string(name) + " must be " + how + " (" + describe(a) + ")");
  Capacities out;
  out.values = a.dtype().kind() == 'u' ? read_capacities<std::uint64_t>(a)
                                       : read_capacities<std::int64_t>(a);
  if (a.ndim() == 0) {
    out.scalar = true;
    const int all = out.values.front();
    out.values.assign(count, all);
  }
  return out;
}

// Preference lists from any iterable of iterables of integers (lists,
// tuples, numpy rows). An index beyond int's range is kept as -1 and noted
// in `too_big` (holder, index as text): it is out of range in any case.
Lists lists_from(const py::handle& obj, const char* name,
                 std::vector<std::pair<std::size_t, std::string>>& too_big) {
  auto type_name = [](const py::handle& h) {
    return py::str(py::type::of(h).attr("__name__")).cast<std::string>();
  };
  if (py::isinstance<py::str>(obj) || !py::hasattr(obj, "__iter__"))
    throw py::type_error(std::string(name) + " must be a list of lists of integer indices, got " +
                         type_name(obj));
  Lists lists;
  std::size_t p = 0;
  for (py::handle row : obj) {
    const std::string where = std::string(name) + "[" + std::to_string(p) + "]";
    if (py::isinstance<py::str>(row) || !py::hasattr(row, "__iter__"))
      throw py::type_error(where + " must be a list of integer indices, got " + type_name(row));
    std::vector<int>& list = lists.emplace_back();
    for (py::handle item : row) {
      PyObject* index = PyNumber_Index(item.ptr());
      if (index == nullptr) {
        PyErr_Clear();
        throw py::type_error(where + "[" + std::to_string(list.size()) +
                             "] must be an integer index, got " +
                             py::repr(item).cast<std::string>());
      }
      int overflow = 0;
      const long long q = PyLong_AsLongLongAndOverflow(index, &overflow);
      const auto as_text = py::str(index).cast<std::string>();
      Py_DECREF(index);
      if (overflow != 0 || q < INT_MIN || q > INT_MAX) {
        too_big.emplace_back(p, as_text);
        list.push_back(-1);
      } else {
        list.push_back(static_cast<int>(q));
      }
    }
    ++p;
  }
  return lists;
}

// Problems for indices beyond int's range, worded as the core words its own.
void report_too_big(const std::vector<std::pair<std::size_t, std::string>>& too_big,
                    const char* owner, const char* target, const char* targets,
                    std::size_t target_count, std::vector<Problem>& problems) {
  for (const auto& [p, value] : too_big)
    problems.push_back(Problem{std::string(owner) + " " + std::to_string(p), "preferences", value,
                               std::string(target) + " index out of range: there are " +
                                   std::to_string(target_count) + " " + targets,
                               p});
}

// ----------------------------------------------------------------- outputs

// The pairs as a (p, 2) int64 array over the vector's own buffer, which the
// array keeps alive through a capsule.
py::array_t<std::int64_t> pairs_to_array(std::vector<VertexPair>&& pairs) {
  static_assert(sizeof(std::size_t) == sizeof(std::int64_t), "needs 64-bit size_t");
  static_assert(sizeof(VertexPair) == 2 * sizeof(std::int64_t) &&
                    alignof(VertexPair) == alignof(std::int64_t),
                "VertexPair must be laid out as two int64 (row-major (p, 2))");
  // Vertex indices are < 2^63 (they index a vector), so reading them as int64 is exact.
  if (pairs.empty()) return py::array_t<std::int64_t>(std::vector<py::ssize_t>{0, 2});
  auto owned = std::make_unique<std::vector<VertexPair>>(std::move(pairs));
  const auto rows = static_cast<py::ssize_t>(owned->size());
  const auto* data = reinterpret_cast<const std::int64_t*>(owned->data());
  py::capsule owner(owned.get(), [](void* p) { delete static_cast<std::vector<VertexPair>*>(p); });
  static_cast<void>(owned.release());  // the capsule owns it now
  return py::array_t<std::int64_t>({rows, py::ssize_t{2}}, data, owner);
}

py::array_t<std::int64_t> indices_to_array(const std::vector<int>& values) {
  py::array_t<std::int64_t> out(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

// ------------------------------------------------------------- functions

py::array_t<std::int64_t> max_weight_matching_py(const py::object& edges_in,
                                                 const py::object& weights_in,
                                                 std::optional<std::int64_t> num_vertices,
                                                 bool max_cardinality) {
  EdgeList edges = edges_from(edges_in);
  Weights weights = weights_from(weights_in);
  if (num_vertices && *num_vertices < 0)
    throw py::value_error("num_vertices must be >= 0, got " + std::to_string(*num_vertices));
  const std::size_t n = num_vertices ? static_cast<std::size_t>(*num_vertices) : edges.vertex_bound;
  std::vector<VertexPair> pairs;
  {
    // Safe: the call reads only the C++ vectors built above, no Python object.
    py::gil_scoped_release release;
    pairs = std::visit(
        [&](const auto& w) { return max_weight_matching(n, edges.pairs, w, max_cardinality); },
        weights);
  }
  return pairs_to_array(std::move(pairs));
}

py::array_t<std::int64_t> b_matching_py(const py::object& edges_in, const py::object& weights_in,
                                        const py::object& capacity_in) {
  EdgeList edges = edges_from(edges_in);
  Weights weights = weights_from(weights_in);
  // A scalar capacity covers the vertices the edges name; an array gives
  // the vertex count itself.
  const Capacities capacities =
      capacities_from(capacity_in, "capacity", "vertex", edges.vertex_bound);
  const std::size_t n = capacities.scalar ? edges.vertex_bound : capacities.values.size();
  std::vector<VertexPair> pairs;
  {
    // Safe: the call reads only the C++ vectors built above, no Python object.
    py::gil_scoped_release release;
    pairs = std::visit(
        [&](const auto& w) { return b_matching(n, edges.pairs, w, capacities.values); }, weights);
  }
  return pairs_to_array(std::move(pairs));
}

py::array_t<std::int64_t> hospitals_residents_py(const py::object& resident_prefs_in,
                                                 const py::object& hospital_prefs_in,
                                                 const py::object& capacities_in) {
  std::vector<std::pair<std::size_t, std::string>> residents_too_big, hospitals_too_big;
  const Lists resident_prefs = lists_from(resident_prefs_in, "resident_prefs", residents_too_big);
  const Lists hospital_prefs = lists_from(hospital_prefs_in, "hospital_prefs", hospitals_too_big);
  const Capacities capacities =
      capacities_from(capacities_in, "capacities", "hospital", hospital_prefs.size());
  std::vector<Problem> problems;
  report_too_big(residents_too_big, "resident", "hospital", "hospitals", hospital_prefs.size(),
                 problems);
  report_too_big(hospitals_too_big, "hospital", "resident", "residents", resident_prefs.size(),
                 problems);
  if (!problems.empty()) throw InputError(std::move(problems));
  std::vector<int> assignment;
  {
    // Safe: the call reads only the C++ vectors built above, no Python object.
    py::gil_scoped_release release;
    assignment = hospitals_residents(resident_prefs, hospital_prefs, capacities.values);
  }
  return indices_to_array(assignment);
}

py::array_t<std::int64_t> stable_roommates_py(const py::object& prefs_in) {
  std::vector<std::pair<std::size_t, std::string>> too_big;
  const Lists prefs = lists_from(prefs_in, "prefs", too_big);
  std::vector<Problem> problems;
  report_too_big(too_big, "person", "person", "people", prefs.size(), problems);
  if (!problems.empty()) throw InputError(std::move(problems));
  std::vector<int> partner;
  {
    // Safe: the call reads only the C++ vectors built above, no Python object.
    py::gil_scoped_release release;
    partner = stable_roommates(prefs);
  }
  return indices_to_array(partner);
}

// Each person's partners as a list of ints (ragged, so no array): the lists
// are at most a capacity long.
std::vector<std::vector<int>> stable_fixtures_py(const py::object& prefs_in,
                                                 const py::object& capacities_in) {
  std::vector<std::pair<std::size_t, std::string>> too_big;
  const Lists prefs = lists_from(prefs_in, "prefs", too_big);
  const Capacities capacities =
      capacities_from(capacities_in, "capacities", "person", prefs.size());
  std::vector<Problem> problems;
  report_too_big(too_big, "person", "person", "people", prefs.size(), problems);
  if (!problems.empty()) throw InputError(std::move(problems));
  std::vector<std::vector<int>> partners;
  {
    // Safe: the call reads only the C++ vectors built above, no Python object.
    py::gil_scoped_release release;
    partners = stable_fixtures(prefs, capacities.values);
  }
  return partners;
}

}  // namespace

void register_matching(py::module_& m) {
  using namespace py::literals;
  m.def("max_weight_matching", &max_weight_matching_py, "edges"_a, "weights"_a,
        "num_vertices"_a = py::none(), "max_cardinality"_a = false,
        "Maximum-weight matching; see libmatch.graph.max_weight_matching.");
  m.def("b_matching", &b_matching_py, "edges"_a, "weights"_a, "capacity"_a,
        "Maximum-weight b-matching; see libmatch.graph.b_matching.");
  m.def("hospitals_residents", &hospitals_residents_py, "resident_prefs"_a, "hospital_prefs"_a,
        "capacities"_a,
        "Resident-optimal stable assignment; see libmatch.graph.hospitals_residents.");
  m.def("stable_roommates", &stable_roommates_py, "prefs"_a,
        "Irving's stable roommates; see libmatch.graph.stable_roommates.");
  m.def("stable_fixtures", &stable_fixtures_py, "prefs"_a, "capacities"_a,
        "Irving and Scott's stable fixtures; see libmatch.graph.stable_fixtures.");
}

}  // namespace libmatch::python
