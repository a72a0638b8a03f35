import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.map_view import MapEvent
from components.view_state import ViewState, clean_map_view, needs_rewrite, parse_view, to_params

START, END = dt.date(2021, 8, 1), dt.date(2021, 9, 30)
PCODES = {"AF0912", "AF0801"}


def parse(params):
    return parse_view(params, start=START, end=END, default=END, pcodes=PCODES)


def test_full_view_round_trips():
    view = ViewState(dt.date(2021, 8, 20), "AF0912", (35.4123, 69.9), 9, dt.date(2021, 8, 10), True, "da")
    params = to_params(view)
    assert params == {
        "date": "2021-08-20",
        "compare": "2021-08-10",
        "district": "AF0912",
        "lat": "35.4123",
        "lon": "69.9000",
        "z": "9",
        "shade": "age",
        "lang": "da",
    }
    assert parse(params) == (view, [])


def test_bad_compare_shade_and_lang_are_ignored_with_notices():
    view, notices = parse({"compare": "yesterday", "shade": "<b>", "lang": "klingon"})
    assert (view.compare, view.stale, view.lang) == (None, False, "en")
    assert [n.split(" ")[1] for n in notices] == ["compare", "shade", "lang"]


def test_defaults_and_case_insensitive_pcode():
    assert parse({}) == (ViewState(END), [])
    assert parse({"district": "af0912"})[0].district == "AF0912"
    assert parse({"date": ["2021-08-20", "2021-08-21"]})[0].date == dt.date(2021, 8, 20)


def test_each_bad_part_is_ignored_with_its_own_notice():
    view, notices = parse({"date": "2021-02-30", "district": "AF9999", "lat": "35", "lon": "69"})
    assert view == ViewState(END)
    assert [n.split(" ")[1] for n in notices] == ["date", "district", "map"]
    assert "2021-02-30" in notices[0]
    _, notices = parse({"date": "2021-10-01"})
    assert notices == ["Ignored date 2021-10-01: the timeline runs 2021-08-01 to 2021-09-30."]


def test_notices_never_echo_control_characters_or_long_input():
    _, (notice,) = parse({"district": "\u202e<script>" + "x" * 500})
    assert "\u202e" not in notice and len(notice) < 160


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["date", "compare", "district", "lat", "lon", "z", "shade", "lang", "other"]),
        st.one_of(st.text(), st.lists(st.text())),
    )
)
def test_fuzzed_parameters_never_raise_and_always_give_a_valid_view(params):
    view, notices = parse(params)
    assert START <= view.date <= END
    assert view.district in PCODES | {None}
    assert (view.center is None) == (view.zoom is None)
    if view.center is not None:
        assert 25 <= view.center[0] <= 42 and 55 <= view.center[1] <= 80 and 4 <= view.zoom <= 14
    assert view.compare is None or START <= view.compare <= END
    assert view.lang in {"en", "da"} and isinstance(view.stale, bool)
    assert all(isinstance(n, str) for n in notices)


@pytest.mark.parametrize("raw", ["![x](https://evil.example/p.png)", "a`b`:material/home:", "x\n\ny", "`"])
def test_ignored_values_are_shown_as_one_code_span(raw):
    _, (notice,) = parse({"lang": raw})
    assert notice.startswith("Ignored lang ` ") and notice.count("`") == 2, notice
    shown = notice.split("`")[1]
    assert "\n" not in shown and shown.strip() == raw.replace("`", "'").replace("\n", "?")


def test_an_impossible_day_says_so_not_use_the_format():
    view, notices = parse({"date": "2021-02-29", "compare": "2021-13-01"})
    assert view.date == END and view.compare is None
    assert [("no such day" in n, "YYYY-MM-DD" in n) for n in notices] == [(True, False), (True, False)]
    _, notices = parse({"date": "2021-8-20"})
    assert "use YYYY-MM-DD" in notices[0]


@pytest.mark.parametrize(
    "forged",
    [
        [1e300, 69.9, 9],
        [35.4, float("inf"), 9],
        [float("nan"), 69.9, 9],
        [35.4, 69.9, 9.5],
        [35.4, 69.9, 40],
        [10**400, 69.9, 9],
        [True, 69.9, 9],
        ["35.4", 69.9, 9],
        [35.4, 69.9],
        {"lat": 35.4},
        None,
    ],
)
def test_forged_map_views_are_refused(forged):
    assert clean_map_view(forged) is None


def test_map_views_are_rounded_as_the_url_shows_them():
    assert clean_map_view([35.412345678, 69.90004999, 9.0]) == (35.4123, 69.9, 9)


def test_forged_map_events_keep_only_what_is_valid():
    from components.map_view import _event

    assert _event({"click": "AF9999\n", "seq": 3, "view": [1e300, 69.9, 9]}) == MapEvent(None, 3, None)
    assert _event({"click": "<b>", "seq": True, "view": [35.4, 69.9, 9]}) == MapEvent(None, 0, (35.4, 69.9, 9))


def test_repeated_url_keys_need_a_rewrite():
    wanted = {"date": "2021-08-20"}
    assert not needs_rewrite({"date": ["2021-08-20"]}, wanted)
    assert needs_rewrite({"date": ["2021-08-20", "2021-08-20"]}, wanted)
    assert needs_rewrite({"date": ["2021-08-20"], "x": ["1"]}, wanted)
