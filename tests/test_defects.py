"""Defects found by a hostile user (issue 23, section 2), each pinned by a test that failed before its fix."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.timeline import load_timeline
from tests.conftest import append_line
from tests.test_validation import problems_for

ROW = "{id},2021-08-01,{scope},,{province},{exc},,taliban,independent,asserts,g-wire,,"


def _claim(graded_dir, *, scope, exc, province="", cid="x1"):
    append_line(graded_dir / "claims.csv", ROW.format(id=cid, scope=scope, province=province, exc=exc))


# --- except lists ----------------------------------------------------------------------------------


def test_an_unknown_province_code_in_a_country_except_is_called_a_province(squares_gdf, graded_dir):
    _claim(graded_dir, scope="country", exc="AF99")
    (found,) = problems_for(graded_dir, squares_gdf)
    assert found.startswith("claims.csv:5:") and "unknown province PCODE 'AF99'" in found
    assert "unknown district" not in found and "did you mean AF09 (Baghlan)" in found


@pytest.mark.parametrize(
    ("scope", "province", "exc", "twice"),
    [
        ("province", "Baghlan", "AF0907;AF0907", "AF0907"),
        ("province", "Baghlan", "AF0907;andarab", "AF0907"),  # the same district by PCODE and by name
        ("country", "", "AF09;Baghlan", "AF09"),
        ("country", "", "AF0907;af0907", "AF0907"),
    ],
)
def test_a_place_listed_twice_in_except_is_refused(squares_gdf, graded_dir, scope, province, exc, twice):
    _claim(graded_dir, scope=scope, province=province, exc=exc)
    (found,) = problems_for(graded_dir, squares_gdf)
    assert found.startswith("claims.csv:5:") and f"except lists {twice} twice" in found and "list it once" in found


def test_a_district_and_its_province_in_one_country_except_is_refused(squares_gdf, graded_dir):
    _claim(graded_dir, scope="country", exc="AF0907;AF09")
    (found,) = problems_for(graded_dir, squares_gdf)
    assert "except lists 'AF0907' and its province 'AF09'" in found


def test_a_province_code_in_a_province_except_is_refused(squares_gdf, graded_dir):
    _claim(graded_dir, scope="province", province="Baghlan", exc="AF17")
    (found,) = problems_for(graded_dir, squares_gdf)
    assert "'AF17' is a province" in found


@pytest.mark.parametrize(
    ("scope", "province", "exc"),
    [
        ("province", "Baghlan", "AF0907;AF0908;AF0912"),
        ("country", "", "AF09;AF17;AF28"),
    ],
)
def test_a_broad_claim_that_leaves_out_everything_is_refused(squares_gdf, graded_dir, scope, province, exc):
    _claim(graded_dir, scope=scope, province=province, exc=exc)
    (found,) = problems_for(graded_dir, squares_gdf)
    assert found.startswith("claims.csv:5:") and "covers nothing" in found and "delete the claim" in found


def test_a_broad_claim_leaving_out_all_but_one_district_is_fine(squares_gdf, graded_dir):
    _claim(graded_dir, scope="province", province="Baghlan", exc="AF0907;AF0908")
    tl = load_timeline(graded_dir, squares_gdf)
    assert {c.id: sorted(c.excluded) for c in tl.broad_claims}["x1"] == ["AF0907", "AF0908"]


# --- reciprocal relays -----------------------------------------------------------------------------

CIRCLE_OUTLETS = (
    "a,Outlet A,a.example,GB,independent,B,Synthetic outlet A.",
    "b,Outlet B,b.example,GB,independent,E,Synthetic outlet B that copies.",
)
CIRCLE_SOURCES = (
    "p-ab,a,b,https://a.example/p,2021-08-20,en,online,A relays B.",
    "p-ba,b,a,https://b.example/p,2021-08-20,en,online,B relays A.",
)
CIRCLE_CLAIM = "r1,2021-08-22,district,AF0907,Baghlan,,,taliban,independent,asserts,p-ab;p-ba,,"


@pytest.fixture
def circle_dir(graded_dir):
    for row in CIRCLE_OUTLETS:
        append_line(graded_dir / "outlets.csv", row)
    for row in CIRCLE_SOURCES:
        append_line(graded_dir / "sources.csv", row)
    append_line(graded_dir / "claims.csv", CIRCLE_CLAIM)
    return graded_dir


def test_pages_relaying_each_other_are_one_voice_graded_as_the_weaker(squares_gdf, circle_dir):
    from geo._claims import voice_groups

    tl = load_timeline(circle_dir, squares_gdf)
    claim = {c.id: c for c in tl.claims}["r1"]
    assert voice_groups(claim.source_ids, tl.sources) == (("a", "b"),)
    # the origin is unknown, so the circle cannot confirm on A's grade alone
    assert claim.evidence == "weak"
    (warning,) = [str(w) for w in tl.warnings if "circle" in w.message]
    assert warning.startswith("claims.csv:5:") and "p-ab, p-ba" in warning and "one voice" in warning


def test_the_audit_counts_a_relay_circle_once_and_flags_it(squares_gdf, circle_dir):
    from geo import audit

    tl = load_timeline(circle_dir, squares_gdf)
    found = {a.claim.id: a for a in audit.audit_claims(tl)}["r1"]
    assert found.voices == ("a+b",) and found.best_grade == "E"
    assert "single_voice" in found.flags and "relay_circle" in found.flags


def test_the_ledger_counts_a_relay_circle_as_one_voice(squares_gdf, circle_dir):
    from components.ledger import ledger_html
    from geo import control

    tl = load_timeline(circle_dir, squares_gdf)
    history = tl.by_district["AF0907"]
    day = history[-1].date
    page = ledger_html(
        pcode="AF0907", name_en="Andarab", name_da="اندراب", province="Baghlan",
        state=control.district_state("AF0907", [c for c in history if c.id == "r1"], date=day),
        history=history, sources=tl.sources, date=day, outlet=tl.outlet, names={},
    )  # fmt: skip
    assert 'data-voices="1"' in page


def test_a_plain_relay_beside_its_original_is_still_one_voice_and_two_outlets_two():
    from geo._claims import Source, voice_groups

    sources = {
        "w": Source("w", "wire", "https://w.example/1", None, "en", "wire", "x"),
        "r": Source("r", "farm", "https://f.example/1", None, "en", "online", "x", original="wire"),
        "t": Source("t", "tolo", "https://t.example/1", None, "en", "broadcaster", "x"),
    }
    assert voice_groups(("w", "r"), sources) == (("wire",),)
    assert voice_groups(("w", "r", "t"), sources) == (("wire",), ("tolo",))


def test_the_audit_flags_a_broad_claim_that_covers_nothing():
    import datetime as dt

    from geo import audit
    from geo.timeline import Claim, Timeline

    empty = Claim("p", dt.date(2021, 8, 1), "AF09", "taliban", "independent", "asserts", (), scope="province",
                  excluded=frozenset({"AF0907", "AF0908"}))  # fmt: skip
    tl = Timeline((empty,), {}, districts={"AF0907": "AF09", "AF0908": "AF09", "AF1701": "AF17"})
    assert "covers_nothing" in audit.audit_claim(empty, tl).flags


# --- digits in other scripts in the URL ------------------------------------------------------------

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _parse(params):
    from components.view_state import parse_view

    start, end = dt.date(2021, 8, 1), dt.date(2021, 9, 30)
    return parse_view(params, start=start, end=end, default=end, pcodes={"AF0912", "AF0801"})


@pytest.mark.parametrize("digits", [PERSIAN, ARABIC_INDIC])
def test_dates_and_positions_in_other_digits_are_read_alike(digits):
    params = {"date": "2021-08-21", "compare": "2021-08-10", "district": "AF0912", "lat": "34.5", "lon": "69.25",
              "z": "9"}  # fmt: skip
    view, notices = _parse({k: v.translate(digits) for k, v in params.items()})
    assert notices == []
    assert (view.date, view.compare, view.district) == (dt.date(2021, 8, 21), dt.date(2021, 8, 10), "AF0912")
    assert (view.center, view.zoom) == ((34.5, 69.25), 9)


def test_a_refused_value_in_other_digits_is_echoed_as_typed_without_bidi_controls():
    typed = "۲۰۲۱-۱۳-۴۵"
    _, (notice,) = _parse({"date": "\u202e" + typed + "\u2066"})
    assert f"` {typed} `" in notice and "?" not in notice and "\u202e" not in notice and "\u2066" not in notice
    _, (notice,) = _parse({"lat": "۹۹", "lon": "۶۹", "z": "۹"})  # out of range: the same rule as a date
    assert "lat=` ۹۹ `" in notice


# --- a link over Streamlit's limit of query fields ---------------------------------------------------


@pytest.mark.parametrize(
    "forged",
    [None, [], {"kept": {}}, {"fields": "9", "kept": {}}, {"fields": True, "kept": {}}, {"fields": 1200, "kept": []}],
)
def test_a_malformed_link_report_is_dropped(forged):
    from components.view_state import read_link_report

    assert read_link_report(forged) is None


def test_a_link_report_keeps_only_short_view_parameters():
    from components.view_state import read_link_report

    value = {"fields": 1200, "kept": {"date": "2021-08-21", "utm": "x", "district": "A" * 201, "lat": 35}}
    assert read_link_report(value) == ({"date": "2021-08-21"}, 1200)


def test_the_reported_view_of_a_dropped_link_is_applied_with_a_notice(monkeypatch, tmp_path, data_dir):
    from streamlit.testing.v1 import AppTest

    from components.controls import LINK_REPORT_KEY
    from tests.conftest import REPO, shared_boundaries

    for name, value in (("BOUNDARIES_DIR", shared_boundaries()), ("CACHE_DIR", tmp_path / "c"), ("OFFLINE", "1")):
        monkeypatch.setenv(f"CONTROLMAP_{name}", str(value))
    monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.session_state[LINK_REPORT_KEY] = ({"date": "2021-08-21", "district": "AF0908", "lang": "en"}, 1200)
    at.run()
    assert at.slider(key="date").value == dt.date(2021, 8, 21)
    assert (at.query_params["date"], at.query_params["district"]) == ("2021-08-21", "AF0908")
    (notice,) = [w.value for w in at.warning if "1200 parameters" in w.value]
    assert "more than the 1000" in notice and "date, district, lang kept" in notice


def test_a_dropped_link_with_few_fields_is_called_too_long(monkeypatch, tmp_path, data_dir):
    from streamlit.testing.v1 import AppTest

    from components.controls import LINK_REPORT_KEY
    from tests.conftest import REPO, shared_boundaries

    for name, value in (("BOUNDARIES_DIR", shared_boundaries()), ("CACHE_DIR", tmp_path / "c"), ("OFFLINE", "1")):
        monkeypatch.setenv(f"CONTROLMAP_{name}", str(value))
    monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.session_state[LINK_REPORT_KEY] = ({"date": "2021-08-21"}, 3)  # one value of 600 KiB, say
    at.run()
    assert at.slider(key="date").value == dt.date(2021, 8, 21)
    assert any("longer than the 524288 characters" in w.value and "date kept" in w.value for w in at.warning)
