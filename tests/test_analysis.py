import datetime as dt
from collections import Counter, defaultdict

import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from pyproj import Geod

from geo import analysis, control, settings
from geo.timeline import Claim, Timeline, load_timeline

D = dt.date
PCODES = ["AF0907", "AF0908", "AF0912", "AF1701", "AF2808"]


@pytest.fixture
def timeline(squares_gdf, data_dir):
    return load_timeline(data_dir, squares_gdf)


def rows_on(series, day):
    """Return {controller: (districts, area_km2)} for one date of a control_series frame."""
    sub = series[series["date"] == day]
    return {r.controller: (r.districts, r.area_km2) for r in sub.itertuples()}


def brute_force(timeline, districts_gdf, start, end):
    """The slow reference: state_at on every single day, then count and sum."""
    areas = dict(zip(districts_gdf["pcode"], analysis.district_areas_km2(districts_gdf), strict=True))
    expected = {}
    day = start
    while day <= end:
        states = control.state_at(timeline, date=day, pcodes=districts_gdf["pcode"])
        counts = Counter(s.controller for s in states.values())
        km2 = defaultdict(float)
        for pcode, state in states.items():
            km2[state.controller] += areas[pcode]
        expected[day] = {c: (counts.get(c, 0), km2.get(c, 0.0)) for c in settings.CONTROLLERS}
        day += dt.timedelta(days=1)
    return expected


def assert_matches_brute_force(series, expected):
    assert len(series) == len(expected) * len(settings.CONTROLLERS)
    for day, by_controller in expected.items():
        got = rows_on(series, day)
        assert set(got) == set(settings.CONTROLLERS)
        for controller, (count, km2) in by_controller.items():
            assert got[controller][0] == count, (day, controller)
            assert got[controller][1] == pytest.approx(km2, abs=1e-6), (day, controller)


def test_control_series_counts_on_fixture(timeline, squares_gdf):
    series = analysis.control_series(timeline, districts_gdf=squares_gdf, start=D(2021, 8, 18), end=D(2021, 8, 26))
    assert list(series.columns) == ["date", "controller", "districts", "area_km2"]
    assert len(series) == 9 * 5
    # Rows come date by date, controllers in settings order, zeros included.
    assert list(series["controller"][:5]) == list(settings.CONTROLLERS)
    assert type(series["date"].iloc[0]) is dt.date
    assert series["districts"].dtype.kind == "i"
    assert series["area_km2"].dtype.kind == "f"

    def counts(day):
        return {c: n for c, (n, _) in rows_on(series, day).items()}

    nothing = dict.fromkeys(settings.CONTROLLERS, 0)
    assert counts(D(2021, 8, 19)) == {**nothing, "unknown": 5}
    assert counts(D(2021, 8, 20)) == {**nothing, "resistance": 3, "unknown": 2}
    assert counts(D(2021, 8, 22)) == {**nothing, "taliban": 1, "resistance": 2, "unknown": 2}
    assert counts(D(2021, 8, 24)) == {**nothing, "taliban": 2, "resistance": 1, "unknown": 2}
    assert counts(D(2021, 8, 26)) == counts(D(2021, 8, 24))
    assert (series.groupby("date")["districts"].sum() == 5).all()


def test_control_series_km2_from_equal_area_projection(timeline, squares_gdf):
    # The fixture has no area_km2 column, so areas come from settings.AREA_CRS. The reference is
    # independent of that projection: the geodesic area on the WGS84 ellipsoid (about 12,309 km²
    # for 1°x1° at latitude 0-1; a sphere would give about 12,364).
    square_km2 = abs(Geod(ellps="WGS84").geometry_area_perimeter(squares_gdf.geometry.iloc[0])[0]) / 1e6
    assert 12_200 < square_km2 < 12_400
    assert "area_km2" not in squares_gdf.columns
    series = analysis.control_series(timeline, districts_gdf=squares_gdf, start=D(2021, 8, 24), end=D(2021, 8, 24))
    got = rows_on(series, D(2021, 8, 24))
    assert got["taliban"][1] == pytest.approx(2 * square_km2, rel=1e-3)
    assert got["resistance"][1] == pytest.approx(square_km2, rel=1e-3)
    assert got["unknown"][1] == pytest.approx(2 * square_km2, rel=1e-3)
    assert got["government"] == (0, 0.0)
    assert got["contested"] == (0, 0.0)


