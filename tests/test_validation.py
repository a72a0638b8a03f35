import shutil

import pytest

from geo.errors import ValidationError
from geo.timeline import load_timeline
from tests.conftest import TEST_DATA


def problems_for(data_dir, districts):
    with pytest.raises(ValidationError) as info:
        load_timeline(data_dir, districts)
    return [str(p) for p in info.value.problems]


def test_valid_fixture_loads(squares_gdf, data_dir):
    timeline = load_timeline(data_dir, squares_gdf)
    assert [c.id for c in timeline.claims] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert timeline.claims[0].pcode == "AF0912"  # "Pol-e-Hesar" resolved
    assert timeline.sources["s-denial"].published is None
    assert timeline.warnings == ()


def test_broken_fixture_reports_every_problem_at_once_with_file_and_line(squares_gdf, tmp_path):
    target = tmp_path / "broken"
    shutil.copytree(TEST_DATA / "broken", target)
    found = problems_for(target, squares_gdf)
    expected = [
        ("sources.csv:3:", "javascript:alert(1)"),
        ("sources.csv:4:", "not http(s)"),
        ("sources.csv:5:", "bad published date '2021-02-30'"),
        ("sources.csv:6:", "unknown kind 'blog'"),
        ("sources.csv:7:", "duplicate source id 's-ok' (first at line 2)"),
        ("claims.csv:2:", "unknown district 'Pul-i-Hisr-Kalan' in Baghlan"),
        ("claims.csv:2:", "did you mean Pul-e-Hisar (AF0912"),
        ("claims.csv:3:", "bad date '2021-13-01'"),
        ("claims.csv:4:", "no source"),
        ("claims.csv:5:", "unknown source id 's-missing'"),
        ("claims.csv:6:", "unknown controller 'warlords'"),
        ("claims.csv:7:", "unknown stance 'maybe'"),
        ("claims.csv:8:", "duplicate claim id 'b1'"),
        ("claims.csv:10:", "cite the same source (s-ok) for different controllers"),
    ]
    for prefix, fragment in expected:
        assert any(p.startswith(prefix) and fragment in p for p in found), (prefix, fragment, found)
    assert len(found) == len(expected) - 1  # the unknown-district line carries its suggestion


def test_bad_encoding_names_the_line(squares_gdf, data_dir):
    raw = (data_dir / "claims.csv").read_bytes().replace(b"uprising claims", b"uprising \xff claims")
    (data_dir / "claims.csv").write_bytes(raw)
    assert problems_for(data_dir, squares_gdf) == ["claims.csv:2: not valid UTF-8 (byte 0xff); save the file as UTF-8"]


def test_missing_and_unknown_columns(squares_gdf, data_dir):
    text = (data_dir / "sources.csv").read_text().replace("kind,summary", "kynd,summary")
    (data_dir / "sources.csv").write_text(text)
    (found,) = problems_for(data_dir, squares_gdf)
    assert found.startswith("sources.csv:1: missing column(s) kind; unknown column(s) kynd")


def test_ragged_row_and_missing_file(squares_gdf, data_dir):
    with open(data_dir / "claims.csv", "a") as fh:
        fh.write("c9,2021-08-25,AF0912\n")
    (found,) = problems_for(data_dir, squares_gdf)
    assert found.startswith("claims.csv:8: has 3 cells")
    (data_dir / "sources.csv").unlink()
    assert any(p.startswith("sources.csv:0: missing") for p in problems_for(data_dir, squares_gdf))


def test_bidi_controls_in_codes_are_refused(squares_gdf, data_dir):
    text = (data_dir / "claims.csv").read_text().replace("c1,2021-08-20,Pol-e-Hesar", "c1,2021-08-20,Pol-e-\u202eHesar")
    (data_dir / "claims.csv").write_text(text)
    assert any("bidirectional control" in p for p in problems_for(data_dir, squares_gdf))


def test_fuzzy_match_is_accepted_with_a_warning(squares_gdf, data_dir):
    text = (data_dir / "claims.csv").read_text().replace("c1,2021-08-20,Pol-e-Hesar", "c1,2021-08-20,Pul-e-Hissar")
    (data_dir / "claims.csv").write_text(text)
    timeline = load_timeline(data_dir, squares_gdf)
    assert timeline.claims[0].pcode == "AF0912"
    assert [str(w).split(":")[0:2] for w in timeline.warnings] == [["claims.csv", "2"]]


def test_bad_alias_table(squares_gdf, data_dir):
    with open(data_dir / "aliases.csv", "a") as fh:
        fh.write("district,Nowhere,,AF9999,\n")
    assert problems_for(data_dir, squares_gdf) == ["aliases.csv:4: unknown district PCODE 'AF9999'"]
