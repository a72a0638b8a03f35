import csv
import io
import json
import subprocess
import sys

import pytest

from tests.conftest import REPO, shared_boundaries


@pytest.fixture
def run(tmp_path):
    env = {
        "CONTROLMAP_BOUNDARIES_DIR": str(shared_boundaries()),
        "CONTROLMAP_CACHE_DIR": str(tmp_path / "cache"),
        "CONTROLMAP_OFFLINE": "1",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }

    def call(*args):
        return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, env=env, capture_output=True, text=True)

    return call


def test_validate_real_data(run):
    done = run("validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ")


def test_validate_broken_data_exits_nonzero_listing_problems(run):
    done = run("validate", "--data-dir", str(REPO / "tests" / "data" / "broken"))
    assert done.returncode == 1
    assert "claims.csv:3: no such day: 2021-13-01" in done.stderr and "sources.csv:3:" in done.stderr


def test_state_csv_has_exact_header_and_every_district(run, data_dir):
    done = run("state", "--date", "2021-08-24", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert done.stdout.splitlines()[0] == "pcode,district,province,controller,confidence,since,sources,precision"
    assert len(rows) == 399
    by = {r["pcode"]: r for r in rows}
    assert by["AF0908"] == {
        "pcode": "AF0908",
        "district": "Deh Salah",
        "province": "Baghlan",
        "controller": "taliban",
        "confidence": "disputed",
        "since": "2021-08-23",
        "sources": "s-mujahid;s-denial",
        "precision": "district",
    }
    assert by["AF0101"]["controller"] == "unknown" and by["AF0101"]["confidence"] == ""


def test_state_geojson_has_the_same_properties(run, data_dir):
    done = run("state", "--date", "2021-08-20", "--format", "geojson", "--data-dir", str(data_dir))
    data = json.loads(done.stdout)
    assert len(data["features"]) == 399
    props = {f["properties"]["pcode"]: f["properties"] for f in data["features"]}
    assert props["AF0912"]["controller"] == "resistance" and props["AF0912"]["confidence"] == "claimed"
    assert data["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_resolve_and_diff(run, data_dir):
    done = run("resolve", "Pol-e-Hesar", "--province", "Baghlan")
    assert (done.returncode, done.stdout.strip()) == (0, "AF0912,Pul-e-Hisar,Baghlan,99")
    refused = run("resolve", "Qara Bagh")
    assert refused.returncode == 1 and "AF0114" in refused.stderr and "AF1111" in refused.stderr
    diff = run("diff", "--from", "2021-08-19", "--to", "2021-08-21", "--data-dir", str(data_dir))
    lines = diff.stdout.splitlines()
    assert lines[0] == "pcode,district,province,from,to,changed_on"
    assert "AF0907,Andarab,Baghlan,unknown,taliban,2021-08-21" in lines


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2021-02-30", "no such day"),
        ("20210820", "bad date"),  # fromisoformat accepts it; the app and the data files do not
        ("2021-W33-5", "bad date"),  # an ISO week date, likewise
        ("0001-01-01", "before 2001-01-01"),  # overflowed the state functions
        ("1021-08-20", "before 2001-01-01"),
    ],
)
@pytest.mark.parametrize("command", ["state", "diff"])
def test_bad_date_is_a_usage_error_with_the_same_rule_as_the_app(run, command, value, said):
    args = ("state", "--date", value) if command == "state" else ("diff", "--from", value, "--to", "2021-08-20")
    done = run(*args)
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_audit_reports_dari_text_dates_and_what_the_key_dates_statuses_rest_on(run):
    status = run("audit", "--format", "csv", "--section", "status")
    assert status.returncode == 0, status.stderr
    rows = list(csv.DictReader(io.StringIO(status.stdout)))
    assert [r["date"] for r in rows] == ["2021-08-01", "2021-08-16", "2021-09-30"]
    for r in rows:
        assert int(r["districts"]) == 399
        assert 0 <= int(r["only_weak_voices"]) <= int(r["known"]) and int(r["single_voice"]) <= int(r["known"])
        assert int(r["only_broad_claims"]) <= int(r["known"])
    text = run("audit", "--format", "csv", "--section", "text")
    measures = {r["measure"]: r for r in csv.DictReader(io.StringIO(text.stdout))}
    assert set(measures) == {"sources_with_summary_da", "claims_with_note_da", "sources_with_published_date",
                             "sources_with_published_note", "sources_date_not_checked"}  # fmt: skip
    kinds = ("sources_with_published_date", "sources_with_published_note", "sources_date_not_checked")
    assert sum(int(measures[k]["count"]) for k in kinds) == int(measures[kinds[0]]["total"])
    report = run("audit").stdout
    assert "Dari text and publication dates" in report and "only broad claims" in report
