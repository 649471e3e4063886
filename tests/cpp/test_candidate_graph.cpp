#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <boost/graph/connected_components.hpp>
#include <gtest/gtest.h>
#include <libmatch/candidate_graph.hpp>

#include "reference_scorer.hpp"

using namespace libmatch;

namespace {

struct Built {
  reference::RandomPool data;
  CityTable pool;
  Seekers seekers;
  CandidateLists lists;
};

Built build(std::size_t cities, std::size_t seekers, std::size_t k, std::uint32_t seed) {
  auto data = reference::random_pool(cities, seekers, seed);
  CityTable pool = CityTable::from_records(data.cities);
  Seekers s(pool, data.profiles);
  CandidateOptions options;
  options.k = k;
  CandidateLists lists = candidates(pool, s, {}, options);
  return {std::move(data), std::move(pool), std::move(s), std::move(lists)};
}

}  // namespace

TEST(CandidateGraph, OneEdgePerListedPairWithExactWeights) {
  const Built b = build(300, 120, 8, 21);
  const CandidateGraph graph = CandidateGraph::build(b.pool, b.seekers, b.lists);

  std::map<std::pair<std::int64_t, std::int64_t>, int> listed;
  std::set<std::int64_t> cities;
  for (std::size_t s = 0; s < b.seekers.size(); ++s) {
    const std::int64_t a = b.seekers.profile(s).city_id;
    cities.insert(a);
    for (const Candidate* c = b.lists.begin(s); c != b.lists.end(s); ++c) {
      ++listed[std::minmax(a, c->id)];
      cities.insert(c->id);
    }
  }
  EXPECT_EQ(graph.vertex_count(), cities.size());
  EXPECT_EQ(graph.edge_count(), listed.size());
  const auto edges = graph.edge_list();
  ASSERT_EQ(edges.size(), listed.size());
  std::size_t mutual = 0;
  for (const auto& e : edges) {
    EXPECT_EQ(listed.count(std::minmax(e.a, e.b)), 1u);
    EXPECT_EQ(e.edge.weight, std::llround(static_cast<double>(e.edge.score) * kWeightScale));
    EXPECT_EQ(e.edge.mutual, listed[std::minmax(e.a, e.b)] == 2);
    mutual += e.edge.mutual;
    EXPECT_TRUE(e.edge.viewer == e.a || e.edge.viewer == e.b);
  }
  EXPECT_TRUE(std::is_sorted(edges.begin(), edges.end(), [](const auto& x, const auto& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  }));

  CandidateGraphOptions only_mutual;
  only_mutual.mutual = true;
  const CandidateGraph m = CandidateGraph::build(b.pool, b.seekers, b.lists, only_mutual);
  EXPECT_EQ(m.edge_count(), mutual);

  // The graph is an ordinary Boost graph.
  std::vector<int> component(graph.vertex_count());
  EXPECT_GE(boost::connected_components(graph.graph(), component.data()), 1);
}

TEST(CandidateGraph, SeekersComeFirstWithTheirCapacities) {
  const Built b = build(100, 30, 5, 4);
  CandidateGraphOptions options;
  options.pool_capacity = 2;
  const CandidateGraph graph = CandidateGraph::build(b.pool, b.seekers, b.lists, options);
  for (std::size_t s = 0; s < b.seekers.size(); ++s) {
    const CandidateVertex& v = graph.graph()[s];
    EXPECT_EQ(v.id, b.seekers.profile(s).city_id);
    EXPECT_TRUE(v.seeks);
    EXPECT_EQ(v.capacity, b.seekers.profile(s).partners);
  }
  for (std::size_t v = b.seekers.size(); v < graph.vertex_count(); ++v) {
    EXPECT_FALSE(graph.graph()[v].seeks);
    EXPECT_EQ(graph.graph()[v].capacity, 2);
  }
  options.pool_capacity = 0;
  EXPECT_THROW(CandidateGraph::build(b.pool, b.seekers, b.lists, options), InputError);
}

