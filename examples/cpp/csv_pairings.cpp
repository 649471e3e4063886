// csv_pairings: optimal sister-city pairings for cities read from a CSV file.
//
//   csv_pairings CITIES.csv [--seekers ID,ID,...] [--k N]
//
// CITIES.csv has a header row naming the columns (any order, other columns
// are ignored):
//   id,name,country,lat,lon,population,languages,interests
// languages is "en:0.8;fr:0.2" (code:share), interests is "heritage;tourism"
// or "heritage:1;tourism:0.5" (a bare name weighs 1); both may be empty.
// Fields may be double-quoted ("Washington, D.C."), with "" for a quote.
//
// The cities named by --seekers (default: every city) seek one partner each
// (partners = 1); the program lists each seeker's k best candidates
// (default 10), builds the candidate graph and prints the optimal pairing
// and the seekers left unmatched, with the reason.
//
// Exit status: 0 on success, 1 for bad input (every problem is printed),
// 2 for a usage error or an unreadable file.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <libmatch/libmatch.hpp>
#include <libmatch/pairing.hpp>

namespace {

using libmatch::CityRecord;
using libmatch::Problem;

constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);

const char* const kColumns[] = {"id",  "name",       "country",   "lat",
                                "lon", "population", "languages", "interests"};

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// One CSV record (RFC 4180 quoting, a quoted field may span lines).
// Returns false at the end of the input; sets `error` on an unclosed quote.
bool read_record(std::istream& in, std::vector<std::string>& fields, std::size_t& line,
                 std::string& error) {
  fields.clear();
  std::string raw;
  if (!std::getline(in, raw)) return false;
  ++line;
  std::string field;
  bool quoted = false;
  for (;;) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const char c = raw[i];
      if (quoted) {
        if (c == '"' && i + 1 < raw.size() && raw[i + 1] == '"') {
          field += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          field += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.push_back(trim(field));
        field.clear();
      } else {
        field += c;
      }
    }
    if (!quoted) break;
    std::string next;
    if (!std::getline(in, next)) {
      error = "unclosed quote";
      break;
    }
    ++line;
    field += '\n';
    raw = next;
  }
  fields.push_back(trim(field));
  return true;
}

bool parse_int64(const std::string& text, std::int64_t& out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = value;
  return true;
}

bool parse_double(const std::string& text, double& out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (errno == ERANGE || *end != '\0') return false;
  out = value;
  return true;
}

// "en:0.8;fr:0.2" (a share is required) or "heritage;tourism:0.5" (a bare
// name weighs 1). Returns an error message, or "" when the cell is fine.
std::string parse_pairs(const std::string& cell, bool share_required,
                        std::vector<std::pair<std::string, double>>& out) {
  std::stringstream entries(cell);
  std::string entry;
  while (std::getline(entries, entry, ';')) {
    entry = trim(entry);
    if (entry.empty()) continue;
    const auto colon = entry.find(':');
    const std::string name = trim(entry.substr(0, colon));
    if (name.empty()) return "entry '" + entry + "' has no name";
    double number = 1.0;
    if (colon == std::string::npos) {
      if (share_required) return "entry '" + entry + "' has no share; expected code:share";
    } else if (!parse_double(trim(entry.substr(colon + 1)), number)) {
      return "entry '" + entry + "': '" + trim(entry.substr(colon + 1)) + "' is not a number";
    }
    out.emplace_back(name, number);
  }
  return "";
}

