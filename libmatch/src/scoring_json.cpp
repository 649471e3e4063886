// ScoringConfig as a JSON document ("libmatch.scoring/1"): what libmatch.fit
// writes and any C++ or Python caller reads back, bit for bit.
#include <charconv>
#include <fstream>
#include <sstream>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include "libmatch/error.hpp"
#include "libmatch/scoring.hpp"

#include "validation.hpp"

namespace libmatch {
namespace {

constexpr std::string_view kFormat = "libmatch.scoring/1";

void write_string(std::ostream& out, std::string_view text) {
  out << '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out << '\\';
    out << c;
  }
  out << '"';
}

// Reads one document into a config, collecting every problem.
class Reader {
 public:
  explicit Reader(detail::ProblemList& problems) : problems_(problems) {}

  void problem(const std::string& field, const std::string& value, const std::string& reason) {
    problems_.add("config", static_cast<std::size_t>(-1), field, value, reason);
  }

  void number(const boost::property_tree::ptree& node, const std::string& field, double& out) {
    const std::string& text = node.data();
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!node.empty() || error != std::errc() || end != text.data() + text.size()) {
      problem(field, text, "not a number");
      return;
    }
    out = value;
  }

  template <typename Enum, std::size_t N>
  void choice(const boost::property_tree::ptree& node, const std::string& field, Enum& out,
              const std::array<Enum, N>& options, std::string_view (*name)(Enum)) {
    std::string known;
    for (Enum option : options) {
      if (node.data() == name(option)) {
        out = option;
        return;
      }
      known += (known.empty() ? "" : ", ") + std::string(name(option));
    }
    problem(field, node.data(), "must be one of " + known);
  }

 private:
  detail::ProblemList& problems_;
};

}  // namespace

std::string ScoringConfig::to_json() const {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  const auto number = [&](double x) { out << detail::to_text(x); };
  out << "{\n  \"format\": ";
  write_string(out, kFormat);
  out << ",\n  \"weights\": {";
  const std::pair<const char*, double> weight_fields[] = {
      {"population", weights.population}, {"region", weights.region},
      {"language", weights.language},     {"interests", weights.interests},
      {"distance", weights.distance},     {"affinity", weights.affinity},
      {"activity", weights.activity}};
  bool first = true;
  for (const auto& [name, w] : weight_fields) {
    out << (first ? "" : ", ") << '"' << name << "\": ";
    number(w);
    first = false;
  }
  out << "},\n";
  const auto field = [&](const char* name) { out << "  \"" << name << "\": "; };
  const auto text_field = [&](const char* name, std::string_view value) {
    field(name);
    write_string(out, value);
    out << ",\n";
  };
  const auto number_field = [&](const char* name, double value) {
    field(name);
    number(value);
    out << ",\n";
  };
  text_field("combination", combination_name(combination));
  number_field("geometric_floor", geometric_floor);
  number_field("population_sigma", population_sigma);
  number_field("population_shape", population_shape);
  text_field("population_range", range_mode_name(population_range));
  number_field("continent_credit", continent_credit);
  text_field("distance_preference", distance_preference_name(distance_preference));
  number_field("distance_scale_km", distance_scale_km);
  text_field("reciprocity", reciprocity_name(reciprocity));
  field("exclude_known_partners");
  out << (exclude_known_partners ? "true" : "false") << ",\n";
  field("compare_sovereign_states");
  out << (compare_sovereign_states ? "true" : "false") << ",\n";
  number_field("affinity_prior", affinity_prior);
  number_field("activity_size_exponent", activity_size_exponent);
  number_field("activity_size_scale", activity_size_scale);
  number_field("activity_prior_strength", activity_prior_strength);
  number_field("activity_half", activity_half);
  field("country_pairs");
  out << '[';
  for (std::size_t i = 0; i < country_pairs.size(); ++i) {
    out << (i ? ",\n    " : "\n    ") << '[';
    write_string(out, country_pairs[i].a);
    out << ", ";
    write_string(out, country_pairs[i].b);
    out << ", ";
    number(country_pairs[i].count);
    out << ']';
  }
  out << (country_pairs.empty() ? "]\n}\n" : "\n  ]\n}\n");
  return out.str();
}

