"""geo.release: the Frictionless Data Package, its control table against ``geo state``, and its stability."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from frictionless import Package

from geo import control, settings
from geo.release import CONTROL_COLUMNS, control_rows, release_version, write_package
from geo.timeline import load_timeline
from tests.paths import REPO, TEST_DATA


@pytest.fixture(scope="module")
def real(real_districts, tmp_path_factory):
    """The real data folder, its timeline and the package written from it once."""
    data = REPO / "data"
    timeline = load_timeline(data, real_districts)
    out = tmp_path_factory.mktemp("release") / "data"
    release = write_package(out, timeline=timeline, districts_gdf=real_districts, data_dir=data)
    return timeline, out, release


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def validate(folder: Path) -> None:
    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def test_the_package_is_valid_frictionless_with_every_resource(real):
    _, out, _ = real
    validate(out)
    package = json.loads((out / "datapackage.json").read_text())
    names = [r["name"] for r in package["resources"]]
    assert names == ["claims", "sources", "outlets", "districts", "control", "changes", "boundaries"]
    for resource in package["resources"]:
        assert resource["description"] and resource["hash"].startswith("sha256:")
        for field in resource.get("schema", {}).get("fields", []):
            assert field["description"], (resource["name"], field["name"])
    keys = {r["name"]: r["schema"].get("foreignKeys") for r in package["resources"] if "schema" in r}
    assert (
        keys["control"]
        == keys["changes"]
        == [{"fields": "pcode", "reference": {"resource": "districts", "fields": "pcode"}}]
    )
    assert {k["fields"] for k in keys["sources"]} == {"outlet", "original"}
    assert "AGCHO" in json.dumps(package["licenses"]) and "OCHA" in json.dumps(package["sources"])


def test_a_broken_foreign_key_or_a_changed_file_fails_validation(real, tmp_path):
    """The validation above can fail: a control row naming an unknown district, or a file edited after publish."""
    _, out, _ = real
    copy = tmp_path / "data"
    shutil.copytree(out, copy)
    text = (copy / "control.csv").read_text()
    (copy / "control.csv").write_text(text.replace("\nAF0101,", "\nAF9999,", 1))
    assert not Package(str(copy / "datapackage.json")).validate().valid


def test_the_control_table_is_geo_state_on_every_day_for_all_399_districts(real, real_districts):
    timeline, out, _ = real
    rows = read_csv(out / "control.csv")
    assert list(rows[0]) == list(CONTROL_COLUMNS)
    periods: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        periods.setdefault(row["pcode"], []).append(row)
    pcodes = list(real_districts["pcode"])
    assert sorted(periods) == sorted(pcodes) and len(pcodes) == settings.EXPECTED_DISTRICTS
    for found in periods.values():  # contiguous, from the first claim date, the last one open
        assert found[0]["start"] == timeline.start.isoformat() and found[-1]["end"] == ""
        for before, after in zip(found, found[1:], strict=False):
            assert dt.date.fromisoformat(before["end"]) + dt.timedelta(days=1) == dt.date.fromisoformat(after["start"])
            assert (before["controller"], before["confidence"], before["precision"]) != (
                after["controller"],
                after["confidence"],
                after["precision"],
            )
    cursor = dict.fromkeys(pcodes, 0)
    day = timeline.start
    while day <= timeline.end + dt.timedelta(days=2):
        states = control.state_at(timeline, date=day, pcodes=pcodes)  # what `geo state --date day` prints
        for pcode, state in states.items():
            found = periods[pcode]
            while found[cursor[pcode]]["end"] and found[cursor[pcode]]["end"] < day.isoformat():
                cursor[pcode] += 1
            row = found[cursor[pcode]]
            assert row["start"] <= day.isoformat()
            assert (row["controller"], row["confidence"], row["precision"]) == (
                state.controller,
                state.confidence,
                state.precision,
            ), (pcode, day)
        day += dt.timedelta(days=1)


def test_the_change_log_lists_each_change_of_controller(real):
    timeline, out, _ = real
    rows = read_csv(out / "changes.csv")
    assert rows and all(r["before"] != r["after"] for r in rows)
    assert rows == sorted(rows, key=lambda r: (r["date"], r["pcode"]))
    # Each change is where the control table's controller changes.
    periods = read_csv(out / "control.csv")
    starts = {
        (b["pcode"], b["start"])
        for a, b in zip(periods, periods[1:], strict=False)
        if a["pcode"] == b["pcode"] and a["controller"] != b["controller"]
    }
    first_known = {(r["pcode"], r["start"]) for r in periods if r["start"] == timeline.start.isoformat()}
    assert {(r["pcode"], r["date"]) for r in rows} - first_known == starts


def test_same_input_gives_the_same_bytes(real, real_districts, tmp_path):
    timeline, out, release = real
    again = tmp_path / "again"
    assert write_package(again, timeline=timeline, districts_gdf=real_districts, data_dir=REPO / "data") == release
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in out.iterdir())
    for path in out.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_version_is_the_newest_date_and_a_hash_of_the_data(real):
    timeline, out, release = real
    newest = max([timeline.end, *(s.published for s in timeline.sources.values() if s.published)])
    assert release["version"] == f"{newest.isoformat()}+{timeline.version[:12]}"
    assert release["created"] == newest.isoformat()
    package = json.loads((out / "datapackage.json").read_text())
    assert package["version"] == release["version"] and package["citation"] == release["citation"]
    assert release["version"] in release["citation"] and "AGCHO" in release["citation"]
    assert release["version"] in (out / "README.md").read_text()


def test_boundaries_are_the_399_districts_rounded(real):
    _, out, _ = real
    text = (out / "boundaries.geojson").read_text()
    features = json.loads(text)["features"]
    assert len(features) == settings.EXPECTED_DISTRICTS
    assert [f["properties"]["pcode"] for f in features] == sorted(f["properties"]["pcode"] for f in features)
    ring = features[0]["geometry"]["coordinates"][0]
    ring = ring[0] if isinstance(ring[0][0], list) else ring
    assert all(round(c, 4) == c for point in ring for c in point)
    assert len(text) < 1_000_000  # simplified as the app draws them, not the 11 MB original


def test_columns_added_to_data_are_published_and_text_is_kept(tmp_path, squares_gdf):
    data = tmp_path / "data"
    shutil.copytree(TEST_DATA / "hostile", data)
    timeline = load_timeline(data, squares_gdf)
    # A column that a later version of the data may add (today's validation refuses unknown columns,
    # so it is added after loading): the release copies the header rather than a fixed list.
    path = data / "sources.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[0].append("summary_da")
    for row in rows[1:]:
        row.append("خلاصه")
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    out = tmp_path / "out"
    write_package(out, timeline=timeline, districts_gdf=squares_gdf, data_dir=data)
    validate(out)
    published = read_csv(out / "sources.csv")
    assert list(published[0]) == rows[0]
    assert {r["summary_da"] for r in published} == {"خلاصه"}
    original = {r[0]: r for r in rows[1:]}
    assert all(list(r.values()) == [c.strip() for c in original[r["id"]]] for r in published)
    claims = read_csv(out / "claims.csv")
    with (data / "claims.csv").open(encoding="utf-8-sig", newline="") as fh:
        source_claims = {r["id"]: r for r in csv.DictReader(fh)}
    assert {r["id"] for r in claims} == set(source_claims)
    assert all(r["note"] == source_claims[r["id"]]["note"].strip() for r in claims)


def test_a_district_without_claims_is_one_unknown_period(tmp_path, squares_gdf):
    timeline = load_timeline(TEST_DATA / "valid", squares_gdf)
    rows = control_rows(timeline, squares_gdf["pcode"])
    silent = set(squares_gdf["pcode"]) - set(timeline.by_district)
    assert silent, "the fixture has a district without claims"
    for pcode in silent:
        assert [r for r in rows if r[0] == pcode] == [(pcode, timeline.start.isoformat(), "", "unknown", "", "")]
    version, newest = release_version(timeline)
    assert version.startswith(newest.isoformat() + "+")