def test_control_series_prefers_the_area_column(timeline, squares_gdf):
    # Powers of two, so each sum names exactly which districts were counted.
    districts_gdf = squares_gdf.assign(area_km2=[1.0, 2.0, 4.0, 8.0, 16.0])
    series = analysis.control_series(timeline, districts_gdf=districts_gdf, start=D(2021, 8, 21), end=D(2021, 8, 24))
    assert rows_on(series, D(2021, 8, 21))["taliban"] == (1, 1.0)
    assert rows_on(series, D(2021, 8, 21))["resistance"] == (2, 6.0)
    assert rows_on(series, D(2021, 8, 24))["taliban"] == (2, 3.0)
    assert rows_on(series, D(2021, 8, 24))["resistance"] == (1, 4.0)
    assert rows_on(series, D(2021, 8, 24))["unknown"] == (2, 24.0)


def test_control_series_equals_brute_force_on_fixture(timeline, squares_gdf):
    start, end = D(2021, 8, 15), D(2021, 9, 5)
    series = analysis.control_series(timeline, districts_gdf=squares_gdf, start=start, end=end)
    assert_matches_brute_force(series, brute_force(timeline, squares_gdf, start, end))


def test_control_series_window_after_and_inside_claims(timeline, squares_gdf):
    # A window that starts after every claim still carries the earlier states forward.
    late = analysis.control_series(timeline, districts_gdf=squares_gdf, start=D(2021, 9, 1), end=D(2021, 9, 2))
    assert rows_on(late, D(2021, 9, 2))["taliban"][0] == 2
    # A one-day window in the middle sees claims from before it and none from after.
    mid = analysis.control_series(timeline, districts_gdf=squares_gdf, start=D(2021, 8, 22), end=D(2021, 8, 22))
    assert len(mid) == 5
    assert rows_on(mid, D(2021, 8, 22))["taliban"][0] == 1


def test_control_series_rejects_bad_input(timeline, squares_gdf):
    with pytest.raises(ValueError, match="after end"):
        analysis.control_series(timeline, districts_gdf=squares_gdf, start=D(2021, 8, 24), end=D(2021, 8, 20))
    no_crs = squares_gdf.set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="no CRS"):
        analysis.control_series(timeline, districts_gdf=no_crs, start=D(2021, 8, 20), end=D(2021, 8, 20))


claims_strategy = st.lists(
    st.tuples(
        st.integers(0, 20),  # day offset
        st.sampled_from(PCODES + ["AF9999"]),  # AF9999: a claim about a district not on the map
        st.sampled_from(settings.CONTROLLERS),
        st.sampled_from(settings.CLAIMANTS),
        st.sampled_from(settings.STANCES),
    ),
    max_size=25,
)


def synthetic_timeline(rows):
    base = D(2021, 8, 10)
    claims = [
        Claim(f"c{i}", base + dt.timedelta(days=offset), pcode, controller, by, stance, ("s",))
        for i, (offset, pcode, controller, by, stance) in enumerate(rows)
        if not (stance == "denies" and controller == "unknown")
    ]
    return Timeline(tuple(sorted(claims, key=lambda c: (c.date, c.id))), {})


# The fixture is only read (assign() copies it), so sharing it across examples is safe.
@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=claims_strategy, start_offset=st.integers(-3, 15), length=st.integers(0, 12))
def test_control_series_equals_brute_force_on_random_claims(squares_gdf, rows, start_offset, length):
    tl = synthetic_timeline(rows)
    start = D(2021, 8, 10) + dt.timedelta(days=start_offset)
    end = start + dt.timedelta(days=length)
    districts_gdf = squares_gdf.assign(area_km2=[1.0, 2.0, 4.0, 8.0, 16.0])
    series = analysis.control_series(tl, districts_gdf=districts_gdf, start=start, end=end)
    assert_matches_brute_force(series, brute_force(tl, districts_gdf, start, end))


def test_staleness_days(timeline):
    states = control.state_at(timeline, date=D(2021, 8, 30), pcodes=PCODES)
    assert analysis.staleness_days(states, date=D(2021, 8, 30)) == {
        "AF0907": 9,  # c4, 21 Aug
        "AF0908": 6,  # c6 (the denial still counts as evidence), 24 Aug
        "AF0912": 10,  # c1, 20 Aug
        "AF1701": None,
        "AF2808": None,
    }
    same_day = control.state_at(timeline, date=D(2021, 8, 24), pcodes=["AF0908"])
    assert analysis.staleness_days(same_day, date=D(2021, 8, 24)) == {"AF0908": 0}