ScoringConfig ScoringConfig::from_json(std::string_view json) {
  namespace pt = boost::property_tree;
  pt::ptree root;
  detail::ProblemList problems;
  try {
    std::istringstream in{std::string(json)};
    pt::read_json(in, root);
  } catch (const pt::json_parser_error& error) {
    problems.add("config", static_cast<std::size_t>(-1), "", "",
                 "not JSON: line " + std::to_string(error.line()) + ": " + error.message());
    problems.throw_if_any();
  }
  ScoringConfig config;
  Reader read(problems);
  for (const auto& [key, node] : root) {
    if (key == "format") {
      if (node.data() != kFormat) {
        read.problem(key, node.data(),
                     "unknown format; this libmatch reads " + std::string(kFormat));
      }
    } else if (key == "weights") {
      const std::pair<const char*, double*> weight_fields[] = {
          {"population", &config.weights.population}, {"region", &config.weights.region},
          {"language", &config.weights.language},     {"interests", &config.weights.interests},
          {"distance", &config.weights.distance},     {"affinity", &config.weights.affinity},
          {"activity", &config.weights.activity}};
      for (const auto& [name, value] : node) {
        const auto it = std::find_if(std::begin(weight_fields), std::end(weight_fields),
                                     [&](const auto& f) { return name == f.first; });
        if (it == std::end(weight_fields)) {
          read.problem("weights." + name, value.data(), "unknown component");
        } else {
          read.number(value, "weights." + name, *it->second);
        }
      }
    } else if (key == "combination") {
      read.choice(node, key, config.combination,
                  std::array{Combination::arithmetic, Combination::geometric}, combination_name);
    } else if (key == "population_range") {
      read.choice(node, key, config.population_range, std::array{RangeMode::hard, RangeMode::soft},
                  range_mode_name);
    } else if (key == "distance_preference") {
      read.choice(node, key, config.distance_preference,
                  std::array{DistancePreference::near, DistancePreference::far,
                             DistancePreference::inverse},
                  distance_preference_name);
    } else if (key == "reciprocity") {
      read.choice(node, key, config.reciprocity,
                  std::array{Reciprocity::geometric_mean, Reciprocity::arithmetic_mean,
                             Reciprocity::minimum, Reciprocity::seeker_only},
                  reciprocity_name);
    } else if (key == "exclude_known_partners" || key == "compare_sovereign_states") {
      if (node.data() != "true" && node.data() != "false") {
        read.problem(key, node.data(), "must be true or false");
      }
      (key == "exclude_known_partners" ? config.exclude_known_partners
                                       : config.compare_sovereign_states) = node.data() == "true";
    } else if (key == "country_pairs") {
      for (const auto& [unused, entry] : node) {
        const std::string field = "country_pairs." + std::to_string(config.country_pairs.size());
        std::vector<std::string> items;
        for (const auto& [unused_key, item] : entry) items.push_back(item.data());
        CountryPairCount pair;
        if (items.size() != 3) {
          read.problem(field, entry.data(), "must be [country, country, count]");
        } else {
          pair.a = items[0];
          pair.b = items[1];
          read.number(entry.back().second, field + ".count", pair.count);
        }
        config.country_pairs.push_back(std::move(pair));
      }
    } else {
      const std::pair<const char*, double*> number_fields[] = {
          {"geometric_floor", &config.geometric_floor},
          {"population_sigma", &config.population_sigma},
          {"population_shape", &config.population_shape},
          {"continent_credit", &config.continent_credit},
          {"distance_scale_km", &config.distance_scale_km},
          {"affinity_prior", &config.affinity_prior},
          {"activity_size_exponent", &config.activity_size_exponent},
          {"activity_size_scale", &config.activity_size_scale},
          {"activity_prior_strength", &config.activity_prior_strength},
          {"activity_half", &config.activity_half}};
      const auto it = std::find_if(std::begin(number_fields), std::end(number_fields),
                                   [&](const auto& f) { return key == f.first; });
      if (it != std::end(number_fields)) {
        read.number(node, key, *it->second);
      } else if (key != "fit") {  // the fit's own diagnostics, for people to read
        read.problem(key, node.data(), "unknown field");
      }
    }
  }
  problems.throw_if_any();
  config.validate();
  return config;
}

void ScoringConfig::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary);
  out << to_json();
  out.close();
  if (!out) throw std::runtime_error("libmatch: cannot write " + path);
}

ScoringConfig ScoringConfig::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("libmatch: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return from_json(text.str());
}

}  // namespace libmatch
