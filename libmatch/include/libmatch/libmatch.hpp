// Everything public in libmatch.
#pragma once

#include "libmatch/candidates.hpp"
#include "libmatch/city_table.hpp"
#include "libmatch/error.hpp"
#include "libmatch/geography.hpp"
#include "libmatch/interests.hpp"
#include "libmatch/scoring.hpp"
#include "libmatch/seeking_profile.hpp"
#include "libmatch/version.hpp"