// Reads the cities; throws libmatch::InputError with every problem found,
// both the file's (unparsable cells, missing columns) and the library's
// (unknown country, shares above 1, duplicate ids, ...).
std::vector<CityRecord> read_cities(std::istream& in, const std::string& path) {
  std::vector<Problem> problems;
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::string error;
  if (!read_record(in, fields, line, error)) {
    throw libmatch::InputError({{path, "header", "", "the file is empty", kNoRow}});
  }
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < fields.size(); ++i) column.emplace(fields[i], i);
  for (const char* name : kColumns) {
    if (column.count(name) == 0) problems.push_back({path, name, "", "missing column", kNoRow});
  }
  if (!problems.empty()) throw libmatch::InputError(std::move(problems));

  std::vector<CityRecord> records;
  std::vector<std::size_t> lines;                          // the line of each record
  std::set<std::pair<std::size_t, std::string>> unparsed;  // (row, field) already reported
  while (read_record(in, fields, line, error)) {
    if (fields.size() == 1 && fields[0].empty() && error.empty()) continue;  // blank line
    const std::size_t row = records.size();
    const std::string where = path + ":" + std::to_string(line);
    CityRecord city;
    auto bad = [&](const std::string& field, const std::string& value, const std::string& reason) {
      problems.push_back({where, field, value, reason, row});
      unparsed.emplace(row, field);
    };
    if (!error.empty()) {
      problems.push_back({where, "line", "", error, kNoRow});
      error.clear();
    }
    if (fields.size() != column.size()) {
      // A line with the wrong number of fields: say so, and nothing more.
      problems.push_back({where, "line", std::to_string(fields.size()) + " fields",
                          "expected " + std::to_string(column.size()) + " fields, as in the header",
                          kNoRow});
      continue;
    }
    auto cell = [&](const char* name) -> std::string {
      const std::size_t i = column.at(name);
      return i < fields.size() ? fields[i] : std::string();
    };
    // Stand-ins for cells that cannot be read keep the library from
    // reporting them again; every other field is still checked.
    if (!parse_int64(cell("id"), city.id)) {
      bad("id", cell("id"), "not an integer");
      city.id = -1 - static_cast<std::int64_t>(row);  // unique, never a real id here
    }
    city.name = cell("name");
    city.country = cell("country");
    if (!parse_double(cell("lat"), city.latitude)) bad("lat", cell("lat"), "not a number");
    if (!parse_double(cell("lon"), city.longitude)) bad("lon", cell("lon"), "not a number");
    if (!parse_double(cell("population"), city.population)) {
      bad("population", cell("population"), "not a number");
      city.population = 1;
    }
    std::string why = parse_pairs(cell("languages"), true, city.languages);
    if (!why.empty()) {
      bad("languages", cell("languages"), why);
      city.languages.clear();
    }
    why = parse_pairs(cell("interests"), false, city.interests);
    if (!why.empty()) {
      bad("interests", cell("interests"), why);
      city.interests.clear();
    }
    records.push_back(std::move(city));
    lines.push_back(line);
  }
  if (records.empty() && problems.empty()) {
    problems.push_back({path, "rows", "", "no cities after the header", kNoRow});
  }

  // The library's own checks, on everything that could be read. Its field
  // names ("latitude", "languages.fr") are mapped onto the CSV's columns.
  try {
    (void)libmatch::CityTable::from_records(records);
  } catch (const libmatch::InputError& core) {
    for (Problem p : core.problems()) {
      std::string field = p.field.substr(0, p.field.find('.'));
      if (field == "latitude" || field == "longitude") field = field.substr(0, 3);
      if (p.field == "latitude" || p.field == "longitude") p.field = field;
      if (p.index < lines.size()) {
        // Already reported by the parser.
        if (unparsed.count({p.index, field}) != 0) continue;
        p.record = path + ":" + std::to_string(lines[p.index]);
      }
      problems.push_back(std::move(p));
    }
  }
  if (!problems.empty()) throw libmatch::InputError(std::move(problems));
  return records;
}

// printf pads by bytes; names such as "Kraków" hold multi-byte UTF-8, so
// pad by code points to keep the columns aligned.
std::string padded(const std::string& text, std::size_t width) {
  std::size_t points = 0;
  for (const char c : text) points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return points < width ? text + std::string(width - points, ' ') : text;
}

void print_problems(const libmatch::InputError& error) {
  std::cerr << "invalid input (" << error.problems().size() << " problem"
            << (error.problems().size() == 1 ? "" : "s") << "):\n";
  for (const Problem& p : error.problems()) {
    std::cerr << "  " << p.record << ": " << p.field << " = '" << p.value << "': " << p.reason
              << '\n';
  }
}

