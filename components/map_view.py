"""Streamlit side of the district map: declare the component once, then send per-date styles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.components.v1 import declare_component

from components.district_map import palette


@st.cache_resource(show_spinner=False)
def _component(path: str) -> Any:
    return declare_component("controlmap", path=path)


def district_map(component_dir: Path, *, codes: str, selected: str | None, caption: str, key: str) -> str | None:
    """Show the map restyled with ``codes``; return the PCODE of the last clicked district."""
    value = _component(str(component_dir))(
        codes=codes, palette=palette(), selected=selected, caption=caption, key=key, default=None
    )
    if isinstance(value, dict) and isinstance(value.get("pcode"), str):
        return value["pcode"]
    return None
