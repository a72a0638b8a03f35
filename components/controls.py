"""Date controls (slider, previous/next change) and the URL <-> session state sync."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import streamlit as st
from streamlit.components.v1 import declare_component

from components.i18n import LANG_NAMES, LANGS, date_text, t
from components.map_view import MapEvent
from components.view_state import (
    LINK_KEYS,
    ViewState,
    clamp_date,
    needs_rewrite,
    parse_view,
    read_link_report,
    to_params,
)
from geo.control import neighbour_change

DATE_KEY, DISTRICT_KEY = "date", "district"
VIEW_KEY, INITIAL_VIEW_KEY, PLAYING_KEY = "map_view", "initial_map_view", "playing"
COMPARE_KEY, STALE_KEY, LANG_KEY = "compare", "stale", "lang"
UI_LANG_KEY = "ui_lang"  # the last language chosen; outlives the switch when another page is shown
SPEEDS = {"speed_slow": 2.0, "speed_normal": 1.0, "speed_fast": 0.5}  # catalogue key -> seconds per step
LINK_PROBE_KEY, LINK_REPORT_KEY = "cm_link_probe", "cm_link_report"
LINK_DIR = Path(__file__).resolve().parent / "frontend" / "link"
try:  # Streamlit ignores a whole query string beyond these (1.67: 1,000 fields or 512 KiB)
    from streamlit.runtime.state.query_params import (
        CLIENT_STATE_QUERY_STRING_MAX_FIELDS as MAX_LINK_FIELDS,
    )
    from streamlit.runtime.state.query_params import (
        CLIENT_STATE_QUERY_STRING_MAX_LENGTH as MAX_LINK_CHARS,
    )
except ImportError:  # a Streamlit without the limits: the probe never finds a link over them
    MAX_LINK_FIELDS, MAX_LINK_CHARS = 10**9, 10**12


def session_lang() -> str:
    """The session's language: the switch's value, else the URL's ``lang``, else English.

    Usable before any widget is drawn (error pages, page titles).
    """
    lang = st.session_state.get(LANG_KEY) or st.session_state.get(UI_LANG_KEY) or st.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def date_label(lang: str) -> str:
    """The date slider's label; the map's script finds the slider by it."""
    return t("date", lang)


def restore_view(*, start: dt.date, end: dt.date, default: dt.date, pcodes: Collection[str]) -> None:
    """On a session's first run, take the view from the URL; show a notice for anything ignored.

    Also applies the view of a link Streamlit dropped for its length, once the browser has
    reported it (see ``check_link``), with a notice saying so.
    """
    report = st.session_state.pop(LINK_REPORT_KEY, None)
    if DATE_KEY in st.session_state and report is None:
        return
    params: dict[str, object] = st.query_params.to_dict() if report is None else dict(report[0])
    view, notices = parse_view(params, start=start, end=end, default=default, pcodes=pcodes)
    if report is None:
        # No parameters at all may mean a link Streamlit ignored as too long: ask the browser.
        st.session_state[LINK_PROBE_KEY] = not params
    else:
        kept = ", ".join(k for k in LINK_KEYS if k in report[0]) or "-"
        if report[1] > MAX_LINK_FIELDS:
            notices.insert(0, t("n_too_many", view.lang, n=report[1], limit=MAX_LINK_FIELDS, kept=kept))
        else:  # few fields, but over the length limit (one huge value)
            notices.insert(0, t("n_too_long", view.lang, limit=MAX_LINK_CHARS, kept=kept))
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
    lang = session_lang()
    for key, what in ((DATE_KEY, "what_date"), (COMPARE_KEY, "what_compare")):
        value = st.session_state.get(key)
        if isinstance(value, dt.date) and not start <= value <= end:
            st.session_state[key] = clamp_date(value, start=start, end=end)
            notices.append(
                t("n_moved", lang, start=start, end=end, what=t(what, lang), value=value, moved=st.session_state[key])
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


def check_link() -> None:
    """Ask the browser for the link the page was opened with, when Streamlit may have dropped it.

    Streamlit ignores a query string over its limits as a whole (1,000 fields or 512 KiB in
    1.67), so the session starts with no parameters and would show the default view with no
    word. Only on such a session (no parameters at all) an invisible component reads the
    address the page was opened with; if it was over the limits, its view parameters are
    applied on a rerun by ``restore_view``, with a notice. Call it last on the page, so the
    check is not in the way of the first map.
    """
    if not st.session_state.get(LINK_PROBE_KEY):
        return
    with st.container(key="cm_link_box"):
        value = _link_probe()(max_fields=MAX_LINK_FIELDS, max_chars=MAX_LINK_CHARS, key="link_probe", default=None)
    report = read_link_report(value)
    if report is not None:
        st.session_state[LINK_PROBE_KEY] = False
        st.session_state[LINK_REPORT_KEY] = report
        st.rerun()


@st.cache_resource(show_spinner=False)
def _link_probe() -> Callable[..., object]:
    """The invisible component that reads the link the page was opened with (components/frontend/link)."""
    return declare_component("cm_link", path=str(LINK_DIR))


def _step(changes: Sequence[dt.date], step: int) -> None:
    target = neighbour_change(changes, st.session_state[DATE_KEY], step=step)
    if target is not None:
        st.session_state[DATE_KEY] = target


def _apply_play_step(start: dt.date, end: dt.date) -> None:
    """Apply the step the play timer asked for (before the slider exists in this run)."""
    pending = st.session_state.pop("play_next", None)
    if pending == "stop":
        st.session_state[PLAYING_KEY] = False  # stopped at the end
    elif isinstance(pending, dt.date) and start <= pending <= end and st.session_state.get(PLAYING_KEY):
        st.session_state[DATE_KEY] = pending


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def date_controls(*, start: dt.date, end: dt.date, changes: Sequence[dt.date], lang: str) -> dt.date:
    """Render the date row and return the chosen date: previous change, slider, next change, play.

    One compact row that stays one row on a phone. Time runs left to right in both languages, as
    on the chart's axis. In Dari the slider shows the solar date with the Gregorian beside it
    (``۲۴ اسد ۱۴۰۰ (۲۰۲۱-۰۸-۱۵)``); the map's script reads the ISO date back from that label.
    Speed and "only dates with changes" sit in the play options pop-over.
    """
    _apply_play_step(start, end)
    current = st.session_state[DATE_KEY]
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small", key="cm_date_row")
    row.button(
        t("prev_change", lang),
        key="prev_change",
        help=t("prev_help", lang),
        on_click=_step,
        args=(changes, -1),
        disabled=neighbour_change(changes, current, step=-1) is None,
    )
    if start == end:  # a slider needs two different ends; with one date there is nothing to pick
        row.markdown(t("one_date", lang, date=start))
        date = start
    elif lang == "da":
        date = row.select_slider(
            date_label(lang), options=_days(start, end), key=DATE_KEY, format_func=lambda d: date_text(d, "da")
        )
    else:
        date = row.slider(date_label(lang), min_value=start, max_value=end, key=DATE_KEY, format="YYYY-MM-DD")
    row.button(
        t("next_change", lang),
        key="next_change",
        help=t("next_help", lang),
        on_click=_step,
        args=(changes, 1),
        disabled=neighbour_change(changes, current, step=1) is None,
    )
    playing = row.toggle(t("play", lang), key=PLAYING_KEY, help=t("play_help", lang))
    with row.popover("⚙", help=t("play_options", lang), key="play_options"):
        speed = st.selectbox(
            t("speed", lang), list(SPEEDS), index=1, key="play_speed", format_func=lambda key: t(key, lang)
        )
        st.toggle(t("changes_only", lang), key="play_changes")
    # The ticker lives in a container that always exists, so the map keeps its place in the page.
    ticker = st.container()
    was_playing = st.session_state.get("was_playing", False)
    st.session_state["was_playing"] = playing
    if playing:
        if not was_playing:
            st.session_state["last_tick"] = time.monotonic()
            if st.session_state[DATE_KEY] >= end:
                st.session_state[DATE_KEY] = start  # play again from the start
                date = start
        with ticker:
            st.fragment(run_every=SPEEDS[speed])(_tick)(end, changes, SPEEDS[speed])
    return date


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


def analysis_options(*, start: dt.date, end: dt.date, lang: str) -> tuple[dt.date | None, bool]:
    """Render the compare date and the evidence-age switch; return (compare date or None, stale).

    In Dari the compare date is picked from a list written in the solar calendar (the date
    picker only knows the Gregorian one).
    """
    compare_col, stale_col = st.columns([2, 3], vertical_alignment="bottom")
    if lang == "da":
        compare = compare_col.selectbox(
            t("compare", lang),
            _days(start, end),
            index=None,
            key=COMPARE_KEY,
            format_func=lambda d: date_text(d, "da"),
            placeholder=t("compare_none", lang),
            help=t("compare_help", lang),
        )
    else:
        compare = compare_col.date_input(
            t("compare", lang),
            min_value=start,
            max_value=end,
            key=COMPARE_KEY,
            format="YYYY-MM-DD",
            help=t("compare_help", lang),
        )
    stale = stale_col.toggle(t("stale", lang), key=STALE_KEY, help=t("stale_help", lang))
    return compare if isinstance(compare, dt.date) else None, stale


def language_switch() -> str:
    """Render the English/Dari switch and return the chosen language code."""
    lang = (
        st.segmented_control(
            t("language", st.session_state.get(LANG_KEY, "en")),
            list(LANGS),
            format_func=LANG_NAMES.get,
            key=LANG_KEY,
            label_visibility="collapsed",
        )
        or "en"
    )
    st.session_state[UI_LANG_KEY] = lang
    return lang


def sync_url(view: ViewState) -> None:
    """Write the current view into the URL so the address bar is always a share link."""
    wanted = to_params(view)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if needs_rewrite(current, wanted):
        st.query_params.from_dict(wanted)
