import datetime as dt

import pytest

from geo import control
from geo.timeline import Claim, Timeline, load_timeline

D = dt.date


@pytest.fixture
def timeline(squares_gdf, data_dir):
    return load_timeline(data_dir, squares_gdf)


def at(timeline, day, pcode):
    return control.state_at(timeline, date=day, pcodes=[pcode])[pcode]


def test_no_evidence_is_unknown_never_a_guess(timeline):
    state = at(timeline, D(2021, 8, 19), "AF0912")
    assert (state.controller, state.confidence, state.since) == ("unknown", "", None)
    assert at(timeline, D(2021, 8, 30), "AF1701").controller == "unknown"


def test_self_claim_is_claimed_independent_report_is_confirmed(timeline):
    pul = at(timeline, D(2021, 8, 20), "AF0912")
    assert (pul.controller, pul.confidence, pul.since) == ("resistance", "claimed", D(2021, 8, 20))
    deh = at(timeline, D(2021, 8, 20), "AF0908")
    assert (deh.controller, deh.confidence) == ("resistance", "confirmed")


def test_change_of_hands_is_history_not_a_dispute(timeline):
    banu = at(timeline, D(2021, 8, 21), "AF0907")
    assert (banu.controller, banu.confidence, banu.since) == ("taliban", "confirmed", D(2021, 8, 21))
    assert banu.counter_claims == ()
    assert [c.id for c in banu.claims] == ["c4"]


def test_denial_makes_disputed_and_the_future_never_leaks(timeline):
    before = at(timeline, D(2021, 8, 23), "AF0908")
    assert (before.controller, before.confidence) == ("taliban", "claimed")
    after = at(timeline, D(2021, 8, 24), "AF0908")
    assert (after.controller, after.confidence, after.since) == ("taliban", "disputed", D(2021, 8, 23))
    assert [c.id for c in after.counter_claims] == ["c6"]
    assert after.source_ids == ("s-mujahid", "s-denial")
    assert after.last_evidence == D(2021, 8, 24)


def claim(cid, day, controller, by, stance="asserts", pcode="AF0912"):
    return Claim(cid, day, pcode, controller, by, stance, ("s",))


def test_same_day_conflict_settled_by_independent_report():
    tl = Timeline(
        (claim("a", D(2021, 9, 5), "taliban", "taliban"), claim("b", D(2021, 9, 5), "resistance", "independent")), {}
    )
    state = at(tl, D(2021, 9, 5), "AF0912")
    assert (state.controller, state.confidence) == ("resistance", "disputed")
    assert [c.id for c in state.counter_claims] == ["a"]


def test_same_day_conflict_between_parties_is_contested():
    tl = Timeline(
        (claim("a", D(2021, 9, 5), "taliban", "taliban"), claim("b", D(2021, 9, 5), "resistance", "resistance")), {}
    )
    state = at(tl, D(2021, 9, 6), "AF0912")
    assert (state.controller, state.confidence) == ("contested", "disputed")


def test_side_conceding_a_loss_confirms():
    tl = Timeline((claim("a", D(2021, 8, 6), "taliban", "government"),), {})
    assert at(tl, D(2021, 8, 6), "AF0912").confidence == "confirmed"


def test_old_denial_outside_window_does_not_dispute():
    tl = Timeline(
        (
            claim("d", D(2021, 8, 1), "taliban", "resistance", "denies"),
            claim("a", D(2021, 8, 20), "taliban", "taliban"),
        ),
        {},
    )
    assert at(tl, D(2021, 8, 20), "AF0912").confidence == "claimed"
    near = Timeline(
        (
            claim("d", D(2021, 8, 14), "taliban", "resistance", "denies"),
            claim("a", D(2021, 8, 20), "taliban", "taliban"),
        ),
        {},
    )
    assert at(near, D(2021, 8, 20), "AF0912").confidence == "disputed"


def test_change_dates_and_neighbours(timeline):
    dates = control.change_dates(timeline)
    assert dates == [D(2021, 8, 20), D(2021, 8, 21), D(2021, 8, 23), D(2021, 8, 24)]
    assert control.neighbour_change(dates, D(2021, 8, 22), step=1) == D(2021, 8, 23)
    assert control.neighbour_change(dates, D(2021, 8, 22), step=-1) == D(2021, 8, 21)
    assert control.neighbour_change(dates, D(2021, 8, 20), step=-1) is None
    assert control.neighbour_change(dates, D(2021, 8, 24), step=1) is None


def test_diff_between_dates(timeline, squares_gdf):
    changes = control.diff_states(timeline, start=D(2021, 8, 24), end=D(2021, 8, 19), pcodes=squares_gdf["pcode"])
    got = {(c.pcode, c.before, c.after, c.changed_on) for c in changes}
    assert got == {
        ("AF0907", "unknown", "taliban", D(2021, 8, 21)),
        ("AF0908", "unknown", "taliban", D(2021, 8, 23)),
        ("AF0912", "unknown", "resistance", D(2021, 8, 20)),
    }
