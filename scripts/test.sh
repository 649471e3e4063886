#!/usr/bin/env bash
# Build everything (preset `release`), install the Python package (editable)
# and run the test suites: GoogleTest through CTest, then pytest.
# Exits non-zero when the build or any test fails.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$LIBMATCH_ROOT"

# Formatting and well-formed files (.pre-commit-config.yaml).
pre-commit run --all-files --show-diff-on-failure

# C++: GoogleTest suite and the find_package check, through CTest.
libmatch_build release
ctest --preset release

# Python: the package, installed editable into .venv, then pytest (the API,
# the command line, the notebooks).
libmatch_install_python
python -m pytest
