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
        ("sources.csv:5:", "published: no such day: 2021-02-30"),
        ("sources.csv:6:", "unknown kind 'blog'"),
        ("sources.csv:7:", "duplicate source id 's-ok' (first at line 2)"),
        ("claims.csv:2:", "unknown district 'Pul-i-Hisr-Kalan' in Baghlan"),
        ("claims.csv:2:", "did you mean Pul-e-Hisar (AF0912"),
        ("claims.csv:3:", "no such day: 2021-13-01"),
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


def _sources_header(data_dir):
    return (data_dir / "sources.csv").read_text().splitlines()[0]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("https://good.example@evil.example/a", "user name before '@'"),
        ("https://example.org\\@evil.example/", "backslash"),
        ("https://exa\u200bmple.org/a", "U+200B"),
        ("https://example.org/a\u2060b", "U+2060"),
        ("https://example.org/\x07", "U+0007"),
        ("http://127.0.0.1/a", "private or local address"),
        ("http://[::1]/a", "private or local address"),
        ("http://192.168.1.10/a", "private or local address"),
        ("http://169.254.169.254/latest/meta-data", "private or local address"),
        ("http://localhost:8501/", "local host"),
        ("http://printer.local/", "local host"),
        ("http://intranet/", "local host"),
        ("http://2130706433/", "local host"),
    ],
)
def test_urls_are_checked_beyond_the_scheme(squares_gdf, data_dir, url, said):
    with open(data_dir / "sources.csv", "a", encoding="utf-8") as fh:
        fh.write(f"s-new,Example,{url},2021-08-20,en,wire,A page.\n")
    found = problems_for(data_dir, squares_gdf)
    assert len(found) == 1 and found[0].startswith("sources.csv:") and said in found[0], found


def test_invisible_characters_cannot_dodge_the_duplicate_url_check(squares_gdf, data_dir):
    first = (data_dir / "sources.csv").read_text().splitlines()[1].split(",")[2]
    twin = first.replace("://", "://\u200b")
    with open(data_dir / "sources.csv", "a", encoding="utf-8") as fh:
        fh.write(f"s-twin,Example,{twin},2021-08-20,en,wire,A page.\n")
    assert any("U+200B" in p for p in problems_for(data_dir, squares_gdf))


def test_a_source_id_repeated_in_one_claim_is_refused(squares_gdf, data_dir):
    lines = (data_dir / "claims.csv").read_text().splitlines()
    row = lines[1].split(",")
    header = lines[0].split(",")
    col = header.index("source_ids")
    row[col] = f"{row[col]};{row[col]}"
    lines[1] = ",".join(row)
    (data_dir / "claims.csv").write_text("\n".join(lines) + "\n")
    found = problems_for(data_dir, squares_gdf)
    assert found == [f"claims.csv:2: source id {row[col].split(';')[0]!r} is listed 2 times; list it once"]


