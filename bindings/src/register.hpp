// One registration function per area of the _core module.
#pragma once

#include <libmatch/version.hpp>
#include <pybind11/pybind11.h>

namespace libmatch::python {

void register_errors(pybind11::module_& m);    // InputError, NoStableMatchingError
void register_matching(pybind11::module_& m);  // algorithms on plain data
void register_pool(pybind11::module_& m);      // config, tables, scorer, graph, pairings

}  // namespace libmatch::python