int usage(const char* argv0) {
  std::cerr << "usage: " << argv0 << " CITIES.csv [--seekers ID,ID,...] [--k N]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  std::optional<std::vector<std::int64_t>> seeker_ids;
  std::size_t k = 10;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--seekers" || arg == "--k") && i + 1 >= argc) {
      std::cerr << arg << " needs a value\n";
      return usage(argv[0]);
    }
    if (arg == "--seekers") {
      seeker_ids.emplace();
      std::stringstream list(argv[++i]);
      std::string item;
      while (std::getline(list, item, ',')) {
        std::int64_t id = 0;
        if (!parse_int64(trim(item), id)) {
          std::cerr << "--seekers: '" << item << "' is not an integer id\n";
          return usage(argv[0]);
        }
        seeker_ids->push_back(id);
      }
      if (seeker_ids->empty()) {
        std::cerr << "--seekers: no ids given\n";
        return usage(argv[0]);
      }
    } else if (arg == "--k") {
      std::int64_t value = 0;
      if (!parse_int64(argv[++i], value) || value < 1) {
        std::cerr << "--k: expected an integer >= 1, got '" << argv[i] << "'\n";
        return usage(argv[0]);
      }
      k = static_cast<std::size_t>(value);
    } else if (arg == "-h" || arg == "--help") {
      usage(argv[0]);
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "unknown option " << arg << '\n';
      return usage(argv[0]);
    } else if (path.empty()) {
      path = arg;
    } else {
      return usage(argv[0]);
    }
  }
  if (path.empty()) return usage(argv[0]);

  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::cerr << "cannot open " << path << '\n';
    return 2;
  }

  try {
    const std::vector<CityRecord> records = read_cities(file, path);
    const libmatch::CityTable pool = libmatch::CityTable::from_records(records);

    std::vector<libmatch::SeekingProfile> profiles;
    if (seeker_ids) {
      for (std::int64_t id : *seeker_ids) {
        libmatch::SeekingProfile profile;
        profile.city_id = id;  // partners = 1; unknown ids are reported by Seekers
        profiles.push_back(profile);
      }
    } else {
      for (std::size_t row = 0; row < pool.size(); ++row) {
        libmatch::SeekingProfile profile;
        profile.city_id = pool.id(row);
        profiles.push_back(profile);
      }
    }
    const libmatch::Seekers seekers(pool, std::move(profiles));

    libmatch::CandidateOptions options;
    options.k = k;
    const libmatch::CandidateLists lists = libmatch::candidates(pool, seekers, {}, options);
    const libmatch::CandidateGraph graph = libmatch::CandidateGraph::build(pool, seekers, lists);
    const libmatch::MatchResult result = libmatch::match(graph, libmatch::Method::optimal);

    auto label = [&](std::int64_t id) {
      const std::size_t row = *pool.row_of(id);
      return pool.name(row) + " (" + std::string(pool.country_code(row)) + ", " +
             std::to_string(id) + ")";
    };
    std::printf("libmatch %s: optimal pairing of %zu seekers among %zu cities (k = %zu)\n",
                LIBMATCH_VERSION_STRING, seekers.size(), pool.size(), k);
    std::printf("candidate graph: %zu vertices, %zu edges\n\n", graph.vertex_count(),
                graph.edge_count());
    std::printf("pairs (%zu):\n", result.pairs.size());
    for (const libmatch::Pairing& pair : result.pairs) {
      std::printf("  %s %s %.4f\n", padded(label(pair.a), 36).c_str(),
                  padded(label(pair.b), 36).c_str(), static_cast<double>(pair.edge.score));
    }
    std::printf("total score %.4f, blocking pairs %zu\n", result.total_score,
                result.stability.count);
    std::printf("\nunmatched (%zu):\n", result.unmatched.size());
    for (const libmatch::Unmatched& u : result.unmatched) {
      std::printf("  %s %d open: %s\n", padded(label(u.id), 36).c_str(), u.open,
                  std::string(libmatch::reason_text(u.reason)).c_str());
    }
    if (result.unmatched.empty()) std::printf("  (none)\n");
  } catch (const libmatch::InputError& error) {
    print_problems(error);
    return 1;
  }
  return 0;
}
