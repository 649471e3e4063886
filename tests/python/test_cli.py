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
        candidates = [r for r in rows if r["rank"]]  # the other rows are partners from another city's list
        assert [r["request_id"] for r in candidates] == [
            str(a["request_id"]) for a in reference for _ in a["candidates"]
        ]
        expected = [(str(c["candidate_id"]), repr(c["score"])) for a in reference for c in a["candidates"]]
        assert [(r["candidate_id"], r["score"]) for r in candidates] == expected
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


EXCLUDED_NO_CITY = "not a city of the pool: it can never be proposed, so excluding it changes nothing"


def test_an_exclusion_may_name_another_records_inline_city(tmp_path, pool_file, capsys):
    tartu = dict(GOOD[2], id=588335)
    records = [tartu, dict(GOOD[0], exclude=[588335]), dict(GOOD[1], exclude=[6, 424242])]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file)
    assert code == 0 and [a["status"] for a in answers] == ["ok", "ok", "ok"]
    assert 588335 not in {c["candidate_id"] for c in answers[1]["candidates"]}
    assert "warnings" not in answers[1]  # the inline city is one of the run's pool
    # An id that is no city of the pool could never be proposed: a warning, not a problem.
    assert answers[2]["warnings"] == [{"field": "exclude", "message": EXCLUDED_NO_CITY, "value": "424242"}]
    for a in answers:
        MATCH_VALIDATOR.validate(a)


