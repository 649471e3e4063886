// libmatch's C++ exceptions as Python ones.
//
// The Python classes are defined in libmatch/_errors.py, not here: one class
// then serves the C++ core and the pure-Python layer alike, pickles, and
// gets its pandas-facing `problems` property in Python. The translator
// raises them by importing that module (a sys.modules look-up once it is
// loaded), so no Python object is kept in a C++ static. Exceptions not
// handled here fall through to pybind11's standard mapping
// (invalid_argument -> ValueError, overflow_error -> OverflowError, ...),
// which keeps their messages.
#include <cstddef>
#include <exception>
#include <string>

#include <pybind11/pybind11.h>

#include "libmatch/error.hpp"
#include "libmatch/matching.hpp"

#include "register.hpp"

namespace py = pybind11;

namespace libmatch::python {
namespace {

constexpr const char* kErrorsModule = "libmatch._errors";

// Problem texts may quote user input that is not valid UTF-8; a replacement
// character beats losing the InputError to a UnicodeDecodeError.
py::str text(const std::string& s) {
  PyObject* decoded = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (decoded == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(decoded);
}

py::object error_class(const char* name) { return py::module_::import(kErrorsModule).attr(name); }

void raise_input_error(const InputError& error) {
  py::list problems;
  for (const Problem& p : error.problems()) {
    py::dict entry;
    entry["record"] = text(p.record);
    entry["field"] = text(p.field);
    entry["value"] = text(p.value);
    entry["reason"] = text(p.reason);
    entry["row"] = p.index == static_cast<std::size_t>(-1) ? py::object(py::none())
                                                           : py::object(py::int_(p.index));
    problems.append(std::move(entry));
  }
  py::object type = error_class("InputError");
  py::object instance = type(text(error.what()), std::move(problems));
  PyErr_SetObject(type.ptr(), instance.ptr());
}

void raise_error(const char* name, const char* message) {
  py::object type = error_class(name);
  PyErr_SetObject(type.ptr(), text(message).ptr());
}

}  // namespace

void register_errors(py::module_& m) {
  // Importing here makes a broken package fail at import, not at the first
  // error, and lets `_core.InputError is libmatch.InputError` hold.
  py::module_ errors = py::module_::import(kErrorsModule);
  for (const char* name : {"InputError", "NoStableMatchingError", "Cancelled"})
    m.attr(name) = errors.attr(name);

  // Module-local: only this extension throws libmatch's types. A translator
  // that throws (say, while building the problem list) hands the new
  // exception on to the next translator, so nothing is swallowed. The
  // parameter is by value because pybind11's translator type says so.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  py::register_local_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const InputError& e) {
      raise_input_error(e);
    } catch (const NoStableMatchingError& e) {
      raise_error("NoStableMatchingError", e.what());
    } catch (const Cancelled& e) {
      // A progress callback that saw Ctrl-C may already have set
      // KeyboardInterrupt (PyErr_CheckSignals) before throwing Cancelled:
      // keep that error, which is what the user expects to see.
      if (PyErr_Occurred() == nullptr) raise_error("Cancelled", e.what());
    }
  });
}

}  // namespace libmatch::python
