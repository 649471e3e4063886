#!/usr/bin/env bash
# Build (preset `release`) and run the top_candidates example:
#   scripts/demo.sh [ARGS...]     # ARGS are passed to top_candidates
# Setup and build output go to stderr; stdout is the example's own output.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
libmatch_build release top_candidates >&2
exec "$LIBMATCH_ROOT/build/release/examples/cpp/top_candidates" "$@"