def test_an_exclusion_of_no_city_is_a_warning_in_every_format(tmp_path, pool_file, capsys):
    records = [{"request_id": "a", "id": 4, "exclude": [1, 123456789]}, {"request_id": "b", "id": 5}]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file)
    assert code == 0 and [a["status"] for a in answers] == ["ok", "ok"]
    assert answers[0]["warnings"] == [{"field": "exclude", "message": EXCLUDED_NO_CITY, "value": "123456789"}]
    assert 1 not in {c["candidate_id"] for c in answers[0]["candidates"]}  # the pool city stays excluded
    # the answers are those of a run without the id
    _, without, _ = answers_of(tmp_path, capsys, [dict(records[0], exclude=[1]), records[1]], "--pool", pool_file, name="w.jsonl")
    assert [{k: v for k, v in a.items() if k != "warnings"} for a in answers] == without
    seekers = write_jsonl(tmp_path / "s.jsonl", records)
    code, out, err = run(["validate", "--seekers", seekers, "--pool", pool_file], capsys)
    checked = jsonl(out)
    assert code == 0 and checked[0]["warnings"] == answers[0]["warnings"] and "warnings" not in checked[1]
    assert "Warning" not in err  # reported with the record, not by Python
    for a in answers + checked:
        MATCH_VALIDATOR.validate(a)
    code, out, _ = run(["match", "--seekers", seekers, "--pool", pool_file, "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(rows[0])[-1] == "warnings"
    assert {r["warnings"] for r in rows if r["request_id"] == "a"} == {f"exclude: {EXCLUDED_NO_CITY} [123456789]"}
    assert {r["warnings"] for r in rows if r["request_id"] == "b"} == {""}
    code, _, err = run(["explain", "4", "1", "--seekers", seekers, "--pool", pool_file], capsys)
    assert code == 0 and f"request a: exclude 123456789: {EXCLUDED_NO_CITY}" in err


def test_names_and_codes_in_their_common_forms(tmp_path, pool_file, capsys):
    # Interests in any case and with spaces, three-letter language codes.
    loose = [
        {"request_id": "k", "id": 4, "interests": [" Education ", "Arts_Culture"], "languages": ["por-BR", "ger"]},
        {"request_id": "t", "name": "Tartu", "country": "EE", "population": 91000, "lat": 58.38, "lon": 26.72,
         "city_languages": {"est": 0.7, "rus": 0.25}, "interests": {"EDUCATION": 1}},
    ]  # fmt: skip
    strict = [
        {"request_id": "k", "id": 4, "interests": ["education", "arts_culture"], "languages": ["pt", "de"]},
        {"request_id": "t", "name": "Tartu", "country": "EE", "population": 91000, "lat": 58.38, "lon": 26.72,
         "city_languages": {"et": 0.7, "ru": 0.25}, "interests": {"education": 1}},
    ]  # fmt: skip
    for record in loose:
        SEEKER_VALIDATOR.validate(record)
    code, answers, _ = answers_of(tmp_path, capsys, loose, "--pool", pool_file)
    _, expected, _ = answers_of(tmp_path, capsys, strict, "--pool", pool_file, name="strict.jsonl")
    assert code == 0 and [a["status"] for a in answers] == ["ok", "ok"]
    assert [{k: v for k, v in a.items() if k != "seeker_id"} for a in answers] == [
        {k: v for k, v in a.items() if k != "seeker_id"} for a in expected
    ]  # the inline city's synthetic id comes from its fields, which differ
    # Near misses name the nearest name, as the core says it.
    bad = [{"id": 4, "interests": ["Arts Culture", "educaton"], "regions": ["Westen Europe", "Narnia"]}]
    code, answers, _ = answers_of(tmp_path, capsys, bad, "--pool", pool_file, name="bad.jsonl")
    assert code == 1
    assert answers[0]["problems"] == [
        {"field": "regions", "reason": "unknown region; did you mean 'Western Europe'?", "value": "Westen Europe"},
        {"field": "regions", "reason": answers[0]["problems"][1]["reason"], "value": "Narnia"},
        {"field": "interests", "reason": "unknown interest; did you mean 'arts_culture'?", "value": "Arts Culture"},
        {"field": "interests", "reason": "unknown interest; did you mean 'education'?", "value": "educaton"},
    ]
    assert "did you mean" not in answers[0]["problems"][1]["reason"]


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


def test_default_request_ids_are_record_numbers(tmp_path, pool_file, capsys):
    records = [{k: v for k, v in r.items() if k != "request_id"} for r in GOOD]
    code, out, _ = run(["match", "--seekers", write_csv(tmp_path / "s.csv", records), "--pool", pool_file], capsys)
    assert [a["request_id"] for a in jsonl(out)] == [1, 2, 3]
    # blank lines are not records, in JSON Lines as in CSV (also a line of blanks or empty cells)
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(records[0]) + "\n\n  \n" + json.dumps(records[1]) + "\n", encoding="utf-8")
    code, out, _ = run(["match", "--seekers", str(path), "--pool", pool_file], capsys)
    assert [a["request_id"] for a in jsonl(out)] == [1, 2]
    path = tmp_path / "b.csv"
    path.write_text("id,partners\n4,1\n\n  \n,\n 5 ,2\n", encoding="utf-8")
    code, out, _ = run(["match", "--seekers", str(path), "--pool", pool_file], capsys)
    assert code == 0 and [(a["request_id"], a["seeker_id"]) for a in jsonl(out)] == [(1, 4), (2, 5)]


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
    assert run(["explain", "4", "999", "--pool", pool_file], capsys)[0] == 2  # a bad argument


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


# --------------------------------------------------------------------------- defects found by a new-user check


def answers_of(tmp_path, capsys, records, *options, name="s.jsonl"):
    path = write_jsonl(tmp_path / name, records)
    code, out, err = run(["match", "--seekers", path, *options], capsys)
    return code, jsonl(out), err


@pytest.mark.parametrize("population", ["50000.0", "1e3", 50000.5])
def test_a_population_that_is_not_an_integer_string_is_read(tmp_path, pool_file, capsys, population):
    city = {"name": "Ville", "country": "FR", "population": population, "lat": 45.0, "lon": 5.0}
    code, answers, _ = answers_of(tmp_path, capsys, [city, GOOD[0]], "--pool", pool_file, "--k", "3")
    assert code == 0 and [a["status"] for a in answers] == ["ok", "ok"]
    csv_path = tmp_path / "s.csv"
    csv_path.write_text(f"name,country,population,lat,lon,partners\nVille,FR,{population},45,5,1\n", encoding="utf-8")
    code, out, _ = run(["match", "--seekers", str(csv_path), "--pool", pool_file], capsys)
    assert code == 0 and jsonl(out)[0]["name"] == "Ville"
    code, out, _ = run(["validate", "--seekers", str(csv_path), "--pool", pool_file], capsys)
    assert code == 0


def test_a_pool_file_with_a_fractional_population(tmp_path, capsys):
    pool = tmp_path / "pool.csv"
    pool.write_text(POOL_CSV.replace("522000", "522000.5"), encoding="utf-8")
    code, answers, _ = answers_of(tmp_path, capsys, GOOD[:2], "--pool", str(pool))
    assert code == 0 and len(answers) == 2
    code, out, _ = run(["explain", "1", "4", "--pool", str(pool)], capsys)
    assert code == 0 and "population 522,000.5" in out
    code, out, _ = run(["validate", "--seekers", write_jsonl(tmp_path / "v.jsonl", GOOD), "--pool", str(pool)], capsys)
    assert code == 0


def test_csv_output_carries_partners_that_are_not_candidates(tmp_path, pool_file, capsys):
    # k = 1: Quebec City (2 partners) lists only Lyon; Porto is paired with it through Porto's own list.
    seekers = [{"id": 1}, {"id": 2}, {"id": 3, "partners": 2}]
    code, answers, _ = answers_of(tmp_path, capsys, seekers, "--pool", pool_file, "--k", "1")
    quebec = answers[2]
    partner_ids = {p["partner_id"] for p in quebec["partners"]}
    assert code == 0 and 2 in partner_ids and 2 not in {c["candidate_id"] for c in quebec["candidates"]}
    path = write_jsonl(tmp_path / "s.jsonl", seekers)
    code, out, _ = run(["match", "--seekers", path, "--pool", pool_file, "--k", "1", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    for a in answers:
        mine = [r for r in rows if r["request_id"] == str(a["request_id"])]
        assert {int(r["candidate_id"]) for r in mine if r["partner"] == "true"} == {p["partner_id"] for p in a["partners"]}
        assert [int(r["candidate_id"]) for r in mine if r["rank"]] == [c["candidate_id"] for c in a["candidates"]]
        assert {(r["open"], r["unmatched_reason"]) for r in mine} == {(str(a["open"]), a["unmatched_reason"] or "")}
    extra = [r for r in rows if r["request_id"] == "3" and not r["rank"]]
    assert [(r["candidate_id"], r["partner"], r["name"]) for r in extra] == [("2", "true", "Porto")]


@pytest.mark.parametrize("where", ["inline", "unknown-id"])
def test_an_exclusion_of_the_whole_pool_is_answered(tmp_path, pool_file, capsys, where):
    record = {"exclude": [1, 2, 3, 4, 5, 6, 7, 8]}
    if where == "inline":
        record.update(name="Tartu", country="EE", population=91000, lat=58.38, lon=26.72)
    else:
        record.update(id=999)
    code, answers, _ = answers_of(tmp_path, capsys, [record, GOOD[0]], "--pool", pool_file)
    assert [a["status"] for a in answers] == (["ok", "ok"] if where == "inline" else ["error", "ok"])
    if where == "inline":
        assert answers[0]["candidates"] == [] and answers[0]["open"] == 1
    else:
        assert [p["field"] for p in answers[0]["problems"]] == ["id"] and code == 1


def test_stdin_sniffing_looks_past_the_first_line(pool_file, capsys, monkeypatch):
    text = "garbage\n" + json.dumps(GOOD[0]) + "\n" + json.dumps(GOOD[1]) + "\n"
    code, out, _ = run(["match", "--seekers", "-", "--pool", pool_file], capsys, stdin=text, monkeypatch=monkeypatch)
    answers = jsonl(out)
    assert code == 1 and [a["status"] for a in answers] == ["error", "ok", "ok"]
    assert answers[0]["problems"][0]["field"] == "" and answers[0]["problems"][0]["value"] == "garbage"


def test_a_bad_first_line_before_one_json_line_is_one_bad_record(pool_file, capsys, monkeypatch):
    text = "this is not json\n" + json.dumps(GOOD[0]) + "\n"
    code, out, _ = run(["validate", "--seekers", "-", "--pool", pool_file], capsys, stdin=text, monkeypatch=monkeypatch)
    assert code == 1 and [a["status"] for a in jsonl(out)] == ["error", "ok"]


def test_input_without_records_is_a_usage_error(tmp_path, pool_file, capsys, monkeypatch):
    for text in ("", "\n\n", "hello world\n", "[]"):
        code, out, err = run(["match", "--seekers", "-", "--pool", pool_file], capsys, stdin=text, monkeypatch=monkeypatch)
        assert (code, out) == (2, "") and "no records" in err
        for name in ("s.jsonl", "s.csv", "s.json", "s.txt"):
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            code, out, err = run(["validate", "--seekers", str(path), "--pool", pool_file], capsys)
            if text.strip() and name == "s.jsonl":
                assert code == 1 and jsonl(out)[0]["problems"][0]["value"] == text.strip()  # one bad line
            elif text == "hello world\n" and name == "s.json":
                assert (code, out) == (2, "") and "not a JSON array" in err
            else:
                assert (code, out) == (2, "") and "no records" in err, (text, name)
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": 4, "name": "K\xf6ln"}\n')
    code, out, err = run(["match", "--seekers", str(path), "--pool", pool_file], capsys)
    assert code == 2 and "UTF-8" in err
    proc = subprocess.run([sys.executable, "-m", "libmatch", "match", "--seekers", "-", "--pool", pool_file],
                          input=b'{"id": 4, "name": "K\xf6ln"}\n', capture_output=True)  # fmt: skip
    assert proc.returncode == 2 and b"UTF-8" in proc.stderr and b"Traceback" not in proc.stderr


def problems_by_field(answer):
    return {p["field"]: p["reason"] for p in answer["problems"]}


def test_every_problem_of_a_record_is_reported(tmp_path, pool_file, capsys):
    records = [
        {"country": "ZZ", "population": -1, "lat": 1, "lon": 1, "interests": ["nope"], "partners": 0},
        {"name": "Tartu", "country": "EE", "population": 91000, "lat": 58.38, "regions": ["Atlantis"]},
        {"id": "x", "interests": ["nope"]},
        {"id": 4, "partners": 1000000000000, "interests": ["nope"], "exclude": [99999999999999999999]},
        {"id": 99999999999999999999, "partners": 2},
        {"id": 4, "population_min": 10**400},
    ]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file)
    assert code == 1 and all(a["status"] == "error" for a in answers)
    fields = [sorted(problems_by_field(a)) for a in answers]
    assert fields == [
        ["country", "interests", "partners", "population"], ["lon", "regions"], ["id", "interests"],
        ["exclude", "interests", "partners"], ["id"], ["population_min"],
    ]  # fmt: skip
    assert "out of range" in problems_by_field(answers[3])["partners"]
    assert "out of range" in problems_by_field(answers[3])["exclude"]
    assert "out of range" in problems_by_field(answers[4])["id"]
    assert "out of range" in problems_by_field(answers[5])["population_min"]
    for a in answers:
        MATCH_VALIDATOR.validate(a)
    # the same from CSV, where every cell is text
    path = write_csv(tmp_path / "s.csv", [records[3]])
    code, out, _ = run(["validate", "--seekers", path, "--pool", pool_file], capsys)
    assert sorted(problems_by_field(jsonl(out)[0])) == ["exclude", "interests", "partners"]


def test_nan_is_not_finite_rather_than_missing(tmp_path, pool_file, capsys):
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"name": "N", "country": "FR", "population": NaN, "lat": NaN, "lon": 1}\n{"id": 4, "population_min": NaN}\n',
        encoding="utf-8",
    )
    code, out, _ = run(["match", "--seekers", str(path), "--pool", pool_file], capsys)
    first, second = jsonl(out)
    assert code == 1
    assert problems_by_field(first) == {"population": "not a finite number", "lat": "not a finite number"}
    assert problems_by_field(second) == {"population_min": "not a finite number"}


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
def test_a_failed_write_is_a_usage_error(tmp_path, pool_file, capsys):
    seekers = write_jsonl(tmp_path / "s.jsonl", GOOD)
    code, out, err = run(["match", "--seekers", seekers, "--pool", pool_file, "--out", "/dev/full"], capsys)
    assert code == 2 and err.startswith("libmatch match: cannot write /dev/full") and len(err.splitlines()) == 1
    for argv in (["match", "--seekers", seekers, "--pool", pool_file], ["explain", "4", "1", "--pool", pool_file]):
        with open("/dev/full", "w") as full:
            proc = subprocess.run([sys.executable, "-m", "libmatch", *argv], stdout=full, stderr=subprocess.PIPE, text=True)
        assert proc.returncode == 2 and proc.stderr.startswith(f"libmatch {argv[0]}: cannot write stdout"), proc.stderr
        assert len(proc.stderr.splitlines()) == 1


