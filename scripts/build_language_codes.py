#!/usr/bin/env python3
"""Rebuild libmatch/src/language_codes.cpp, the three-letter language codes.

    python3 scripts/build_language_codes.py [--out PATH] [--iso-codes DIR] [--copyright FILE]

Source: Debian's ``iso-codes`` package, pinned at version ``PINNED_VERSION``
(Debian 12's; ``apt-get install iso-codes``), which installs the ISO 639
tables as JSON in ``/usr/share/iso-codes/json``:

- ``iso_639-2.json``: every ISO 639-2 code (``alpha_3``, the terminologic
  one such as ``deu``), its bibliographic variant where it has one
  (``bibliographic``: ``ger``, ``fre``, ``chi``) and its ISO 639-1 code
  (``alpha_2``) where one exists;
- ``iso_639-3.json``: every ISO 639-3 code (``alpha_3``) with its ISO 639-1
  code where one exists.

The output maps each three-letter code, terminologic or bibliographic, of a
language that has a two-letter code to that code (``por`` -> ``pt``, ``ger``
and ``deu`` -> ``de``), sorted by the three-letter code. Codes without a
two-letter code (``yue``, ``haw``) are not listed: libmatch keeps them as
they are. A code that the two tables would map to different two-letter codes
stops the script. The data is iso-codes' and keeps its licence, which the
header of the output states as the package's copyright file has it.

The output is deterministic: the same package gives the same bytes. The
package version is read with ``dpkg-query``; another version than the pinned
one is refused (pass ``--any-version`` to build from it anyway, and then pin
it here). tests/python/test_language_codes.py runs this script and compares
its output with the checked-in file when the pinned package is installed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "libmatch" / "src" / "language_codes.cpp"
DEFAULT_ISO_CODES = Path("/usr/share/iso-codes/json")
DEFAULT_COPYRIGHT = Path("/usr/share/doc/iso-codes/copyright")
PACKAGE = "iso-codes"
PINNED_VERSION = "4.15.0-1"


def installed_version() -> str:
    """The installed version of the package, or "" when it is not installed."""
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", PACKAGE], capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def read_aliases(directory: Path) -> List[Tuple[str, str]]:
    """(three-letter code, two-letter code) pairs, sorted, from both tables."""
    aliases: Dict[str, str] = {}
    origin: Dict[str, str] = {}

    def add(alpha3: str, alpha2: str, where: str) -> None:
        if not (len(alpha3) == 3 and alpha3.isascii() and alpha3.isalpha() and alpha3.islower()):
            raise SystemExit(f"{where}: unexpected three-letter code {alpha3!r}")
        if not (len(alpha2) == 2 and alpha2.isascii() and alpha2.isalpha() and alpha2.islower()):
            raise SystemExit(f"{where}: unexpected two-letter code {alpha2!r} for {alpha3!r}")
        known = aliases.setdefault(alpha3, alpha2)
        if known != alpha2:
            raise SystemExit(f"{alpha3!r} is {known!r} in {origin[alpha3]} but {alpha2!r} in {where}")
        origin.setdefault(alpha3, where)

    for name, key in (("iso_639-2.json", "639-2"), ("iso_639-3.json", "639-3")):
        path = directory / name
        entries = json.loads(path.read_text(encoding="utf-8"))[key]
        for entry in entries:
            alpha2 = entry.get("alpha_2")
            if alpha2 is None:
                continue
            add(entry["alpha_3"], alpha2, name)
            if "bibliographic" in entry:
                add(entry["bibliographic"], alpha2, name)
    return sorted(aliases.items())


def read_copyright(path: Path) -> Tuple[List[str], str]:
    """The copyright holders and the licence of the package's ``Files: *``
    stanza (Debian's machine-readable copyright format)."""
    stanza: Dict[str, List[str]] = {}
    current = None
    in_files_star = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if in_files_star:
                break
            current = None
            continue
        if line[0] in " \t":
            if in_files_star and current is not None:
                stanza[current].append(line.strip())
            continue
        field, _, value = line.partition(":")
        current = field.strip()
        if current == "Files":
            in_files_star = value.strip() == "*"
        if in_files_star:
            stanza[current] = [value.strip()] if value.strip() else []
    if not stanza.get("Copyright") or not stanza.get("License"):
        raise SystemExit(f"{path}: no 'Files: *' stanza with Copyright and License")
    holders = stanza["Copyright"]
    licence = stanza["License"][0]  # the first line names it; the rest is its text
    return holders, licence


def render(aliases: List[Tuple[str, str]], version: str, holders: List[str], licence: str) -> str:
    lines = [
        "// Generated by scripts/build_language_codes.py: do not edit, run the script.",
        "//",
        f"// Source: Debian's {PACKAGE} package, version {version}: its ISO 639-2 table",
        "// (iso_639-2.json: terminologic and bibliographic codes) and ISO 639-3 table",
        "// (iso_639-3.json), each three-letter code of a language that has an ISO 639-1",
        f"// two-letter code ({len(aliases)} codes). The data is {PACKAGE}'s and keeps its",
        f"// licence, {licence} (the GNU Lesser General Public License, version 2.1 or, at",
        "// your option, any later version), as the package's copyright file states for",
        "// all its files:",
    ]
    for holder in holders:
        lines.append(f"//   Copyright {holder}")
    lines += [
        "",
        '#include "language_codes.hpp"',
        "",
        "#include <algorithm>",
        "#include <array>",
        "",
        "namespace libmatch::detail {",
        "namespace {",
        "",
        "struct Alias {",
        "  std::string_view alpha3;",
        "  std::string_view alpha2;",
        "};",
        "",
        "// Sorted by alpha3; one code a line, so that a new package version diffs",
        "// line by line.",
        "// clang-format off",
        f"constexpr std::array<Alias, {len(aliases)}> kAliases{{{{",
    ]
    for alpha3, alpha2 in aliases:
        lines.append(f'    {{"{alpha3}", "{alpha2}"}},')
    lines += [
        "}};",
        "// clang-format on",
        "",
        "}  // namespace",
        "",
        "std::optional<std::string_view> two_letter_language(std::string_view alpha3) {",
        "  const auto it = std::lower_bound(kAliases.begin(), kAliases.end(), alpha3,",
        "                                   [](const Alias& a, std::string_view c) { return a.alpha3 < c; });",
        "  if (it == kAliases.end() || it->alpha3 != alpha3) return std::nullopt;",
        "  return it->alpha2;",
        "}",
        "",
        "}  // namespace libmatch::detail",
    ]
    return "\n".join(lines) + "\n"


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    parser.add_argument("--iso-codes", type=Path, default=DEFAULT_ISO_CODES, help=f"the JSON tables (default {DEFAULT_ISO_CODES})")
    parser.add_argument("--copyright", type=Path, default=DEFAULT_COPYRIGHT, help=f"the package's copyright file (default {DEFAULT_COPYRIGHT})")
    parser.add_argument("--any-version", action="store_true", help=f"build from an installed {PACKAGE} other than {PINNED_VERSION}")
    args = parser.parse_args(argv)

    version = installed_version()
    if not version:
        raise SystemExit(f"{PACKAGE} is not installed: apt-get install {PACKAGE}={PINNED_VERSION}")
    if version != PINNED_VERSION and not args.any_version:
        raise SystemExit(f"{PACKAGE} {version} is installed, but the pinned version is {PINNED_VERSION}")
    aliases = read_aliases(args.iso_codes)
    holders, licence = read_copyright(args.copyright)
    args.out.write_bytes(render(aliases, version, holders, licence).encode("utf-8"))
    print(f"{args.out}: {len(aliases)} three-letter codes from {PACKAGE} {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
