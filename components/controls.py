"""Date controls (slider, previous/next change) and the URL <-> session state sync."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import streamlit as st

from components.view_state import ViewState, parse_view, to_params
from geo.control import neighbour_change

DATE_KEY, DISTRICT_KEY = "date", "district"


def restore_view(*, start: dt.date, end: dt.date, default: dt.date, pcodes: Collection[str]) -> None:
    """On a session's first run, take the view from the URL; show a notice for anything ignored."""
    if DATE_KEY in st.session_state:
        return
    view, notices = parse_view(st.query_params.to_dict(), start=start, end=end, default=default, pcodes=pcodes)
    st.session_state[DATE_KEY] = view.date
    st.session_state[DISTRICT_KEY] = view.district
    st.session_state["notices"] = notices


def show_notices() -> None:
    """Show (once per session) what was ignored in the URL."""
    for notice in st.session_state.pop("notices", []):
        st.warning(notice, icon="⚠️")


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
    return slider_col.slider("Date", min_value=start, max_value=end, key=DATE_KEY, format="YYYY-MM-DD")


def sync_url(view: ViewState) -> None:
    """Write the current view into the URL so the address bar is always a share link."""
    wanted = to_params(view)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