def test_duplicate_request_ids_are_errors(tmp_path, pool_file, capsys):
    records = [dict(GOOD[0], request_id=3), {"id": 5}, {"id": 6}, {"id": 7, "request_id": "2"}, dict(GOOD[2], request_id=3)]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file)
    assert code == 1
    assert [(a["request_id"], a["status"]) for a in answers] == [(3, "ok"), (2, "ok"), (3, "error"), ("2", "error"), (3, "error")]
    for a in answers[2:]:
        assert list(problems_by_field(a)) == ["request_id"] and "duplicate" in a["problems"][0]["reason"]


def test_stable_pairing_serves_seekers_that_want_several_partners(tmp_path, pool_file, capsys):
    # Seekers among each other's candidates, Quebec City and Lyon wanting two partners each:
    # stable fixtures pairs them all (this batch used to be refused record by record).
    seekers = [{"request_id": "lyon", "id": 1, "partners": 2}, {"request_id": "porto", "id": 2},
               {"request_id": "quebec", "id": 3, "partners": 2}, {"request_id": "kyoto", "id": 4}]  # fmt: skip
    code, answers, _ = answers_of(tmp_path, capsys, seekers, "--pool", pool_file, "--k", "4", "--method", "stable")
    assert code == 0 and [a["status"] for a in answers] == ["ok"] * 4
    seeker_ids = {s["id"] for s in seekers}
    assert any(c["candidate_id"] in seeker_ids for a in answers for c in a["candidates"])  # not two-sided
    partners = {a["request_id"]: {p["partner_id"] for p in a["partners"]} for a in answers}
    assert len(partners["lyon"]) == 2 and len(partners["quebec"]) == 2
    # One score per pair on both sides: the stable pairing is greedy's, highest scores first.
    code, greedy, _ = answers_of(tmp_path, capsys, seekers, "--pool", pool_file, "--k", "4", "--method", "greedy", name="g.jsonl")
    assert code == 0 and partners == {a["request_id"]: {p["partner_id"] for p in a["partners"]} for a in greedy}
    # two-sided (no seeker lists another): deferred acceptance serves any number of partners
    code, answers, _ = answers_of(tmp_path, capsys, [{"id": 3, "partners": 2}], "--pool", pool_file, "--method", "stable")
    assert code == 0 and len(answers[0]["partners"]) == 2


