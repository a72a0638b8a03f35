"""The Methodology text in either language, without Streamlit (the app's page and the static site share it)."""

from __future__ import annotations

from collections.abc import Sequence

from components.i18n import GRADE_RUBRIC_DA, METHODOLOGY, STATE_NAMES_DA, attribution, t
from geo import audit, settings
from geo.outlets import GRADE_RUBRIC


def status_gaps_text(figures: Sequence[audit.StatusFigures], lang: str) -> str:
    """The "Known gaps" lines on what the statuses of the key dates rest on ('' without figures)."""
    if not figures:
        return ""
    first = figures[0]
    capitals = t("m_capitals_gap", lang, date=first.date, n=first.only_capitals_claims) + "\n"
    days = [
        t("m_status_day", lang, date=f.date, known=f.known, weak=f.only_weak_voices, single=f.single_voice,
          broad=f.only_broad_claims)
        for f in figures
    ]  # fmt: skip
    sep = "؛ " if lang == "da" else "; "
    return capitals + t("m_status_gaps", lang, n=first.districts, dates=sep.join(days))


def methodology_text(lang: str, figures: Sequence[audit.StatusFigures] = ()) -> str:
    """The page's body in ``lang``, with the grading rubric, the parties and the status figures filled in."""
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
        status_gaps=status_gaps_text(figures, lang),
    )
