"""The evidence model: the outlets register, reposts as one voice, broad claims, graded confidence."""

import datetime as dt

import pytest

from geo import control
from geo.outlets import Outlet, affiliation_label
from geo.timeline import Claim, Source, Timeline, grade_evidence, load_timeline
from tests.test_validation import problems_for

D = dt.date

OUTLETS = {
    "wire": Outlet("wire", "Example Wire", ("example.org",), "GB", "independent", "B", "field reporters"),
    "farm": Outlet("farm", "Content Farm", ("farm.example",), "", "unknown", "E", "scraper"),
    "ru": Outlet("ru", "Russian Agency", ("ru.example",), "RU", "state:RU", "C", "state agency, no stake"),
    "tv": Outlet("tv", "Party TV", ("tv.example",), "US", "state:US", "C", "state broadcaster of a party"),
    "tal": Outlet("tal", "Alemarah", ("tal.example",), "AF", "taliban", "D", "the Taliban's own site"),
}
SOURCES = {
    "s-wire": Source("s-wire", "wire", "https://example.org/a", None, "en", "wire", "x"),
    "s-farm": Source("s-farm", "farm", "https://farm.example/a", None, "en", "online", "x"),
    "s-relay": Source("s-relay", "farm", "https://farm.example/b", None, "en", "online", "x", original="wire"),
    "s-ru": Source("s-ru", "ru", "https://ru.example/a", None, "en", "wire", "x"),
    "s-tv": Source("s-tv", "tv", "https://tv.example/a", None, "en", "broadcaster", "x"),
    "s-tal": Source("s-tal", "tal", "https://tal.example/a", None, "en", "official", "x"),
}
PROVINCES = {"AF0907": "AF09", "AF0908": "AF09", "AF0912": "AF09", "AF1701": "AF17", "AF2808": "AF28"}


def claim(cid, day, controller, by, *sources, pcode="AF0912", scope="district", excluded=(), stance="asserts"):
    raw = Claim(cid, day, pcode, controller, by, stance, tuple(sources), scope=scope, excluded=frozenset(excluded))
    return raw._replace(evidence=grade_evidence(raw, SOURCES, OUTLETS))


def timeline(*claims):
    return Timeline(tuple(sorted(claims, key=lambda c: (c.date, c.id))), SOURCES, outlets=OUTLETS, districts=PROVINCES)


def at(tl, day, pcode="AF0912"):
    return control.state_at(tl, date=day, pcodes=[pcode])[pcode]


# --- grading -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sources", "grade"),
    [
        (("s-wire",), "independent"),
        (("s-relay",), "independent"),  # a farm relaying the wire speaks with the wire's voice
        (("s-farm",), "weak"),
        (("s-ru",), "weak"),  # state media of a state outside the fighting
        (("s-tv",), "usable"),  # state media of a party: not capped, but not independent
        (("s-tal",), "weak"),
        (("s-farm", "s-ru", "s-tal"), "weak"),
        (("s-farm", "s-wire"), "independent"),
    ],
)
def test_claims_are_graded_by_their_strongest_voice(sources, grade):
    assert claim("c", D(2021, 8, 1), "taliban", "independent", *sources).evidence == grade


def test_an_independent_a_to_c_report_confirms():
    state = at(timeline(claim("c", D(2021, 8, 1), "taliban", "independent", "s-wire")), D(2021, 8, 2))
    assert (state.controller, state.confidence) == ("taliban", "confirmed")


@pytest.mark.parametrize("sources", [("s-farm",), ("s-ru",), ("s-tal",), ("s-farm", "s-ru")])
def test_a_status_resting_only_on_weak_or_outside_state_media_is_at_most_claimed(sources):
    state = at(timeline(claim("c", D(2021, 8, 1), "taliban", "independent", *sources)), D(2021, 8, 2))
    assert (state.controller, state.confidence) == ("taliban", "claimed")


def test_party_state_media_alone_does_not_confirm_an_independent_finding():
    state = at(timeline(claim("c", D(2021, 8, 1), "taliban", "independent", "s-tv")), D(2021, 8, 2))
    assert state.confidence == "claimed"


def test_a_side_conceding_a_loss_confirms_when_a_usable_voice_carries_it():
    conceded = timeline(claim("c", D(2021, 8, 1), "taliban", "government", "s-tv"))
    assert at(conceded, D(2021, 8, 2)).confidence == "confirmed"
    only_farm = timeline(claim("c", D(2021, 8, 1), "taliban", "government", "s-farm"))
    assert at(only_farm, D(2021, 8, 2)).confidence == "claimed"


