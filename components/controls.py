"""Date controls (slider, previous/next change) and the URL <-> session state sync."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Sequence

import streamlit as st

from components.i18n import LANG_NAMES, LANGS, t
from components.map_view import MapEvent
from components.view_state import ViewState, clamp_date, needs_rewrite, parse_view, to_params
from geo.control import neighbour_change

DATE_KEY, DISTRICT_KEY = "date", "district"
DATE_LABEL = "Date"
VIEW_KEY, INITIAL_VIEW_KEY, PLAYING_KEY = "map_view", "initial_map_view", "playing"
COMPARE_KEY, STALE_KEY, LANG_KEY = "compare", "stale", "lang"
SPEEDS = {"slow (2 s)": 2.0, "normal (1 s)": 1.0, "fast (0.5 s)": 0.5}


def restore_view(*, start: dt.date, end: dt.date, default: dt.date, pcodes: Collection[str]) -> None:
    """On a session's first run, take the view from the URL; show a notice for anything ignored."""
    if DATE_KEY in st.session_state:
        return
    view, notices = parse_view(st.query_params.to_dict(), start=start, end=end, default=default, pcodes=pcodes)
    st.session_state[DATE_KEY] = view.date
    st.session_state[DISTRICT_KEY] = view.district
    st.session_state[VIEW_KEY] = (*view.center, view.zoom) if view.center else None
    st.session_state[INITIAL_VIEW_KEY] = st.session_state[VIEW_KEY]
    st.session_state[COMPARE_KEY] = view.compare
    st.session_state[STALE_KEY] = view.stale
    st.session_state[LANG_KEY] = view.lang
    st.session_state["notices"] = notices


def clamp_to_timeline(*, start: dt.date, end: dt.date) -> None:
    """Move the session's date and compare date into the timeline, with a notice for each moved.

    The data can change while a session is open (rows deleted, dates corrected), and a widget
    whose value lies outside its new range would stop the page. Call before any widget is drawn.
    """
    notices = st.session_state.setdefault("notices", [])
    for key, what in ((DATE_KEY, "date"), (COMPARE_KEY, "compare date")):
        value = st.session_state.get(key)
        if isinstance(value, dt.date) and not start <= value <= end:
            st.session_state[key] = clamp_date(value, start=start, end=end)
            notices.append(
                f"The timeline data changed and now runs {start} to {end}; "
                f"the {what} {value} was moved to {st.session_state[key]}."
            )


def request_view(*, date: dt.date | None = None, district: str | None = None) -> None:
    """Ask for a new date and/or district (from a chart or a list) and rerun.

    Widget state cannot change once the widget is drawn in a run, so the request is applied by
    ``apply_requested_view`` at the top of the next run.
    """
    st.session_state["requested_view"] = (date, district)
    st.rerun()


def apply_requested_view() -> None:
    """Apply a pending ``request_view``; call before any widget is drawn."""
    date, district = st.session_state.pop("requested_view", (None, None))
    if date is not None:
        st.session_state[DATE_KEY] = date
        st.session_state[PLAYING_KEY] = False
    if district is not None:
        st.session_state[DISTRICT_KEY] = district


def show_notices() -> None:
    """Show (once per session) what was ignored in the URL.

    The notices sit in a container that exists on every run, so the elements below keep their
    positions and the map iframe is never remounted when the notices go away.
    """
    box = st.container()
    for notice in st.session_state.pop("notices", []):
        box.warning(notice, icon="⚠️")


def _step(changes: Sequence[dt.date], step: int) -> None:
    target = neighbour_change(changes, st.session_state[DATE_KEY], step=step)
    if target is not None:
        st.session_state[DATE_KEY] = target


def date_controls(*, start: dt.date, end: dt.date, changes: Sequence[dt.date]) -> dt.date:
    """Render the slider with previous/next-change buttons and return the chosen date."""
    current = st.session_state[DATE_KEY]
    prev_col, slider_col, next_col = st.columns([1, 8, 1], vertical_alignment="bottom")
    prev_col.button(
        "◀ change",
        key="prev_change",
        help="Go to the previous date on which any district changed",
        on_click=_step,
        args=(changes, -1),
        disabled=neighbour_change(changes, current, step=-1) is None,
    )
    next_col.button(
        "change ▶",
        key="next_change",
        help="Go to the next date on which any district changed",
        on_click=_step,
        args=(changes, 1),
        disabled=neighbour_change(changes, current, step=1) is None,
    )
    if start == end:  # a slider needs two different ends; with one date there is nothing to pick
        slider_col.markdown(f"**{DATE_LABEL}:** {start.isoformat()} (every claim in the timeline has this date)")
        return start
    return slider_col.slider(DATE_LABEL, min_value=start, max_value=end, key=DATE_KEY, format="YYYY-MM-DD")