def test_problems_found_by_the_whole_batch_join_a_records_own(tmp_path, pool_file, capsys):
    # A city that already seeks is found on the whole batch: a record with
    # problems of its own hears of it too. An exclusion of no city is no
    # problem at all (a warning of a good record).
    records = [
        {"id": 4},
        {"name": "Riga", "country": "ZZ", "population": 600000, "lat": 56.9, "lon": 24.1, "exclude": [123456789]},
        {"id": 5, "partners": 0, "exclude": [123456789]},
        {"id": 4, "partners": 0},
    ]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file)
    assert code == 1 and [a["status"] for a in answers] == ["ok", "error", "error", "error"]
    fields = [sorted(problems_by_field(a)) for a in answers[1:]]
    assert fields == [["country"], ["partners"], ["id", "partners"]]
    assert "already seeks" in problems_by_field(answers[3])["id"]


def test_demo_stable_runs():
    proc = subprocess.run([sys.executable, "-m", "libmatch", "demo", "--method", "stable"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "method = stable" in proc.stdout and "pairs, total score" in proc.stdout
    assert "0 blocking pairs" in proc.stdout and "sit out" not in proc.stdout  # every seeker takes part


@pytest.mark.parametrize("k", ["-3", "0"])
def test_demo_checks_k_like_match(tmp_path, pool_file, capsys, k):
    for argv in (["demo", "--k", k], ["match", "--seekers", write_jsonl(tmp_path / "s.jsonl", GOOD), "--pool", pool_file, "--k", k]):
        code, out, err = run(argv, capsys)
        assert (code, out) == (2, "") and err == f"libmatch {argv[0]}: --k must be >= 1\n"


def test_a_huge_k_or_id_is_handled(tmp_path, pool_file, capsys):
    code, answers, _ = answers_of(tmp_path, capsys, GOOD, "--pool", pool_file, "--k", str(2**70))
    assert code == 0 and len(answers[0]["candidates"]) == 8  # every other city, Tartu included
    code, out, err = run(["explain", "4", str(2**70), "--pool", pool_file], capsys)
    assert code == 2 and "B" in err and "Traceback" not in err


def test_version_and_help(capsys):
    assert run(["--version"], capsys)[:2] == (0, f"libmatch {libmatch.__version__}\n")
    for command, words in (("validate", "seeker records"), ("explain", "the city whose view"), ("demo", "candidates per seeker")):
        with pytest.raises(SystemExit):
            cli._parser().parse_args([command, "--help"])
        assert words in capsys.readouterr().out


def test_all_zero_weights_are_a_usage_error(tmp_path, pool_file, capsys):
    seekers = write_jsonl(tmp_path / "s.jsonl", GOOD)
    for command in (["match", "--seekers", seekers], ["explain", "4", "1"]):
        code, out, err = run([*command, "--pool", pool_file, "--weights", "population=0,region=0,language=0,interests=0,distance=0,affinity=0,activity=0"], capsys)
        assert (code, out) == (2, "") and "at least one weight must be > 0" in err


def test_a_record_excluding_no_city_is_ok_and_takes_its_city(tmp_path, pool_file, capsys):
    # An exclusion of no city used to reject the record on the whole batch;
    # it is a warning now, so the record is ok and the later one for its city
    # is the error, for a pool city and an inline one with an explicit id.
    records = [
        {"request_id": "first", "id": 4, "exclude": [123456789]},
        {"request_id": "second", "id": 4, "regions": ["Europe"]},
    ]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file)
    assert code == 1 and [a["status"] for a in answers] == ["ok", "error"]
    assert answers[0]["warnings"][0]["value"] == "123456789"
    assert problems_by_field(answers[1])["id"] == "this city already seeks in request first"
    tartu = {k: v for k, v in GOOD[2].items() if k != "request_id"}
    records = [dict(tartu, request_id="first", id=500, exclude=[123456789]), dict(tartu, request_id="second", id=500)]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file, name="inline.jsonl")
    assert code == 1 and [a["status"] for a in answers] == ["ok", "error"]
    assert answers[0]["seeker_id"] == 500 and answers[0]["warnings"][0]["value"] == "123456789"
    assert "already given in request first" in problems_by_field(answers[1])["id"]