def test_a_sides_own_claim_stays_claimed_whatever_the_outlet():
    state = at(timeline(claim("c", D(2021, 8, 1), "taliban", "taliban", "s-wire")), D(2021, 8, 2))
    assert state.confidence == "claimed"


def test_without_a_register_the_old_rule_applies():
    raw = Claim("c", D(2021, 8, 1), "AF0912", "taliban", "independent", "asserts", ("s-farm",))
    state = at(Timeline((raw,), SOURCES), D(2021, 8, 2))
    assert state.confidence == "confirmed"


def test_affiliation_labels():
    assert affiliation_label("state:RU") == "Russian state media"
    assert OUTLETS["ru"].label() == "Russian Agency · Russian state media · C"
    assert affiliation_label("afghan-government") == "Afghan government"


# --- broad claims --------------------------------------------------------------------------------


def test_a_province_claim_counts_for_each_district_it_covers_except_the_exceptions():
    tl = timeline(
        claim(
            "p", D(2021, 7, 5), "taliban", "independent", "s-wire", pcode="AF09", scope="province", excluded={"AF0908"}
        )
    )
    states = control.state_at(tl, date=D(2021, 7, 6), pcodes=list(PROVINCES))
    assert {p: s.controller for p, s in states.items()} == {
        "AF0907": "taliban",
        "AF0908": "unknown",
        "AF0912": "taliban",
        "AF1701": "unknown",
        "AF2808": "unknown",
    }
    assert states["AF0907"].precision == "province" and states["AF0908"].precision == ""


def test_a_country_claim_leaves_out_whole_provinces():
    tl = timeline(claim("n", D(2021, 8, 16), "taliban", "independent", "s-wire", pcode="AF", scope="country",
                        excluded={"AF1701"}))  # fmt: skip
    states = control.state_at(tl, date=D(2021, 8, 16), pcodes=list(PROVINCES))
    assert [p for p, s in states.items() if s.controller == "taliban"] == ["AF0907", "AF0908", "AF0912", "AF2808"]
    assert states["AF0907"].precision == "country"


def test_newer_evidence_wins_whatever_its_scope():
    tl = timeline(
        claim("d", D(2021, 8, 10), "government", "independent", "s-wire"),
        claim("n", D(2021, 8, 16), "taliban", "independent", "s-wire", pcode="AF", scope="country"),
        claim("d2", D(2021, 8, 20), "resistance", "independent", "s-wire"),
    )
    assert at(tl, D(2021, 8, 12)).controller == "government"
    assert (at(tl, D(2021, 8, 17)).controller, at(tl, D(2021, 8, 17)).precision) == ("taliban", "country")
    assert (at(tl, D(2021, 8, 21)).controller, at(tl, D(2021, 8, 21)).precision) == ("resistance", "district")


def test_on_the_same_day_the_districts_own_claim_beats_a_broader_one():
    tl = timeline(
        claim("n", D(2021, 8, 16), "taliban", "independent", "s-wire", pcode="AF", scope="country"),
        claim("p", D(2021, 8, 16), "government", "independent", "s-wire", pcode="AF09", scope="province"),
        claim("d", D(2021, 8, 16), "resistance", "independent", "s-wire"),
    )
    assert at(tl, D(2021, 8, 16)).controller == "resistance"
    assert at(tl, D(2021, 8, 16), "AF0907").controller == "government"  # province beats country
    assert at(tl, D(2021, 8, 16), "AF2808").controller == "taliban"


def test_state_csv_keeps_its_seven_columns_then_precision(squares_gdf):
    from geo import export

    tl = timeline(claim("p", D(2021, 7, 5), "taliban", "independent", "s-wire", pcode="AF09", scope="province"))
    states = control.state_at(tl, date=D(2021, 7, 6), pcodes=squares_gdf["pcode"])
    rows = export.state_rows(states, squares_gdf)
    assert list(rows[0]) == [*export.STATE_HEADER]
    assert export.STATE_HEADER[:7] == ("pcode", "district", "province", "controller", "confidence", "since", "sources")
    assert export.STATE_HEADER[7] == "precision"
    assert [r["precision"] for r in rows] == ["province", "province", "province", "", ""]


