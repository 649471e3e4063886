# ctest script: configure, build and run tests/add_subdirectory, a project
# that includes libmatch's source tree with add_subdirectory.
include("${CMAKE_CURRENT_LIST_DIR}/run_command.cmake")

file(REMOVE_RECURSE "${WORK_DIR}")
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/add_subdirectory" -B "${WORK_DIR}" -G "${GENERATOR}"
    -DCMAKE_BUILD_TYPE=Debug "-DLIBMATCH_SOURCE_DIR=${SOURCE_DIR}" "-DBoost_DIR=${Boost_DIR}"
    "-DEigen3_DIR=${Eigen3_DIR}")
run(${CMAKE_COMMAND} --build "${WORK_DIR}")
run("${WORK_DIR}/consumer" 3)
if(NOT output MATCHES "score")
  message(FATAL_ERROR "the consumer printed no candidates:\n${output}")
endif()
message(STATUS "libmatch built and ran inside ${WORK_DIR} through add_subdirectory")