def test_change_log_on_fixture(timeline):
    events = analysis.change_log(timeline, pcodes=PCODES)
    assert [(e.date, e.pcode, e.before, e.after, e.confidence) for e in events] == [
        (D(2021, 8, 20), "AF0907", "unknown", "resistance", "confirmed"),
        (D(2021, 8, 20), "AF0908", "unknown", "resistance", "confirmed"),
        (D(2021, 8, 20), "AF0912", "unknown", "resistance", "claimed"),
        (D(2021, 8, 21), "AF0907", "resistance", "taliban", "confirmed"),
        (D(2021, 8, 23), "AF0908", "resistance", "taliban", "claimed"),
        # 24 Aug: AF0908 becomes disputed, but the controller stays; not a change of hands.
    ]
    assert analysis.change_log(timeline, pcodes=["AF1701"]) == []
    assert [e.pcode for e in analysis.change_log(timeline, pcodes=["AF0912", "AF0912"])] == ["AF0912"]


def test_change_log_includes_a_return_to_unknown():
    tl = Timeline(
        (
            Claim("a", D(2021, 9, 1), "AF0912", "taliban", "independent", "asserts", ("s",)),
            Claim("b", D(2021, 9, 3), "AF0912", "unknown", "independent", "asserts", ("s",)),
            Claim("c", D(2021, 9, 5), "AF0912", "unknown", "independent", "asserts", ("s",)),
        ),
        {},
    )
    events = analysis.change_log(tl, pcodes=["AF0912"])
    assert events == [
        analysis.ChangeEvent(D(2021, 9, 1), "AF0912", "unknown", "taliban", "confirmed"),
        analysis.ChangeEvent(D(2021, 9, 3), "AF0912", "taliban", "unknown", ""),
    ]


@hyp_settings(max_examples=60, deadline=None)
@given(rows=claims_strategy)
def test_change_log_equals_day_by_day_walk(rows):
    tl = synthetic_timeline(rows)
    expected = []
    previous = dict.fromkeys(PCODES, "unknown")
    day = D(2021, 8, 10)
    while day <= D(2021, 8, 31):
        for pcode, state in control.state_at(tl, date=day, pcodes=PCODES).items():
            if state.controller != previous[pcode]:
                expected.append((day, pcode, previous[pcode], state.controller, state.confidence))
                previous[pcode] = state.controller
        day += dt.timedelta(days=1)
    got = [(e.date, e.pcode, e.before, e.after, e.confidence) for e in analysis.change_log(tl, pcodes=PCODES)]
    assert got == expected


@pytest.mark.parametrize("metric", ["districts", "area_km2"])
def test_series_steps_keeps_only_change_days_and_loses_nothing(timeline, squares_gdf, metric):
    series = analysis.control_series(timeline, districts_gdf=squares_gdf, start=D(2021, 8, 18), end=D(2021, 8, 30))
    steps = analysis.series_steps(series, metric)
    assert list(steps.columns) == ["date", *settings.CONTROLLERS]
    daily = series.pivot(index="date", columns="controller", values=metric)[list(settings.CONTROLLERS)]
    # First and last day are kept; every other kept day differs from the day before.
    assert steps["date"].iloc[0] == D(2021, 8, 18) and steps["date"].iloc[-1] == D(2021, 8, 30)
    assert 2 < len(steps) < len(daily)
    # Forward-filling the kept days over every day gives the daily series back.
    rebuilt = steps.set_index("date").reindex(daily.index).ffill()
    assert (rebuilt.to_numpy() == daily.to_numpy()).all()


def test_thin_steps_keeps_short_tables_and_is_exact_at_the_end_of_every_slice():
    days = [D(2012, 5, 1) + dt.timedelta(days=i) for i in range(3652)]
    values = [[(i * 7 + k * 3) % 11 for k in range(len(settings.CONTROLLERS))] for i in range(len(days))]
    steps = pd.DataFrame(values, columns=list(settings.CONTROLLERS))
    steps.insert(0, "date", days)
    short = steps.head(400)
    assert analysis.thin_steps(short, max_rows=400) is short  # short enough: unchanged
    thin = analysis.thin_steps(steps, max_rows=400)
    assert len(thin) <= 401 and thin["date"].iloc[0] == days[0] and thin["date"].iloc[-1] == days[-1]
    width = -(-len(days) // 400)
    full = steps.set_index("date")
    rebuilt = thin.set_index("date").reindex(full.index).ffill()
    ends = [d for i, d in enumerate(days) if i % width == width - 1 or i == len(days) - 1]
    assert (rebuilt.loc[ends].to_numpy() == full.loc[ends].to_numpy()).all()
