# Eigen and Boost, found the same way here and in the installed package
# config (libmatch-config.cmake.in), so users and this build agree.
find_package(Threads REQUIRED)

# PyPI's cmeel packages (cmeel-boost, cmeel-eigen) install a CMake prefix
# inside site-packages; add it when the Python in use has one, so that a
# `pip install .` finds the Boost and Eigen it was given as build needs.
find_package(Python COMPONENTS Interpreter QUIET)
if(Python_Interpreter_FOUND)
  execute_process(COMMAND ${Python_EXECUTABLE} -m cmeel cmake
                  OUTPUT_VARIABLE cmeel_prefix OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET RESULT_VARIABLE cmeel_missing)
  if(NOT cmeel_missing AND IS_DIRECTORY "${cmeel_prefix}")
    list(APPEND CMAKE_PREFIX_PATH "${cmeel_prefix}")
  endif()
endif()

find_package(Eigen3 3.4 REQUIRED NO_MODULE)

# maximum_weighted_matching is wrong before Boost 1.88 (boostorg/graph issue
# 399, rewritten in PR 400), and the tests hold libmatch's own matching
# against it, so an older Boost is refused outright.
set(LIBMATCH_MIN_BOOST 1.88)
find_package(Boost ${LIBMATCH_MIN_BOOST} CONFIG QUIET)
if(NOT Boost_FOUND)
  find_package(Boost CONFIG QUIET)
  if(Boost_FOUND)
    set(_found "found Boost ${Boost_VERSION} in ${Boost_DIR}, which is too old")
  else()
    set(_found "found no Boost")
  endif()
  message(FATAL_ERROR
    "libmatch needs Boost >= ${LIBMATCH_MIN_BOOST} (Boost.Graph's maximum_weighted_matching "
    "is wrong before 1.88; Debian 12 ships 1.74), and CMake ${_found}.\n"
    "Get a current Boost with `pip install cmeel-boost` and pass its prefix:\n"
    "  cmake -DCMAKE_PREFIX_PATH=\"$(python3 -m cmeel cmake)\" ...\n"
    "or run scripts/setup.sh, which does both.")
endif()
