"""The Methodology text in either language, without Streamlit (the app's page and the static site share it)."""

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
