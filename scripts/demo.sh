#!/usr/bin/env bash
# The main job: install what is needed, build the Python package and run
#   libmatch demo [ARGS...]
# (the sample seekers against the bundled world cities, paired optimally).
# Setup and build output go to stderr; stdout is the demo's own output.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
libmatch_install_python
exec libmatch demo "$@"
