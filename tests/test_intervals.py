"""The control index (one pass per district) agrees with ``district_state`` (from scratch) on every day."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from geo import control
from geo.intervals import ControlIndex, district_steps
from geo.timeline import Claim, Timeline

D0 = dt.date(2021, 8, 1)
PCODES = ("AF0901", "AF0907", "AF0912")  # AF0901, Pul-e-Khumri, is Baghlan's capital
PROVINCES = dict.fromkeys(PCODES, "AF09")


@st.composite
def claims(draw):
    """A random timeline over three districts and three weeks: own, capitals-, province- and country-wide claims."""
    n = draw(st.integers(min_value=0, max_value=25))
    found = []
    for i in range(n):
        scope = draw(st.sampled_from(["district", "district", "district", "capitals", "province", "country"]))
        pcode = {"district": draw(st.sampled_from(PCODES)), "province": "AF09"}.get(scope, "AF")
        excluded = frozenset(draw(st.sets(st.sampled_from(PCODES), max_size=1))) if scope != "district" else frozenset()
        found.append(
            Claim(
                f"c{i:02d}",
                D0 + dt.timedelta(days=draw(st.integers(min_value=0, max_value=20))),
                pcode,
                draw(st.sampled_from(["taliban", "resistance", "government", "contested", "unknown"])),
                draw(st.sampled_from(["taliban", "resistance", "government", "independent"])),
                draw(st.sampled_from(["asserts", "asserts", "asserts", "denies"])),
                ("s",),
                scope=scope,
                excluded=excluded,
                evidence=draw(st.sampled_from(["", "independent", "usable", "weak"])),
            )
        )
    return [c for c in found if not (c.stance == "denies" and c.controller == "unknown")]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(claims())
def test_the_index_agrees_with_the_per_date_derivation_on_every_day(found):
    timeline = Timeline(tuple(sorted(found, key=lambda c: (c.date, c.id))), {}, districts=PROVINCES)
    index = ControlIndex.build(timeline.by_district)
    for offset in range(-1, 23):
        day = D0 + dt.timedelta(days=offset)
        for pcode in PCODES:
            want = control.district_state(pcode, timeline.by_district.get(pcode, ()), date=day)
            got = index.status(pcode, day)
            assert (got.controller, got.confidence, got.since, got.last_evidence, got.precision) == (
                want.controller,
                want.confidence,
                want.since,
                want.last_evidence,
                want.precision,
            ), (pcode, day)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(claims())
def test_change_dates_and_diffs_agree_with_the_per_date_derivation(found):
    timeline = Timeline(tuple(sorted(found, key=lambda c: (c.date, c.id))), {}, districts=PROVINCES)
    expected: set[dt.date] = set()
    for pcode, history in timeline.by_district.items():
        previous = ("unknown", "")
        for day in sorted({c.date for c in history}):
            state = control.district_state(pcode, history, date=day)
            if (state.controller, state.confidence) != previous:
                expected.add(day)
            previous = (state.controller, state.confidence)
    assert control.change_dates(timeline) == sorted(expected)


def test_steps_are_one_per_claim_date_and_cost_follows_the_evidence():
    many = [
        Claim(f"c{i}", D0 + dt.timedelta(days=i % 40), "AF0912", "taliban", "independent", "asserts", ("s",))
        for i in range(2000)
    ]
    steps = district_steps(sorted(many, key=lambda c: (c.date, c.id)))
    assert len(steps) == 40 and {s.controller for s in steps} == {"taliban"} and steps[-1].since == D0


def test_the_browser_table_holds_change_points_and_answers_every_day_like_the_server(real_districts):
    """The codes file the map loads: looking a date up as controlmap.js does gives the server's codes."""
    import bisect

    from components.district_map import change_points_table, encode_states
    from geo.timeline import load_timeline
    from tests.conftest import REPO

    timeline = load_timeline(REPO / "data", real_districts)
    pcodes = list(real_districts["pcode"])
    table = change_points_table(timeline, pcodes)
    points = table["points"]
    assert len(points) == len(pcodes)
    n_points = sum(len(p) for p in points)
    assert n_points <= len(timeline.claims) + len(pcodes) * len(timeline.broad_claims)  # grows with evidence
    day = timeline.start - dt.timedelta(days=1)
    while day <= timeline.end + dt.timedelta(days=1):
        iso = day.isoformat()
        looked_up = "".join(
            p[bisect.bisect_right([d for d, _ in p], iso) - 1][1] if p and p[0][0] <= iso else table["unknown"]
            for p in points
        )
        assert looked_up == encode_states(timeline.index.states(date=day, pcodes=pcodes), pcodes), iso
        day += dt.timedelta(days=1)
