// libmatch._core: the C++ engine for the pure-Python package libmatch.
#include <pybind11/pybind11.h>

#include "register.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "libmatch's C++ core; use the libmatch package, not this module.";
  m.attr("__version__") = LIBMATCH_VERSION_STRING;
  libmatch::python::register_errors(m);
  libmatch::python::register_matching(m);
  libmatch::python::register_pool(m);
}
