#!/usr/bin/env python3
"""Rebuild bindings/libmatch/data/learned_config.json, the learned scoring.

    .venv/bin/python scripts/build_learned_config.py [--out PATH]

Fits :func:`libmatch.fit` on the bundled world pool and its known
partnerships (``libmatch.datasets.world_cities()`` and
``known_partnerships()``, both built from pinned sources by the other
``build_*`` scripts) and writes the configuration as the
"libmatch.scoring/1" JSON document that ``libmatch.learned_config()`` and
C++'s ``ScoringConfig::load`` read. The fit is seeded, and the document
holds only the configuration (numbers in their shortest round-trip form,
not the fit's timings), so the same data gives the same bytes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bindings" / "libmatch" / "data" / "learned_config.json"


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)

    import libmatch

    started = time.perf_counter()
    document = libmatch.fit(libmatch.datasets.world_cities(), libmatch.datasets.known_partnerships(), seed=0)
    config = libmatch.ScoringConfig.from_dict(document)
    args.out.write_text(config.to_json(), encoding="utf-8")
    weights = config.weights
    print(
        f"{args.out}: fitted in {time.perf_counter() - started:.1f} s; weights population {weights.population:.3g}, "
        f"language {weights.language:.3g}, distance {weights.distance:.3g} ({config.distance_preference}, "
        f"{config.distance_scale_km:.0f} km), affinity {weights.affinity:.3g}, activity {weights.activity:.3g}; "
        f"population shape {config.population_shape:.3g}, sigma {config.population_sigma:.3g}; "
        f"{len(config.country_pairs)} country pairs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
