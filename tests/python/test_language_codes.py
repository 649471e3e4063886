"""The three-letter language codes: libmatch/src/language_codes.cpp and its rebuild script."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

import libmatch

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_language_codes.py"
GENERATED = ROOT / "libmatch" / "src" / "language_codes.cpp"


def _script():
    spec = importlib.util.spec_from_file_location("build_language_codes", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _script()
NEEDS_PACKAGE = pytest.mark.skipif(
    BUILD.installed_version() != BUILD.PINNED_VERSION or not (BUILD.DEFAULT_ISO_CODES / "iso_639-2.json").is_file(),
    reason=f"the rebuild needs Debian's {BUILD.PACKAGE} {BUILD.PINNED_VERSION} (apt-get install {BUILD.PACKAGE})",
)


@NEEDS_PACKAGE
def test_rebuild_script_reproduces_the_file(tmp_path):
    out = tmp_path / "language_codes.cpp"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True, text=True, timeout=60
    )
    assert out.read_bytes() == GENERATED.read_bytes()
    assert f"from {BUILD.PACKAGE} {BUILD.PINNED_VERSION}" in result.stdout


@NEEDS_PACKAGE
def test_every_three_letter_code_of_the_package_is_its_two_letter_language():
    # End to end through the Python API: a city speaking a three-letter code
    # shares its language (overlap 1) with a city speaking the two-letter code
    # the package gives it, for every ISO 639-2 (terminologic, bibliographic)
    # and ISO 639-3 code that has one; a code without one stays its own.
    import pandas as pd

    expected = {}
    for part in ("2", "3"):
        entries = json.loads((BUILD.DEFAULT_ISO_CODES / f"iso_639-{part}.json").read_text(encoding="utf-8"))[f"639-{part}"]
        for e in entries:
            if "alpha_2" in e:
                for code in (e["alpha_3"], e.get("bibliographic")):
                    if code:
                        expected[code] = e["alpha_2"]
    assert {"por": "pt", "deu": "de", "ger": "de", "fre": "fr", "chi": "zh", "zho": "zh"}.items() <= expected.items()
    pairs = sorted(expected.items()) + [("yue", "zh"), ("haw", "en"), ("cmn", "zh")]
    languages = [f"{three.upper()}-BR:1" for three, _ in pairs] + [f"{two}:1" for _, two in pairs]
    n = len(pairs)
    cities = pd.DataFrame(
        {"id": range(2 * n), "country": "FR", "lat": 0.0, "lon": 0.0, "population": 1000.0, "languages": languages}
    )
    pool = libmatch.Pool(cities, libmatch.ScoringConfig(), partnerships=None)
    for i, (three, two) in enumerate(pairs):
        overlap = pool.explain(i, n + i)["forward"]["components"]["language"]["value"]
        assert overlap == pytest.approx(1.0 if three in expected else 0.0), (three, two)
