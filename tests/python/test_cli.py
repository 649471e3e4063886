"""The libmatch command (libmatch.cli): formats, bad records, schema, exit codes, demo."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest

import libmatch
from libmatch import cli, datasets

POOL_CSV = """\
id,name,country,lat,lon,population,languages,interests
1,Lyon,FR,45.76,4.84,522000,fr:0.93,arts_culture;heritage
2,Porto,PT,41.15,-8.61,232000,pt:0.97,tourism;heritage
3,Quebec City,CA,46.81,-71.21,550000,fr:0.95;en:0.02,heritage;tourism
4,Kyoto,JP,35.01,135.77,1460000,ja:0.98,heritage;arts_culture
5,Boston,US,42.36,-71.06,650000,en:0.8;es:0.1,education;technology
6,Krakow,PL,50.06,19.94,800000,pl:0.97,heritage;education
7,Rosario,AR,-32.95,-60.65,950000,es:0.95,sports;arts_culture
8,Mombasa,KE,-4.05,39.67,1200000,sw:0.6;en:0.3,tourism
"""

GOOD = [
    {"request_id": "kyoto", "id": 4, "regions": ["Europe"], "interests": ["heritage", "tourism"]},
    {"request_id": "boston", "id": 5, "partners": 2, "interests": ["education"], "exclude": [6]},
    {
        "request_id": "tartu", "name": "Tartu", "country": "EE", "population": 91000, "lat": 58.38,
        "lon": 26.72, "city_languages": {"et": 0.7, "ru": 0.25}, "interests": ["education"],
    },
]  # fmt: skip
BAD_LINES = {
    "malformed": '{"id": 4, "regions": ["Europe"',
    "bad-country": json.dumps({"request_id": "bad-country", "name": "Nowhere", "country": "ZZ", "population": 1000, "lat": 1, "lon": 2}),
    "neg-pop": json.dumps({"request_id": "neg-pop", "name": "Minus", "country": "FR", "population": -5, "lat": 1, "lon": 2}),
    "bad-interest": json.dumps({"request_id": "bad-interest", "id": 7, "interests": ["knitting"]}),
    "missing": json.dumps({"request_id": "missing", "name": "Tartu", "country": "EE", "population": 91000, "lat": 58.38}),
    "not-in-pool": json.dumps({"request_id": "not-in-pool", "id": 999}),
}


def _schema(name):
    return json.loads(resources.files("libmatch.schema").joinpath(name).read_text(encoding="utf-8"))


MATCH_VALIDATOR = jsonschema.Draft202012Validator(_schema("match-record.schema.json"))
SEEKER_VALIDATOR = jsonschema.Draft202012Validator(_schema("seeker-record.schema.json"))


@pytest.fixture
def pool_file(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text(POOL_CSV, encoding="utf-8")
    return str(path)


def run(argv, capsys, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(text):
    return [json.loads(line) for line in text.splitlines()]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def to_csv_record(record):
    out = {}
    for key, value in record.items():
        if isinstance(value, list):
            out[key] = ";".join(map(str, value))
        elif isinstance(value, dict):
            out[key] = ";".join(f"{k}:{v}" for k, v in value.items())
        else:
            out[key] = value
    return out


def write_csv(path, records):
    rows = [to_csv_record(r) for r in records]
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def test_seekers_input_matches_its_schema():
    for record in GOOD:
        SEEKER_VALIDATOR.validate(record)


def test_seeking_sample_runs_on_the_world_pool():
    sample = datasets.seeking_sample()
    assert 40 <= len(sample) <= 60
    assert sample["id"].is_unique
    assert {"id", "partners", "regions", "countries", "population_min", "population_max",
            "languages", "interests", "exclude", "same_country"} <= set(sample.columns)  # fmt: skip
    assert set(sample["partners"]) <= {1, 2, 3} and (sample["partners"] == 1).sum() > len(sample) / 2
    assert sample["population_max"].isna().any()
    world = datasets.world_cities()
    assert set(sample["id"]) <= set(world["id"])
    continents = set(world.set_index("id").loc[sample["id"], "continent"])
    assert continents == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    assert all(set(i) <= set(libmatch.INTERESTS) for i in sample["interests"])
    pool = libmatch.Pool(world)
    assert len(pool.candidates(sample, k=5)) > 0
    result = pool.match(sample, method="optimal", k=10)
    assert len(result.pairs) > 0


@pytest.mark.parametrize("in_format", ["jsonl", "json", "csv"])
@pytest.mark.parametrize("out_format", ["jsonl", "json", "csv"])
def test_round_trip_every_format(tmp_path, pool_file, capsys, in_format, out_format):
    reference_in = write_jsonl(tmp_path / "ref.jsonl", GOOD)
    code, ref_out, _ = run(["match", "--seekers", reference_in, "--pool", pool_file, "--k", "3"], capsys)
    assert code == 0
    reference = jsonl(ref_out)

    path = tmp_path / f"seekers.{in_format}"
    if in_format == "jsonl":
        write_jsonl(path, GOOD)
    elif in_format == "json":
        path.write_text(json.dumps(GOOD), encoding="utf-8")
    else:
        write_csv(path, GOOD)
    out_path = tmp_path / f"out.{out_format}"
    code, out, _ = run(["match", "--seekers", str(path), "--pool", pool_file, "--k", "3", "--out", str(out_path)], capsys)
    assert code == 0 and out == ""
    text = out_path.read_text(encoding="utf-8")
    if out_format == "jsonl":
        assert jsonl(text) == reference
    elif out_format == "json":
        assert json.loads(text) == reference
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["request_id"] for r in rows] == [
            str(a["request_id"]) for a in reference for _ in a["candidates"]
        ]
        expected = [(str(c["candidate_id"]), repr(c["score"])) for a in reference for c in a["candidates"]]
        assert [(r["candidate_id"], r["score"]) for r in rows] == expected
        partners = {(str(a["request_id"]), str(p["partner_id"])) for a in reference for p in a["partners"]}
        assert {(r["request_id"], r["candidate_id"]) for r in rows if r["partner"] == "true"} == partners


def test_bad_records_are_answered_in_order_and_do_not_change_the_good_ones(tmp_path, pool_file, capsys):
    lines = [
        json.dumps(GOOD[0]),
        BAD_LINES["malformed"],
        BAD_LINES["bad-country"],
        json.dumps(GOOD[1]),
        BAD_LINES["neg-pop"],
        BAD_LINES["bad-interest"],
        BAD_LINES["missing"],
        BAD_LINES["not-in-pool"],
        json.dumps(GOOD[2]),
    ]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    clean = write_jsonl(tmp_path / "clean.jsonl", GOOD)
    for method in ("optimal", "greedy", "none"):
        base = ["match", "--pool", pool_file, "--k", "4", "--method", method]
        code, out, _ = run(base + ["--seekers", str(mixed)], capsys)
        assert code == 1
        answers = jsonl(out)
        for a in answers:
            MATCH_VALIDATOR.validate(a)
        assert [a["request_id"] for a in answers] == [
            "kyoto", 2, "bad-country", "boston", "neg-pop", "bad-interest", "missing", "not-in-pool", "tartu"
        ]
        assert [a["status"] for a in answers] == ["ok", "error", "error", "ok", "error", "error", "error", "error", "ok"]
        fields = {a["request_id"]: [p["field"] for p in a["problems"]] for a in answers if a["status"] == "error"}
        assert fields == {
            2: [""], "bad-country": ["country"], "neg-pop": ["population"], "bad-interest": ["interests"],
            "missing": ["lon"], "not-in-pool": ["id"],
        }  # fmt: skip
        code, clean_out, _ = run(base + ["--seekers", clean], capsys)
        assert code == 0
        assert [a for a in answers if a["status"] == "ok"] == jsonl(clean_out)


def test_inline_city_and_explicit_new_id(tmp_path, pool_file, capsys):
    explicit = dict(GOOD[2], request_id="tartu-id", id=588335)
    path = write_jsonl(tmp_path / "s.jsonl", [GOOD[2], GOOD[0]])
    code, out, _ = run(["match", "--seekers", path, "--pool", pool_file], capsys)
    answers = jsonl(out)
    assert code == 0 and answers[0]["seeker_id"] < 0 and answers[0]["name"] == "Tartu"
    path = write_jsonl(tmp_path / "t.jsonl", [explicit, dict(GOOD[0], id=4, request_id="x", country="JP", population=1, lat=0, lon=0)])
    code, out, _ = run(["match", "--seekers", path, "--pool", pool_file], capsys)
    answers = jsonl(out)
    assert code == 1
    assert answers[0]["seeker_id"] == 588335
    assert answers[1]["status"] == "error" and answers[1]["problems"][0]["field"] == "id"


def test_a_city_seeking_twice_is_an_error_for_the_later_record(tmp_path, pool_file, capsys):
    path = write_jsonl(tmp_path / "s.jsonl", [GOOD[0], dict(GOOD[0], request_id="again")])
    code, out, _ = run(["match", "--seekers", path, "--pool", pool_file], capsys)
    answers = jsonl(out)
    assert code == 1 and [a["status"] for a in answers] == ["ok", "error"]


def test_stdin_and_stdout(tmp_path, pool_file, capsys, monkeypatch):
    text = "".join(json.dumps(r) + "\n" for r in GOOD)
    code, out, _ = run(["match", "--seekers", "-", "--pool", pool_file, "--out", "-"], capsys, stdin=text, monkeypatch=monkeypatch)
    assert code == 0
    code, ref, _ = run(["match", "--seekers", write_jsonl(tmp_path / "s.jsonl", GOOD), "--pool", pool_file], capsys)
    assert out == ref
    # by content: a JSON array and a CSV on stdin
    code, out_json, _ = run(["match", "--seekers", "-", "--pool", pool_file], capsys, stdin=json.dumps(GOOD), monkeypatch=monkeypatch)
    assert code == 0 and out_json == ref
    write_csv(tmp_path / "s.csv", GOOD)
    csv_text = (tmp_path / "s.csv").read_text(encoding="utf-8")
    code, out_csv, _ = run(["match", "--seekers", "-", "--pool", pool_file], capsys, stdin=csv_text, monkeypatch=monkeypatch)
    assert code == 0 and out_csv == ref


def test_default_request_ids_are_line_and_row_numbers(tmp_path, pool_file, capsys):
    records = [{k: v for k, v in r.items() if k != "request_id"} for r in GOOD]
    code, out, _ = run(["match", "--seekers", write_csv(tmp_path / "s.csv", records), "--pool", pool_file], capsys)
    assert [a["request_id"] for a in jsonl(out)] == [1, 2, 3]
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(records[0]) + "\n\n" + json.dumps(records[1]) + "\n", encoding="utf-8")
    code, out, _ = run(["match", "--seekers", str(path), "--pool", pool_file], capsys)
    assert [a["request_id"] for a in jsonl(out)] == [1, 3]


def test_usage_errors_exit_2(tmp_path, pool_file, capsys):
    seekers = write_jsonl(tmp_path / "s.jsonl", GOOD)
    assert run(["match", "--seekers", str(tmp_path / "nope.jsonl"), "--pool", pool_file], capsys)[0] == 2
    assert run(["match", "--seekers", seekers, "--pool", pool_file, "--bogus"], capsys)[0] == 2
    assert run(["match", "--seekers", seekers, "--pool", pool_file, "--weights", "population=x"], capsys)[0] == 2
    assert run(["match", "--seekers", seekers, "--pool", pool_file, "--weights", "colour=1"], capsys)[0] == 2
    assert run(["match", "--seekers", seekers, "--pool", pool_file, "--weights", "region=-1"], capsys)[0] == 2
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("[{", encoding="utf-8")
    assert run(["match", "--seekers", str(bad_json), "--pool", pool_file], capsys)[0] == 2
    assert run([], capsys)[0] == 2
    code, out, _ = run(["match", "--seekers", seekers, "--pool", pool_file, "--weights", "population=2,distance=0.5"], capsys)
    assert code == 0 and len(jsonl(out)) == 3


def test_validate(tmp_path, pool_file, capsys):
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(GOOD[0]) + "\n" + BAD_LINES["bad-interest"] + "\n", encoding="utf-8")
    code, out, err = run(["validate", "--seekers", str(path), "--pool", pool_file], capsys)
    answers = jsonl(out)
    assert code == 1 and [a["status"] for a in answers] == ["ok", "error"]
    for a in answers:
        MATCH_VALIDATOR.validate(a)
    assert "1 of 2" in err
    code, _, _ = run(["validate", "--seekers", write_jsonl(tmp_path / "g.jsonl", GOOD), "--pool", pool_file], capsys)
    assert code == 0


def test_explain(tmp_path, pool_file, capsys):
    code, out, _ = run(["explain", "4", "1", "--pool", pool_file], capsys)
    assert code == 0 and "Kyoto" in out and "Lyon" in out and "population" in out
    seekers = write_jsonl(tmp_path / "s.jsonl", GOOD)
    code, out, _ = run(["explain", "4", "6", "--pool", pool_file, "--seekers", seekers, "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["a"] == 4 and report["b"] == 6
    pool = libmatch.Pool(libmatch.cli._pool_frame(pool_file))
    assert report["score"] == pool.explain(4, 6, [{k: v for k, v in r.items() if k != "request_id"} for r in GOOD[:2]])["score"]
    assert run(["explain", "4", "999", "--pool", pool_file], capsys)[0] == 1


def test_deterministic_subprocess(tmp_path, pool_file):
    seekers = write_jsonl(tmp_path / "s.jsonl", GOOD)
    argv = [sys.executable, "-m", "libmatch", "match", "--seekers", seekers, "--pool", pool_file, "--format", "csv"]
    first = subprocess.run(argv, capture_output=True, check=True)
    second = subprocess.run(argv, capture_output=True, check=True)
    assert first.stdout == second.stdout and first.stdout.startswith(b"request_id,status,")
    assert first.stderr == b""  # no progress bar when stderr is not a terminal


def test_demo_world_pool_subprocess():
    argv = [sys.executable, "-m", "libmatch", "demo"]
    first = subprocess.run(argv, capture_output=True, check=True, text=True)
    second = subprocess.run(argv, capture_output=True, check=True, text=True)
    assert first.stdout == second.stdout
    assert "Kyoto (JP)" in first.stdout and "score" in first.stdout
    assert "pairs, total score" in first.stdout


def test_match_on_world_pool_with_the_sample(tmp_path, capsys):
    sample = datasets.seeking_sample().drop(columns=["name"])
    records = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in sample.to_dict("records")]
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(records, default=int), encoding="utf-8")
    code, out, _ = run(["match", "--seekers", str(path), "--k", "5"], capsys)
    answers = jsonl(out)
    assert code == 0 and len(answers) == len(sample)
    for a in answers:
        MATCH_VALIDATOR.validate(a)
    assert sum(len(a["partners"]) for a in answers) > 0
