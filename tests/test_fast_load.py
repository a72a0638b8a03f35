"""The column-wise load gives exactly what checking every row one at a time gives.

``geo._claim_rows`` and ``geo._source_rows`` turn plainly valid rows into claims and sources
column by column and send every other row through the full rules. Random files mixing good and
bad cells (and repeated ids, urls and overlapping claims) must give the same claims, sources,
warnings and problems, in the same order, with the fast path switched off.
"""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import _claim_rows, _source_rows
from geo.errors import ValidationError
from geo.timeline import load_timeline
from tests.conftest import TEST_DATA

OUTLETS = (
    "id,name,domains,country,affiliation,reliability,rationale\n"
    "wire,Wire,wire.example.org,GB,independent,B,x\n"
    "tass,TASS,tass.example.ru,RU,state:RU,C,x\n"
    "tal,Voice,tal.example,AF,taliban,D,x\n"
)

# (good values, bad values) per column; "{i}" is the row's number, so ids and urls are mostly fresh.
SOURCE_CELLS = {
    "id": (["s{i}"], ["s1", "s 5", " s{i}", "s\u202e6", ""]),
    "outlet": (["wire"], ["tass", "tal", "nobody", "", " wire"]),
    "original": ([""], ["tass", "wire", "nobody"]),
    "url": (
        ["https://wire.example.org/{i}", "https://wire.example.org/{i}?x=1#y"],
        [
            "https://tass.example.ru/c{i}",
            "http://tal.example/d{i}",
            "https://WIRE.example.org/e",
            "https://wire.example.org/1",
            "https://10.0.0.1/x",
            "https://evil.example@wire.example.org/",
            "javascript:alert(1)",
            "https://wire.example.org:99/p",
            "https://news.local/x",
            "https://tal.example/a b",
            "https://tal.example/\\x",
            "https://tass.example.ru",
        ],
    ),  # fmt: skip
    "published": (["2021-08-20", ""], ["2021-02-30", "20210820", "2099-01-01", " 2021-08-21"]),
    "language": (["en", "fa"], [""]),
    "kind": (["wire", "newspaper"], ["blog", ""]),
    "summary": (["A summary."], ["", "  padded  "]),
    "summary_da": (["", "خلاصه به دری AFP AF0912"], ["English only", "خبر\u202eخبر", "خبر Reuters said"]),
    "published_note": ([""], ["the page shows no date", "نشان\u202e"]),  # refused beside a date
}
CLAIM_CELLS = {
    "id": (["c{i}"], ["c1", "bad id", " c{i}"]),
    "date": (["2021-08-20", "2021-08-21", "2021-08-22"], ["2021-13-01", "1999-01-01", " 2021-08-20"]),
    "scope": (["", "district"], ["province", "country", "capitals", "region"]),
    "district": (
        ["AF0912", "AF0907", "Pol-e-Hesar", "Banu"],
        ["Pul-i-Hisr-Kalan", "Fayzabad", "", "AF0912 ", "AF9999"],
    ),
    "province": (["", "Baghlan"], ["Badakhshan", "Nowhere", "Bagh\u202elan"]),
    "except": ([""], ["AF0907", "AF09"]),
    "reported_as": (["", "Pol-e-Hesar"], []),
    "controller": (["taliban", "resistance", "contested", "unknown"], ["warlords"]),
    "claimed_by": (["taliban", "independent", "resistance"], ["nobody"]),
    "stance": (["asserts", "denies"], ["maybe"]),  # denying 'unknown' is refused
    "source_ids": (["s1", "s2", "s{i}"], ["s1;s2", "s2;s2", "", "s-missing", " s4"]),
    "date_note": (["", "evening"], []),
    "note": (["", "a note"], [' "quoted" ']),
    "note_da": (["", "یادداشت c1 و s2"], ["a note", "یادداشت\u200f"]),
}


def _csv(header: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[row[h].replace("{i}", str(i)) for h in header] for i, row in enumerate(rows)])
    return buf.getvalue()


