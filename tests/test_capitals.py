"""The capitals scope: one claim about all 34 provincial capitals (less ``except``), ranked between
a district's own claim and a province-wide one; and the outlets aligned with a state."""

from __future__ import annotations

import datetime as dt

import pytest

from components.district_map import encode_states
from components.ledger import ledger_html, scope_label
from geo import audit, control, settings
from geo.intervals import ControlIndex
from geo.outlets import Outlet, affiliation_label
from geo.timeline import Claim, Source, Timeline, grade_evidence, load_timeline
from tests.conftest import append_line
from tests.htmlcheck import visible_text
from tests.test_validation import problems_for

D = dt.date
OUTLETS = {
    "wire": Outlet("wire", "Example Wire", ("example.org",), "GB", "independent", "B", "field reporters"),
    "sf": Outlet("sf", "SouthFront", ("sf.example",), "RU", "aligned:RU", "C", "follows the Russian line"),
    "ru": Outlet("ru", "Russian Agency", ("ru.example",), "RU", "state:RU", "C", "state agency"),
    "us": Outlet("us", "Party Aligned", ("us.example",), "US", "aligned:US", "C", "follows a party's line"),
}
SOURCES = {
    "s-wire": Source("s-wire", "wire", "https://example.org/a", D(2021, 7, 9), "en", "wire", "x"),
    "s-sf": Source("s-sf", "sf", "https://sf.example/a", D(2021, 7, 9), "en", "online", "x"),
    "s-ru": Source("s-ru", "ru", "https://ru.example/a", D(2021, 7, 9), "en", "wire", "x"),
    "s-us": Source("s-us", "us", "https://us.example/a", D(2021, 7, 9), "en", "online", "x"),
}
# Badakhshan's capital Fayzabad (AF1701) and Baghlan's Pul-e-Khumri (AF0901) beside two other districts.
PROVINCES = {"AF1701": "AF17", "AF1702": "AF17", "AF0901": "AF09", "AF0912": "AF09"}


def claim(cid, day, controller, by, *sources, pcode="AF", scope="capitals", excluded=()):
    raw = Claim(cid, day, pcode, controller, by, "asserts", tuple(sources), scope=scope, excluded=frozenset(excluded))
    return raw._replace(evidence=grade_evidence(raw, SOURCES, OUTLETS))


def timeline(*claims):
    return Timeline(tuple(sorted(claims, key=lambda c: (c.date, c.id))), SOURCES, outlets=OUTLETS, districts=PROVINCES)


def at(tl, day, pcode):
    return control.state_at(tl, date=day, pcodes=[pcode])[pcode]


def test_the_capitals_table_has_one_centre_per_province_in_that_province(real_districts):
    province_of = dict(zip(real_districts["pcode"], real_districts["province_pcode"], strict=True))
    assert sorted(settings.PROVINCE_CAPITALS) == sorted(set(province_of.values()))
    assert len(settings.CAPITAL_DISTRICTS) == settings.EXPECTED_PROVINCES == 34
    for province, (pcode, _name) in settings.PROVINCE_CAPITALS.items():
        assert province_of[pcode] == province, pcode


def test_a_capitals_claim_covers_the_capitals_only_less_its_exceptions():
    tl = timeline(claim("cap", D(2021, 7, 8), "government", "independent", "s-wire", excluded={"AF0901"}))
    assert at(tl, D(2021, 7, 9), "AF1701").controller == "government"
    assert at(tl, D(2021, 7, 9), "AF1701").precision == "capitals"
    assert at(tl, D(2021, 7, 9), "AF1702").controller == "unknown"  # not a capital
    assert at(tl, D(2021, 7, 9), "AF0901").controller == "unknown"  # left out
    assert sorted(tl.by_district) == ["AF1701"]


def test_same_day_a_districts_own_claim_beats_capitals_and_capitals_beat_a_province_claim():
    own = claim("own", D(2021, 7, 8), "taliban", "independent", "s-wire", pcode="AF1701", scope="district")
    cap = claim("cap", D(2021, 7, 8), "government", "independent", "s-wire")
    prov = claim("prov", D(2021, 7, 8), "taliban", "independent", "s-wire", pcode="AF17", scope="province")
    assert at(timeline(own, cap), D(2021, 7, 9), "AF1701").controller == "taliban"
    both = timeline(cap, prov)
    assert at(both, D(2021, 7, 9), "AF1701").controller == "government"  # the capital: the capitals claim
    assert at(both, D(2021, 7, 9), "AF1702").controller == "taliban"  # the rest of the province
    # the index gives the same steps as the rules
    index = ControlIndex.build(both.by_district)
    assert index.status("AF1701", D(2021, 7, 9)).precision == "capitals"


def test_a_status_on_a_capitals_claim_is_broad_on_the_map_and_in_the_audit():
    tl = timeline(claim("cap", D(2021, 7, 8), "government", "independent", "s-wire"))
    states = control.state_at(tl, date=D(2021, 7, 9), pcodes=["AF1701", "AF0912"])
    broad_only = encode_states(states, ["AF1701"])
    own = timeline(claim("own", D(2021, 7, 8), "government", "independent", "s-wire", pcode="AF1701", scope="district"))
    own_states = control.state_at(own, date=D(2021, 7, 9), pcodes=["AF1701"])
    assert broad_only != encode_states(own_states, ["AF1701"])  # the broad-evidence variant of the colour
    [figures] = audit.status_figures(tl, dates=[D(2021, 7, 9)])
    assert (figures.known, figures.only_broad_claims, figures.single_voice) == (2, 2, 2)


