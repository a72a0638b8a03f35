import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.view_state import ViewState, parse_view, to_params

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
