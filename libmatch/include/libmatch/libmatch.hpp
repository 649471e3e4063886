// The cheap headers of libmatch: the city model, scoring, candidates and the
// matching algorithms on plain data. The Boost.Graph types are in
// <libmatch/candidate_graph.hpp>, <libmatch/pairing.hpp> and
// <libmatch/graph_matching.hpp>.
#pragma once

#include "libmatch/candidates.hpp"
#include "libmatch/city_table.hpp"
#include "libmatch/error.hpp"
#include "libmatch/geography.hpp"
#include "libmatch/interests.hpp"
#include "libmatch/matching.hpp"
#include "libmatch/scoring.hpp"
#include "libmatch/seeking_profile.hpp"
#include "libmatch/version.hpp"