def apply_map_event(event: MapEvent, *, pcodes: Collection[str]) -> None:
    """Take a new click on a known district as the selected one; remember the map view for the URL."""
    if event.click in pcodes and event.seq != st.session_state.get("last_click_seq"):
        st.session_state["last_click_seq"] = event.seq
        st.session_state[DISTRICT_KEY] = event.click
        if event.view is not None:
            st.session_state[VIEW_KEY] = event.view
        st.rerun()
    if event.view and event.view != st.session_state.get(VIEW_KEY):
        st.session_state[VIEW_KEY] = event.view


def _next_play_date(current: dt.date, end: dt.date, changes: Sequence[dt.date], changes_only: bool) -> dt.date | None:
    if changes_only:
        return neighbour_change(changes, current, step=1)
    nxt = current + dt.timedelta(days=1)
    return nxt if nxt <= end else None


def _tick(end: dt.date, changes: Sequence[dt.date], interval: float) -> None:
    """One step of play. Runs on the fragment's timer, and once inline in every full run.

    The inline call must not step (that would loop), so a step needs a real interval since the
    last one. The step is applied by the next full run before any widget exists, since widget
    state cannot change after the widget is drawn.
    """
    now = time.monotonic()
    if now - st.session_state.get("last_tick", 0.0) < interval * 0.8:
        return
    st.session_state["last_tick"] = now
    nxt = _next_play_date(st.session_state[DATE_KEY], end, changes, st.session_state.get("play_changes", False))
    st.session_state["play_next"] = nxt if nxt is not None else "stop"
    st.rerun(scope="app")


def play_controls(*, start: dt.date, end: dt.date, changes: Sequence[dt.date]) -> None:
    """Render play/pause, speed and step mode; while playing, step the date on a timer.

    Call it before the date slider: it applies the pending step to the slider's state.
    """
    pending = st.session_state.pop("play_next", None)
    if pending == "stop":
        st.session_state[PLAYING_KEY] = False  # stopped at the end
    elif isinstance(pending, dt.date) and start <= pending <= end and st.session_state.get(PLAYING_KEY):
        st.session_state[DATE_KEY] = pending
    play_col, speed_col, mode_col, tick_col = st.columns([2, 3, 4, 1], vertical_alignment="center")
    playing = play_col.toggle("▶ Play", key=PLAYING_KEY, help="Step through the timeline; stops at the end")
    speed = speed_col.selectbox("Speed", list(SPEEDS), index=1, key="play_speed", label_visibility="collapsed")
    mode_col.toggle("Only dates with changes", key="play_changes")
    was_playing = st.session_state.get("was_playing", False)
    st.session_state["was_playing"] = playing
    if not playing:
        return
    if not was_playing:
        st.session_state["last_tick"] = time.monotonic()
        if st.session_state[DATE_KEY] >= end:
            st.session_state[DATE_KEY] = start  # play again from the start
    # The ticker lives in a column that always exists, so the map keeps its place in the page.
    with tick_col:
        st.fragment(run_every=SPEEDS[speed])(_tick)(end, changes, SPEEDS[speed])


def analysis_options(*, start: dt.date, end: dt.date, lang: str) -> tuple[dt.date | None, bool]:
    """Render the compare date and the evidence-age switch; return (compare date or None, stale)."""
    compare_col, stale_col = st.columns([2, 3], vertical_alignment="bottom")
    compare = compare_col.date_input(
        t("compare", lang),
        min_value=start,
        max_value=end,
        key=COMPARE_KEY,
        format="YYYY-MM-DD",
        help="Outline the districts whose controller differs between this date and the slider's",
    )
    stale = stale_col.toggle(
        t("stale", lang), key=STALE_KEY, help="Colour each district by the age of its newest evidence at this date"
    )
    return compare if isinstance(compare, dt.date) else None, stale


def language_switch() -> str:
    """Render the English/Dari switch and return the chosen language code."""
    return (
        st.segmented_control(
            t("language", st.session_state.get(LANG_KEY, "en")),
            list(LANGS),
            format_func=LANG_NAMES.get,
            key=LANG_KEY,
            label_visibility="collapsed",
        )
        or "en"
    )


def sync_url(view: ViewState) -> None:
    """Write the current view into the URL so the address bar is always a share link."""
    wanted = to_params(view)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if needs_rewrite(current, wanted):
        st.query_params.from_dict(wanted)