def test_csv_trailing_commas_and_extra_cells(tmp_path, pool_file, capsys):
    # Trailing empty cells (a spreadsheet's export) are no data; cells beyond
    # the header that hold something are an error of that record, which keeps
    # its request_id and hears of its other problems too.
    path = tmp_path / "s.csv"
    path.write_text(
        "request_id,id,regions\nkyoto,4,Europe,\nboston,5,Europe,,\nporto,2,Atlantis,x\nlyon,1,Europe\n", encoding="utf-8"
    )
    code, out, _ = run(["validate", "--seekers", str(path), "--pool", pool_file], capsys)
    answers = jsonl(out)
    assert code == 1
    assert [(a["request_id"], a["status"]) for a in answers] == [
        ("kyoto", "ok"), ("boston", "ok"), ("porto", "error"), ("lyon", "ok")
    ]  # fmt: skip
    problems = answers[2]["problems"]
    assert [p["field"] for p in problems] == ["", "regions"]
    assert "beyond the header" in problems[0]["reason"] and problems[0]["value"] == "x"


def test_numbers_and_booleans_as_text_match_the_seeker_schema(tmp_path, pool_file, capsys):
    # README: "Numbers may be written as text"; the command accepts these
    # records, so the shipped schema must too (and still refuse bad text).
    records = [
        {"request_id": "a", "id": "4", "partners": "2", "population_min": "1e3", "population_max": " 5000000 "},
        {"request_id": "b", "id": 5, "same_country": "true", "exclude": ["6", 7], "interests": {"education": "2"}},
        {"request_id": "c", "name": "Tartu", "country": "EE", "population": "91000", "lat": "58.38", "lon": "-26.72e0"},
        {"request_id": "d", "id": 1, "same_country": "No", "population_min": ".5"},
    ]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file, "--method", "none")
    assert code == 0 and [a["status"] for a in answers] == ["ok"] * 4
    for record in records:
        SEEKER_VALIDATOR.validate(record)
    for bad in ({"id": "four"}, {"id": 4, "partners": "2.5"}, {"id": 4, "population_min": "lots"},
                {"id": 4, "same_country": "perhaps"}, {"id": 4, "exclude": ["x"]}):  # fmt: skip
        assert not SEEKER_VALIDATOR.is_valid(bad), bad
        code, answers, _ = answers_of(tmp_path, capsys, [bad], "--pool", pool_file, name="bad.jsonl")
        assert code == 1 and answers[0]["status"] == "error", bad


