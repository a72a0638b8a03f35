"""Streamlit side of the district map: declare the component once, then send per-date styles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.components.v1 import declare_component

from components.view_state import clean_map_view
from geo.gazetteer import PCODE_RE


@st.cache_resource(show_spinner=False)
def _component(path: str) -> Any:
    return declare_component("controlmap", path=path)


@dataclass(frozen=True)
class MapEvent:
    """What the map reported: the last clicked district (with a click counter) and its view.

    The browser can send anything, so a click that is not a PCODE and a view out of range are
    dropped here; whether the PCODE is a real district is checked by ``apply_map_event``.
    """

    click: str | None = None
    seq: int = 0
    view: tuple[float, float, int] | None = None


def _event(value: object) -> MapEvent:
    """Read the component's value defensively: it comes from the browser."""
    if not isinstance(value, dict):
        return MapEvent()
    click = value.get("click")
    click = click if isinstance(click, str) and PCODE_RE.fullmatch(click) else None
    seq = value.get("seq")
    seq = seq if isinstance(seq, int) and not isinstance(seq, bool) else 0
    return MapEvent(click, seq, clean_map_view(value.get("view")))


def district_map(
    component_dir: Path,
    *,
    codes: str,
    selected: str | None,
    caption: str,
    table: str,
    view: tuple[float, float, int] | None,
    slider_label: str,
    highlight: str | None = None,
    mode: str = "control",
    lang: str = "en",
    key: str,
) -> MapEvent:
    """Show the map restyled with ``codes``; return what the user last did on it.

    ``view`` (lat, lon, zoom) is applied when it changes, e.g. once from a share link.

    ``table`` names the per-date codes file beside the map and ``slider_label`` the date
    slider, so the map can repaint a step before the server's answer arrives.
    """
    value = _component(str(component_dir))(
        codes=codes,
        selected=selected,
        caption=caption,
        table=table,
        slider=slider_label,
        view=list(view) if view else None,
        highlight=highlight,
        mode=mode,
        lang=lang,
        key=key,
        default=None,
    )
    return _event(value)
