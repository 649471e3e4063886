#include "libmatch/candidate_graph.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <ostream>
#include <string>
#include <type_traits>

#include <boost/graph/graphml.hpp>
#include <boost/make_shared.hpp>

#include "validation.hpp"

namespace libmatch {
namespace {

// a is the seeker (the lower id when both seek): one orientation per pair.
std::pair<std::size_t, std::size_t> oriented(const CandidateGraphType& g, std::size_t u,
                                             std::size_t v) {
  const CandidateVertex& x = g[u];
  const CandidateVertex& y = g[v];
  if (x.seeks != y.seeks) return x.seeks ? std::make_pair(u, v) : std::make_pair(v, u);
  return x.id < y.id ? std::make_pair(u, v) : std::make_pair(v, u);
}

// A column of the GraphML export. Boost's own adaptor writes through an
// ostringstream: six significant digits, the global locale's separators,
// "nan" and "1"/"0". GraphML readers parse values as XML Schema types, so
// this one writes numbers in the shortest form that reads back the same
// (std::to_chars: no locale), NaN as "NaN" and booleans as "true"/"false".
template <typename Map>
class GraphmlColumn : public boost::dynamic_property_map {
  using Key = typename boost::property_traits<Map>::key_type;
  using Value = std::remove_cv_t<typename boost::property_traits<Map>::value_type>;

 public:
  explicit GraphmlColumn(Map map) : map_(map) {}
  boost::any get(const boost::any& key) override { return read(key); }
  std::string get_string(const boost::any& key) override {
    const Value value = read(key);
    if constexpr (std::is_same_v<Value, bool>) {
      return value ? "true" : "false";
    } else {
      if constexpr (std::is_floating_point_v<Value>) {
        if (std::isnan(value)) return "NaN";
        if (std::isinf(value)) return value > 0 ? "INF" : "-INF";
      }
      char buffer[64];
      return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
    }
  }
  void put(const boost::any&, const boost::any&) override {
    throw boost::dynamic_const_put_error();
  }
  const std::type_info& key() const override { return typeid(Key); }
  const std::type_info& value() const override { return typeid(Value); }