TEST(CandidateGraph, WritesGraphML) {
  const Built b = build(60, 20, 4, 8);
  const CandidateGraph graph = CandidateGraph::build(b.pool, b.seekers, b.lists);
  std::ostringstream out;
  graph.write_graphml(out);
  const std::string xml = out.str();
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto at = xml.find(needle); at != std::string::npos; at = xml.find(needle, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<node "), graph.vertex_count());
  EXPECT_EQ(count("<edge "), graph.edge_count());
  for (const char* key :
       {"\"score\"", "\"weight\"", "\"population\"", "\"interests\"", "\"mutual\""}) {
    EXPECT_NE(xml.find(key), std::string::npos) << key;
  }
}

namespace {

// Groups thousands with a comma and writes a decimal comma, like many
// locales an application may make global.
struct CommaNumbers : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

// The text of each <data key="..."> of the first element `tag` holding an
// attribute named `name`, by attribute name.
std::map<std::string, std::string> graphml_data(const std::string& xml, const std::string& tag) {
  std::map<std::string, std::string> name_of_key;
  for (auto at = xml.find("<key id=\""); at != std::string::npos;
       at = xml.find("<key id=\"", at + 1)) {
    const auto id_end = xml.find('"', at + 9);
    const auto name = xml.find("attr.name=\"", at) + 11;
    name_of_key[xml.substr(at + 9, id_end - at - 9)] = xml.substr(name, xml.find('"', name) - name);
  }
  std::map<std::string, std::string> out;
  const auto begin = xml.find("<" + tag + " ");
  const auto end = xml.find("</" + tag + ">", begin);
  for (auto at = xml.find("<data key=\"", begin); at < end; at = xml.find("<data key=\"", at + 1)) {
    const auto key_end = xml.find('"', at + 11);
    const auto text = xml.find('>', at) + 1;
    out[name_of_key[xml.substr(at + 11, key_end - at - 11)]] =
        xml.substr(text, xml.find('<', text) - text);
  }
  return out;
}

}  // namespace

// GraphML readers parse values as XML Schema types (Java's parsers in
// Gephi or yEd, for one): a float must read back as the same float, NaN is
// spelled "NaN", a boolean "true" or "false", and numbers never depend on
// the application's global locale.
TEST(CandidateGraph, GraphMLValuesReadBackExactly) {
  CityRecord a, b;
  a.id = 1234567;
  a.country = "FR";
  a.population = 1e5;
  b.id = 2345678;
  b.country = "DE";
  b.population = 3.7e5;  // population 0.4246..., not 6 digits
  const CityTable pool = CityTable::from_records({a, b});
  SeekingProfile p;
  p.city_id = a.id;
  p.partners = 1234;
  const Seekers seekers(pool, {p});
  const CandidateLists lists = candidates(pool, seekers);
  const CandidateGraph graph = CandidateGraph::build(pool, seekers, lists);
  ASSERT_EQ(graph.edge_count(), 1u);
  const CandidateEdge edge = graph.edge_list().front().edge;

  const std::locale before =
      std::locale::global(std::locale(std::locale::classic(), new CommaNumbers));
  std::ostringstream out;
  graph.write_graphml(out);
  std::locale::global(before);
  const std::string xml = out.str();

  const auto node = graphml_data(xml, "node");
  EXPECT_EQ(node.at("id"), "1234567");
  EXPECT_EQ(node.at("capacity"), "1234");
  EXPECT_EQ(node.at("seeks"), "true");
  const auto data = graphml_data(xml, "edge");
  EXPECT_EQ(std::strtof(data.at("score").c_str(), nullptr), edge.score) << data.at("score");
  EXPECT_EQ(std::strtof(data.at("population").c_str(), nullptr), edge.components[0]);
  EXPECT_EQ(data.at("weight"), std::to_string(edge.weight));
  EXPECT_EQ(data.at("viewer"), "1234567");
  EXPECT_EQ(data.at("mutual"), "false");
  EXPECT_EQ(data.at("region"), "NaN");  // absent: the seeker wants any region
}

// build() reads the lists against the pool and seekers it is given: lists
// computed for another pool (a city since replaced) or for other seekers (a
// seeker's own city among the candidates: a self loop) are reported, not
// read out of bounds.
TEST(CandidateGraph, ListsOfAnotherPoolOrOtherSeekersAreAnInputError) {
  auto record = [](std::int64_t id, const char* country) {
    CityRecord c;
    c.id = id;
    c.country = country;
    c.population = 1000;
    return c;
  };
  const CityTable before =
      CityTable::from_records({record(1, "FR"), record(2, "DE"), record(3, "JP")});
  const CityTable after =
      CityTable::from_records({record(1, "FR"), record(2, "DE"), record(4, "JP")});
  SeekingProfile one;
  one.city_id = 1;
  SeekingProfile two;
  two.city_id = 2;
  const CandidateLists lists = candidates(before, Seekers(before, {one}));
  ASSERT_EQ(lists.count(0), 2u);  // 2 and 3

  try {
    CandidateGraph::build(after, Seekers(after, {one}), lists);
    FAIL() << "lists naming city 3, which the pool no longer has, were accepted";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].field, "lists");
    EXPECT_EQ(e.problems()[0].value, "3");
  }
  try {
    CandidateGraph::build(before, Seekers(before, {two}), lists);
    FAIL() << "the lists of seeker 1 were accepted for seeker 2, which is among them";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].value, "1");
  }
  // City 6 shares city 1's country, so it is not among 1's candidates:
  // nothing in the lists themselves gives them away, their seeker ids do.
  const CityTable pool =
      CityTable::from_records({record(1, "FR"), record(2, "DE"), record(3, "JP"), record(6, "FR")});
  SeekingProfile six;
  six.city_id = 6;
  const CandidateLists of_one = candidates(pool, Seekers(pool, {one}));
  EXPECT_EQ(of_one.seeker_id(0), 1);
  try {
    CandidateGraph::build(pool, Seekers(pool, {six}), of_one);
    FAIL() << "the lists of seeker 1 were accepted for seeker 6";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].value, "1");
  }
}