def test_a_whole_number_request_id_written_as_a_float_is_an_integer(tmp_path, pool_file, capsys):
    # JSON Schema counts 1.0 as an integer, and so does the command.
    path = tmp_path / "s.jsonl"
    path.write_text('{"request_id": 7.0, "id": 4}\n{"request_id": 7.5, "id": 5}\n', encoding="utf-8")
    assert SEEKER_VALIDATOR.is_valid({"request_id": 7.0, "id": 4})
    code, out, _ = run(["validate", "--seekers", str(path), "--pool", pool_file], capsys)
    answers = jsonl(out)
    assert code == 1 and [(a["request_id"], a["status"]) for a in answers] == [(7, "ok"), (2, "error")]
    assert isinstance(answers[0]["request_id"], int)
    assert problems_by_field(answers[1]) == {"request_id": "must be a string or an integer"}


def test_unicode_line_separators_inside_a_json_line_do_not_split_the_record(tmp_path, pool_file, capsys, monkeypatch):
    # JSON allows U+2028, U+2029 and U+0085 raw in strings (JSON.stringify
    # writes them so); JSON Lines are separated by \n alone.
    records = [
        dict(GOOD[2], request_id="ls", name="Tar\u2028tu"),
        {"request_id": "nel", "id": 4, "regions": ["Europe"], "name": "Kyo\x85to\u2029"},
        {"request_id": "lyon", "id": 1},
    ]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in records)
    path = tmp_path / "s.jsonl"
    path.write_text(text, encoding="utf-8", newline="")
    for argv, stdin in ((["--seekers", str(path)], None), (["--seekers", "-"], text)):
        code, out, _ = run(["match", *argv, "--pool", pool_file, "--k", "2"], capsys, stdin=stdin, monkeypatch=monkeypatch)
        answers = [json.loads(line) for line in out.splitlines()]  # the output splits safely too
        assert code == 0 and [(a["request_id"], a["status"]) for a in answers] == [("ls", "ok"), ("nel", "ok"), ("lyon", "ok")]
        assert answers[0]["name"] == "Tar\u2028tu"


def test_an_unreadable_pool_record_is_reported_with_its_reason(tmp_path, capsys):
    seekers = write_jsonl(tmp_path / "s.jsonl", [{"id": 1}])
    pool = tmp_path / "pool.jsonl"
    pool.write_text('{"id": 1, "name": "A", "country": "FR", "lat": 45, "lon": 4, "population": 5000}\n{"id": 2, "name": "B"\n')
    code, out, err = run(["match", "--seekers", seekers, "--pool", str(pool)], capsys)
    assert (code, out) == (2, "")
    assert "record 2: malformed JSON" in err and '{"id": 2, "name": "B"' in err
    pool = tmp_path / "pool.csv"
    pool.write_text("id,name,country,lat,lon,population\n1,A,FR,45,4,5000\n2,B,BE,50,4,5000,extra\n")
    code, out, err = run(["match", "--seekers", seekers, "--pool", str(pool)], capsys)
    assert (code, out) == (2, "") and "record 2: 1 cell(s) beyond the header's 6 columns" in err and "extra" in err


def test_a_csv_header_that_repeats_a_column_is_a_usage_error(tmp_path, pool_file, capsys):
    # Before, the last of the repeated cells won silently: a record's regions
    # could be lost. Empty header cells (trailing commas) are not columns.
    path = tmp_path / "s.csv"
    path.write_text("request_id,id,regions, regions,,\nkyoto,4,Europe,,,\nboston,5,Asia,Atlantis,,\n", encoding="utf-8")
    code, out, err = run(["validate", "--seekers", str(path), "--pool", pool_file], capsys)
    assert (code, out) == (2, "") and "regions" in err and "more than once" in err
    path.write_text("request_id,id,regions,,\nkyoto,4,Europe,,\n", encoding="utf-8")
    code, out, _ = run(["validate", "--seekers", str(path), "--pool", pool_file], capsys)
    assert code == 0 and jsonl(out)[0]["status"] == "ok"