# --- loading the register and broad claims from files --------------------------------------------


def test_the_graded_fixture_loads_with_broad_claims(squares_gdf, graded_dir):
    tl = load_timeline(graded_dir, squares_gdf)
    broad = {c.id: (c.scope, c.pcode, sorted(c.excluded)) for c in tl.broad_claims}
    assert broad == {"g-prov": ("province", "AF09", ["AF0908"]), "g-nat": ("country", "AF", ["AF1701"])}
    assert tl.sources["g-relay"].voice == "wire"
    assert tl.outlet("farm").reliability == "E"
    assert {c.id: c.evidence for c in tl.claims}["g-prov"] == "independent"


def _append(path, line):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def test_unknown_outlet_and_host_mismatch_are_refused(squares_gdf, graded_dir):
    _append(graded_dir / "sources.csv", "g-x,nobody,,https://example.org/x,2021-08-20,en,wire,A page.")
    _append(graded_dir / "sources.csv", "g-y,farm,,https://example.org/y,2021-08-20,en,wire,A page.")
    _append(graded_dir / "sources.csv", "g-z,farm,ghost,https://farm.example/z,2021-08-20,en,wire,A page.")
    found = problems_for(graded_dir, squares_gdf)
    assert any("unknown outlet 'nobody'" in p for p in found)
    assert any("host example.org is not among outlet 'farm'" in p for p in found)
    assert any("unknown original outlet 'ghost'" in p for p in found)
    assert all(p.startswith("sources.csv:") for p in found)


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ("x,X,x.example,GB,independent,,fine", "outlet 'x' has no grade"),
        ("x,X,x.example,GB,independent,G,fine", "outlet 'x' has no grade"),
        ("x,X,x.example,GB,independent,B,", "no rationale"),
        ("x,X,x.example,GB,state:russia,C,fine", "unknown affiliation 'state:russia'"),
        ("x,X,,GB,independent,B,fine", "domains is empty"),
        ("x,X,http://x.example,GB,independent,B,fine", "is not a host name"),
        ("wire,X,x.example,GB,independent,B,fine", "duplicate outlet id 'wire'"),
    ],
)
def test_outlet_rows_are_validated(squares_gdf, graded_dir, row, said):
    _append(graded_dir / "outlets.csv", row)
    found = problems_for(graded_dir, squares_gdf)
    assert any(p.startswith("outlets.csv:") and said in p for p in found), found


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ("b1,2021-08-01,district,AF0907,Baghlan,AF0908,,taliban,independent,asserts,g-wire,,", "except is only for"),
        ("b2,2021-08-01,province,,Atlantis,,,taliban,independent,asserts,g-wire,,", "needs a known province"),
        ("b3,2021-08-01,province,AF0907,Baghlan,,,taliban,independent,asserts,g-wire,,", "leaves district empty"),
        ("b4,2021-08-01,country,,Baghlan,,,taliban,independent,asserts,g-wire,,", "leaves province empty"),
        ("b5,2021-08-01,province,,Baghlan,Nowhere,,taliban,independent,asserts,g-wire,,", "except: unknown district"),
        ("b6,2021-08-01,region,,Baghlan,,,taliban,independent,asserts,g-wire,,", "unknown scope 'region'"),
    ],
)
def test_broad_claim_rows_are_validated(squares_gdf, graded_dir, row, said):
    _append(graded_dir / "claims.csv", row)
    found = problems_for(graded_dir, squares_gdf)
    assert len(found) == 1 and found[0].startswith("claims.csv:") and said in found[0], found


def test_the_audit_counts_voices_and_flags_weak_outlets_by_grade():
    from geo import audit

    tl = timeline(
        claim("a", D(2021, 8, 1), "taliban", "independent", "s-farm", "s-relay"),  # the relay is the wire's voice
        claim("b", D(2021, 8, 1), "taliban", "independent", "s-farm", "s-tal"),
        claim("c", D(2021, 8, 1), "taliban", "independent", "s-ru"),
    )
    found = {a.claim.id: a for a in audit.audit_claims(tl)}
    assert (
        found["a"].voices == ("farm", "wire")
        and found["a"].best_grade == "B"
        and found["a"].flags == ("no_published_date",)
    )
    assert found["b"].best_grade == "D" and "only_weak" in found["b"].flags and "single_voice" not in found["b"].flags
    assert found["c"].flags == ("single_voice", "only_outside_state_media", "no_published_date")
