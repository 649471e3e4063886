#!/usr/bin/env bash
# libmatch developer environment.
#
#   source scripts/setup.sh     # from demo.sh, test.sh or an interactive shell
#   bash scripts/setup.sh       # just install what is missing
#
# Installs what is missing and nothing else (a second run is quick and quiet):
#   - Debian packages for building the C++ code (compiler, GoogleTest, Google
#     Benchmark, Eigen, LEMON, clang-format for the pre-commit checks,
#     iso-codes for rebuilding the language-code table;
#     python3-dev when the python3 in use is
#     Debian's and lacks Python.h), via apt-get, only when some are not installed;
#   - the virtualenv .venv at the repo root, with requirements-dev.txt
#     (cmeel-boost for Boost >= 1.88, cmake, ninja, the Python build and test
#     tools: scikit-build-core, pybind11, numpy, pandas, pytest...), reinstalled only
#     when the file's sha256 differs from the stamp kept in .venv.
# Then exports PATH (.venv/bin first), VIRTUAL_ENV, CMAKE_PREFIX_PATH (cmeel's
# prefix first), LIBMATCH_ROOT and the shell function
#   libmatch_build PRESET [TARGET...]
# which configures build/PRESET once (when its CMakeCache.txt is missing) and
# then builds the preset (all targets, or the given ones).
#
# Progress and tool output go to stderr, so stdout stays clean for callers.
# Safe under `set -euo pipefail`; it does not change the caller's shell options.

LIBMATCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)" || return 1 2>/dev/null || exit 1
export LIBMATCH_ROOT

_libmatch_say() { printf 'setup: %s\n' "$*" >&2; }
_libmatch_fail() {
  printf 'setup: error: %s\n' "$*" >&2
  return 1
}

# Run a command as root (directly, or through sudo).
_libmatch_as_root() {
  if [[ ${EUID:-$(id -u)} -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    _libmatch_fail "need root or sudo to run: $*"
  fi
}

_libmatch_pkg_installed() {
  local status
  status="$(dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null)" || return 1
  [[ $status == *"install ok installed"* ]]
}

# True when .venv exists and its interpreter still runs.
_libmatch_venv_ok() {
  [[ -x "$LIBMATCH_ROOT/.venv/bin/python" ]] && "$LIBMATCH_ROOT/.venv/bin/python" -c '' 2>/dev/null
}

_libmatch_setup() {
  local venv="$LIBMATCH_ROOT/.venv"
  local req="$LIBMATCH_ROOT/requirements-dev.txt"
  local stamp="$venv/.requirements-dev.sha256"

  # --- Debian packages ------------------------------------------------------
  local pkgs=(build-essential pkg-config git ca-certificates
    libgtest-dev libbenchmark-dev libeigen3-dev liblemon-dev clang-format iso-codes)
  local need_venv=0
  if ! _libmatch_venv_ok; then
    need_venv=1
    # A python3 able to make a virtualenv (pyenv's usually is; Debian's needs python3-venv).
    if ! command -v python3 >/dev/null 2>&1; then
      pkgs+=(python3 python3-venv)
    elif ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
      pkgs+=(python3-venv)
    fi
  fi
  # Python.h, for building the extension libmatch._core: Debian's python3
  # keeps it in python3-dev (pyenv and python.org builds ship their own).
  local py=python3 py_include=""
  if ((!need_venv)); then
    py="$venv/bin/python"
  fi
  if command -v "$py" >/dev/null 2>&1; then
    py_include="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)" \
      || py_include=""
  fi
  if [[ -z $py_include || ($py_include == /usr/include/* && ! -f $py_include/Python.h) ]]; then
    pkgs+=(python3-dev)
  fi
  local missing=() p
  for p in "${pkgs[@]}"; do
    if ! _libmatch_pkg_installed "$p"; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]})); then
    command -v apt-get >/dev/null 2>&1 \
      || _libmatch_fail "apt-get not found; install these by hand: ${missing[*]}" || return 1
    _libmatch_say "installing Debian packages: ${missing[*]}"
    _libmatch_as_root env DEBIAN_FRONTEND=noninteractive apt-get -q update >&2 \
      || _libmatch_fail "apt-get update failed" || return 1
    _libmatch_as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
      || _libmatch_fail "apt-get install failed: ${missing[*]}" || return 1
  fi

  # --- virtualenv -------------------------------------------------------------
  if ((need_venv)); then
    _libmatch_say "creating virtualenv .venv"
    python3 -m venv --clear "$venv" >&2 || _libmatch_fail "python3 -m venv failed" || return 1
  fi
  [[ -f $req ]] || _libmatch_fail "missing $req" || return 1
  local want have=""
  want="$(sha256sum "$req")" || return 1
  want="${want%% *}"
  if [[ -f $stamp ]]; then
    have="$(<"$stamp")"
  fi
  if [[ $want != "$have" ]]; then
    _libmatch_say "installing Python packages from requirements-dev.txt"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install -q --no-input -r "$req" >&2 \
      || _libmatch_fail "pip install -r requirements-dev.txt failed" || return 1
    printf '%s\n' "$want" >"$stamp" || return 1
  fi

  # --- environment ----------------------------------------------------------
  export VIRTUAL_ENV="$venv"
  case ":$PATH:" in
    ":$venv/bin:"*) ;;
    *) export PATH="$venv/bin:$PATH" ;;
  esac
  local cmeel_prefix
  if ! cmeel_prefix="$("$venv/bin/python" -m cmeel cmake 2>/dev/null)" || [[ ! -d $cmeel_prefix ]]; then
    "$venv/bin/python" -m cmeel cmake >&2 || true
    _libmatch_fail "could not get the cmeel prefix (python -m cmeel cmake); is cmeel-boost installed?"
    return 1
  fi
  case ":${CMAKE_PREFIX_PATH:-}:" in
    ":$cmeel_prefix:"*) ;;
    "::") export CMAKE_PREFIX_PATH="$cmeel_prefix" ;;
    *) export CMAKE_PREFIX_PATH="$cmeel_prefix:$CMAKE_PREFIX_PATH" ;;
  esac
  return 0
}

# libmatch_build PRESET [TARGET...]: configure build/PRESET if it has no
# CMakeCache.txt yet, then build the preset (the given targets, or all).
libmatch_build() {
  if (($# < 1)); then
    printf 'usage: libmatch_build PRESET [TARGET...]\n' >&2
    return 2
  fi
  local preset="$1"
  shift
  local targets=()
  if (($#)); then
    targets=(--target "$@")
  fi
  # Build output goes to stderr: stdout is for what the callers run after.
  if [[ ! -f "$LIBMATCH_ROOT/build/$preset/CMakeCache.txt" ]]; then
    (cd "$LIBMATCH_ROOT" && cmake --preset "$preset" >&2) || return
  fi
  (cd "$LIBMATCH_ROOT" && cmake --build --preset "$preset" -j "$(nproc)" "${targets[@]}" >&2)
}

# libmatch_install_python: the Python package, editable in .venv. It runs
# every time, so that Python sees the current C++; the build tree
# build/python/ is kept, so a second run only re-links what changed (about a
# second when nothing did).
libmatch_install_python() {
  (cd "$LIBMATCH_ROOT" && PIP_DISABLE_PIP_VERSION_CHECK=1 python -m pip install -q --no-input \
    --no-build-isolation --no-deps --config-settings=build-dir="build/python/{wheel_tag}" -e . >&2)
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  # Run directly: strict mode, exit status of the setup.
  set -euo pipefail
  _libmatch_setup
else
  # Sourced: report failure to the caller (whose `set -e` then stops it).
  _libmatch_setup || return 1
fi