 private:
  Value read(const boost::any& key) const { return boost::get(map_, boost::any_cast<Key>(key)); }
  Map map_;
};

template <typename Map>
void add_column(boost::dynamic_properties& dp, const std::string& name, Map map) {
  dp.insert(name, boost::make_shared<GraphmlColumn<Map>>(map));
}

}  // namespace

CandidateGraph CandidateGraph::build(const CityTable& pool, const Seekers& seekers,
                                     const CandidateLists& lists,
                                     const CandidateGraphOptions& options) {
  detail::ProblemList problems;
  if (options.pool_capacity < 1) {
    problems.add("options", static_cast<std::size_t>(-1), "pool_capacity",
                 std::to_string(options.pool_capacity), "must be at least 1");
  }
  if (lists.seeker_count() != seekers.size() || !seekers.fit(pool)) {
    problems.add("options", static_cast<std::size_t>(-1), "lists",
                 std::to_string(lists.seeker_count()),
                 "the candidate lists were not computed for these seekers and this pool");
  } else {
    // Lists of other seekers, or of another pool (a city since replaced),
    // would be read out of bounds or give wrong pairs: the first such list
    // is reported.
    for (std::size_t s = 0; s < seekers.size() && problems.empty(); ++s) {
      const std::string record = "seeker " + std::to_string(s) + " (city " +
                                 std::to_string(seekers.profile(s).city_id) + ")";
      if (lists.seeker_id(s) != seekers.profile(s).city_id) {
        problems.add(record, s, "lists", std::to_string(lists.seeker_id(s)),
                     "this list is city " + std::to_string(lists.seeker_id(s)) +
                         "'s: the candidate lists were not computed for these seekers");
        break;
      }
      for (const Candidate* c = lists.begin(s); c != lists.end(s); ++c) {
        if (c->row >= pool.size() || pool.id(c->row) != c->id) {
          problems.add(record, s, "lists", std::to_string(c->id),
                       "not a city of the pool at this row: the candidate lists were not "
                       "computed for this pool");
          break;
        }
      }
    }
  }
  problems.throw_if_any();

  CandidateGraph result;
  CandidateGraphType& g = result.graph_;
  auto add_vertex = [&](std::size_t row) {
    CandidateVertex v;
    v.id = pool.id(row);
    v.row = static_cast<std::uint32_t>(row);
    const auto seeker = seekers.seeker_of_row(row);
    v.seeks = seeker.has_value();
    v.capacity = seeker ? seekers.profile(*seeker).partners : options.pool_capacity;
    const std::size_t index = boost::add_vertex(v, g);
    result.vertex_by_id_.emplace(v.id, index);
    return index;
  };
  for (std::size_t s = 0; s < seekers.size(); ++s) {
    const std::size_t v = add_vertex(seekers.row(s));
    g[v].listed = static_cast<std::uint32_t>(lists.count(s));
  }

  // Pairs by (a, b) ids, so edges are added in one deterministic order.
  std::map<std::pair<std::int64_t, std::int64_t>, std::pair<const Candidate*, std::int64_t>> listed;
  std::map<std::pair<std::int64_t, std::int64_t>, int> times_listed;
  for (std::size_t s = 0; s < seekers.size(); ++s) {
    const std::int64_t seeker_id = seekers.profile(s).city_id;
    for (const Candidate* c = lists.begin(s); c != lists.end(s); ++c) {
      const auto key = std::minmax(seeker_id, c->id);
      listed.emplace(key, std::make_pair(c, seeker_id));  // the first lister's view
      ++times_listed[key];
    }
  }
  std::vector<std::size_t> others;
  for (const auto& [key, entry] : listed) {
    const bool mutual = times_listed[key] == 2;
    if (options.mutual && !mutual) continue;
    const std::int64_t other = entry.second == key.first ? key.second : key.first;
    if (!result.vertex_of(other)) others.push_back(*pool.row_of(other));
  }
  std::sort(others.begin(), others.end(),
            [&](std::size_t x, std::size_t y) { return pool.id(x) < pool.id(y); });
  others.erase(std::unique(others.begin(), others.end()), others.end());
  for (std::size_t row : others) add_vertex(row);

  for (const auto& [key, entry] : listed) {
    const bool mutual = times_listed[key] == 2;
    if (options.mutual && !mutual) continue;
    const Candidate& c = *entry.first;
    CandidateEdge e;
    e.score = c.score;
    e.weight = std::llround(static_cast<double>(c.score) * kWeightScale);
    e.components = c.components;
    e.present = c.present;
    e.viewer = entry.second;
    e.mutual = mutual;
    boost::add_edge(*result.vertex_of(key.first), *result.vertex_of(key.second), e, g);
  }
  return result;
}

std::optional<std::size_t> CandidateGraph::vertex_of(std::int64_t id) const {
  const auto it = vertex_by_id_.find(id);
  if (it == vertex_by_id_.end()) return std::nullopt;
  return it->second;
}

std::vector<CandidateGraph::EdgeRecord> CandidateGraph::edge_list() const {
  std::vector<EdgeRecord> out;
  out.reserve(edge_count());
  for (const auto& e : boost::make_iterator_range(boost::edges(graph_))) {
    const auto [a, b] = oriented(graph_, boost::source(e, graph_), boost::target(e, graph_));
    out.push_back({graph_[a].id, graph_[b].id, graph_[e]});
  }
  std::sort(out.begin(), out.end(), [](const EdgeRecord& x, const EdgeRecord& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  return out;
}

void CandidateGraph::write_graphml(std::ostream& out) const {
  const CandidateGraphType& g = graph_;
  boost::dynamic_properties dp;
  add_column(dp, "id", boost::get(&CandidateVertex::id, g));
  add_column(dp, "capacity", boost::get(&CandidateVertex::capacity, g));
  add_column(dp, "seeks", boost::get(&CandidateVertex::seeks, g));
  add_column(dp, "score", boost::get(&CandidateEdge::score, g));
  add_column(dp, "weight", boost::get(&CandidateEdge::weight, g));
  add_column(dp, "viewer", boost::get(&CandidateEdge::viewer, g));
  add_column(dp, "mutual", boost::get(&CandidateEdge::mutual, g));
  // One map per component, named after it.
  std::array<std::vector<float>, kComponentCount> columns;
  for (auto& column : columns) column.reserve(boost::num_edges(g));
  std::map<CandidateGraphType::edge_descriptor, std::size_t> edge_index;
  for (const auto& e : boost::make_iterator_range(boost::edges(g))) {
    edge_index.emplace(e, edge_index.size());
    for (int c = 0; c < kComponentCount; ++c) {
      columns[c].push_back((g[e].present >> c) & 1 ? g[e].components[c] : std::nanf(""));
    }
  }
  const boost::associative_property_map<decltype(edge_index)> index_map(edge_index);
  for (int c = 0; c < kComponentCount; ++c) {
    add_column(dp, std::string(component_name(static_cast<Component>(c))),
               boost::make_iterator_property_map(columns[c].begin(), index_map));
  }
  boost::write_graphml(out, g, dp, true);
}

}  // namespace libmatch