def test_the_ledger_labels_a_capitals_claim_in_both_languages():
    cap = claim("cap", D(2021, 7, 8), "government", "independent", "s-wire", excluded={"AF0901"})
    names = {"AF0901": "Pul-e-Khumri"}
    assert scope_label(cap, names, "en") == "All provincial capitals (except Pul-e-Khumri)"
    assert scope_label(cap, {"AF0901": "پلخمری"}, "da") == "همهٔ مراکز ولایات (به جز پلخمری)"
    tl = timeline(cap)
    history = tl.by_district["AF1701"]
    page = ledger_html(
        pcode="AF1701", name_en="Fayzabad", name_da="فیض آباد", province="Badakhshan",
        state=control.district_state("AF1701", history, date=D(2021, 7, 9)), history=history, sources=SOURCES,
        date=D(2021, 7, 9), outlet=tl.outlet, names=names,
    )  # fmt: skip
    assert 'data-scope="capitals"' in page and "All provincial capitals" in visible_text(page)


# --- loading ---------------------------------------------------------------------------------------


def test_a_capitals_claim_loads_and_its_exceptions_may_name_provinces(squares_gdf, graded_dir):
    append_line(
        graded_dir / "claims.csv", "k1,2021-07-08,capitals,,,Badakhshan,,government,independent,asserts,g-wire,,x"
    )
    append_line(graded_dir / "claims.csv", "k2,2021-07-09,capitals,,,,,government,independent,asserts,g-wire,,x")
    tl = load_timeline(graded_dir, squares_gdf)
    found = {c.id: (c.scope, c.pcode, sorted(c.excluded)) for c in tl.broad_claims}
    assert found["k1"] == ("capitals", "AF", ["AF1701"]) and found["k2"] == ("capitals", "AF", [])
    assert [c.id for c in tl.by_district["AF1701"]].count("k2") == 1
    assert "k2" not in [c.id for c in tl.by_district.get("AF0912", [])]


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ("k1,2021-08-01,capitals,,,AF0907,,taliban,independent,asserts,g-wire,,", "is not a provincial capital"),
        ("k2,2021-08-01,capitals,AF1701,,,,taliban,independent,asserts,g-wire,,", "leaves district empty"),
        ("k3,2021-08-01,capitals,,Baghlan,,,taliban,independent,asserts,g-wire,,", "leaves province empty"),
        ("k4,2021-08-01,capitals,,,Nowhere,,taliban,independent,asserts,g-wire,,", "except: unknown district"),
        # the same capital by code and by its province: listed twice, refused like a repeated source id
        ("k5,2021-08-01,capitals,,,AF1701;Badakhshan,,taliban,independent,asserts,g-wire,,", "twice"),
    ],
)
def test_capitals_claim_rows_are_validated(squares_gdf, graded_dir, row, said):
    append_line(graded_dir / "claims.csv", row)
    found = problems_for(graded_dir, squares_gdf)
    assert len(found) == 1 and found[0].startswith("claims.csv:5:") and said in found[0], found


# --- aligned with a state ------------------------------------------------------------------------------


def test_an_outlet_aligned_with_a_state_is_weighed_like_that_states_media():
    for source in ("s-sf", "s-ru"):
        single = claim("c", D(2021, 8, 1), "taliban", "independent", source, pcode="AF0912", scope="district")
        assert single.evidence == "weak"
        assert at(timeline(single), D(2021, 8, 2), "AF0912").confidence == "claimed"
        conceded = claim("c", D(2021, 8, 1), "taliban", "government", source, pcode="AF0912", scope="district")
        assert at(timeline(conceded), D(2021, 8, 2), "AF0912").confidence == "claimed"
        [figures] = audit.status_figures(timeline(single), ["AF0912"], dates=[D(2021, 8, 2)])
        assert (figures.known, figures.only_weak_voices) == (1, 1)
    # aligned with a party to the fighting: usable, as that party's state media would be
    party = claim("c", D(2021, 8, 1), "taliban", "government", "s-us", pcode="AF0912", scope="district")
    assert party.evidence == "usable" and at(timeline(party), D(2021, 8, 2), "AF0912").confidence == "confirmed"


def test_aligned_labels_and_validation(squares_gdf, graded_dir):
    assert affiliation_label("aligned:RU") == "aligned with Russia"
    assert OUTLETS["sf"].label() == "SouthFront · aligned with Russia · C"
    from components.ledger import affiliation_text

    assert affiliation_text(OUTLETS["sf"], "da") == "همسو با دولت روسیه"
    append_line(graded_dir / "outlets.csv", "x,X,x.example,RU,aligned:russia,D,fine")
    found = problems_for(graded_dir, squares_gdf)
    assert len(found) == 1 and "unknown affiliation 'aligned:russia'" in found[0] and "aligned:XX" in found[0]
