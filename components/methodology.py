"""The methodology page: what the map's colours mean, how sources are weighed, what is missing."""

import streamlit as st

from components import app_data, controls, page_style
from components.i18n import GRADE_RUBRIC_DA, METHODOLOGY, STATE_NAMES_DA, attribution, t
from geo import settings
from geo.outlets import GRADE_RUBRIC


def methodology_text(lang: str) -> str:
    """The page's body in ``lang``, with the grading rubric and the parties filled in."""
    rubric = GRADE_RUBRIC_DA if lang == "da" else GRADE_RUBRIC
    grades = "\n".join(f"- **{grade}**: {text}" for grade, text in rubric.items())
    if lang == "da":
        parties = "، ".join(sorted(STATE_NAMES_DA.get(code, code) for code in settings.PARTY_STATES))
    else:
        parties = ", ".join(sorted(settings.PARTY_STATES))
    return METHODOLOGY["da" if lang == "da" else "en"].format(
        window=t("m_window", lang, n=settings.DISPUTE_WINDOW_DAYS),
        grades=grades,
        parties=f"{parties} {t('m_parties', lang)}",
        attribution=attribution(lang),
    )


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
    st.markdown(methodology_text(lang))