def _rows(cells: dict[str, tuple[list[str], list[str]]]) -> st.SearchStrategy[list[dict[str, str]]]:
    # a cell is good nine times in ten, so whole rows are often plainly valid (the fast path)
    row = st.fixed_dictionaries(
        {key: st.sampled_from(good * 3 * (len(bad) or 1) + bad) for key, (good, bad) in cells.items()}
    )
    return st.lists(row, min_size=1, max_size=20)


def _load(folder, districts):
    try:
        timeline = load_timeline(folder, districts)
    except ValidationError as exc:
        return "problems", [str(p) for p in exc.problems]
    return "loaded", (timeline.claims, timeline.sources, [str(w) for w in timeline.warnings])


def _row_by_row(self, block):  # the fast path switched off: every row through the full rules
    for line, row in block.rows():
        self.check_row(line, row)


@pytest.mark.parametrize("with_outlets", [True, False])
def test_the_column_wise_load_equals_the_row_by_row_load(squares_gdf, tmp_path, monkeypatch, with_outlets):
    @settings(
        max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(_rows(SOURCE_CELLS), _rows(CLAIM_CELLS), st.integers(min_value=0, max_value=3))
    def check(sources, claims, copies):
        folder = tmp_path / "data"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(TEST_DATA / "valid", folder)
        if with_outlets:
            (folder / "outlets.csv").write_text(OUTLETS, encoding="utf-8")
        (folder / "sources.csv").write_text(_csv(list(SOURCE_CELLS), sources), encoding="utf-8")
        (folder / "claims.csv").write_text(_csv(list(CLAIM_CELLS), claims + claims[:copies]), encoding="utf-8")
        fast = _load(folder, squares_gdf)
        with monkeypatch.context() as m:
            m.setattr(_claim_rows._ClaimReader, "read_block", _row_by_row)
            m.setattr(_source_rows._SourceReader, "read_block", _row_by_row)
            slow = _load(folder, squares_gdf)
        assert fast == slow

    check()


def test_a_large_plain_file_goes_column_wise_and_equals_the_row_by_row_load(squares_gdf, data_dir, monkeypatch):
    """Thousands of plain rows in several blocks, with a few bad ones among them (repeats included)."""
    monkeypatch.setattr("geo._validate.BLOCK_ROWS", 500)
    with open(data_dir / "sources.csv", "a", encoding="utf-8") as fh:
        for i in range(600):
            fh.write(f"n{i},Example,https://example.org/n{i},2021-08-20,en,wire,One of many.\n")
            if i == 299:  # an id repeated within the first block
                fh.write("n5,Example,https://example.org/again,2021-08-20,en,wire,An id used before.\n")
        fh.write("n-extra,Example,https://example.org/n7,2021-08-20,en,wire,A url from the first block.\n")
    with open(data_dir / "claims.csv", "a", encoding="utf-8") as fh:
        for i in range(3000):
            district = "AF0912" if i != 1500 else "Pul-i-Hisr-Kalan"  # one refused row in a middle block
            cid = f"m{i}" if i not in (2000, 2001) else "m3"  # an id from an earlier block, in a clean block
            fh.write(f"{cid},2021-08-{10 + i % 15},{district},Baghlan,,taliban,independent,asserts,n{i % 400},,\n")
    fast = _load(data_dir, squares_gdf)
    monkeypatch.setattr(_claim_rows._ClaimReader, "read_block", _row_by_row)
    monkeypatch.setattr(_source_rows._SourceReader, "read_block", _row_by_row)
    assert fast == _load(data_dir, squares_gdf)
    assert fast[0] == "problems"
    for where in ("sources.csv:305: duplicate source id 'n5'", "sources.csv:606: the url is already source",
                  "claims.csv:1508: unknown district", "claims.csv:2008: duplicate claim id 'm3'"):  # fmt: skip
        assert any(p.startswith(where) for p in fast[1]), where


def test_loading_pauses_the_garbage_collector_and_restores_it(squares_gdf, data_dir):
    import gc

    assert gc.isenabled()
    load_timeline(data_dir, squares_gdf)
    assert gc.isenabled()
    gc.disable()
    try:
        load_timeline(data_dir, squares_gdf)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