def test_seekers_and_pool_cannot_both_read_stdin(capsys, monkeypatch):
    text = json.dumps(GOOD[0]) + "\n"
    for argv in (["match", "--seekers", "-", "--pool", "-"], ["validate", "--seekers", "-", "--pool", "-"],
                 ["explain", "4", "1", "--seekers", "-", "--pool", "-"]):  # fmt: skip
        code, out, err = run(argv, capsys, stdin=text, monkeypatch=monkeypatch)
        assert (code, out) == (2, "") and "stdin" in err and "--pool" in err and "--seekers" in err, err


def test_clean_profiles_are_checked_by_the_core_at_once(tmp_path, pool_file, capsys, monkeypatch):
    # Each call of the core's seeker check costs a pass over the pool (about
    # 5 ms on the world pool): 2,000 clean records took 11 s of checks. Clean
    # profiles are now checked in one call; a record with a problem is still
    # checked alone, with the same answer.
    calls = []
    original = libmatch.Pool.validate_seekers

    def counting(self, seekers):
        calls.append(len(seekers))
        return original(self, seekers)

    monkeypatch.setattr(libmatch.Pool, "validate_seekers", counting)
    ids = [1, 2, 3, 4, 5, 6, 7, 8]
    records = [{"request_id": i, "id": ids[i % 8], "interests": ["heritage"], "regions": ["Europe"]} for i in range(8)]
    records += [{"request_id": "bad", "id": 1, "partners": 0}]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file, "--method", "none")
    assert code == 1 and [a["status"] for a in answers] == ["ok"] * 8 + ["error"]
    assert list(problems_by_field(answers[8])) == ["partners", "id"]
    assert len(calls) <= 4, calls  # the bulk check, the bad record alone, the whole batch's check


def test_inline_cities_need_no_core_check_of_their_own(tmp_path, pool_file, capsys, monkeypatch):
    # An inline city is not in the pool yet, so the core's check at once says
    # so of its id; that problem is never a record's, and costs no check alone.
    calls = []
    original = libmatch.Pool.validate_seekers
    monkeypatch.setattr(libmatch.Pool, "validate_seekers", lambda self, s: (calls.append(len(s)), original(self, s))[1])
    tartu = {k: v for k, v in GOOD[2].items() if k != "request_id"}
    records = [dict(tartu, name=f"Town {i}", lat=50 + i) for i in range(6)] + [{"id": 4}]
    code, answers, _ = answers_of(tmp_path, capsys, records, "--pool", pool_file, "--method", "none")
    assert code == 0 and all(a["status"] == "ok" for a in answers)
    assert len(calls) <= 2, calls  # the bulk check and the whole batch's check


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_stdout_is_utf8_whatever_the_locale(tmp_path, pool_file, encoding):
    # Files are written as UTF-8; so is stdout, even when the locale (or
    # PYTHONIOENCODING) says otherwise: no UnicodeEncodeError traceback.
    seekers = write_jsonl(tmp_path / "s.jsonl", [dict(GOOD[2], name="Tartu 東京")])
    env = dict(__import__("os").environ, PYTHONIOENCODING=encoding)
    for fmt in ("jsonl", "csv"):
        proc = subprocess.run([sys.executable, "-m", "libmatch", "match", "--seekers", seekers, "--pool", pool_file,
                               "--format", fmt], capture_output=True, env=env)  # fmt: skip
        assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
        assert "Tartu 東京" in proc.stdout.decode("utf-8")
        assert b"\r\n" not in proc.stdout


def test_a_lone_surrogate_is_a_problem_of_its_record(tmp_path, pool_file, capsys):
    # JSON may escape a lone UTF-16 surrogate ("\ud83d", half an emoji, as
    # JavaScript's JSON.stringify writes one); UTF-8 cannot hold it. Before,
    # one such inline name stopped the whole batch with a pybind11 traceback.
    lines = [
        '{"request_id": "inline", "name": "Tar\\ud83dtu", "country": "EE", "population": 91000, "lat": 58.38, "lon": 26.72}',
        '{"request_id": "id\\udfff", "id": 4}',
        '{"request_id": "lyon", "id": 1, "regions": ["Europe\\ud800"], "\\ud800": 1}',
        json.dumps(GOOD[0]),
    ]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for fmt in ("jsonl", "csv"):
        out_path = tmp_path / f"out.{fmt}"
        code, _, err = run(["match", "--seekers", str(path), "--pool", pool_file, "--out", str(out_path)], capsys)
        assert code == 1 and "Traceback" not in err
        out_path.read_text(encoding="utf-8")  # valid UTF-8
    code, out, _ = run(["match", "--seekers", str(path), "--pool", pool_file], capsys)
    answers = jsonl(out)
    assert [(a["request_id"], a["status"]) for a in answers] == [("inline", "error"), (2, "error"), ("lyon", "error"), ("kyoto", "ok")]
    assert problems_by_field(answers[0]) == {"name": "not valid Unicode text: a lone surrogate (U+D83D), which UTF-8 cannot hold"}
    assert list(problems_by_field(answers[1])) == ["request_id"] and answers[1]["problems"][0]["value"] == "id\\udfff"
    assert set(problems_by_field(answers[2])) == {"regions", "\\ud800"}
    for a in answers:
        MATCH_VALIDATOR.validate(a)
    code, alone, _ = answers_of(tmp_path, capsys, [GOOD[0]], "--pool", pool_file, name="alone.jsonl")
    assert alone == answers[3:]
    # in a pool file: a usage error that names the record
    pool = tmp_path / "pool.jsonl"
    pool.write_text('{"id": 1, "name": "Ly\\ud800on", "country": "FR", "lat": 45, "lon": 4, "population": 5000}\n')
    code, out, err = run(["match", "--seekers", str(path), "--pool", str(pool)], capsys)
    assert (code, out) == (2, "") and "record 1" in err and "surrogate" in err and "Traceback" not in err