def test_a_claim_citing_a_refused_source_says_why_it_was_refused(squares_gdf, data_dir):
    lines = (data_dir / "sources.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    sid = row[0]
    row[header.index("kind")] = "blog"
    lines[1] = ",".join(row)
    (data_dir / "sources.csv").write_text("\n".join(lines) + "\n")
    found = problems_for(data_dir, squares_gdf)
    assert found[0].startswith("sources.csv:2: unknown kind 'blog'")
    citing = [p for p in found if p.startswith("claims.csv")]
    assert citing and all(f"source {sid!r} was refused (sources.csv:2: unknown kind 'blog'" in p for p in citing)
    assert not any("unknown source id" in p for p in found)


def test_a_dangling_symlink_among_the_files_read_is_a_problem(squares_gdf, data_dir):
    (data_dir / "aliases.csv").unlink()
    (data_dir / "aliases.csv").symlink_to(data_dir / "gone.csv")
    assert problems_for(data_dir, squares_gdf) == [
        "aliases.csv:0: is a symbolic link to nothing (dangling); delete it or copy the real file here"
    ]


def test_an_unused_dangling_or_outside_symlink_is_only_a_warning(squares_gdf, data_dir, tmp_path):
    (data_dir / "old.csv").symlink_to(data_dir / "gone.csv")
    (data_dir / "notes.txt").symlink_to(tmp_path)
    timeline = load_timeline(data_dir, squares_gdf)
    assert len(timeline.claims) == 6
    assert [str(w) for w in timeline.warnings if w.line == 0] == [
        "notes.txt:0: is a symbolic link that leads outside the data folder; it is not read",
        "old.csv:0: is a symbolic link to nothing (dangling); it is not read; delete it when you can",
    ]


def test_a_data_file_linking_outside_the_folder_is_refused_without_quoting_it(squares_gdf, data_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:top secret line\n")
    (data_dir / "claims.csv").unlink()
    (data_dir / "claims.csv").symlink_to(secret)
    found = problems_for(data_dir, squares_gdf)
    assert found == [
        "claims.csv:0: is a symbolic link that leads outside the data folder; copy the file into the folder instead"
    ]
    assert "secret" not in " ".join(found) and str(tmp_path) not in " ".join(found)


def test_a_symlink_inside_the_folder_is_fine(squares_gdf, data_dir):
    (data_dir / "claims-real.csv").write_bytes((data_dir / "claims.csv").read_bytes())
    (data_dir / "claims.csv").unlink()
    (data_dir / "claims.csv").symlink_to("claims-real.csv")
    assert len(load_timeline(data_dir, squares_gdf).claims) == 6


@pytest.mark.parametrize("value", ["1021-08-20", "0001-01-01", "2000-12-31"])
def test_dates_before_the_window_are_refused(squares_gdf, data_dir, value):
    text = (data_dir / "claims.csv").read_text().replace("c1,2021-08-20", f"c1,{value}")
    (data_dir / "claims.csv").write_text(text)
    assert problems_for(data_dir, squares_gdf) == [
        f"claims.csv:2: date {value} is before 2001-01-01, "
        "the earliest date this map accepts; check the year for a typo"
    ]


def _read_both(tmp_path, text, monkeypatch):
    from geo import _validate

    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    fast_problems, slow_problems = [], []
    fast = list(_validate.read_rows(path, ("id", "a"), ("b",), fast_problems))
    with monkeypatch.context() as m:
        m.setattr(_validate, "_columnar", lambda body, header, n_lines: None)
        slow = list(_validate.read_rows(path, ("id", "a"), ("b",), slow_problems))
    return (fast, [str(p) for p in fast_problems]), (slow, [str(p) for p in slow_problems])


def test_the_columnar_reader_gives_the_same_rows_lines_and_problems_as_the_row_reader(tmp_path, monkeypatch):
    """pyarrow reads the common file; anything it cannot place on a line goes to the strict csv reader."""
    import csv as csv_module
    import io

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    cell = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t;éپ')), max_size=6)

    @settings(
        max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.lists(st.lists(cell, min_size=3, max_size=3), max_size=6), st.booleans())
    def check(rows, raw):
        if raw:  # hand-made text: ragged rows, stray quotes, blank lines
            text = "id,a,b\n" + "\n".join(",".join(r) for r in rows) + "\n"
        else:
            buf = io.StringIO()
            writer = csv_module.writer(buf, lineterminator="\n")
            writer.writerow(["id", "a", "b"])
            writer.writerows(rows)
            text = buf.getvalue()
        fast, slow = _read_both(tmp_path, text, monkeypatch)
        assert fast == slow, text

    check()
    plain, _ = _read_both(tmp_path, "id,a,b\nx,1,2\ny,3,4\n", monkeypatch)
    assert plain[0] == [(2, {"id": "x", "a": "1", "b": "2"}), (3, {"id": "y", "a": "3", "b": "4"})]


def test_two_thousand_reports_of_one_district_on_one_day_give_one_summarised_warning(squares_gdf, data_dir):
    with open(data_dir / "sources.csv", "a", encoding="utf-8") as fh:
        fh.writelines(f"n{i},Example,https://example.org/n{i},2021-08-20,en,wire,One of many.\n" for i in range(2000))
    with open(data_dir / "claims.csv", "a", encoding="utf-8") as fh:
        fh.writelines(f"m{i},2021-08-25,AF0912,Baghlan,,taliban,independent,asserts,n{i},,\n" for i in range(2000))
    timeline = load_timeline(data_dir, squares_gdf)
    overlaps = [str(w) for w in timeline.warnings if "overlap" in str(w)]
    assert overlaps == [
        "claims.csv:9: 2000 claims for AF0912 on 2021-08-25 overlap (independent asserts taliban): m0 (line 8), "
        "m1 and 1998 more; keep them if each outlet is its own voice"
    ]
