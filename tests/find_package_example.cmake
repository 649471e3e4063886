# ctest script: cmake --install, then configure, build and run examples/cpp
# against the installed package only.
include("${CMAKE_CURRENT_LIST_DIR}/run_command.cmake")

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
# Only the install prefix and the dependencies' own locations are given:
# the source and build trees are on no search path.
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/examples/cpp" -B "${WORK_DIR}/build" -G "${GENERATOR}"
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} "-DCMAKE_PREFIX_PATH=${prefix}" "-DBoost_DIR=${Boost_DIR}"
    "-DEigen3_DIR=${Eigen3_DIR}" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/top_candidates" 3)
if(NOT output MATCHES "score")
  message(FATAL_ERROR "top_candidates printed no candidates:\n${output}")
endif()
run("${WORK_DIR}/build/csv_pairings" "${SOURCE_DIR}/examples/cpp/cities.csv")
if(NOT output MATCHES "pairs \\([1-9]" OR NOT output MATCHES "unmatched")
  message(FATAL_ERROR "csv_pairings printed no pairing:\n${output}")
endif()
# A bad CSV: exit status 1 and every problem reported.
file(WRITE "${WORK_DIR}/bad.csv" "id,name,country,lat,lon,population,languages,interests\n1,A,XX,95,0,-1,en,bogus\n")
execute_process(COMMAND "${WORK_DIR}/build/csv_pairings" "${WORK_DIR}/bad.csv"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "unknown country" OR NOT err MATCHES "bogus")
  message(FATAL_ERROR "csv_pairings did not report every problem in a bad CSV (${rc}):\n${err}")
endif()
message(STATUS "examples/cpp built against ${prefix} and ran")