def test_a_csv_separated_by_semicolons_says_so(tmp_path, pool_file, capsys):
    # European spreadsheets export ';'-separated files: every row was one
    # unknown field 'request_id;id;regions', with no word of the separator.
    path = tmp_path / "s.csv"
    path.write_text("request_id;id;regions\nkyoto;4;Europe\n", encoding="utf-8")
    code, out, err = run(["validate", "--seekers", str(path), "--pool", pool_file], capsys)
    assert (code, out) == (2, "") and "comma-separated" in err and "';'" in err
    path.write_text("id\n4\n", encoding="utf-8")  # one column is fine
    code, _, _ = run(["validate", "--seekers", str(path), "--pool", pool_file], capsys)
    assert code == 0


MULTILINGUAL_POOL_CSV = """\
id,name,country,lat,lon,population,languages
2624652,Aarhus,DK,56.16,10.20,290000,da:0.95;en:0.8
3161732,Bergen,NO,60.39,5.32,285000,no:0.95;en:0.8
186301,Mombasa,KE,-4.04,39.67,1210000,sw:0.9;en:0.6
3941584,Cusco,PE,-13.53,-71.97,430000,es:0.8;qu:0.4
6325494,Québec,CA,46.81,-71.21,550000,fr:0.95;en:0.2
"""


def test_multilingual_speaker_shares_in_a_batch(tmp_path, capsys):
    # Issue 13: speaker shares sum above 1 (Aarhus 1.75, Fes 1.2); the pool file
    # and an inline city take them, while a share above 1 or a language given
    # twice is still its record's error. overlap = min(1, sum s_a s_b), by hand.
    pool = tmp_path / "multilingual.csv"
    pool.write_text(MULTILINGUAL_POOL_CSV, encoding="utf-8")
    fes = {"request_id": "fes", "id": 2548885, "name": "Fes", "country": "MA", "population": 1160000,
           "lat": 34.03, "lon": -5.0, "city_languages": {"ar": 0.9, "fr": 0.3}}  # fmt: skip
    records = [
        {"request_id": "aarhus", "id": 2624652, "languages": ["fr"]},
        fes,
        {"request_id": "cusco", "id": 3941584, "languages": ["en"]},
        {**fes, "request_id": "too-much", "id": 1, "city_languages": "ar:1.2;fr:0.3"},
        {**fes, "request_id": "twice", "id": 2, "city_languages": "fr:0.5;fr:0.3"},
    ]
    for record in records:
        SEEKER_VALIDATOR.validate(record)
    expected = {  # seeker's view: overlap + (1 - overlap) * the candidate's share of the wanted languages
        "aarhus": {"Québec": 0.16 + 0.84 * 0.95, "Fes": 0.3, "Bergen": 0.64, "Mombasa": 0.48, "Cusco": 0.0},
        "fes": {"Québec": 0.3 * 0.95, "Aarhus": 0.0, "Bergen": 0.0, "Mombasa": 0.0, "Cusco": 0.0},
        "cusco": {"Aarhus": 0.8, "Bergen": 0.8, "Mombasa": 0.6, "Québec": 0.2, "Fes": 0.0},
    }
    for name, writer in (("s.jsonl", write_jsonl), ("s.csv", write_csv)):
        path = writer(tmp_path / name, records)
        code, out, err = run(["match", "--seekers", path, "--pool", str(pool), "--k", "5", "--method", "none"], capsys)
        assert code == 1, err
        answers = jsonl(out)
        assert [(str(a["request_id"]), a["status"]) for a in answers] == [
            ("aarhus", "ok"), ("fes", "ok"), ("cusco", "ok"), ("too-much", "error"), ("twice", "error")]
        for a in answers:
            MATCH_VALIDATOR.validate(a)
        for a in answers[:3]:
            got = {c["name"]: c["language"] for c in a["candidates"]}
            assert got == pytest.approx(expected[a["request_id"]], abs=1e-6), (name, a["request_id"])
        reasons = [{p["reason"] for p in a["problems"] if p["field"] == "city_languages"} for a in answers[3:]]
        assert any("share must be in [0, 1]" in r for r in reasons[0]), reasons
        assert "language listed twice" in reasons[1], reasons
