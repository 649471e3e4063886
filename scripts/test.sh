#!/usr/bin/env bash
# Build everything (preset `release`) and run the test suites.
# Exits non-zero when the build or any test fails.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$LIBMATCH_ROOT"

# C++: GoogleTest suite and the find_package check, through CTest.
libmatch_build release
ctest --preset release

# Python (pytest): added here by a later issue, once the pybind11 bindings exist.
