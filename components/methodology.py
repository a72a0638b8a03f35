"""The methodology page: what the map's colours mean, how sources are weighed, what is missing."""

import streamlit as st

from components import app_data, controls, page_style
from components.i18n import t
from components.methodology_text import methodology_text
from geo import audit
from geo.timeline import Timeline


@st.cache_data(show_spinner=False, max_entries=4)
def _figures(_timeline: Timeline, version: str) -> list[audit.StatusFigures]:
    """The key dates' status figures, computed once per data version."""
    return audit.status_figures(_timeline)


def render() -> None:
    """Render the methodology page with live counts from the timeline."""
    lang = controls.session_lang()
    page_style.apply(lang)
    st.title(t("m_title", lang))
    timeline = app_data.timeline()
    st.markdown(
        t(
            "m_counts",
            lang,
            claims=len(timeline.claims),
            sources=len(timeline.sources),
            districts=len(timeline.by_district),
            start=timeline.start,
            end=timeline.end,
        )
    )
    st.markdown(methodology_text(lang, _figures(timeline, timeline.version)))
